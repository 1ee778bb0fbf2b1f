// Programs on the board: loaded over the protocol, run by the board on its own, paused, resumed, kept in flash.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CFG_HOST_LOSS_POLICY, ERR_BAD_ARGUMENT, ERR_NOT_FOUND, ERR_WRONG_STATE, STATE_DONE, STATE_PAUSED, STATE_RUNNING } from "../../protocol/generated.ts";
import { DeviceError } from "../../protocol/host-link.ts";
import { loadProgram, programChecksum, type Segment } from "../../host/client/programs.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";

const SWEEP: Segment[] = [
  { durationMs: 10_000, rateA: 60_000, rateB: 1_000_000, rampMs: 0, tag: 1 },
  { durationMs: 10_000, rateA: 60_000, rateB: 2_000_000, rampMs: 2_000, tag: 2 },
  { durationMs: 5_000, rateA: 30_000, rateB: 0, rampMs: 0, tag: 3 },
];

async function board() {
  const b = await connectedBoard("espruino-pico");
  await b.ask(b.host.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: 10_000_000 }));
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: 10_000_000 }));
  return b;
}

const ideal = (segments: Segment[], pick: (s: Segment) => number) => {
  let nl = 0;
  let previous = 0;
  for (const s of segments) {
    const rate = pick(s);
    const ramp = Math.min(s.rampMs, s.durationMs);
    nl += ((previous + rate) / 2) * (ramp / 3.6e6) * 1000 + rate * ((s.durationMs - ramp) / 3.6e6) * 1000;
    previous = rate;
  }
  return nl;
};

test("a loaded program runs segment by segment on the board, with events, and delivers its volumes", async () => {
  const b = await board();
  const info = await b.ask(loadProgram(b.host, 1, "SWEEP", SWEEP));
  assert.equal(info, { slot: 1, name: "SWEEP", segments: 3, totalMs: 25_000, checksum: programChecksum(SWEEP) });
  const events: string[] = [];
  b.host.onEvent((e) => events.push(`${e.name}:${JSON.stringify(e.body.segment ?? e.body.state)}`));
  await b.ask(b.host.request("start", { slot: 1 }));
  b.clock.runFor(12e6);
  const s = await b.ask(b.host.request("getStatus", {}));
  assert.equal([s.state, s.segment, s.segments], [STATE_RUNNING, 1, 3]);
  assert.ok(Math.abs(s.elapsedMs - 12_000) < 50 && Math.abs(s.remainingMs - 13_000) < 50, `${s.elapsedMs} / ${s.remainingMs}`);
  b.clock.runFor(15e6);
  assert.is((await b.ask(b.host.request("getStatus", {}))).state, STATE_DONE);
  assert.equal(events, ["stateEvent:1", "segmentEvent:0", "segmentEvent:1", "segmentEvent:2", "stateEvent:3"]);
  const [a, bb] = b.rig.pumps;
  const wantA = ideal(SWEEP, (x) => x.rateA);
  const wantB = ideal(SWEEP, (x) => x.rateB);
  assert.ok(Math.abs(a.deliveredNl - wantA) <= 2 * a.nlPerMicrostep, `A ${a.deliveredNl} vs ${wantA}`);
  assert.ok(Math.abs(bb.deliveredNl - wantB) <= 2 * bb.nlPerMicrostep, `B ${bb.deliveredNl} vs ${wantB}`);
});

test("pause holds the pumps and the segment clock; resume carries on where it was", async () => {
  const b = await board();
  await b.ask(loadProgram(b.host, 0, "P", SWEEP));
  await b.ask(b.host.request("start", { slot: 0 }));
  b.clock.runFor(4e6);
  await b.ask(b.host.request("pause", {}));
  const at = b.rig.pumps.map((p) => p.positionMicrosteps);
  b.clock.runFor(30e6);
  assert.equal(b.rig.pumps.map((p) => p.positionMicrosteps), at, "nothing moves while paused");
  const held = await b.ask(b.host.request("getStatus", {}));
  assert.equal([held.state, held.segment], [STATE_PAUSED, 0]);
  assert.ok(Math.abs(held.elapsedMs - 4000) < 50, `elapsed ${held.elapsedMs}`);
  await b.ask(b.host.request("resume", {}));
  b.clock.runFor(22e6);
  assert.is((await b.ask(b.host.request("getStatus", {}))).state, STATE_DONE);
  const a = b.rig.pumps[0];
  assert.ok(Math.abs(a.deliveredNl - ideal(SWEEP, (x) => x.rateA)) <= 3 * a.nlPerMicrostep, `A ${a.deliveredNl}`);
});

test("programs are refused with the field and limit: bad checksum, out-of-order segment, missing slot, too fast", async () => {
  const b = await board();
  const refused = async (p: Promise<unknown>) => (await b.ask(p.then(() => undefined, (e) => e))) as DeviceError;
  await b.ask(b.host.request("programBegin", { slot: 2, name: "X", segments: 2 }));
  let e = await refused(b.host.request("programSegment", { index: 1, ...SWEEP[0] }));
  assert.equal([e.code, e.fieldName, e.limit], [ERR_BAD_ARGUMENT, "index", 0]);
  await b.ask(b.host.request("programSegment", { index: 0, ...SWEEP[0] }));
  await b.ask(b.host.request("programSegment", { index: 1, ...SWEEP[1] }));
  e = await refused(b.host.request("programCommit", { slot: 2, checksum: 1234 }));
  assert.equal([e.code, e.fieldName], [ERR_BAD_ARGUMENT, "checksum"]);
  e = await refused(b.host.request("start", { slot: 2 }));
  assert.is(e.code, ERR_NOT_FOUND, "nothing was stored");
  await b.ask(loadProgram(b.host, 3, "FAST", [{ durationMs: 1000, rateA: 0, rateB: 9_000_000, rampMs: 0, tag: 0 }]));
  e = await refused(b.host.request("start", { slot: 3 }));
  assert.equal([e.code, e.limit], [ERR_BAD_ARGUMENT, 0], "segment 0 exceeds pump B's maximum rate");
  await b.ask(loadProgram(b.host, 0, "OK", SWEEP));
  await b.ask(b.host.request("start", { slot: 0 }));
  e = await refused(b.host.request("start", { slot: 0 }));
  assert.is(e.code, ERR_WRONG_STATE);
  e = await refused(b.host.request("programBegin", { slot: 0, name: "Y", segments: 1 }));
  assert.is(e.code, ERR_WRONG_STATE, "the running slot cannot be overwritten");
});

test("a stored program survives a reboot and runs without a host", async () => {
  const b = await board();
  await b.ask(loadProgram(b.host, 0, "KEEP", SWEEP));
  b.emu.powerCut();
  b.emu.boot(); // power comes back: the firmware starts from flash
  b.clock.runFor(1e6);
  const again = await connectedBoardOn(b);
  const info = await again.ask(again.host.request("programGet", { slot: 0 }));
  assert.equal([info.name, info.segments, info.totalMs], ["KEEP", 3, 25_000]);
});

/** A new host session on the same virtual board (after a reboot). */
async function connectedBoardOn(b: Awaited<ReturnType<typeof board>>) {
  const { HostLink } = await import("../../protocol/host-link.ts");
  const { virtualLinkClock } = await import("../../host/sim/virtual-time.ts");
  const { handshake } = await import("../../protocol/handshake.ts");
  const host = new HostLink((bytes) => b.emu.host.write(bytes), { clock: virtualLinkClock(b.clock) });
  b.emu.host.onData((bytes) => host.feed(bytes));
  await b.ask(handshake(host));
  return { ...b, host };
}

test.run();
