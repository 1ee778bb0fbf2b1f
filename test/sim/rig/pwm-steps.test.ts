// Hardware PWM on a STEP pin produces real step edges in virtual time (boards without Stepper).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEspruino } from "../../../host/sim/espruino/index.ts";
import { PinBus } from "../../../host/sim/pins.ts";
import { attachPwmSteps } from "../../../host/sim/rig/pwm-steps.ts";
import { Scheduler } from "../../../host/sim/scheduler.ts";
import { SyringePump, type PumpPins } from "../../../host/sim/rig/syringe-pump.ts";

const PINS: PumpPins = { step: "B3", dir: "B4", enable: "!B5", minEndstop: "A0", maxEndstop: "A1" };

function setup(driver: "A4988" | "TMC2209" = "A4988") {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  pins.writeOutput("B5", 0); // enabled (active low)
  pins.writeOutput("B4", 1); // infuse
  const pump = new SyringePump({ bus: pins, pins: PINS, driver });
  const moved = () => pump.startMicrosteps - pump.positionMicrosteps;
  return { clock, pins, pump, moved };
}

test("a PWM train gives freq × duration steps, starting with a rising edge at the call; duty 0 stops it", () => {
  const { clock, pins, pump, moved } = setup();
  clock.runUntil(1000);
  pins.writePwm("B3", 0.5, 1000);
  assert.is(pins.level("B3"), 1, "rising edge at the call");
  assert.is(moved(), 1);
  clock.runUntil(1000 + 2e6 + 600); // (stopping in a high phase would cut that pulse short, as on silicon)
  assert.is(moved(), 2001, "rising edges at 1 ms, 2 ms, … 2001 ms");
  pins.writePwm("B3", 0, 1e6 / 65536); // analogWrite(pin, 0): default frequency, duty 0
  assert.is(pins.level("B3"), 0);
  const atStop = moved();
  clock.runFor(1e6);
  assert.is(moved(), atStop, "no steps after duty 0");
  assert.is(clock.pendingCount(), 0, "edges cancelled");
  const log = pump.stepLog();
  assert.is(log.timeUs[0], 1000);
  assert.is(log.timeUs[1], 2000);
  assert.is(pump.violations.total, 0);
});

test("a train at 2718.3 Hz for 20 s gives freq × time steps (±1)", () => {
  const { clock, pins, pump } = setup();
  pins.writePwm("B3", 0.5, 2718.3);
  clock.runUntil(20e6 + 250); // in a low phase
  pins.writePwm("B3", 0, 1281.7);
  const steps = pump.stepLog().count; // the plunger hits the empty end at 40000: count edges
  assert.ok(Math.abs(steps - 2718.3 * 20) <= 1, `steps ${steps} vs ${2718.3 * 20}`);
  assert.is(pump.violations.total, 0);
});

test("changing frequency mid-train restarts the counter: the new period starts at the call", () => {
  const { clock, pins, pump, moved } = setup();
  pins.writePwm("B3", 0.5, 1000); // rises at 0, 1000, … (high 500 µs)
  clock.runUntil(10_700); // low phase of the 11th period (10 steps at 0…10000 given)
  assert.is(moved(), 11);
  pins.writePwm("B3", 0.5, 250); // restart while low: rising edge now, then every 4 ms
  assert.is(moved(), 12);
  clock.runUntil(10_700 + 1e6 - 1);
  assert.is(moved(), 12 + 249);
  // restart while high: the running pulse merges with the new period's first (no extra edge)
  const t = clock.nowUs() + 1000; // 1 ms into a 2 ms high phase
  clock.runUntil(t);
  assert.is(pins.level("B3"), 1);
  const before = moved();
  pins.writePwm("B3", 0.5, 2000);
  assert.is(moved(), before, "no edge while the pin is already high");
  clock.runUntil(t + 1e6 - 1);
  assert.is(moved(), before + 1999);
  const log = pump.stepLog();
  const last = log.timeUs[log.count - 1];
  assert.ok(Math.abs(last - (t + 1999 * 500)) < 1e-6, `edges on the new counter: ${last}`);
  assert.is(pump.violations.total, 0);
});

test("the same frequency again keeps the counter's phase; the new duty applies from the next period", () => {
  const { clock, pins, pump } = setup();
  pins.writePwm("B3", 0.5, 1000);
  clock.runUntil(1200); // high since 1000
  pins.writePwm("B3", 0.25, 1000);
  clock.runUntil(1600);
  assert.is(pins.level("B3"), 0, "the running pulse kept its 500 µs width");
  clock.runUntil(2100);
  assert.is(pins.level("B3"), 1, "next period on the same phase");
  clock.runUntil(2260);
  assert.is(pins.level("B3"), 0, "now 250 µs high");
  assert.equal(Array.from(pump.stepLog().timeUs), [0, 1000, 2000]);
  // duty 0 at the same frequency: the running pulse completes, then nothing
  clock.runUntil(3100);
  pins.writePwm("B3", 0, 1000);
  assert.is(pins.level("B3"), 1);
  clock.runUntil(10_000);
  assert.is(pump.stepLog().count, 4);
  assert.is(pins.level("B3"), 0);
  assert.is(clock.pendingCount(), 0);
});

test("the pump's audit sees the PWM pulse widths: too short a pulse is a violation", () => {
  const { clock, pins, pump } = setup("A4988"); // needs 1 µs high and low
  pins.writePwm("B3", 0.5, 1000);
  clock.runUntil(100_000);
  assert.ok(Math.abs(pump.shortestStepHighNs - 500_000) < 1e-3, `high ${pump.shortestStepHighNs} ns`);
  assert.ok(Math.abs(pump.shortestStepLowNs - 500_000) < 1e-3, `low ${pump.shortestStepLowNs} ns`);
  assert.is(pump.violations.total, 0);
  // 400 kHz at 20 % duty: 0.5 µs high pulses, too short for an A4988
  pins.writePwm("B3", 0.2, 400_000);
  clock.runFor(101); // stop in a low phase (1 µs into the 41st period)
  pins.writePwm("B3", 0, 1000);
  assert.ok(Math.abs(pump.shortestStepHighNs - 500) < 1e-3, `high ${pump.shortestStepHighNs} ns`);
  assert.ok(pump.violations.stepHigh >= 39, `violations ${pump.violations.stepHigh}`);
});

test("PWM steps drive endstops like digital ones: the plunger stops at the empty end", () => {
  const { clock, pins, pump } = setup();
  pins.writePwm("B3", 0.5, 20_000);
  clock.runFor((pump.startMicrosteps + 100) * 50 + 10);
  pins.writePwm("B3", 0, 1000);
  assert.is(pump.positionMicrosteps, 0);
  assert.is(pins.level("A0"), 1, "min endstop closed");
  assert.ok(pump.stalledSteps >= 99 && pump.stalledSteps <= 101, `stalled ${pump.stalledSteps}`);
});

test("a digitalWrite on the pin takes it off the timer; attaching is idempotent", () => {
  const { clock, pins, pump } = setup();
  assert.is(attachPwmSteps(pins, "B3"), attachPwmSteps(pins, "B3"));
  const emu = createEspruino({
    clock, pins, seed: 1, variables: 2000, storageDir: mkdtempSync(join(tmpdir(), "flowrig-pwm-")), storageBytes: 4096, linkPort: "USB",
    timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: false, callbackLatencyUs: { typical: 100, max: 100 }, adcBits: 12 },
  });
  emu.load("");
  emu.evaluate(`analogWrite("B3", 0.5, { freq: 1000 })`);
  clock.runFor(10_250); // 11 rising edges so far (0 … 10 ms); high until 10.5 ms
  assert.is(pump.stepLog().count, 11);
  emu.evaluate(`digitalWrite("B3", 1)`); // already high: stays high, no new edge, and the train stops
  clock.runFor(1e6);
  assert.is(pump.stepLog().count, 11);
  assert.is(pins.level("B3"), 1);
  emu.evaluate(`digitalWrite("B3", 0)`);
  assert.is(pins.level("B3"), 0);
  assert.is(emu.evaluate(`getPinMode("B3")`), "output");
  assert.is(pump.violations.total, 0);
});

test.run();
