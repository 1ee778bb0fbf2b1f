// The sample log inside the emulator on its real Storage: RAM ring, spill to flash, ack, flash full, reboot.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ERR_BAD_ARGUMENT, FAULT_STORAGE, MSG_ERROR, MSG_OK, SAMPLE_SPILLED } from "../../protocol/generated.ts";
import { storageBoard, type StorageBoard } from "./_storage-board.ts";

/** The sample numbered i, as the codec's record (the board computes the same in SAMPLE below). */
function sample(i: number): number[] {
  return [(4294967295 - i * 1000) >>> 0, i & 0xffff, i % 8, i * 7919 - 5000000, -i * 1000, ((i * 12345) % 1000000) - 500000, 2147483647 - i];
}
const SAMPLE = `global.sampleOf = function (i) {
  return [(4294967295 - i * 1000) >>> 0, i & 0xffff, i % 8, i * 7919 - 5000000, -i * 1000, ((i * 12345) % 1000000) - 500000, 2147483647 - i];
};
global.addSamples = function (from, to) {
  var faults = 0;
  for (var i = from; i < to; i++) { var s = sampleOf(i); faults |= theLog.add(s[0], s[1], s[2], s[3], s[4], s[5], s[6]); }
  return faults;
};`;

async function logBoard(options: string, storageBytes?: number): Promise<StorageBoard> {
  const b = await storageBoard({ storageBytes });
  b.emu.evaluate(SAMPLE);
  b.emu.evaluate(`global.theStore = new FLOWRIG_T.EspruinoStore(); global.theLog = new FLOWRIG_T.SampleLog(${options});`);
  return b;
}

/** Reads everything from `from` to next, two records a request; checks seqs are consecutive. Returns the records. */
function drain(b: StorageBoard, from: number): number[][] {
  const out: number[][] = [];
  for (;;) {
    const [first, next, records] = b.js(`theLog.read(${from}, 2)`);
    assert.is(first, from, "no gap");
    if (records.length === 0) { assert.is(next, from); return out; }
    out.push(...records);
    from += records.length;
  }
}

test("the RAM ring wraps many times without losing or spilling a sample when the host keeps up", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 8 }`);
  let from = 0;
  for (let round = 0; round < 20; round++) {
    b.js(`addSamples(${round * 5}, ${round * 5 + 5})`);
    const got = drain(b, from);
    assert.equal(got, Array.from({ length: 5 }, (_, k) => sample(from + k)));
    from += 5;
    assert.equal(b.js(`theLog.ack(${from})`), [MSG_OK, []]);
  }
  assert.equal(b.js(`[theLog.next(), theLog.acked(), theLog.spilled(), theLog.lost()]`), [100, 100, 0, 0]);
  assert.equal(b.js(`theStore.list("flowrig.s")`), []);
  assert.equal(b.emu.errors, []);
});

test("unacknowledged samples spill to flash files and read back in order with the spilled flag", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 8, samplesPerFile: 4 }`);
  assert.is(b.js(`addSamples(0, 30)`), 0);
  assert.equal(b.js(`[theLog.next(), theLog.spilled(), theLog.lost()]`), [30, 22, 0]);
  assert.equal(b.js(`theStore.list("flowrig.s").sort()`), ["flowrig.s1-0", "flowrig.s1-12", "flowrig.s1-16", "flowrig.s1-20", "flowrig.s1-4", "flowrig.s1-8"]);
  const got = drain(b, 0);
  assert.is(got.length, 30);
  for (let i = 0; i < 30; i++) {
    const want = sample(i);
    if (i < 22) want[2] |= SAMPLE_SPILLED;
    assert.equal(got[i], want, `seq ${i}`);
  }
  // Reading is repeatable (a lost reply is asked again) and may start anywhere; max limits the records.
  assert.equal(b.js(`theLog.read(21, 2)`), [21, 30, [[...sample(21).slice(0, 2), sample(21)[2] | SAMPLE_SPILLED, ...sample(21).slice(3)], sample(22)]]);
  assert.equal(b.js(`theLog.read(3, 1)`)[2].length, 1);
  assert.equal(b.js(`theLog.read(3, 0)`), [3, 30, []]);
  assert.equal(b.js(`theLog.read(30, 2)`), [30, 30, []]);
  assert.equal(b.emu.errors, []);
});

test("ack frees samples and erases spill files wholly below it; acks beyond next are refused", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 8, samplesPerFile: 4 }`);
  b.js(`addSamples(0, 30)`);
  assert.equal(b.js(`theLog.ack(10)`), [MSG_OK, []]);
  assert.equal(b.js(`theStore.list("flowrig.s").sort()`), ["flowrig.s1-12", "flowrig.s1-16", "flowrig.s1-20", "flowrig.s1-8"]);
  assert.is(b.js(`theLog.read(0, 2)`)[0], 10, "acknowledged samples are gone: reading starts at the oldest kept");
  assert.equal(b.js(`theLog.ack(31)`), [MSG_ERROR, [ERR_BAD_ARGUMENT, 0, 30]]);
  assert.equal(b.js(`theLog.ack(5)`), [MSG_OK, []], "an old ack changes nothing");
  assert.is(b.js(`theLog.acked()`), 10);
  assert.equal(b.js(`theLog.ack(25)`), [MSG_OK, []]);
  assert.equal(b.js(`theStore.list("flowrig.s")`), [], "samples 22..24 were in RAM: every file is below 25");
  assert.equal(drain(b, 25), [25, 26, 27, 28, 29].map(sample));
  // Spilling resumes into new files after everything was freed.
  b.js(`addSamples(30, 50)`);
  assert.equal(b.js(`[theLog.spilled(), theStore.list("flowrig.s").length]`), [17, 5], "17 of 25 unacknowledged samples in 5 new files");
  const got = drain(b, 25);
  assert.equal(got.map((r) => r[0]), Array.from({ length: 25 }, (_, k) => sample(25 + k)[0]));
  b.js(`theLog.ack(50)`);
  assert.equal(b.js(`[theStore.list("flowrig.s"), theLog.spilled()]`), [[], 0]);
  assert.equal(b.emu.errors, []);
});

test("10 000 samples with a slow, stalling host: every seq is read exactly once with its values", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 32, samplesPerFile: 16, maxFiles: 128 }`);
  let from = 0;
  let spilledSeen = 0;
  let maxBacklog = 0;
  const seen: number[] = [];
  for (let block = 0; block < 1000; block++) {
    assert.is(b.js(`addSamples(${block * 10}, ${block * 10 + 10})`), 0);
    const phase = block % 200;
    const reads = phase >= 100 && phase < 160 ? 0 : phase < 60 ? 3 : 8; // slow, then a stall, then catching up
    for (let r = 0; r < reads; r++) {
      const [first, next, records] = b.js(`theLog.read(${from}, 2)`);
      assert.is(first, from);
      maxBacklog = Math.max(maxBacklog, next - from);
      for (const rec of records) {
        const want = sample(from);
        if ((rec[2] & SAMPLE_SPILLED) !== 0) { spilledSeen++; want[2] |= SAMPLE_SPILLED; }
        assert.equal(rec, want, `seq ${from}`);
        seen.push(from);
        from++;
      }
      if (r % 2 === 1) b.js(`theLog.ack(${from})`);
    }
  }
  const rest = drain(b, from);
  for (const rec of rest) { rec[2] &= ~SAMPLE_SPILLED; assert.equal(rec, sample(from)); seen.push(from); from++; }
  assert.is(from, 10000);
  assert.equal(seen, Array.from({ length: 10000 }, (_, i) => i), "each seq exactly once, in order");
  assert.ok(spilledSeen > 1000, `${spilledSeen} read back from flash`);
  assert.ok(maxBacklog > 32 * 10, `backlog reached ${maxBacklog}`);
  b.js(`theLog.ack(10000)`);
  assert.equal(b.js(`[theLog.lost(), theLog.spilled(), theStore.list("flowrig.s")]`), [0, 0, []]);
  assert.equal(b.emu.errors, []);
});

test("flash full: FAULT_STORAGE, the oldest kept in flash and the newest in RAM, the gap visible; spilling resumes after an ack", async () => {
  // Room for three StorageFile chunks (4064 bytes + header each): three spill files of 4 samples.
  const b = await logBoard(`{ store: theStore, capacity: 8, samplesPerFile: 4 }`, 3 * 4096);
  assert.is(b.js(`addSamples(0, 20)`), 0);
  assert.is(b.js(`theLog.spilled()`), 12);
  assert.is(b.js(`addSamples(20, 21)`), FAULT_STORAGE, "the 4th file cannot be created");
  assert.is(b.js(`addSamples(21, 26)`), FAULT_STORAGE);
  assert.equal(b.js(`[theLog.lost(), theLog.spilled(), theLog.next()]`), [6, 12, 26]);
  const flash: number[][] = [];
  for (let seq = 0; seq < 12; seq += 2) {
    const [first, , records] = b.js(`theLog.read(${seq}, 2)`);
    assert.is(first, seq);
    flash.push(...records);
  }
  assert.equal(flash.map((r) => r[6]), Array.from({ length: 12 }, (_, i) => sample(i)[6]), "oldest 0..11 kept in flash");
  const [first, next, records] = b.js(`theLog.read(12, 2)`);
  assert.equal([first, next], [18, 26], "samples 12..17 were lost: the host sees the gap");
  assert.equal(records, [sample(18), sample(19)]);
  assert.equal(b.js(`theLog.read(11, 2)`)[2].length, 1, "records in one reply are consecutive");
  b.js(`theLog.ack(18)`);
  assert.is(b.js(`addSamples(26, 38)`), 0, "flash freed: spilling works again");
  assert.equal(b.js(`[theLog.lost(), theLog.spilled()]`), [6, 12]);
  const got = drain(b, 18);
  assert.equal(got.map((r) => r[6]), Array.from({ length: 20 }, (_, k) => sample(18 + k)[6]));
  assert.equal(b.emu.errors, []);
});

/** Powers the board off and on: the log is made again as main.ts makes it, with this boot's number. */
function rebootLog(b: StorageBoard, boot: number, extra = ""): void {
  b.emu.powerCut();
  b.reboot();
  b.emu.evaluate(SAMPLE);
  b.emu.evaluate(`global.theStore = new FLOWRIG_T.EspruinoStore(); global.theLog = new FLOWRIG_T.SampleLog({ store: theStore, capacity: 8, samplesPerFile: 4, boot: ${boot}${extra} });`);
}

test("after a power cut the previous boot's spill files are kept: read back at their seqs, the numbering continues after them", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 8, samplesPerFile: 4, boot: 7 }`);
  b.js(`addSamples(0, 20)`);
  b.js(`theLog.ack(5)`); // the host had 0..4; 5..11 are in flash (the file of 4..7 partly acknowledged), 12..19 in RAM
  assert.equal(b.js(`theStore.list("flowrig.s").sort()`), ["flowrig.s7-4", "flowrig.s7-8"]);
  rebootLog(b, 8);
  assert.equal(b.js(`[theLog.next(), theLog.acked(), theLog.bootFirst, theLog.spilled()]`), [12, 4, 12, 8], "RAM samples 12..19 are gone with the power");
  const kept = drain(b, 5);
  assert.equal(kept, [5, 6, 7, 8, 9, 10, 11].map((i) => { const s = sample(i); s[2] |= SAMPLE_SPILLED; return s; }));
  b.js(`addSamples(100, 103)`); // this boot's samples take the next seqs
  assert.equal(b.js(`theLog.read(12, 2)`), [12, 15, [sample(100), sample(101)]]);
  b.js(`theLog.ack(12)`);
  assert.equal(b.js(`theStore.list("flowrig.s")`), [], "acknowledged: the kept files are erased");
  assert.equal(b.emu.errors, []);
});

test("only the previous boot's files survive: two reboots without a host, or a boot with nothing spilled, start afresh", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 8, samplesPerFile: 4, boot: 3 }`);
  b.js(`addSamples(0, 20)`);
  rebootLog(b, 4);
  assert.is(b.js(`theLog.next()`), 12);
  rebootLog(b, 5); // boot 4 spilled nothing of its own: boot 3's files are two boots old
  assert.equal(b.js(`[theLog.next(), theLog.acked(), theLog.bootFirst, theStore.list("flowrig.s")]`), [0, 0, 0, []]);
  b.js(`addSamples(0, 3)`);
  assert.equal(drain(b, 0), [0, 1, 2].map(sample));
  assert.equal(b.emu.errors, []);
});

test("a record cut short by the power cut is not read back; the previous boot's files get ring slots on top of maxFiles", async () => {
  const b = await logBoard(`{ store: theStore, capacity: 8, samplesPerFile: 4, boot: 1, maxFiles: 3 }`);
  b.js(`addSamples(0, 20)`); // 0..11 spilled: files 0, 4, 8 full, the flash (3 files) full
  b.emu.evaluate(`theStore.append("flowrig.s1-8", "\x01\x02\x03")`); // a torn append after the last record
  rebootLog(b, 2, ", maxFiles: 1");
  assert.equal(b.js(`[theLog.next(), theLog.spilled(), theLog.maxFiles]`), [12, 12, 4], "one slot of its own, three kept");
  assert.equal(drain(b, 0).length, 12);
  assert.is(b.js(`addSamples(12, 24)`), 0, "this boot's own spill file fits beside the kept ones");
  assert.equal(b.emu.errors, []);
});

test.run();
