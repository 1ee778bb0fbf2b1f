// The firmware moving liquid on the virtual rig, through the protocol: flow, moves, faults, host loss, refusals.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CAUSE_HOST_ESTOP, CAUSE_HOST_LINK, CAUSE_PUMP_B_DIAG, FAULT_STALL, CAUSE_PUMP_A_MIN_ENDSTOP, CAUSE_PUMP_B_TRAVEL, CFG_HOST_LOSS_POLICY,
  CFG_HOST_TIMEOUT_MS, CFG_MAX_RATE_UL_PER_H, CFG_MICROSTEPS, ERR_BAD_ARGUMENT, ERR_WRONG_STATE, FAULT_ENDSTOP, FAULT_ESTOP,
  FAULT_HOST_LOST, FAULT_SYRINGE_EMPTY, STATE_FAULT, STATE_IDLE, STATE_MANUAL,
} from "../../protocol/generated.ts";
import { DeviceError } from "../../protocol/host-link.ts";
import { loadBoard, validateBoard } from "../../boards/load.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";

const FULL_NL = 10_000_000;

async function board() {
  const b = await connectedBoard("espruino-pico");
  const req = b.host.request.bind(b.host) as typeof b.host.request;
  const ask = <T>(p: Promise<T>) => b.ask(p);
  const refused = async (p: Promise<unknown>) => {
    const e = await ask(p.then(() => undefined, (x) => x));
    assert.instance(e, DeviceError, "the board refused");
    return e as DeviceError;
  };
  await ask(req("setVolume", { pump: 0, volumeNl: FULL_NL }));
  await ask(req("setVolume", { pump: 1, volumeNl: FULL_NL }));
  return { ...b, req, refused, enablePin: (i: number) => b.profile.pumps[i].enable };
}

/** The driver's ENABLE is active (the profile's "!" means active low). */
function driverEnabled(b: Awaited<ReturnType<typeof board>>, pump: number): boolean {
  const spec = b.profile.pumps[pump].enable;
  const level = b.pins.level(spec.replace(/^[!^]+/, ""));
  return spec.startsWith("!") ? level === 0 : level === 1;
}

test("manual flow: both pumps deliver rate × time on the rig, then stop; drivers off when idle", async () => {
  const b = await board();
  await b.ask(b.req("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  assert.not.ok(driverEnabled(b, 0), "drivers start disabled");
  await b.ask(b.req("setFlow", { rateA: 60_000, rateB: 1_000_000 }));
  assert.ok(driverEnabled(b, 0) && driverEnabled(b, 1));
  b.clock.runFor(20e6);
  const status = await b.ask(b.req("getStatus", {}));
  assert.is(status.state, STATE_MANUAL);
  assert.equal([status.rateA, status.rateB], [60_000, 1_000_000]);
  await b.ask(b.req("stop", {}));
  b.clock.runFor(1e6);
  const [a, bb] = b.rig.pumps;
  // 20 s at 60 mL/h = 333.3 µL; at 1000 mL/h = 5555.6 µL (± a span of 100 ms around stop and start)
  assert.ok(Math.abs(a.deliveredNl - 333_333) < 60_000 * 0.15 / 3.6, `A delivered ${a.deliveredNl} nL`);
  assert.ok(Math.abs(bb.deliveredNl - 5_555_556) < 1_000_000 * 0.15 / 3.6, `B delivered ${bb.deliveredNl} nL`);
  const pumpA = await b.ask(b.req("getPump", { pump: 0 }));
  assert.ok(Math.abs(pumpA.deliveredNl - a.deliveredNl) < a.nlPerMicrostep, "the board's count is the rig's");
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE);
  assert.not.ok(driverEnabled(b, 0) || driverEnabled(b, 1), "drivers released when idle");
  assert.is(a.violations.total + bb.violations.total, 0, "driver timing respected");
  assert.equal(b.emu.errors, []);
});

test("a span of more steps than the Stepper's int16 count holds is split, never wrapped: a fast jog lands exactly", async () => {
  const b = await board();
  // 256 microsteps: 6.4 nL a microstep, so 5 L/h is ~217 000 steps/s, ~21 700 in a 100 ms span (43 400 positions).
  await b.ask(b.req("configSet", { key: CFG_MICROSTEPS, index: 0, value: 256 }));
  const a = b.rig.pumps[0];
  const before = a.positionMicrosteps;
  const boardBefore = (await b.ask(b.req("getPump", { pump: 0 }))).positionSteps;
  // Half the rig's stroke (its own mechanics count 16 microsteps a step: 97 840 is full travel).
  await b.ask(b.req("jog", { pump: 0, microsteps: 48_000, rateUlPerH: 5_000_000 }));
  b.clock.runFor(2e6);
  assert.is(before - a.positionMicrosteps, 48_000, "the rig moved forward exactly as asked");
  const boardAfter = (await b.ask(b.req("getPump", { pump: 0 }))).positionSteps;
  assert.is(boardBefore - boardAfter, 48_000, "the board's count is the rig's");
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE);
  assert.is(a.violations.total, 0, "driver timing respected");
});

test("prime and withdraw move exactly the volume asked; jog moves microsteps", async () => {
  const b = await board();
  const a = b.rig.pumps[0];
  await b.ask(b.req("move", { pump: 0, volumeNl: 500_000, rateUlPerH: 600_000 }));
  b.clock.runFor(5e6);
  const steps = Math.round(500_000 / a.nlPerMicrostep);
  assert.is(a.startMicrosteps - a.positionMicrosteps, steps);
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE, "a move ends by itself");
  await b.ask(b.req("move", { pump: 0, volumeNl: -200_000, rateUlPerH: 600_000 }));
  b.clock.runFor(3e6);
  assert.is(a.startMicrosteps - a.positionMicrosteps, steps - Math.round(200_000 / a.nlPerMicrostep));
  const before = b.rig.pumps[1].positionMicrosteps;
  await b.ask(b.req("jog", { pump: 1, microsteps: 1600, rateUlPerH: 600_000 }));
  b.clock.runFor(3e6);
  assert.is(before - b.rig.pumps[1].positionMicrosteps, 1600);
});

test("bad values are refused naming the field and the limit, and nothing moves", async () => {
  const b = await board();
  let e = await b.refused(b.req("setFlow", { rateA: 60_000, rateB: 7_000_000 }));
  assert.equal([e.code, e.fieldName, e.limit], [ERR_BAD_ARGUMENT, "rateB", 6_000_000]);
  e = await b.refused(b.req("move", { pump: 2, volumeNl: 1000, rateUlPerH: 1000 }));
  assert.equal([e.fieldName, e.limit], ["pump", 1]);
  e = await b.refused(b.req("move", { pump: 0, volumeNl: 20_000_000, rateUlPerH: 1000 }));
  assert.equal([e.fieldName, e.limit], ["volumeNl", 9_899_845], "more than the syringe holds: the room left (96 856 steps above the reserve) in nL");
  e = await b.refused(b.req("move", { pump: 0, volumeNl: 1000, rateUlPerH: 0 }));
  assert.equal([e.fieldName, e.limit], ["rateUlPerH", 1]);
  e = await b.refused(b.req("setVolume", { pump: 0, volumeNl: 10_000_001 }));
  assert.equal([e.fieldName, e.limit], ["volumeNl", 10_000_000]);
  await b.ask(b.req("setFlow", { rateA: 1000, rateB: 0 }));
  e = await b.refused(b.req("configSet", { key: CFG_MAX_RATE_UL_PER_H, index: 0, value: 100 }));
  assert.is(e.code, ERR_WRONG_STATE, "no reconfiguring while liquid moves");
  await b.ask(b.req("stop", {}));
  b.clock.runFor(1e6);
  assert.is(b.rig.pumps[1].deliveredNl, 0, "pump B never moved");
});

test("an endstop hit while infusing stops both pumps at once and names the input", async () => {
  const b = await board();
  // The board believes the syringe is full; on the rig it holds 0.2 mL, so the plunger meets the end.
  await b.ask(b.req("setVolume", { pump: 0, volumeNl: FULL_NL }));
  const a = b.rig.pumps[0];
  a.positionMicrosteps = Math.round(200_000 / a.nlPerMicrostep);
  await b.ask(b.req("setFlow", { rateA: 600_000, rateB: 600_000 }));
  b.clock.runFor(10e6);
  const s = await b.ask(b.req("getStatus", {}));
  assert.is(s.state, STATE_FAULT);
  assert.is(s.faults & FAULT_ENDSTOP, FAULT_ENDSTOP);
  assert.is(s.cause, CAUSE_PUMP_A_MIN_ENDSTOP);
  assert.ok(a.stalledSteps < 20, `${a.stalledSteps} steps into the end`);
  const bAt = b.rig.pumps[1].positionMicrosteps;
  b.clock.runFor(2e6);
  assert.is(b.rig.pumps[1].positionMicrosteps, bAt, "pump B stopped too");
  assert.not.ok(driverEnabled(b, 0) || driverEnabled(b, 1));
  const e = await b.refused(b.req("setFlow", { rateA: 1000, rateB: 0 }));
  assert.is(e.code, ERR_WRONG_STATE, "nothing starts until the fault is cleared");
  await b.ask(b.req("clearFault", {}));
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE);
});

test("emergency stop: at once, drivers off, from any state; needs clearFault", async () => {
  const b = await board();
  await b.ask(b.req("setFlow", { rateA: 600_000, rateB: 600_000 }));
  b.clock.runFor(1e6);
  await b.ask(b.req("estop", {}));
  const at = b.rig.pumps.map((p) => p.positionMicrosteps);
  b.clock.runFor(2e6);
  assert.equal(b.rig.pumps.map((p) => p.positionMicrosteps), at);
  const s = await b.ask(b.req("getStatus", {}));
  assert.equal([s.state, s.faults & FAULT_ESTOP, s.cause], [STATE_FAULT, FAULT_ESTOP, CAUSE_HOST_ESTOP]);
  assert.not.ok(driverEnabled(b, 0) || driverEnabled(b, 1));
});

test("the travel guard stops before the plunger bottoms out (reserve kept)", async () => {
  const b = await board();
  await b.ask(b.req("setVolume", { pump: 1, volumeNl: 300_000 }));
  await b.ask(b.req("setFlow", { rateA: 0, rateB: 1_000_000 }));
  b.clock.runFor(5e6);
  const s = await b.ask(b.req("getStatus", {}));
  assert.equal([s.state, s.faults & FAULT_SYRINGE_EMPTY, s.cause], [STATE_FAULT, FAULT_SYRINGE_EMPTY, CAUSE_PUMP_B_TRAVEL]);
  const pump = await b.ask(b.req("getPump", { pump: 1 }));
  assert.ok(Math.abs(pump.volumeNl - 100_000) < 200, `stopped with ${pump.volumeNl} nL left (reserve 100 µL)`);
});

test("host lost under the stop policy: pumps stop and the fault names the link", async () => {
  const b = await board();
  await b.ask(b.req("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 2000 }));
  await b.ask(b.req("setFlow", { rateA: 60_000, rateB: 60_000 }));
  b.clock.runFor(1.5e6);
  await b.ask(b.req("getStatus", {})); // a heartbeat keeps it alive
  b.clock.runFor(1.5e6);
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_MANUAL);
  b.clock.runFor(3e6); // silence
  const s = await b.ask(b.req("getStatus", {}));
  assert.equal([s.state, s.faults & FAULT_HOST_LOST, s.cause], [STATE_FAULT, FAULT_HOST_LOST, CAUSE_HOST_LINK]);
});

test("host lost under the continue policy: the flow carries on", async () => {
  const b = await board();
  await b.ask(b.req("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 2000 }));
  await b.ask(b.req("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(b.req("setFlow", { rateA: 60_000, rateB: 0 }));
  const at = b.rig.pumps[0].positionMicrosteps;
  b.clock.runFor(10e6);
  assert.ok(b.rig.pumps[0].positionMicrosteps < at - 100, "still pumping");
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_MANUAL);
});

test("a driver stall (TMC2209 DIAG) while pumping stops everything and names the input", async () => {
  // A Pico wired with a TMC2209 on pump B and its DIAG on the free pin A4 (validated like any profile).
  const base = loadBoard("espruino-pico");
  const variant = validateBoard({
    ...base, pumps: [base.pumps[0], { ...base.pumps[1], driver: "TMC2209", diag: "A4" }],
  }, "espruino-pico+tmc2209");
  const b = await connectedBoard("espruino-pico", { profile: variant });
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: FULL_NL }));
  // On the bench the plunger already sits at the end, but the endstop switch has not registered it
  // (misadjusted): the first step stalls and the driver raises DIAG.
  b.rig.pumps[1].positionMicrosteps = 0;
  await b.ask(b.host.request("setFlow", { rateA: 0, rateB: 600_000 }));
  b.clock.runFor(1e6);
  const s = await b.ask(b.host.request("getStatus", {}));
  assert.equal([s.state, s.faults & FAULT_STALL, s.cause], [STATE_FAULT, FAULT_STALL, CAUSE_PUMP_B_DIAG]);
  const stalled = b.rig.pumps[1].stalledSteps;
  assert.ok(stalled >= 1 && stalled < 5, `${stalled} steps into the end before the stop`);
  b.clock.runFor(2e6);
  assert.is(b.rig.pumps[1].stalledSteps, stalled, "pump B stopped");
});

test.run();
