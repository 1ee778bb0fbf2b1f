import { test } from "uvu";
import * as assert from "uvu/assert";
import { Fluidics, type FluidicsOptions } from "../../../host/sim/rig/fluidics.ts";

const NL_PRECURSOR = 347; // 60 mL syringe, T8 lead 2 mm
const NL_TOLUENE = 1388; // 60 mL syringe, T8 lead 8 mm

/** Feed constant flows as discrete steps from startUs to stopUs, querying `probe` every 10 ms. */
function run(f: Fluidics, o: { precursorMlPerH: number; antisolventMlPerH: number; startUs: number; stopUs: number }, probe?: (tUs: number) => void): void {
  const events: [number, "precursor" | "antisolvent", number][] = [];
  const add = (mlPerH: number, nl: number, stream: "precursor" | "antisolvent") => {
    if (mlPerH <= 0) return;
    const periodUs = 3.6e9 / (mlPerH * 1e6 / nl);
    for (let t = o.startUs; t < o.stopUs; t += periodUs) events.push([t, stream, nl]);
  };
  add(o.precursorMlPerH, NL_PRECURSOR, "precursor");
  add(o.antisolventMlPerH, NL_TOLUENE, "antisolvent");
  events.sort((a, b) => a[0] - b[0]);
  let next = o.startUs;
  for (const [t, stream, nl] of events) {
    while (probe !== undefined && next <= t) { probe(next); next += 10e3; }
    f.addStep(stream, t, nl);
  }
}

const tube = (o: FluidicsOptions = {}) => new Fluidics({ tubeLengthMm: 1000, ...o });

test("tube volume 1.98 mL per metre of 1/16\" ID", () => {
  assert.ok(Math.abs(tube().tubeVolumeNl - 1.979e6) < 1e3);
});

test("plug model: nothing arrives before the tube volume is displaced, then the mixed composition", () => {
  const f = tube({ dispersion: "plug" });
  let arrivalUs = NaN;
  run(f, { precursorMlPerH: 60, antisolventMlPerH: 5000, startUs: 0, stopUs: 4e6 }, (t) => {
    const cell = f.atCell(t);
    if (Number.isNaN(arrivalUs) && cell.fillFraction < 1) arrivalUs = t;
    if (cell.fillFraction === 1) assert.ok(f.pumpedNl(t) < f.tubeVolumeNl + 30e3, `fill still there at ${t} µs`);
    else assert.ok(f.pumpedNl(t) > f.tubeVolumeNl - 30e3, `arrived too early at ${t} µs`);
  });
  // τ = 1.408 s, plus the 0.2 s compliance lag of the pumps' first strokes
  assert.ok(arrivalUs > 1.4e6 && arrivalUs < 1.7e6, `arrival at ${arrivalUs} µs`);
  const cell = f.atCell(4e6);
  assert.is(cell.fillFraction, 0);
  assert.ok(Math.abs(cell.precursorFraction - 60 / 5060) < 2e-4, `${cell.precursorFraction}`);
  assert.ok(Math.abs(cell.antisolventUlPerH / 5e6 - 1) < 0.01);
});

test("laminar model: first arrival at half the tube volume (τ/2), 1 − (V_tube/2V)² of the cell's liquid new", () => {
  const f = tube();
  let checked = 0;
  run(f, { precursorMlPerH: 60, antisolventMlPerH: 5000, startUs: 0, stopUs: 6e6 }, (t) => {
    const pumped = f.pumpedNl(t);
    const cell = f.atCell(t);
    if (pumped < f.tubeVolumeNl / 2 - 30e3) assert.is(cell.fillFraction, 1, `nothing before τ/2 (t ${t})`);
    if (pumped > f.tubeVolumeNl) {
      const expectedNew = (1 - (f.tubeVolumeNl / (2 * Math.min(pumped, 5 * f.tubeVolumeNl))) ** 2) / (1 - 1 / 100);
      assert.ok(Math.abs(1 - cell.fillFraction - expectedNew) < 0.01, `t ${t}: new ${1 - cell.fillFraction} vs ${expectedNew}`);
      checked++;
    }
  });
  assert.ok(checked > 300);
});

test("steady flow: residence time, Reynolds number, age of the cell's liquid", () => {
  const f = tube();
  run(f, { precursorMlPerH: 60, antisolventMlPerH: 5000, startUs: 0, stopUs: 20e6 });
  const t = 20e6 - 1;
  assert.ok(Math.abs(f.residenceTimeUs(t) / 1.408e6 - 1) < 0.01, `τ ${f.residenceTimeUs(t)}`);
  assert.ok(Math.abs(f.reynoldsAt(t) - 1659) < 10, `Re ${f.reynoldsAt(t)}`);
  // mean of the laminar distribution truncated at 5 tube volumes: (1 − 0.1) / (1 − 0.01) τ = 0.909 τ
  const age = f.atCell(t).ageUs;
  assert.ok(Math.abs(age / (0.909 * 1.408e6) - 1) < 0.03, `age ${age}`);
});

test("a step change in flow reaches the cell only after the transport delay", () => {
  const f = tube();
  run(f, { precursorMlPerH: 60, antisolventMlPerH: 5000, startUs: 0, stopUs: 20e6 });
  const before = f.atCell(20e6).precursorFraction;
  const pumpedAtChange = f.pumpedNl(20e6);
  let unchanged = 0;
  run(f, { precursorMlPerH: 60, antisolventMlPerH: 1000, startUs: 20e6, stopUs: 70e6 }, (t) => {
    const cell = f.atCell(t);
    if (f.pumpedNl(t) - pumpedAtChange < f.tubeVolumeNl / 2 - 60e3) {
      assert.ok(Math.abs(cell.precursorFraction - before) < 2e-3 * before, `unchanged at ${t} µs`);
      unchanged++;
    }
  });
  assert.ok(unchanged > 200, `${unchanged} probes inside the delay`);
  assert.ok(Math.abs(f.atCell(70e6).precursorFraction - 60 / 1060) < 1e-3);
  assert.throws(() => f.atCell(1e6), /time went backwards/);
});

test("stopped pumps: the cell keeps its liquid; withdrawal never flows back through the Y", () => {
  const f = tube();
  run(f, { precursorMlPerH: 60, antisolventMlPerH: 5000, startUs: 0, stopUs: 10e6 });
  const at = f.atCell(20e6).precursorFraction;
  f.addStep("precursor", 3600e6, -NL_PRECURSOR);
  assert.is(f.atCell(3600e6 + 1).precursorFraction, at);
  assert.is(f.residenceTimeUs(3600e6 + 1), Infinity);
});

test.run();
