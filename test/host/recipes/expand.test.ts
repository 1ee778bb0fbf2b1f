// Sweeps and repeats expand into exact board segments; settle, timing and the volume budget follow the steps.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expandRecipe, formatDuration, validateRecipe, volumeBudget, type Recipe } from "../../../host/recipes/load.ts";

/** A recipe after `edit`, validated (budget tests skip validation: it refuses a recipe that runs dry). */
function recipe(edit: (r: any) => void = () => {}, validate = true): Recipe {
  const r: any = {
    name: "T", description: "test",
    pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 10 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 60 } },
    tube: { lengthMm: 1000 },
    steps: [
      { label: "start", precursorMlPerH: 60, antisolventMlPerH: 1000, durationS: 20, rampS: 1, settleS: 3 },
      { sweep: "precursorMlPerH", values: [10, 20.5, 0.001], fixed: { antisolventMlPerH: 100 }, durationS: 12.345, settleS: 2 },
    ],
  };
  edit(r);
  return validate ? validateRecipe(r, "test.json") : r;
}

test("a sweep becomes one step per value, in order, with the fixed flow; labels name the swept stream", () => {
  const { segments, steps } = expandRecipe(recipe());
  assert.equal(segments, [
    { durationMs: 20000, rateA: 60000, rateB: 1000000, rampMs: 1000, tag: 1 },
    { durationMs: 12345, rateA: 10000, rateB: 100000, rampMs: 0, tag: 2 },
    { durationMs: 12345, rateA: 20500, rateB: 100000, rampMs: 0, tag: 3 },
    { durationMs: 12345, rateA: 1, rateB: 100000, rampMs: 0, tag: 4 },
  ]);
  assert.equal(steps.map((s) => s.label), ["start", "precursor 10 mL/h", "precursor 20.5 mL/h", "precursor 0.001 mL/h"]);
  assert.equal(steps.map((s) => s.source), ["steps[0]", "steps[1]", "steps[1]", "steps[1]"]);
  assert.equal(steps.map((s) => s.startS), [0, 20, 32.345, 44.69]);
  assert.equal(steps.map((s) => s.sampleFromS), [3, 22, 34.345, 46.69]);
  assert.is(steps[3].endS, 57.035);
  const labelled = expandRecipe(recipe((r) => { r.steps[1].label = "DMF"; })).steps;
  assert.is(labelled[1].label, "DMF 10 mL/h");
});

test("repeat runs the list again; tags keep counting, repetition says which pass", () => {
  const { segments, steps } = expandRecipe(recipe((r) => { r.repeat = 3; }));
  assert.is(segments.length, 12);
  assert.equal(segments.map((s) => s.tag), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(steps.map((s) => s.repetition), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  assert.equal(segments[4], { ...segments[0], tag: 5 });
  assert.is(steps[11].endS, 3 * 57.035);
});

test("auto settle = ramp + max(5 s, 3 τ), rounded up to 0.1 s; at least 5 s; no forward flow gives the minimum", () => {
  const steps = expandRecipe(recipe((r) => {
    r.pumps.antisolvent = { syringe: { innerDiameterMm: 50, capacityMl: 500 }, loadedMl: 500 };
    r.steps = [
      { precursorMlPerH: 60, antisolventMlPerH: 1000, durationS: 60, rampS: 2 },
      { precursorMlPerH: 60, antisolventMlPerH: 5000, durationS: 60 },
      { precursorMlPerH: 0, antisolventMlPerH: 0, durationS: 60, rampS: 1 },
    ];
  })).steps;
  // 1 m of 1/16" tube holds 1.979 mL: τ 6.72 s at 1060 mL/h (rig.md 6.7 s), 1.41 s at 5060 mL/h
  assert.ok(Math.abs(steps[0].residenceTimeS! - 6.722) < 0.001, String(steps[0].residenceTimeS));
  assert.is(steps[0].settleS, 22.2); // 2 + 3 × 6.722 = 22.17 → 22.2
  assert.is(steps[0].settleRule, "auto: ramp 2 s + max(5 s, 3 × τ 6.72 s)");
  assert.is(steps[1].settleS, 5);
  assert.is(steps[2].settleS, 6);
  assert.is(steps[2].settleRule, "auto: ramp 1 s + max(5 s, no forward flow)");
  assert.is(steps[2].precursorFraction, null);
  assert.is(steps[2].antisolventToPrecursor, null);
  assert.match(steps[2].assumptions, /no forward flow/);
});

test("tube ID and temperature change Re and τ, and the assumptions say so", () => {
  const warm = expandRecipe(recipe((r) => { r.tube = { innerDiameterMm: 1, lengthMm: 1000, temperatureC: 25 }; })).steps[0];
  const cold = expandRecipe(recipe()).steps[0];
  assert.ok(warm.reynolds! > cold.reynolds!);
  assert.ok(warm.residenceTimeS! < cold.residenceTimeS!);
  assert.is(warm.assumptions, "ID 1 mm, 25 °C, total flow 1060 mL/h (both streams after the Y); tube 1000 mm Y to flow cell");
});

test("volume budget: enough, short (step, time, shortfall), ramps integrated, loaded override", () => {
  const one = (flow: number, durationS: number, rampS = 0) => ({ precursorMlPerH: 1, antisolventMlPerH: flow, durationS, rampS, settleS: 0 });
  const ok = volumeBudget(recipe((r) => { r.steps = [one(3600, 50)]; }));
  assert.ok(ok.ok);
  assert.is(ok.pumps.antisolvent.neededMl, 50);
  assert.is(ok.messages[1], "antisolvent: needs 50 mL of 60 mL loaded (59.9 mL usable, BD 60 mL): 9.9 mL spare");
  // 1000, 2000, 3000 mL/h for 30 s each draw 50 mL of a 60 mL syringe's 59.9 usable: 9.9 mL left for 4000 mL/h
  const short = volumeBudget(recipe((r) => { r.steps = [one(1000, 30), one(2000, 30), one(3000, 30), one(4000, 60)]; }, false));
  assert.not.ok(short.ok);
  const s = short.pumps.antisolvent.runsOut!;
  assert.is(s.tag, 4);
  assert.ok(Math.abs(s.atS - (90 + 9.9 / (4000 / 3600))) < 1e-6, String(s.atS));
  assert.ok(Math.abs(s.shortMl - (50 + 4000 / 60 - 59.9)) < 1e-9);
  assert.is(short.messages[1], "antisolvent runs out during step 4 (4000 mL/h) at 1 min 39 s: 56.8 mL short; refill or use a larger syringe");
  // a ramp 0 → 3600 mL/h over 100 s draws t²/200 mL: 50 mL in all; 39.9 mL (40 loaded) at t = √7980 s
  const ramp = volumeBudget(recipe((r) => { r.steps = [one(3600, 100, 100)]; })).pumps.antisolvent;
  assert.ok(ramp.ok && Math.abs(ramp.neededMl - 50) < 1e-9);
  const rampShort = volumeBudget(recipe((r) => { r.steps = [one(3600, 100, 100)]; }), { antisolvent: 40 }).pumps.antisolvent.runsOut!;
  assert.ok(Math.abs(rampShort.atS - Math.sqrt(7980)) < 1e-6, String(rampShort.atS));
  assert.ok(Math.abs(rampShort.shortMl - 10.1) < 1e-9);
  const override = volumeBudget(recipe((r) => { r.steps = [one(3600, 50)]; }, false), { antisolvent: 40 });
  assert.ok(Math.abs(override.pumps.antisolvent.runsOut!.atS - 39.9) < 1e-6);
});

test("volume budget: withdrawing gives liquid back and can overfill", () => {
  const budget = volumeBudget(recipe((r) => {
    r.pumps.precursor.loadedMl = 5;
    r.steps = [
      { precursorMlPerH: 3600, antisolventMlPerH: 0, durationS: 2, settleS: 0 },
      { precursorMlPerH: -3600, antisolventMlPerH: 0, durationS: 10, settleS: 0 },
    ];
  }, false));
  const p = budget.pumps.precursor;
  assert.is(p.neededMl, 2);
  assert.is(p.overfills!.tag, 2);
  assert.ok(Math.abs(p.overfills!.atS - 9) < 1e-6, String(p.overfills!.atS)); // 2 out, then 7 back fills 5 + 5
  assert.is(p.message, "precursor overfills during step 2 (-3600 mL/h) at 9 s: 3 mL too much; load less or withdraw less");
});

test("formatDuration", () => {
  assert.is(formatDuration(43), "43 s");
  assert.is(formatDuration(7.25), "7.3 s");
  assert.is(formatDuration(72), "1 min 12 s");
  assert.is(formatDuration(7500), "2 h 5 min");
  assert.is(formatDuration(604830), "7 d 0 h");
});

test.run();
