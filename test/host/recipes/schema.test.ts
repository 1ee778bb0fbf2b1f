// recipes/schema.json is what host/recipes/generate-schema.ts makes from host/recipes/recipe.ts, and is strict.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import type { JsonSchema } from "../../../boards/generate-schema.ts";
import { generateRecipeSchema, recipeSchemaPath, recipeSchemaText } from "../../../host/recipes/generate-schema.ts";

test("committed schema equals a fresh generation (run: npx tsx host/recipes/generate-schema.ts)", () => {
  assert.fixture(readFileSync(recipeSchemaPath, "utf8"), recipeSchemaText());
});

test("draft-07, rooted at Recipe, every object closed, units in field names", () => {
  const schema = generateRecipeSchema();
  assert.is(schema.$schema, "http://json-schema.org/draft-07/schema#");
  assert.is(schema.$ref, "#/definitions/Recipe");
  const visit = (node: unknown, where: string): void => {
    if (typeof node !== "object" || node === null) return;
    const s = node as JsonSchema;
    if (s.type === "object") assert.is(s.additionalProperties, false, `${where} allows unknown fields`);
    for (const [key, child] of Object.entries(s)) visit(child, `${where}/${key}`);
  };
  visit(schema, "#");
  const defs = schema.definitions as Record<string, { properties: Record<string, JsonSchema>; required: string[] }>;
  assert.equal(Object.keys(defs.Step.properties), ["label", "precursorMlPerH", "antisolventMlPerH", "durationS", "rampS", "settleS"]);
  assert.equal(defs.Step.properties.settleS.oneOf, [{ type: "number" }, { const: "auto" }]);
  assert.equal(defs.Sweep.properties.sweep.enum, ["antisolventMlPerH", "precursorMlPerH"]);
  assert.equal(defs.Recipe.required, ["name", "description", "pumps", "tube", "steps"]);
  assert.is(defs.Recipe.properties.repeat.type, "integer");
});

test.run();
