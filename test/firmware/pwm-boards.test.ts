// Boards without Stepper step the pumps with hardware PWM: the real firmware on the virtual rig delivers what it is asked.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadProgram } from "../../host/client/programs.ts";
import { CFG_HOST_LOSS_POLICY, SCHEMA_HASH, STATE_DONE, STATE_IDLE, STATE_RUNNING } from "../../protocol/generated.ts";
import { buildFirmware, FIRMWARE_ENTRY } from "../../host/build/bundle.ts";
import { installFirmware } from "../../host/sim/virtual-rig.ts";
import { handshake } from "../../protocol/handshake.ts";
import { bootBoard, connectedBoard } from "../helpers/firmware-board.ts";
import { seededRandom } from "../helpers/random.ts";

const FULL_NL = 10_000_000;

async function board(boardId: string) {
  const b = await connectedBoard(boardId);
  assert.is(b.profile.hasStepper, false);
  const req = b.host.request.bind(b.host) as typeof b.host.request;
  await b.ask(req("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(req("setVolume", { pump: 0, volumeNl: FULL_NL }));
  await b.ask(req("setVolume", { pump: 1, volumeNl: FULL_NL }));
  /** Board-reported position minus the physics' (a constant: setVolume vs the syringe's real fill). */
  const offsets = await Promise.all([0, 1].map(async (i) => (await b.ask(req("getPump", { pump: i }))).positionSteps - b.rig.pumps[i].positionMicrosteps));
  return { ...b, req, offsets };
}

for (const boardId of ["espruino-wifi", "espruino-esp32"]) {
  test(`${boardId}: setFlow 60 and 1000 mL/h for 20 s delivers rate × time; the board's count is the physics'`, async () => {
    const b = await board(boardId);
    const [a, bb] = b.rig.pumps;
    const t0 = b.clock.nowUs();
    await b.ask(b.req("setFlow", { rateA: 60_000, rateB: 1_000_000 }));
    const t1 = b.clock.nowUs();
    b.clock.runFor(20e6);
    await b.ask(b.req("stop", {}));
    const t2 = b.clock.nowUs();
    b.clock.runFor(1e6);
    assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE);
    // The command is acted on somewhere in [t0, t1] and stopped in [t1 + 20 s, t2]: expected steps lie in
    // rate × [20 s, t2 − t0]; allow 3 microsteps beyond that (rounding of spans, the stop's last pulse).
    for (const [pump, rateUlPerH] of [[a, 60_000], [bb, 1_000_000]] as const) {
      const stepsPerUs = rateUlPerH / 3.6e6 / pump.nlPerMicrostep; // µL/h → nL/µs, per microstep
      const moved = pump.startMicrosteps - pump.positionMicrosteps;
      const lo = stepsPerUs * 20e6 - 3;
      const hi = stepsPerUs * (t2 - t0) + 3;
      assert.ok(moved >= lo && moved <= hi, `${pump.name}: ${moved} microsteps, expected ${lo.toFixed(1)} … ${hi.toFixed(1)} (t1 − t0 ${(t1 - t0).toFixed(0)} µs)`);
      const deliveredUl = pump.deliveredNl / 1000;
      const wantUl = rateUlPerH * 20 / 3600;
      assert.ok(Math.abs(deliveredUl / wantUl - 1) < 0.002, `${pump.name}: ${deliveredUl} µL vs ${wantUl} µL`);
    }
    for (const i of [0, 1]) {
      const p = await b.ask(b.req("getPump", { pump: i }));
      const phys = b.rig.pumps[i];
      assert.is(p.positionSteps - phys.positionMicrosteps, b.offsets[i], `pump ${i}: the board's position follows the physics`);
      const moved = phys.startMicrosteps - phys.positionMicrosteps;
      assert.ok(Math.abs(p.deliveredNl - moved * p.stepVolumePl / 1000) < 1, `pump ${i}: board deliveredNl ${p.deliveredNl} vs ${moved} steps`);
      assert.ok(Math.abs(p.deliveredNl - phys.deliveredNl) < 0.001 * phys.deliveredNl + phys.nlPerMicrostep, `pump ${i}: ${p.deliveredNl} vs ${phys.deliveredNl} nL`);
    }
    assert.is(a.violations.total + bb.violations.total, 0, `driver timing respected: ${JSON.stringify([a.violations, bb.violations])}`);
    assert.is(a.ignoredSteps + bb.ignoredSteps + a.stalledSteps + bb.stalledSteps, 0);
    assert.equal(b.emu.errors, []);
  });

  test(`${boardId}: prime, withdraw and jog move exactly the microsteps asked`, async () => {
    const b = await board(boardId);
    // [pump, "move" nL | "jog" microsteps, amount, rate µL/h]
    const moves: [number, "move" | "jog", number, number][] = [
      [0, "move", 500_000, 600_000], [1, "move", 1_234_567, 2_000_000], [0, "move", -200_000, 600_000], [1, "move", 80_000, 60_000],
      [1, "jog", 1600, 100_000], [1, "jog", -800, 100_000], [0, "jog", 7, 600_000], [0, "jog", -3, 1000], [0, "move", 5_000, 1_000_000],
    ];
    for (const [pump, kind, amount, rateUlPerH] of moves) {
      const phys = b.rig.pumps[pump];
      const before = phys.positionMicrosteps;
      const stepVolumePl = (await b.ask(b.req("getPump", { pump }))).stepVolumePl;
      if (kind === "move") await b.ask(b.req("move", { pump, volumeNl: amount, rateUlPerH }));
      else await b.ask(b.req("jog", { pump, microsteps: amount, rateUlPerH }));
      const want = kind === "move" ? Math.round((amount * 1000) / stepVolumePl) : amount;
      b.clock.runUntilCondition(() => false, ((Math.abs(want) * stepVolumePl) / 1000 / rateUlPerH) * 3.6e6 + 1.5e6);
      assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE, "a move ends by itself");
      const moved = before - phys.positionMicrosteps;
      const p = await b.ask(b.req("getPump", { pump }));
      assert.is(p.positionSteps - phys.positionMicrosteps, b.offsets[pump], `pump ${pump}: the board's count is the physics' (moved ${moved}, want ${want})`);
      assert.is(moved, want, `pump ${pump} ${kind} ${amount}: ${moved} microsteps, want ${want}`);
      assert.is(phys.violations.total, 0, `pump ${pump}: ${JSON.stringify(phys.violations)}`);
    }
    assert.is(b.rig.pumps[0].ignoredSteps + b.rig.pumps[1].ignoredSteps, 0);
    assert.equal(b.emu.errors, []);
  });

  test(`${boardId}: both pumps' move ends at once, and a program's end, share the utility timer without waiting`, async () => {
    const b = await board(boardId);
    const timer = b.emu.board.utilTimer;
    let fullQueue = 0;
    const waitForSlot = timer.waitForSlot.bind(timer);
    timer.waitForSlot = () => { if (timer.pendingCount() >= timer.capacity) fullQueue++; waitForSlot(); };
    const start = b.rig.pumps.map((p) => p.positionMicrosteps);
    await b.ask(b.req("move", { pump: 0, volumeNl: 300_000, rateUlPerH: 1_000_000 }));
    await b.ask(b.req("move", { pump: 1, volumeNl: 300_000, rateUlPerH: 1_000_000 }));
    b.clock.runFor(3e6);
    assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_IDLE);
    const stepVolumePl = (await b.ask(b.req("getPump", { pump: 0 }))).stepVolumePl;
    for (const i of [0, 1]) assert.is(start[i] - b.rig.pumps[i].positionMicrosteps, Math.round(300_000_000 / stepVolumePl), `pump ${i}`);
    // a program's end: its last spans run out on both pumps at the same boundary
    const mid = b.rig.pumps.map((p) => p.positionMicrosteps);
    await b.ask(loadProgram(b.host, 0, "END", [{ durationMs: 1500, rateA: 900_000, rateB: 1_100_000, rampMs: 0, tag: 1 }]));
    await b.ask(b.req("start", { slot: 0 }));
    b.clock.runFor(3e6);
    assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_DONE);
    for (const [i, rate] of [[0, 900_000], [1, 1_100_000]] as const) {
      const ideal = (rate * 1.5e6) / 3600 / stepVolumePl; // µL/h × 1.5 s → pL → microsteps
      const moved = mid[i] - b.rig.pumps[i].positionMicrosteps;
      assert.ok(Math.abs(moved - ideal) < 1, `pump ${i}: program moved ${moved} microsteps, ideal ${ideal.toFixed(2)}`);
    }
    for (const i of [0, 1]) {
      const p = await b.ask(b.req("getPump", { pump: i }));
      assert.is(p.positionSteps - b.rig.pumps[i].positionMicrosteps, b.offsets[i], `pump ${i}: the board's count is the physics'`);
      assert.is(b.rig.pumps[i].violations.total, 0, JSON.stringify(b.rig.pumps[i].violations));
    }
    assert.is(fullQueue, 0, "no digitalPulse found the utility timer's queue full");
    assert.equal(b.emu.errors, []);
  });

  test(`${boardId}: a stop at any point of a move's end keeps the count; moving back lands exactly`, async () => {
    const b = await board(boardId);
    const phys = b.rig.pumps[0];
    // away from the full end first (its endstop, the travel reserve)
    await b.ask(b.req("move", { pump: 0, volumeNl: 100_000, rateUlPerH: 1_000_000 }));
    b.clock.runFor(1.5e6);
    for (const stopAfterUs of [30e3, 120e3, 200e3, 230e3, 260e3, 290e3]) {
      const before = phys.positionMicrosteps;
      await b.ask(b.req("move", { pump: 0, volumeNl: 50_000, rateUlPerH: 600_000 })); // ~300 ms
      b.clock.runFor(stopAfterUs);
      await b.ask(b.req("stop", {}));
      b.clock.runFor(200e3);
      const moved = before - phys.positionMicrosteps;
      const p = await b.ask(b.req("getPump", { pump: 0 }));
      assert.is(p.positionSteps - phys.positionMicrosteps, b.offsets[0], `stopped after ${stopAfterUs / 1000} ms (moved ${moved}): the board's count is the physics'`);
      if (moved !== 0) await b.ask(b.req("jog", { pump: 0, microsteps: -moved, rateUlPerH: 600_000 }));
      b.clock.runFor(1.5e6);
      assert.is(phys.positionMicrosteps, before, `stopped after ${stopAfterUs / 1000} ms: back where it started`);
    }
    assert.is(phys.violations.total, 0, JSON.stringify(phys.violations));
    assert.equal(b.emu.errors, []);
  });
}

test("espruino-linux: boots, answers identify on Serial1 and runs a short program to done", async () => {
  const b = await bootBoard("espruino-linux");
  assert.is(b.profile.link.kind, "serial-path");
  const id = await b.ask(handshake(b.host, SCHEMA_HASH, seededRandom(1)));
  assert.is(id.board, "espruino-linux");
  assert.is(id.pumps, 2);
  await b.ask(b.host.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: FULL_NL }));
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: FULL_NL }));
  const program = [
    { durationMs: 1000, rateA: 60_000, rateB: 120_000, rampMs: 0, tag: 1 },
    { durationMs: 1000, rateA: 30_000, rateB: 0, rampMs: 500, tag: 2 },
  ];
  await b.ask(loadProgram(b.host, 0, "SHORT", program));
  await b.ask(b.host.request("start", { slot: 0 }));
  b.clock.runFor(500e3);
  assert.is((await b.ask(b.host.request("getStatus", {}))).state, STATE_RUNNING);
  b.clock.runFor(2.5e6);
  assert.is((await b.ask(b.host.request("getStatus", {}))).state, STATE_DONE);
  assert.equal(b.emu.errors, []);
  // Its utility timer never runs (as on the real Linux build), so the motion ended from JS, no tail. A: 1 s at 60 mL/h,
  // ½ s ramping to 30, ½ s at 30 (16.667 + 6.25 + 4.167 µL); B: 1 s at 120, ½ s ramping to 0 (33.333 + 8.333 µL);
  // within what a callback's lateness adds: 600 nL, or the last rate run × the profile's worst callback delay (the Linux
  // build's callbacks run up to 0.6 s late) where that is more; B's ramp to 0 is caught up at up to its 120 mL/h.
  const delivered = async (pump: number) => (await b.ask(b.host.request("getPump", { pump }))).deliveredNl;
  const lateNl = (rateUlPerH: number) => Math.max(600, (rateUlPerH * 1000 * b.profile.callbackLatencyUs.max) / 3.6e9);
  const a = await delivered(0);
  assert.ok(Math.abs(a - 27083) < lateNl(30_000), `pump A gave ${a} nL`);
  const bNl = await delivered(1);
  assert.ok(Math.abs(bNl - 41667) < lateNl(120_000), `pump B gave ${bNl} nL`);
});

test("espruino-linux with a firmware that counts on the utility timer: its tails jam with Timeout on Utility Timer, as on the real interpreter", async () => {
  const b = await bootBoard("espruino-linux");
  installFirmware(b.emu, (await buildFirmware({ entry: FIRMWARE_ENTRY, boardId: "espruino-linux", profile: { ...b.profile, utilityTimer: true } })).code);
  b.clock.runFor(500e3);
  await b.ask(handshake(b.host, SCHEMA_HASH, seededRandom(2)));
  await b.ask(b.host.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: FULL_NL }));
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: FULL_NL }));
  // Short moves: each ends in a tail of pulses the timer never gives; the ring of 15 fills, digitalPulse then times out
  // in the output's callback. (That is why the shipped espruino-linux build, utilityTimer false, ends moves from JS.)
  for (let i = 0; i < 4; i++) {
    await b.ask(b.host.request("jog", { pump: 0, microsteps: 40, rateUlPerH: 60_000 }));
    b.clock.runFor(1500e3);
  }
  assert.ok(b.emu.errors.some((e) => /Timeout on Utility Timer/.test(e.text)), `errors: ${JSON.stringify(b.emu.errors)}`);
  const status = await b.ask(b.host.request("getStatus", {}));
  assert.ok(status.memFree * 100 > status.memTotal * 30, `free ${status.memFree} of ${status.memTotal}`);
});

test.run();
