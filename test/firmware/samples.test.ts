// Every PL sample reaches the host exactly once: tagged with segment and rates, kept through a long host absence.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CFG_HOST_LOSS_POLICY, CFG_SAMPLE_PERIOD_MS, CFG_SAMPLE_WINDOW_MS, SAMPLE_SPILLED, STATE_DONE } from "../../protocol/generated.ts";
import type { Body } from "../../protocol/messages.ts";
import { loadProgram, type Segment } from "../../host/client/programs.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";

type Sample = Body<"samples">["records"][number] & { seq: number };

async function board(samplePeriodMs: number) {
  const b = await connectedBoard("espruino-pico");
  const req = b.host.request.bind(b.host) as typeof b.host.request;
  await b.ask(req("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(req("configSet", { key: CFG_SAMPLE_PERIOD_MS, index: 0, value: samplePeriodMs }));
  await b.ask(req("configSet", { key: CFG_SAMPLE_WINDOW_MS, index: 0, value: Math.min(500, samplePeriodMs) }));
  await b.ask(req("setVolume", { pump: 0, volumeNl: 10_000_000 }));
  await b.ask(req("setVolume", { pump: 1, volumeNl: 10_000_000 }));
  /** Pulls everything up to the board's next sequence number, two records a page, pipelined, then acks. */
  const pullAll = async (from: number): Promise<Sample[]> => {
    const got: Sample[] = [];
    let next = from;
    for (;;) {
      const status = await b.ask(req("getStatus", {}));
      if (next >= status.sampleNext) return got;
      const pages = [];
      for (let seq = next; seq < status.sampleNext; seq += 2) pages.push(req("samplesRead", { from: seq, max: 2 }));
      for (const page of await b.ask(Promise.all(pages))) {
        page.records.forEach((r, i) => got.push({ ...r, seq: page.from + i }));
      }
      next = status.sampleNext;
      await b.ask(req("samplesAck", { upTo: next }));
    }
  };
  return { ...b, req, pullAll };
}

const SWEEP: Segment[] = [
  { durationMs: 20_000, rateA: 60_000, rateB: 200_000, rampMs: 0, tag: 1 },
  { durationMs: 20_000, rateA: 60_000, rateB: 600_000, rampMs: 0, tag: 2 },
];

test("a program's samples: consecutive sequence numbers, segment and rates of their moment, PL once product arrives", async () => {
  const b = await board(1000);
  await b.ask(loadProgram(b.host, 0, "S", SWEEP));
  await b.ask(b.req("start", { slot: 0 }));
  b.clock.runFor(42e6);
  assert.is((await b.ask(b.req("getStatus", {}))).state, STATE_DONE);
  const samples = await b.pullAll(0);
  assert.ok(samples.length >= 38 && samples.length <= 41, `${samples.length} samples in 40 s at 1 Hz`);
  samples.forEach((s, i) => assert.is(s.seq, i, "no gap, no duplicate"));
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].timeMs - samples[i - 1].timeMs) >>> 0;
    assert.ok(Math.abs(dt - 1000) <= 25, `sample ${i} ${dt} ms after the last`);
  }
  for (const s of samples) {
    const segment = SWEEP[s.segment];
    assert.ok(segment, `segment ${s.segment}`);
    assert.equal([s.rateA, s.rateB], [segment.rateA, segment.rateB], `rates of segment ${s.segment} at ${s.timeMs}`);
  }
  assert.equal([...new Set(samples.map((s) => s.segment))], [0, 1]);
  const late = samples.filter((s) => s.segment === 1).slice(-5);
  assert.ok(late.every((s) => s.pl > 50_000), `product reached the flow cell: ${late.map((s) => s.pl)}`);
  assert.ok(samples[0].pl < 20_000, `no product at the start (tube full of antisolvent): ${samples[0].pl}`);
});

test("a long host absence: samples spill to flash and all come back in order, once, marked as spilled", async () => {
  const b = await board(100);
  await b.ask(b.req("setFlow", { rateA: 6_000, rateB: 20_000 }));
  // While nobody pulls: 100 samples more than the RAM ring holds (sized at boot from the free variables), within
  // the one 128-sample spill file the Pico's flash has room for beside the firmware.
  const ram = b.identity.sampleCapacity;
  b.clock.runFor((ram + 100) * 100e3);
  const status = await b.ask(b.req("getStatus", {}));
  assert.ok(status.sampleNext > ram + 50, `${status.sampleNext} samples taken, ${ram} fit in RAM`);
  assert.is(status.faults, 0, "nothing was lost");
  const samples = await b.pullAll(0);
  samples.forEach((s, i) => assert.is(s.seq, i, "no gap, no duplicate"));
  assert.ok(samples.length >= status.sampleNext);
  const spilled = samples.filter((s) => (s.flags & SAMPLE_SPILLED) !== 0).length;
  assert.ok(spilled > 50, `${spilled} samples came back from flash`);
  for (let i = 1; i < samples.length; i++) assert.ok(((samples[i].timeMs - samples[i - 1].timeMs) >>> 0) < 150, `time order at ${i}`);
});

test("pulling twice is safe: a re-read returns the same records, an ack frees them", async () => {
  const b = await board(200);
  await b.ask(b.req("setFlow", { rateA: 6_000, rateB: 20_000 }));
  b.clock.runFor(5e6);
  const a = await b.ask(b.req("samplesRead", { from: 3, max: 2 }));
  const again = await b.ask(b.req("samplesRead", { from: 3, max: 2 }));
  assert.equal(a, again);
  assert.is(a.records.length, 2);
  await b.ask(b.req("samplesAck", { upTo: 10 }));
  const status = await b.ask(b.req("getStatus", {}));
  assert.is(status.sampleAcked, 10);
  const refused = await b.ask(b.req("samplesAck", { upTo: status.sampleNext + 100 }).then(() => undefined, (e) => e));
  assert.ok(refused, "acknowledging samples that do not exist is refused");
});

test.run();
