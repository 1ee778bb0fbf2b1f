import { test } from "uvu";
import * as assert from "uvu/assert";
import { PinBus } from "../../../host/sim/pins.ts";
import { Scheduler } from "../../../host/sim/scheduler.ts";
import { createRig, type RigOptions } from "../../../host/sim/rig/rig.ts";
import { periodUsFor, stepTrain } from "./pulses.ts";

function build(seed = 1, overrides: Partial<RigOptions> = {}) {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  for (const en of ["B5", "C5"]) pins.writeOutput(en, 0);
  for (const dir of ["B4", "C4"]) pins.writeOutput(dir, 1);
  const rig = createRig({
    clock, pins, seed,
    pumps: [
      { name: "precursor", driver: "A4988", pins: { step: "B3", dir: "B4", enable: "!B5", minEndstop: "A0", maxEndstop: "A1" },
        mechanics: { innerDiameterUm: 14430, leadUm: 2000, travelUm: 60000, startPositionUm: 60000 } }, // 10 mL, 102 nL/µstep
      { name: "toluene", driver: "TMC2209", pins: { step: "C3", dir: "C4", enable: "!C5", minEndstop: "A2", maxEndstop: "A3", diag: "A6" },
        mechanics: { innerDiameterUm: 26590, leadUm: 8000, travelUm: 100000, startPositionUm: 100000 } }, // 60 mL, 1388 nL/µstep
    ],
    sensor: { photodiodePin: "A4", ledPin: "B6" },
    fluidics: { tubeLengthMm: 1000 },
    ...overrides,
  });
  return { clock, pins, rig };
}

function runFlows(b: ReturnType<typeof build>, precursorMlPerH: number, antisolventMlPerH: number, startUs: number, stopUs: number): void {
  const [p, t] = b.rig.pumps;
  stepTrain(b.clock, b.pins, "B3", { startUs, stopUs, periodUs: periodUsFor(precursorMlPerH, p.nlPerMicrostep), highUs: 2 });
  stepTrain(b.clock, b.pins, "C3", { startUs, stopUs, periodUs: periodUsFor(antisolventMlPerH, t.nlPerMicrostep), highUs: 2 });
}

test("the fluidics see what the firmware stepped", () => {
  const b = build();
  runFlows(b, 60, 5000, 0, 10e6);
  b.clock.runUntil(8e6);
  const s = b.rig.snapshot();
  assert.ok(Math.abs(s.pumps[0].flowUlPerH / 60e3 - 1) < 0.01, `precursor ${s.pumps[0].flowUlPerH}`);
  assert.ok(Math.abs(s.pumps[1].flowUlPerH / 5000e3 - 1) < 0.01, `toluene ${s.pumps[1].flowUlPerH}`);
  assert.ok(Math.abs(s.junctionUlPerH.antisolvent / 5000e3 - 1) < 0.02);
  assert.ok(Math.abs(s.junctionUlPerH.precursor / 60e3 - 1) < 0.05);
  assert.ok(Math.abs(s.reynolds - 1659) < 15, `Re ${s.reynolds}`);
  assert.ok(Math.abs(s.residenceTimeUs / 1.408e6 - 1) < 0.02);
  const pumped = b.rig.fluidics.pumpedNl(b.clock.nowUs());
  const delivered = b.rig.pumps[0].deliveredNl + b.rig.pumps[1].deliveredNl;
  const complianceQueueNl = 0.2 * (5060e3 / 3600) * 1e3; // τc × flow
  assert.ok(pumped <= delivered && pumped > delivered - 1.2 * complianceQueueNl, `junction ${pumped} nL lags syringes ${delivered} nL by the compliance only`);
  assert.is(s.pumps[0].violations + s.pumps[1].violations, 0);
});

test("start-up and a flow step reach the photodiode only after the transport delay", () => {
  const b = build();
  b.pins.writeOutput("B6", 1); // LED on
  runFlows(b, 60, 5000, 0, 20e6);
  b.clock.runUntil(0.6e6);
  assert.is(b.rig.plAt(b.clock.nowUs()), 0, "tube still full of toluene");
  assert.is(b.rig.photodiode.readingAt(b.clock.nowUs()).plV, 0);
  b.clock.runUntil(19.9e6);
  const steady = b.rig.plAt(b.clock.nowUs());
  assert.ok(Math.abs(steady - 1) < 0.02, `steady PL at the optimum ${steady}`);
  assert.ok(Math.abs(b.rig.photodiode.readingAt(b.clock.nowUs()).plV - 1.4) < 0.03);
  b.clock.runUntil(20e6);
  const pumpedAtChangeNl = b.rig.fluidics.pumpedNl(20e6);
  runFlows(b, 60, 1000, 20e6, 70e6);
  const target = b.rig.reactor.steadyPl(60, 1000);
  let firstChangeUs = NaN;
  for (let t = 20e6; t <= 70e6; t += 50e3) {
    b.clock.runUntil(t);
    const pl = b.rig.plAt(t);
    if (Number.isNaN(firstChangeUs) && Math.abs(pl - steady) > 0.005) {
      firstChangeUs = t;
      const displacedNl = b.rig.fluidics.pumpedNl(t) - pumpedAtChangeNl;
      assert.ok(displacedNl > b.rig.fluidics.tubeVolumeNl / 2 - 60e3, `changed after only ${displacedNl} nL`);
    }
  }
  // 1060 mL/h: τ = 6.7 s, laminar first arrival at τ/2 = 3.4 s; the 0.2 s compliance still releases ~0.28 mL
  // made at the old flows after the change, so liquid of the new composition arrives ~0.5 s sooner.
  assert.ok(firstChangeUs > 22.5e6 && firstChangeUs < 24e6, `first change at ${firstChangeUs} µs`);
  assert.ok(Math.abs(b.rig.plAt(70e6) / target - 1) < 0.02, `PL ${b.rig.plAt(70e6)} vs ${target}`);
});

test("same seed, same sensor readings; another seed differs", () => {
  const readings = (seed: number) => {
    const b = build(seed);
    runFlows(b, 60, 5000, 0, 5e6);
    const out: number[] = [];
    for (let i = 0; i < 100; i++) {
      b.pins.writeOutput("B6", (i % 2) as 0 | 1);
      b.clock.runUntil(3e6 + i * 500);
      out.push(b.pins.analogValue("A4"));
    }
    return out;
  };
  assert.equal(readings(5), readings(5));
  assert.not.equal(readings(5), readings(6));
});

test("createRig checks its wiring", () => {
  const other = new PinBus(new Scheduler());
  assert.throws(() => build(1, { pins: other }), /same Scheduler/);
  assert.throws(() => build(1, { pumps: [] }), /at least one pump/);
});

test.run();
