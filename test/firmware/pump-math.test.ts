// Pump arithmetic against rig.md's step-rate table, and the accumulator's exactness over long runs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { scalePpm, StepAccumulator, stepVolumePl } from "../../firmware/pump-math.ts";
import { seededRandom } from "../../host/sim/random.ts";
import { SYRINGE_CAPACITIES_UL, SYRINGE_DIAMETERS_UM, SYRINGE_NAMES } from "../../host/domain/syringes.ts";

const ten = SYRINGE_DIAMETERS_UM[SYRINGE_NAMES.indexOf("BD 10 mL")];
const sixty = SYRINGE_DIAMETERS_UM[SYRINGE_NAMES.indexOf("BD 60 mL")];
// rig.md: NEMA17, 200 steps/rev, 1/16 microstepping; nL per µstep and µsteps/s at 10, 60, 1000, 5000 mL/h.
const TABLE: [number, number, number, number[]][] = [
  [ten, 8000, 409, [6.8, 40.8, 679, 3397]],
  [ten, 2000, 102, [27.2, 163, 2718, 13588]],
  [ten, 800, 41, [67.9, 408, 6794, 33971]],
  [sixty, 8000, 1388, [2.0, 12.0, 200, 1000]],
  [sixty, 2000, 347, [8.0, 48, 800, 4002]],
  [sixty, 800, 139, [20.0, 120, 2001, 10005]],
];
const FLOWS_ML_PER_H = [10, 60, 1000, 5000];

test("the library tables line up", () => {
  assert.is(SYRINGE_DIAMETERS_UM.length, SYRINGE_NAMES.length);
  assert.is(SYRINGE_CAPACITIES_UL.length, SYRINGE_NAMES.length);
});

test("volume per microstep matches rig.md", () => {
  for (const [d, lead, nl] of TABLE) assert.is(Math.round(stepVolumePl(d, lead, 200, 16) / 1000), nl, `D ${d} lead ${lead}`);
});

test("steps per second match rig.md's table", () => {
  for (const [d, lead, , rates] of TABLE) {
    const acc = new StepAccumulator();
    FLOWS_ML_PER_H.forEach((flow, i) => {
      acc.setRate(flow * 1000, stepVolumePl(d, lead, 200, 16));
      const expected = rates[i];
      const got = acc.stepsPerSecond();
      assert.ok(Math.abs(got - expected) / expected < 0.006, `D ${d} lead ${lead} ${flow} mL/h: ${got} vs ${expected}`);
    });
  }
});

test("over a virtual hour of uneven ticks the step count is exactly rate × time, in every cell", () => {
  for (const [d, lead] of TABLE) {
    const pl = stepVolumePl(d, lead, 200, 16);
    for (const flow of FLOWS_ML_PER_H) {
      const rate = flow * 1000;
      const acc = new StepAccumulator();
      acc.setRate(rate, pl);
      let steps = 0;
      let ms = 0;
      let tick = 0;
      while (ms < 3600000) {
        const dt = Math.min(3600000 - ms, 7 + (tick++ * 37) % 78); // 7..84 ms, like jittery callbacks
        steps += acc.advance(dt);
        ms += dt;
        // Never ahead, never more than one step behind the ideal at any tick.
        const ideal = (rate * 1e6 * ms) / 3.6e6 / pl;
        assert.ok(steps <= ideal + 1e-9 && ideal - steps < 1, `${flow} mL/h at ${ms} ms: ${steps} vs ${ideal}`);
      }
      const ideal = Math.floor((rate * 1e6 * 3600000) / 3.6e6 / pl);
      assert.is(steps, ideal);
    }
  }
});

test("withdrawing counts negative steps; a rate change keeps the carried fraction", () => {
  const acc = new StepAccumulator();
  const pl = stepVolumePl(ten, 2000, 200, 16);
  acc.setRate(-60000, pl);
  let steps = 0;
  for (let i = 0; i < 1000; i++) steps += acc.advance(10);
  assert.is(steps, -Math.floor((60000 * 1e6 * 10000) / 3.6e6 / pl));
  acc.setRate(-120000, pl);
  const before = acc.numerator;
  assert.ok(before > 0, "fraction carried over");
});

test("values stay within 32 bits at the largest rate and tick", () => {
  const acc = new StepAccumulator();
  acc.setRate(20000000, 100);
  for (let i = 0; i < 1000; i++) {
    acc.advance(85);
    assert.ok(acc.numerator < 2 ** 31 && acc.fractionPerMs * 85 < 2 ** 31);
  }
});

test("scalePpm: the calibrated step volume equals exact rational rounding, with every product inside 32 bits", () => {
  const exact = (v: number, ppm: number) => Number((BigInt(v) * BigInt(ppm) * 2n + 1000000n) / 2000000n); // round half up
  const random = seededRandom(13);
  const cases: [number, number][] = [[0, 1000000], [102_000, 1000000], [102_000, 1_040_400], [347_203, 962_000], [2147483647, 1100000],
    [2147483647, 900000], [1, 1_131_071], [999_999, 868_929], [1_500_000, 1_000_001], [499_999, 1_000_001]];
  for (let i = 0; i < 20000; i++) cases.push([Math.floor(random() * 2147483648), 868_929 + Math.floor(random() * 262_143)]);
  for (const [v, ppm] of cases) {
    assert.is(scalePpm(v, ppm), exact(v, ppm), `${v} × ${ppm} ppm`);
    // The products the function forms: a·d, b1·d, r·1000 + b0·d (d ≤ 131 071 in magnitude).
    const d = ppm - 1000000;
    for (const p of [Math.floor(v / 1e6) * d, 999 * d, 999000 + 999 * Math.abs(d)]) assert.ok(Math.abs(p) < 2 ** 31, `${p} fits 32 bits`);
  }
});

test.run();
