// Bad recipes are refused before anything moves: every error names the file, the JSON path and the limit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecipe, recipeErrors, RecipeValidationError, validateRecipe } from "../../../host/recipes/load.ts";

/** A small valid recipe: a 10 mL precursor syringe, a 500 mL custom antisolvent syringe limited to 5000 mL/h. */
function base(): any {
  return {
    $schema: "./schema.json",
    name: "TEST",
    description: "for tests",
    pumps: {
      precursor: { syringe: "BD 10 mL", loadedMl: 10 },
      antisolvent: { syringe: { innerDiameterMm: 50, capacityMl: 500 }, loadedMl: 500, maxMlPerH: 5000 },
    },
    tube: { lengthMm: 500 },
    steps: [
      { precursorMlPerH: 60, antisolventMlPerH: 1000, durationS: 30 },
      { sweep: "antisolventMlPerH", values: [2000, 3000], fixed: { precursorMlPerH: 60 }, durationS: 30, rampS: 2 },
      { precursorMlPerH: 60, antisolventMlPerH: 5000, durationS: 30 },
    ],
  };
}

/** The errors of base() after `edit`, for the file recipes/x.json. */
function errorsAfter(edit: (r: any) => void): string[] {
  const recipe = base();
  edit(recipe);
  return recipeErrors(recipe, "recipes/x.json");
}

function refused(edit: (r: any) => void, expected: string): void {
  const errors = errorsAfter(edit);
  assert.ok(errors.includes(expected), `expected\n  ${expected}\ngot\n  ${errors.join("\n  ")}`);
}

test("the base recipe is valid", () => {
  assert.equal(errorsAfter(() => {}), []);
});

test("flow above the pump's own limit, in a step and in a sweep", () => {
  refused((r) => { r.steps[2].antisolventMlPerH = 6000; },
    "recipes/x.json: steps[2].antisolventMlPerH: 6000 exceeds the limit 5000 (pumps.antisolvent.maxMlPerH)");
  refused((r) => { r.steps[1].values[1] = 5500; },
    "recipes/x.json: steps[1].values[1]: 5500 exceeds the limit 5000 (pumps.antisolvent.maxMlPerH)");
  refused((r) => { r.steps[1].fixed.precursorMlPerH = 7000; },
    "recipes/x.json: steps[1].fixed.precursorMlPerH: 7000 exceeds the limit 6000 (pump precursor maxRate, the board default 6000000 µL/h; set pumps.precursor.maxMlPerH to change)");
  refused((r) => { r.steps[0].precursorMlPerH = -6500; },
    "recipes/x.json: steps[0].precursorMlPerH: -6500 exceeds the limit -6000 (pump precursor maxRate, the board default 6000000 µL/h; set pumps.precursor.maxMlPerH to change)");
});

test("unknown fields and wrong types", () => {
  refused((r) => { r.steps[0].flowMlPerH = 5; },
    "recipes/x.json: steps[0].flowMlPerH: unknown field (allowed: label, precursorMlPerH, antisolventMlPerH, durationS, rampS, settleS)");
  refused((r) => { r.tube.lenghtMm = 5; }, "recipes/x.json: tube.lenghtMm: unknown field (allowed: innerDiameterMm, lengthMm, temperatureC)");
  refused((r) => { r.tube.lengthMm = "500"; }, 'recipes/x.json: tube.lengthMm: expected number, got string "500"');
  refused((r) => { r.repeat = 1.5; }, "recipes/x.json: repeat: expected integer, got number 1.5");
  refused((r) => { r.steps[0].settleS = "fast"; }, 'recipes/x.json: steps[0].settleS: expected number or "auto", got string "fast"');
  refused((r) => { r.pumps.precursor.syringe = "BD 11 mL"; }, 'recipes/x.json: pumps.precursor.syringe: "BD 11 mL" is not allowed (allowed: "BD 1 mL", "BD 3 mL", "BD 5 mL", "BD 10 mL", "BD 20 mL", "BD 30 mL", "BD 60 mL", "Hamilton 1001", "Hamilton 1002", "Hamilton 1005", "Hamilton 1010", "Hamilton 1025", "SGE 1 mL", "SGE 2.5 mL", "SGE 5 mL", "SGE 10 mL", "SGE 25 mL", "SGE 50 mL")');
  refused((r) => { r.pumps.antisolvent.syringe = { innerDiameterMm: 60, capacityMl: 500 }; }, "recipes/x.json: pumps.antisolvent.syringe.innerDiameterMm: 60 exceeds the limit 50");
  refused((r) => { r.steps[1].sweep = "totalMlPerH"; }, 'recipes/x.json: steps[1].sweep: "totalMlPerH" is not allowed (allowed: "antisolventMlPerH", "precursorMlPerH")');
  refused((r) => { delete r.tube.lengthMm; }, "recipes/x.json: tube.lengthMm: required field is missing (Length from the Y-junction to the flow cell's optical window, in mm.)");
  refused((r) => { r.name = "A NAME TOO LONG"; }, 'recipes/x.json: name: "A NAME TOO LONG" does not match ^[ -~]{1,12}$ (Program name stored on the board and shown on its display: 1-12 printable ASCII characters.)');
});

test("negative or too long durations, ramps longer than the step, finer than the board's units", () => {
  refused((r) => { r.steps[0].durationS = -5; }, "recipes/x.json: steps[0].durationS: -5 is below the minimum 0.001");
  refused((r) => { r.steps[0].rampS = -1; }, "recipes/x.json: steps[0].rampS: -1 is below the minimum 0");
  refused((r) => { r.steps[0].durationS = 700000; r.steps[0].antisolventMlPerH = 0.001; r.steps[0].precursorMlPerH = 0.001; },
    "recipes/x.json: steps[0].durationS: 700000 exceeds the limit 604800 (the board's longest segment, 7 days; split the step)");
  refused((r) => { r.steps[1].rampS = 31; }, "recipes/x.json: steps[1].rampS: 31 exceeds the limit 30 (the step's durationS)");
  refused((r) => { r.steps[0].antisolventMlPerH = 1000.0005; }, "recipes/x.json: steps[0].antisolventMlPerH: 1000.0005 is finer than the board's resolution (whole µL/h)");
  refused((r) => { r.steps[0].durationS = 30.0001; }, "recipes/x.json: steps[0].durationS: 30.0001 is finer than the board's resolution (whole ms)");
});

test("settle time that leaves no time to sample: given, and auto", () => {
  refused((r) => { r.steps[0].settleS = 30; },
    "recipes/x.json: steps[0].settleS: 30 reaches the limit 30 (the step's durationS: no time left to sample; lengthen the step or shorten settleS)");
  refused((r) => { r.tube.lengthMm = 5000; },
    'recipes/x.json: steps[0].settleS: "auto" gives 100.9 s (auto: ramp 0 s + max(5 s, 3 × τ 33.61 s)), which reaches the limit 30 (the step\'s durationS: no time left to sample; lengthen the step or shorten settleS)');
});

test("more than 64 segments after expansion, from a sweep or from repeat; runs longer than the board's longest program", () => {
  refused((r) => { r.steps[1].values = Array.from({ length: 63 }, (_, i) => 10 + i); },
    "recipes/x.json: steps: expands to 65 segments, which exceeds the limit 64 (the board's program maxSegments)");
  refused((r) => { r.repeat = 17; }, "recipes/x.json: repeat: 17 × 4 steps = 68 segments exceeds the limit 64 (the board's program maxSegments)");
  refused((r) => { r.steps = [{ precursorMlPerH: 0, antisolventMlPerH: 0, durationS: 604800, settleS: 0 }]; r.repeat = 4; },
    "recipes/x.json: repeat: the run lasts 2419200 s, which exceeds the limit 2147483.647 s (the board's longest program, 24.8 days)");
  refused((r) => { r.steps = []; }, "recipes/x.json: steps: is empty: give at least one step");
});

test("sweeps: values present, fixed gives exactly the other flow", () => {
  refused((r) => { r.steps[1].values = []; }, "recipes/x.json: steps[1].values: is empty: give at least one flow");
  refused((r) => { r.steps[1].fixed = { antisolventMlPerH: 100 }; },
    "recipes/x.json: steps[1].fixed.precursorMlPerH: required field is missing (the flow held constant while antisolventMlPerH is swept)");
  refused((r) => { r.steps[1].fixed.antisolventMlPerH = 100; },
    "recipes/x.json: steps[1].fixed.antisolventMlPerH: is the swept flow: give it in values, and only precursorMlPerH in fixed");
});

test("pumps and sensor: loaded within capacity, window within period", () => {
  refused((r) => { r.pumps.precursor.loadedMl = 12; }, "recipes/x.json: pumps.precursor.loadedMl: 12 exceeds the limit 10 (capacity of the BD 10 mL syringe)");
  refused((r) => { r.pumps.antisolvent.syringe.innerDiameterMm = 32.5705; },
    "recipes/x.json: pumps.antisolvent.syringe.innerDiameterMm: 32.5705 is finer than the board's resolution (whole µm)");
  refused((r) => { r.sensor = { samplePeriodS: 600, sampleWindowS: 700 }; },
    "recipes/x.json: sensor.sampleWindowS: 700 exceeds the limit 60");
  refused((r) => { r.sensor = { samplePeriodS: 1, sampleWindowS: 2 }; },
    "recipes/x.json: sensor.sampleWindowS: 2 exceeds the limit 1 (sensor.samplePeriodS: one window per sample)");
  refused((r) => { r.sensor = { samplePeriodS: 1, sampleWindowS: 0.5, ledHz: 5000 }; }, "recipes/x.json: sensor.ledHz: 5000 exceeds the limit 2000");
});

test("a syringe that cannot hold what the run draws is refused at load, naming step, time and shortfall", () => {
  const errors = errorsAfter((r) => { r.pumps.antisolvent = { syringe: "BD 60 mL", loadedMl: 60 }; });
  assert.equal(errors, [
    "recipes/x.json: pumps.antisolvent.loadedMl: antisolvent runs out during step 4 (5000 mL/h) at 1 min 38 s: 31.2 mL short; refill or use a larger syringe",
  ]);
});

test("validateRecipe throws one error listing every problem; loadRecipe names the file", () => {
  const recipe = base();
  recipe.steps[0].durationS = -1;
  recipe.tube.color = "red";
  try {
    validateRecipe(recipe, "recipes/x.json");
    assert.unreachable("should throw");
  } catch (e) {
    assert.instance(e, RecipeValidationError);
    assert.is((e as RecipeValidationError).errors.length, 2);
    assert.match((e as Error).message, /^2 errors in recipe:\n/);
  }
  const dir = mkdtempSync(join(tmpdir(), "recipes-"));
  writeFileSync(join(dir, "broken.json"), "{ \"name\": ");
  assert.throws(() => loadRecipe(join(dir, "broken.json")), (e: Error) => e.message.includes(`${join(dir, "broken.json")}: (root): not valid JSON`));
  assert.throws(() => loadRecipe(join(dir, "missing.json")), (e: Error) => e.message.includes("cannot read the file"));
  writeFileSync(join(dir, "good.json"), JSON.stringify(base()));
  assert.is(loadRecipe(join(dir, "good.json")).name, "TEST");
});

test.run();
