// The shipped recipes (recipes/*.json) validate, expand to the paper's flows, settle sensibly and fit their syringes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SYRINGE_NAMES } from "../../../host/domain/syringes.ts";
import { CONFIG_KEYS } from "../../../protocol/schema.ts";
import { boardConfig, expandRecipe, listRecipes, loadRecipe, recipesDir, volumeBudget } from "../../../host/recipes/load.ts";
import { generateRecipeSchema } from "../../../host/recipes/generate-schema.ts";

const load = (name: string) => loadRecipe(recipesDir + name + ".json");

test("the shipped recipes are there and validate", () => {
  assert.equal(listRecipes(), ["paper-precursor-sweep", "paper-sweeps", "paper-toluene-sweep", "stability-long"]);
  for (const name of listRecipes()) load(name);
});

test("toluene sweep: 5 steps, antisolvent 1000…5000 µL-exact at precursor 60 mL/h, tags 1…5", () => {
  const { segments, steps } = expandRecipe(load("paper-toluene-sweep"));
  assert.equal(segments, [1, 2, 3, 4, 5].map((k) => ({ durationMs: 40000, rateA: 60000, rateB: k * 1000000, rampMs: 2000, tag: k })));
  assert.equal(steps.map((s) => s.label), ["toluene 1000 mL/h", "toluene 2000 mL/h", "toluene 3000 mL/h", "toluene 4000 mL/h", "toluene 5000 mL/h"]);
  assert.equal(steps.map((s) => s.startS), [0, 40, 80, 120, 160]);
  assert.is(steps[4].endS, 200);
  // rig.md: 1/16" ID, total flow, 20 °C gives Re 342 at 1000+60 and 1659 at 5000+60 (paper: 394 / 1662).
  assert.ok(Math.abs(steps[0].reynolds! - 342) < 1.5, `Re ${steps[0].reynolds}`);
  assert.ok(Math.abs(steps[4].reynolds! - 1659) < 1.5, `Re ${steps[4].reynolds}`);
  assert.ok(steps.every((s) => s.laminar === true));
  assert.ok(steps[4].assumptions.includes("1.5875 mm") && steps[4].assumptions.includes("20 °C") && steps[4].assumptions.includes("5060 mL/h"));
  assert.ok(Math.abs(steps[0].precursorFraction! - 60 / 1060) < 1e-12);
  assert.ok(Math.abs(steps[0].antisolventToPrecursor! - 1000 / 60) < 1e-12);
  // τ = 0.99 mL / Q: 3.36 s at 1060 mL/h, 0.70 s at 5060 mL/h (rig.md: 6.7 s and 1.4 s per metre).
  assert.ok(Math.abs(steps[0].residenceTimeS! - 3.36) < 0.01 && Math.abs(steps[4].residenceTimeS! - 0.704) < 0.01);
  assert.is(steps[0].firstArrivalS, steps[0].residenceTimeS! / 2);
  // auto settle = ramp 2 s + max(5 s, 3 τ), rounded up to 0.1 s
  assert.equal(steps.map((s) => s.settleS), [12.1, 7.2, 7, 7, 7]);
  assert.ok(steps.every((s) => s.durationS - s.settleS >= 27), "at least 27 one-second samples a step");
});

test("precursor sweep: 6 steps, precursor 10…60 mL/h at antisolvent 5000 mL/h", () => {
  const { segments, steps } = expandRecipe(load("paper-precursor-sweep"));
  assert.equal(segments.map((s) => s.rateA), [10000, 20000, 30000, 40000, 50000, 60000]);
  assert.ok(segments.every((s) => s.rateB === 5000000 && s.durationMs === 40000));
  assert.equal(segments.map((s) => s.tag), [1, 2, 3, 4, 5, 6]);
  assert.ok(Math.abs(steps[5].reynolds! - 1659) < 1.5 && Math.abs(steps[0].reynolds! - 1648) < 1.5);
  assert.equal(steps.map((s) => s.settleS), [7, 7, 7, 7, 7, 7]);
  assert.ok(Math.abs(steps[0].precursorFraction! - 10 / 5010) < 1e-12);
  assert.ok(Math.abs(steps[0].antisolventToPrecursor! - 500) < 1e-12);
});

test("stability: fill at the optimum, then hold 7 days (the board's longest segment), PL every 10 min, 2 s window", () => {
  const recipe = load("stability-long");
  const { segments, steps } = expandRecipe(recipe);
  assert.equal(segments[1], { durationMs: 604800000, rateA: 0, rateB: 0, rampMs: 2000, tag: 2 });
  assert.is(steps[1].reynolds, null);
  assert.is(steps[1].residenceTimeS, null);
  assert.equal(recipe.sensor, { samplePeriodS: 600, sampleWindowS: 2, ledHz: 200, synchronous: true });
});

test("every shipped recipe's volume budget passes; the sweeps need a large antisolvent syringe", () => {
  for (const name of listRecipes()) assert.ok(volumeBudget(load(name)).ok, `${name}: ${volumeBudget(load(name)).messages}`);
  const toluene = volumeBudget(load("paper-toluene-sweep")).pumps.antisolvent;
  const precursor = volumeBudget(load("paper-precursor-sweep")).pumps.antisolvent;
  // 15000 mL/h × 40 s less the ramps' halves; 30000 mL/h × 40 s less the first ramp
  assert.ok(Math.abs(toluene.neededMl - (15000 * 38 + 15000 * 2 - 5000) / 3600) < 1e-9, String(toluene.neededMl));
  assert.ok(Math.abs(precursor.neededMl - (30000 * 40 - 5000) / 3600) < 1e-9, String(precursor.neededMl));
  assert.ok(toluene.neededMl > 60 && precursor.neededMl > 60, "more than a 60 mL syringe holds");
});

test("boardConfig: keys and values the firmware accepts (custom 50 mm / 500 mL antisolvent syringe)", () => {
  for (const name of listRecipes()) {
    for (const s of boardConfig(load(name))) {
      const key = CONFIG_KEYS.find((k) => k.name === s.name)!;
      assert.ok(Number.isInteger(s.value) && s.value >= key.min && s.value <= key.max, `${name}: ${s.name}[${s.index}] = ${s.value}`);
    }
  }
  const settings = boardConfig(load("paper-toluene-sweep"));
  const get = (name: string, index: number) => settings.find((s) => s.name === name && s.index === index)?.value;
  assert.is(get("syringe", 0), SYRINGE_NAMES.indexOf("BD 10 mL"));
  assert.is(get("syringe", 1), 0);
  assert.is(get("innerDiameterUm", 1), 50000);
  assert.is(get("capacityUl", 1), 500000);
  assert.is(get("maxRateUlPerH", 1), 5000000);
  assert.is(get("samplePeriodMs", 0), 1000);
});

test("the schema's syringe names are the firmware library's", () => {
  const defs = generateRecipeSchema().definitions as Record<string, { enum?: string[] }>;
  assert.equal(defs.SyringeName.enum, SYRINGE_NAMES.slice(1));
});

test("paper-sweeps (npm start) is both sweeps in one run: 11 steps, both flows swept", () => {
  const { segments, steps } = expandRecipe(load("paper-sweeps"));
  assert.is(segments.length, 11);
  assert.equal(steps.slice(0, 5).map((s) => s.antisolventMlPerH), [1000, 2000, 3000, 4000, 5000]);
  assert.ok(steps.slice(0, 5).every((s) => s.precursorMlPerH === 60));
  assert.equal(steps.slice(5).map((s) => s.precursorMlPerH), [10, 20, 30, 40, 50, 60]);
  assert.ok(steps.slice(5).every((s) => s.antisolventMlPerH === 5000));
});

test.run();
