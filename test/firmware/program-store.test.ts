// The program store inside the emulator on its real Storage: load, commit, info, validation, power cuts during commit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodePayload } from "../../protocol/codec.ts";
import { crc16 } from "../../protocol/crc16.ts";
import { packedEntry } from "../../protocol/packed.ts";
import {
  ERR_BAD_ARGUMENT, ERR_NOT_FOUND, MSG_ERROR, MSG_OK, MSG_PROGRAM_INFO, MSG_PROGRAM_SEGMENT, COMMAND_FORMATS,
} from "../../protocol/generated.ts";
import { storageBoard, type StorageBoard } from "./_storage-board.ts";

type Segment = [durationMs: number, rateA: number, rateB: number, rampMs: number, tag: number];

const SEGMENT_FORMAT = packedEntry(COMMAND_FORMATS, MSG_PROGRAM_SEGMENT - 1, "?");
const OK = [MSG_OK, []];

/** The host's checksum: CRC-16/MCRF4XX over every programSegment payload in order. */
function checksum(segments: Segment[]): number {
  const bytes: number[] = [];
  segments.forEach((s, i) => encodePayload(SEGMENT_FORMAT, [i, ...s], bytes));
  return crc16(bytes);
}

const RAMP: Segment[] = [[60000, 60000, 5000000, 0, 1], [3600000, -120000, 20000000, 30000, 2], [1, 0, -20000000, 1, 65535]];
const HOLD: Segment[] = [[604800000, 1000, 2000, 604800000, 7], [5000, 0, 0, 0, 8]];
const total = (segments: Segment[]) => segments.reduce((t, s) => t + s[0], 0);

async function programBoard(storageDir?: string): Promise<StorageBoard> {
  const b = await storageBoard({ storageDir });
  b.emu.evaluate(`global.theProg = new FLOWRIG_T.ProgramStore({ store: new FLOWRIG_T.EspruinoStore() });`);
  return b;
}

/** Loads a program as the host would: begin, each segment, commit. Returns the commit's reply. */
function send(b: StorageBoard, slot: number, name: string, segments: Segment[], crc = checksum(segments)): any[] {
  assert.equal(b.js(`theProg.begin(${slot}, ${JSON.stringify(name)}, ${segments.length})`), OK);
  segments.forEach((s, i) => assert.equal(b.js(`theProg.segment(${[i, ...s].join(", ")})`), OK, `segment ${i}`));
  return b.js(`theProg.commit(${slot}, ${crc})`);
}

function loaded(b: StorageBoard, slot: number): any {
  return b.js(`(function (p) { return p === undefined ? null : { name: p.name, segments: p.segments, totalMs: p.totalMs,
    checksum: p.checksum, rows: [].map.call(p.durationMs, function (d, i) { return [d, p.rateA[i], p.rateB[i], p.rampMs[i], p.tag[i]]; }) }; })(theProg.load(${slot}))`);
}

test("begin, segments, commit; info and load give the program back, also after a reboot", async () => {
  const b = await programBoard();
  assert.equal(b.js(`theProg.get(1)`), [MSG_PROGRAM_INFO, [1, "", 0, 0, 0]], "a free slot");
  const info = [1, "ramp-up", 3, total(RAMP), checksum(RAMP)];
  assert.equal(send(b, 1, "ramp-up", RAMP), [MSG_PROGRAM_INFO, info]);
  assert.equal(b.js(`theProg.get(1)`), [MSG_PROGRAM_INFO, info]);
  assert.equal(b.js(`theProg.info(1)`), info);
  const want = { name: "ramp-up", segments: 3, totalMs: total(RAMP), checksum: checksum(RAMP), rows: RAMP };
  assert.equal(loaded(b, 1), want);
  b.emu.powerCut();
  b.reboot();
  b.emu.evaluate(`global.theProg = new FLOWRIG_T.ProgramStore({ store: new FLOWRIG_T.EspruinoStore() });`);
  assert.equal(loaded(b, 1), want);
  assert.equal(b.js(`theProg.info(0)`), [0, "", 0, 0, 0]);
  assert.equal(send(b, 0, "hold", HOLD)[1], [0, "hold", 2, total(HOLD), checksum(HOLD)]);
  assert.equal(send(b, 1, "hold2", HOLD)[1], [1, "hold2", 2, total(HOLD), checksum(HOLD)], "a slot is overwritten");
  assert.equal(loaded(b, 1).rows, HOLD);
  assert.equal(b.emu.errors, []);
});

test("a bad checksum is refused (limit = the board's CRC) and the slot's previous program stays", async () => {
  const b = await programBoard();
  send(b, 2, "ramp-up", RAMP);
  const bad = checksum(HOLD) ^ 1;
  assert.equal(send(b, 2, "hold", HOLD, bad), [MSG_ERROR, [ERR_BAD_ARGUMENT, 1, checksum(HOLD)]]);
  assert.equal(b.js(`theProg.info(2)`), [2, "ramp-up", 3, total(RAMP), checksum(RAMP)]);
  assert.equal(b.js(`theProg.commit(2, ${checksum(HOLD)})`), [MSG_ERROR, [ERR_NOT_FOUND, 255, -1]], "the refused load was dropped");
  assert.equal(b.emu.errors, []);
});

test("segments must come in order; every field is range-checked with its index and limit", async () => {
  const b = await programBoard();
  const err = (field: number, limit: number) => [MSG_ERROR, [ERR_BAD_ARGUMENT, field, limit]];
  assert.equal(b.js(`theProg.segment(0, 1000, 0, 0, 0, 0)`), [MSG_ERROR, [ERR_NOT_FOUND, 255, -1]], "no begin");
  assert.equal(b.js(`theProg.begin(4, "x", 1)`), err(0, 3));
  assert.equal(b.js(`theProg.begin(0, "thirteen-char", 1)`), err(1, 12));
  assert.equal(b.js(`theProg.begin(0, "x", 0)`), err(2, 1));
  assert.equal(b.js(`theProg.begin(0, "x", 65)`), err(2, 64));
  assert.equal(b.js(`theProg.begin(0, "x", 3)`), OK);
  assert.equal(b.js(`theProg.segment(1, 1000, 0, 0, 0, 0)`), err(0, 0), "out of order: the expected index is the limit");
  assert.equal(b.js(`theProg.segment(0, 0, 0, 0, 0, 0)`), err(1, 1));
  assert.equal(b.js(`theProg.segment(0, 604800001, 0, 0, 0, 0)`), err(1, 604800000));
  assert.equal(b.js(`theProg.segment(0, 1000, 20000001, 0, 0, 0)`), err(2, 20000000));
  assert.equal(b.js(`theProg.segment(0, 1000, -20000001, 0, 0, 0)`), err(2, -20000000));
  assert.equal(b.js(`theProg.segment(0, 1000, 0, 20000001, 0, 0)`), err(3, 20000000));
  assert.equal(b.js(`theProg.segment(0, 1000, 0, 0, 1001, 0)`), err(4, 1000));
  assert.equal(b.js(`theProg.segment(0, 1000, 0, 0, 1000, 0)`), OK);
  assert.equal(b.js(`theProg.segment(0, 1000, 0, 0, 0, 0)`), err(0, 1), "a repeated segment is refused");
  assert.equal(b.js(`theProg.segment(2, 1000, 0, 0, 0, 0)`), err(0, 1), "a skipped segment is refused");
  assert.equal(b.js(`theProg.commit(0, 0)`), [MSG_ERROR, [ERR_NOT_FOUND, 255, 1]], "commit before all segments: the first missing one");
  assert.equal(b.js(`theProg.segment(1, 1000, 0, 0, 0, 0)`), OK);
  assert.equal(b.js(`theProg.segment(2, 1000, 0, 0, 0, 0)`), OK);
  assert.equal(b.js(`theProg.segment(3, 1000, 0, 0, 0, 0)`), err(0, 2), "beyond the declared count: the last index is the limit");
  assert.equal(b.js(`theProg.commit(1, 0)`), err(0, 0), "commit to another slot than begun");
  assert.equal(b.js(`theProg.get(4)`), err(0, 3));
  // Whole-program run time stays within 31 bits.
  assert.equal(b.js(`theProg.begin(0, "long", 64)`), OK);
  for (let i = 0; i < 3; i++) assert.equal(b.js(`theProg.segment(${i}, 604800000, 0, 0, 0, 0)`), OK);
  assert.equal(b.js(`theProg.segment(3, 604800000, 0, 0, 0, 0)`), err(1, 2147483647 - 3 * 604800000));
  assert.equal(b.emu.errors, []);
});

test("a full 64-segment program round-trips", async () => {
  const b = await programBoard();
  const segments: Segment[] = Array.from({ length: 64 }, (_, i) => [1000 + i, i * 1000 - 32000, -i * 3, i * 10, i * 1000]);
  assert.equal(send(b, 3, "max", segments), [MSG_PROGRAM_INFO, [3, "max", 64, total(segments), checksum(segments)]]);
  assert.equal(loaded(b, 3).rows, segments);
  assert.equal(b.emu.errors, []);
});

test("a power cut at any byte of a commit leaves either the old program or the whole new one", async () => {
  const first = await programBoard();
  send(first, 0, "ramp-up", RAMP);
  send(first, 0, "ramp-up", RAMP); // both copies hold the old program: the cut write replaces one of them
  const oldInfo = [0, "ramp-up", 3, total(RAMP), checksum(RAMP)];
  const newInfo = [0, "hold", 2, total(HOLD), checksum(HOLD)];
  const size = 13 + 1 + 4 + 8 + 2 * 18 + 2;
  const { cpSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  let sawOld = 0;
  let sawNew = 0;
  for (let n = 0; n <= size + 1; n++) {
    const dir = mkdtempSync(join(tmpdir(), "flowrig-cut-"));
    cpSync(first.storageDir, dir, { recursive: true });
    const b = await programBoard(dir);
    b.emu.storageFaults.cutAfterBytes(n);
    assert.equal(b.js(`theProg.begin(0, "hold", 2)`), OK);
    b.js(`theProg.segment(0, ${HOLD[0].join(", ")})`);
    b.js(`theProg.segment(1, ${HOLD[1].join(", ")})`);
    b.emu.evaluate(`theProg.commit(0, ${checksum(HOLD)})`);
    assert.is(b.emu.poweredOn, n > size, `n = ${n}`);
    b.reboot();
    b.emu.evaluate(`global.theProg = new FLOWRIG_T.ProgramStore({ store: new FLOWRIG_T.EspruinoStore() });`);
    const info = b.js(`theProg.info(0)`);
    if (n < size) assert.equal(info, oldInfo, `cut after ${n} bytes`);
    else assert.equal(info, newInfo, `cut after ${n} bytes`);
    if (n < size) sawOld++; else sawNew++;
    assert.equal(b.emu.errors, []);
  }
  assert.ok(sawOld === size && sawNew === 2);
});

test.run();
