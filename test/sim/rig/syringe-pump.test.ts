import { test } from "uvu";
import * as assert from "uvu/assert";
import { PinBus } from "../../../host/sim/pins.ts";
import { Scheduler } from "../../../host/sim/scheduler.ts";
import { SyringePump, type PumpMechanics, type PumpPins } from "../../../host/sim/rig/syringe-pump.ts";
import { stepTrain } from "./pulses.ts";

const PINS: PumpPins = { step: "B3", dir: "B4", enable: "!B5", minEndstop: "A0", maxEndstop: "A1", diag: "A2" };

function setup(driver: "A4988" | "DRV8825" | "TMC2209" = "A4988", mechanics: Partial<PumpMechanics> = {}) {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  pins.writeOutput("B5", 0); // enabled (active low)
  pins.writeOutput("B4", 1); // infuse
  const pump = new SyringePump({ bus: pins, pins: PINS, driver, mechanics });
  return { clock, pins, pump };
}

test("volume per microstep matches rig.md's table", () => {
  const cases: [number, number, number][] = [[14.43, 8000, 409], [14.43, 2000, 102], [14.43, 800, 41], [26.59, 8000, 1388], [26.59, 2000, 347], [26.59, 800, 139]];
  for (const [idMm, leadUm, nl] of cases) {
    const { pump } = setup("A4988", { innerDiameterUm: idMm * 1000, leadUm });
    assert.ok(Math.abs(pump.nlPerMicrostep - nl) < 0.6, `${idMm} mm / ${leadUm} µm: ${pump.nlPerMicrostep} nL`);
  }
});

test("N pulses at 1 kHz deliver N × volume per microstep; flow estimate matches", () => {
  const { clock, pins, pump } = setup("A4988", { startPositionUm: 100000 });
  // wake: first step > 1 ms after the driver saw ENABLE (enabled before construction → no wake window)
  stepTrain(clock, pins, "B3", { startUs: 1000, periodUs: 1000, highUs: 2, count: 2000 });
  clock.runUntil(1.5e6);
  const mid = pump.flowUlPerHAt(clock.nowUs());
  clock.runUntil(3e6);
  assert.is(pump.stepLog().count, 2000);
  assert.is(pump.positionMicrosteps, pump.startMicrosteps - 2000);
  assert.ok(Math.abs(pump.deliveredNl - 2000 * pump.nlPerMicrostep) < 1e-6);
  assert.ok(Math.abs(pump.volumeNl + pump.deliveredNl - pump.startMicrosteps * pump.nlPerMicrostep) < 1e-6);
  const expectedUlPerH = 1000 * pump.nlPerMicrostep * 3.6; // steps/s × nL → µL/h
  assert.ok(Math.abs(mid / expectedUlPerH - 1) < 1e-3, `flow ${mid} vs ${expectedUlPerH}`);
  assert.ok(Math.abs(expectedUlPerH / 1000 - 4998) < 5, "≈ 5000 mL/h at 1000 µsteps/s (rig.md)");
  assert.is(pump.flowUlPerHAt(clock.nowUs()), 0, "stopped pump reports zero flow");
  assert.is(pump.violations.total, 0);
  assert.ok(Math.abs(pump.shortestStepHighNs - 2000) < 1e-6);
});

test("DIR low withdraws; log records direction", () => {
  const { clock, pins, pump } = setup("A4988", { startPositionUm: 50000 });
  const start = pump.positionMicrosteps;
  stepTrain(clock, pins, "B3", { startUs: 0, periodUs: 100, highUs: 5, count: 10 });
  clock.at(2000, () => pins.writeOutput("B4", 0));
  stepTrain(clock, pins, "B3", { startUs: 3000, periodUs: 100, highUs: 5, count: 4 });
  clock.runUntil(10000);
  assert.is(pump.positionMicrosteps, start - 10 + 4);
  const log = pump.stepLog();
  assert.equal([...log.direction], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1]);
  assert.is(log.timeUs[10], 3000);
  assert.ok(pump.flowUlPerHAt(3350) < 0, "withdrawing flow is negative");
});

test("disabled driver ignores steps; steps inside the wake time are violations", () => {
  const { clock, pins, pump } = setup("A4988", { startPositionUm: 50000 });
  const start = pump.positionMicrosteps;
  pins.writeOutput("B5", 1); // disable
  stepTrain(clock, pins, "B3", { startUs: 0, periodUs: 100, highUs: 5, count: 5 });
  clock.runUntil(1000);
  assert.is(pump.positionMicrosteps, start);
  assert.is(pump.ignoredSteps, 5);
  clock.at(2000, () => pins.writeOutput("B5", 0));
  stepTrain(clock, pins, "B3", { startUs: 2500, periodUs: 200, highUs: 5, count: 5 }); // 2500…3300: < 1 ms after enable
  stepTrain(clock, pins, "B3", { startUs: 4000, periodUs: 200, highUs: 5, count: 2 });
  clock.runUntil(6000);
  assert.is(pump.positionMicrosteps, start - 7, "steps still move (violations are counted, not enforced)");
  assert.is(pump.violations.wake, 3);
});

test("too-short STEP high/low pulses are violations on A4988, fine on TMC2209", () => {
  for (const [driver, expectHigh] of [["A4988", 3], ["DRV8825", 3], ["TMC2209", 0]] as const) {
    const { clock, pins, pump } = setup(driver, { startPositionUm: 50000 });
    stepTrain(clock, pins, "B3", { startUs: 10000, periodUs: 100, highUs: 0.5, count: 3 });
    clock.runUntil(20000);
    assert.is(pump.violations.stepHigh, expectHigh, driver);
    assert.ok(Math.abs(pump.shortestStepHighNs - 500) < 1e-6);
  }
  const { clock, pins, pump } = setup("A4988", { startPositionUm: 50000 });
  stepTrain(clock, pins, "B3", { startUs: 10000, periodUs: 1.5, highUs: 1, count: 4 }); // low 0.5 µs
  clock.runUntil(20000);
  assert.is(pump.violations.stepLow, 3);
  assert.ok(Math.abs(pump.shortestStepLowNs - 500) < 1e-6);
});

test("DIR set-up time before a STEP edge", () => {
  const { clock, pins, pump } = setup("A4988", { startPositionUm: 50000 });
  clock.at(10000, () => pins.writeOutput("B4", 0));
  clock.at(10000.1, () => pins.writeOutput("B3", 1)); // 100 ns after DIR: too short for A4988 (200 ns)
  clock.at(10005, () => pins.writeOutput("B3", 0));
  clock.at(20000, () => pins.writeOutput("B4", 1));
  clock.at(20001, () => pins.writeOutput("B3", 1)); // 1 µs: fine
  clock.at(20005, () => pins.writeOutput("B3", 0));
  clock.runUntil(30000);
  assert.is(pump.violations.dirSetup, 1);
  assert.ok(Math.abs(pump.shortestDirSetupNs - 100) < 1e-3);
});

test("inverted STEP pin: the falling edge is the active one", () => {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  pins.writeOutput("B4", 1);
  const pump = new SyringePump({ bus: pins, pins: { ...PINS, step: "!B3", enable: undefined }, mechanics: { startPositionUm: 50000 } });
  const start = pump.positionMicrosteps;
  stepTrain(clock, pins, "B3", { startUs: 0, periodUs: 100, highUs: 5, count: 3, activeLow: true });
  clock.runUntil(1000);
  assert.is(pump.positionMicrosteps, start - 3);
  assert.equal([...pump.stepLog().timeUs], [0, 100, 200]);
});

test("endstop asserts at the end of travel, further steps stall, DIAG flags the stall (TMC2209)", () => {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  pins.writeOutput("B5", 0);
  pins.writeOutput("B4", 1);
  const m = { stepsPerRev: 200, microsteps: 16, leadUm: 8000, innerDiameterUm: 26590, travelUm: 100000 };
  const pump = new SyringePump({ bus: pins, driver: "TMC2209", mechanics: { ...m, startPositionUm: 25 }, // 10 µsteps from empty
    pins: { ...PINS, minEndstop: "!A0" } });
  assert.is(pump.positionMicrosteps, 10);
  assert.is(pins.level("A0"), 1, "active-low endstop idle high");
  assert.is(pins.level("A1"), 0);
  stepTrain(clock, pins, "B3", { startUs: 0, periodUs: 100, highUs: 5, count: 15 });
  clock.runUntil(850);
  assert.is(pins.level("A0"), 1, "not yet at the end after 9 steps");
  clock.runUntil(5000);
  assert.is(pump.positionMicrosteps, 0);
  assert.is(pins.level("A0"), 0, "endstop active (low)");
  assert.is(pump.stalledSteps, 5);
  assert.is(pins.level("A2"), 1, "DIAG stall");
  assert.is(pump.volumeNl, 0);
  pins.writeOutput("B4", 0);
  stepTrain(clock, pins, "B3", { startUs: 6000, periodUs: 100, highUs: 5, count: 1 });
  clock.runUntil(7000);
  assert.is(pins.level("A0"), 1, "released");
  assert.is(pins.level("A2"), 0, "DIAG cleared when the plunger moves");
  const full = new SyringePump({ bus: pins, driver: "A4988", mechanics: { ...m, startPositionUm: 100000 },
    pins: { step: "C1", dir: "C2", minEndstop: "C3", maxEndstop: "C4", diag: "C5" } });
  assert.is(pins.level("C4"), 1, "full syringe: max endstop active at start");
  stepTrain(clock, pins, "C1", { startUs: 8000, periodUs: 100, highUs: 5, count: 3 }); // DIR C2 low = withdraw
  clock.runUntil(9000);
  assert.is(full.stalledSteps, 3);
  assert.is(pins.level("C5"), 0, "A4988 has no DIAG");
});

test("bad mechanics are rejected with the field named", () => {
  const pins = new PinBus(new Scheduler());
  assert.throws(() => new SyringePump({ bus: pins, pins: PINS, mechanics: { leadUm: 0 } }), /mechanics\.leadUm must be > 0/);
});

test.run();
