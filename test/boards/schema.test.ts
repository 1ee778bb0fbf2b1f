// boards/schema.json is what generate-schema.ts makes from boards/profile.ts, and is strict.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSchema, schemaPath, schemaText, type JsonSchema } from "../../boards/generate-schema.ts";

test("committed schema equals a fresh generation (run: npx tsx boards/generate-schema.ts)", () => {
  assert.fixture(readFileSync(schemaPath, "utf8"), schemaText());
});

test("draft-07, rooted at BoardProfile, every object closed", () => {
  const schema = generateSchema();
  assert.is(schema.$schema, "http://json-schema.org/draft-07/schema#");
  assert.is(schema.$ref, "#/definitions/BoardProfile");
  const visit = (node: unknown, where: string): void => {
    if (typeof node !== "object" || node === null) return;
    const s = node as JsonSchema;
    if (s.type === "object") assert.is(s.additionalProperties, false, `${where} allows unknown fields`);
    for (const [key, child] of Object.entries(s)) visit(child, `${where}/${key}`);
  };
  visit(schema, "#");
});

test("enums, tuples, integers, descriptions and JSDoc tags come through", () => {
  const defs = generateSchema().definitions as Record<string, JsonSchema>;
  assert.equal(defs.DriverName.enum, ["A4988", "DRV8825", "TMC2209"]);
  const board = defs.BoardProfile as { properties: Record<string, JsonSchema>; required: string[] };
  assert.is(board.properties.pumps.minItems, 2);
  assert.is(board.properties.pumps.maxItems, 2);
  assert.is(board.properties.variables.type, "integer");
  assert.is(board.properties.variables.minimum, 0);
  assert.ok(String(board.properties.timerTickNs.description).includes("nanoseconds"));
  assert.ok(board.required.includes("sensor") && !board.required.includes("notes"));
  assert.is(defs.Pin.pattern, "^(\\^!?|!\\^?)?[A-Z]+[0-9]+$");
  assert.equal(defs.Link.oneOf, [
    { $ref: "#/definitions/UsbLink" }, { $ref: "#/definitions/UartLink" }, { $ref: "#/definitions/SerialPathLink" },
  ]);
});

test("a syntax error in the interface file fails generation with file and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-schema-"));
  const file = join(dir, "profile.ts");
  writeFileSync(file, "export interface A {\n  a: string;\nexport type B = string;\n");
  assert.throws(() => generateSchema(file), /profile\.ts\(3,1\)/);
});

test("an unsupported type fails generation naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-schema-"));
  const file = join(dir, "profile.ts");
  writeFileSync(file, "export interface A {\n  a: Map<string, number>;\n}\n");
  assert.throws(() => generateSchema(file), /profile\.ts:2: type "Map<string, number>"/);
});

test.run();
