// Recipe files as the loader meets them: a byte-order mark, prototype keys, an oversized file, absurd durations.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecipe, MAX_RECIPE_BYTES, recipeErrors, RecipeValidationError } from "../../../host/recipes/load.ts";
import { TINY } from "../commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-load-"));
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

/** The loader's error lines for a file, [] if it loads. */
function loadErrors(path: string): string[] {
  try { loadRecipe(path); return []; } catch (e) {
    if (!(e instanceof RecipeValidationError)) throw e;
    return e.errors;
  }
}

test("a UTF-8 byte-order mark (as Windows editors write) is stripped", () => {
  const path = write("bom.json", "\uFEFF" + JSON.stringify(TINY));
  assert.is(loadRecipe(path).name, "TINY");
});

test("top-level __proto__, constructor and prototype keys are unknown fields", () => {
  for (const key of ["__proto__", "constructor", "prototype"]) {
    const text = JSON.stringify(TINY).replace(/^\{/, `{"${key}": {"x": 1},`);
    const errors = loadErrors(write(`${key}.json`, text));
    assert.ok(errors.some((e) => e.includes(`(root).${key}: unknown field`) || e.includes(`: ${key}: unknown field`)), `${key}: ${errors.join("\n")}`);
  }
  // Also as an object parsed by someone else (JSON.parse makes __proto__ an own property).
  const parsed = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(TINY).slice(1)}`);
  assert.ok(recipeErrors(parsed, "x.json").some((e) => e.startsWith("x.json: __proto__: unknown field")));
  assert.ok(recipeErrors({ ...TINY, pumps: { ...TINY.pumps, constructor: 1 } }, "x.json").some((e) => e.startsWith("x.json: pumps.constructor: unknown field")));
});

test("a file over the size limit is refused before it is parsed", () => {
  const path = write("big.json", JSON.stringify({ ...TINY, description: "x".repeat(MAX_RECIPE_BYTES) }));
  const errors = loadErrors(path);
  assert.equal(errors.length, 1);
  assert.match(errors[0], new RegExp(`the file is \\d+ bytes, which exceeds the limit ${MAX_RECIPE_BYTES} bytes`));
});

test("absurd durations are refused with the limit, not 'Infinity s'", () => {
  const recipe = { ...TINY, steps: [{ ...TINY.steps[0], durationS: 1e308 }] };
  const errors = recipeErrors(recipe, "x.json");
  assert.ok(errors.some((e) => e.startsWith("x.json: steps[0].durationS: 1e+308 exceeds the limit 604800 ")), errors.join("\n"));
  assert.not.ok(errors.some((e) => /Infinity|NaN/.test(e)), errors.join("\n"));
  const sweep = { ...TINY, steps: [{ sweep: "precursorMlPerH", values: [10], fixed: { antisolventMlPerH: 100 }, durationS: 1e308, rampS: 1e308, settleS: 1e308 }] };
  const sweepErrors = recipeErrors(sweep, "x.json");
  assert.ok(sweepErrors.some((e) => e.startsWith("x.json: steps[0].durationS: 1e+308 exceeds the limit 604800 ")), sweepErrors.join("\n"));
  assert.not.ok(sweepErrors.some((e) => /Infinity|NaN/.test(e)), sweepErrors.join("\n"));
});

test.run();
