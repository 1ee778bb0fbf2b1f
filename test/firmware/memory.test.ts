// Low memory on the board is a handled fault: lowMemory raised with the pumps under control, then the pumps stopped near exhaustion.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadBoard } from "../../boards/load.ts";
import { CAUSE_MEMORY, CFG_HOST_LOSS_POLICY, FAULT_LOW_MEMORY, STATE_FAULT, STATE_MANUAL } from "../../protocol/generated.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";
import { CRITICAL_MEMORY_PERCENT, LOW_MEMORY_PERCENT } from "../../firmware/memory-guard.ts";

/** A Pico whose variable pool is `variables` (its own bundle, the same code). */
async function pico(variables: number) {
  const b = await connectedBoard("espruino-pico", { profile: { ...loadBoard("espruino-pico"), variables } });
  await b.ask(b.host.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 })); // the test's host stays quiet
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: 5_000_000 }));
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: 5_000_000 }));
  return b;
}

/** Variables in use on a Pico with room for only the smallest sample ring, once it has settled after a flow command. */
async function tightUsage(): Promise<number> {
  const b = await pico(3300);
  await b.ask(b.host.request("setFlow", { rateA: 10_000, rateB: 100_000 }));
  b.clock.runFor(3e6);
  return b.emu.memory().usage;
}

test("below the low share: lowMemory is raised, the panel stops redrawing, the pumps carry on", async () => {
  const usage = await tightUsage();
  const b = await pico(Math.ceil((usage * 100) / (100 - (LOW_MEMORY_PERCENT + CRITICAL_MEMORY_PERCENT) / 2)));
  await b.ask(b.host.request("setFlow", { rateA: 10_000, rateB: 100_000 }));
  b.clock.runFor(2e6);
  const frames = b.display.frameCount;
  b.clock.runFor(3e6);
  const s = await b.ask(b.host.request("getStatus", {}));
  const m = b.emu.memory();
  assert.ok((s.faults & FAULT_LOW_MEMORY) !== 0, `faults ${s.faults}, free ${m.free} of ${m.total}`);
  assert.is(s.state, STATE_MANUAL, "the pumps still run as asked");
  assert.ok(s.rateA === 10_000 && s.rateB === 100_000, `rates ${s.rateA} ${s.rateB}`);
  assert.is(b.display.frameCount, frames, "no redraw while memory is low");
});

test("near exhaustion: the pumps stop with a lowMemory fault, the link still answers", async () => {
  const usage = await tightUsage();
  const b = await pico(Math.ceil((usage * 100) / (100 - CRITICAL_MEMORY_PERCENT / 2)));
  await b.ask(b.host.request("setFlow", { rateA: 10_000, rateB: 100_000 }));
  b.clock.runFor(3e6);
  const s = await b.ask(b.host.request("getStatus", {}));
  assert.is(s.state, STATE_FAULT);
  assert.ok((s.faults & FAULT_LOW_MEMORY) !== 0, `faults ${s.faults}`);
  assert.is(s.cause, CAUSE_MEMORY);
  assert.is(s.rateA, 0);
  assert.is(s.rateB, 0);
});

test("with the memory a Pico has, nothing is raised", async () => {
  const b = await pico(5100);
  await b.ask(b.host.request("setFlow", { rateA: 10_000, rateB: 100_000 }));
  b.clock.runFor(2e6);
  const frames = b.display.frameCount;
  b.clock.runFor(3e6);
  assert.ok(b.display.frameCount > frames, "the panel redraws as the volumes change");
  const s = await b.ask(b.host.request("getStatus", {}));
  assert.is(s.faults & FAULT_LOW_MEMORY, 0, `faults ${s.faults} cause ${s.cause}`);
  assert.is(s.state, STATE_MANUAL, `state ${s.state} faults ${s.faults} cause ${s.cause}`);
});

test.run();
