// Configuration, boot count and the Espruino Store inside the emulator on its real Storage: round trips, power cuts at every byte, corruption.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONFIG_KEYS } from "../../protocol/schema.ts";
import { storageBoard, type StorageBoard } from "./_storage-board.ts";

const SETUP = `global.theStore = new FLOWRIG_T.EspruinoStore(); global.theDefaults = new FLOWRIG_T.Config().values;`;
/** Record bytes: 13 header + row count + 17 rows of key and two i32 + CRC. */
const CONFIG_RECORD_BYTES = 13 + 1 + CONFIG_KEYS.length * 9 + 2;
/** Where a key's value sits in Config.values: two slots per key, pump A then B. */
const slot = (name: string, index = 0) => CONFIG_KEYS.findIndex((k) => k.name === name) * 2 + index;

async function board(options: { storageDir?: string; storageBytes?: number } = {}): Promise<StorageBoard> {
  const b = await storageBoard(options);
  b.emu.evaluate(SETUP);
  return b;
}

function defaults(b: StorageBoard): number[] {
  return b.js(`[].slice.call(theDefaults)`);
}

/** A configuration differing from the defaults in a few values (scaled by k so A, B, C differ). */
function variant(base: number[], k: number): number[] {
  const v = base.slice();
  v[slot("maxRateUlPerH", 0)] = 1000000 * k;
  v[slot("maxRateUlPerH", 1)] = 2000000 * k;
  v[slot("innerDiameterUm", 0)] = 15000 + k;
  v[slot("hostLossPolicy")] = k % 2;
  return v;
}

function save(b: StorageBoard, values: number[]): boolean {
  return b.js(`FLOWRIG_T.saveConfig(theStore, new Int32Array(${JSON.stringify(values)}))`);
}

function load(b: StorageBoard): { values: number[]; corrupt: boolean } {
  return b.js(`(function (r) { return { values: [].slice.call(r.values), corrupt: r.corrupt }; })(FLOWRIG_T.loadConfig(theStore, theDefaults))`);
}

test("a fresh board loads the defaults, not corrupt; save and load round-trip, also after a reboot", async () => {
  const b = await board();
  const d = defaults(b);
  assert.equal(load(b), { values: d, corrupt: false });
  const a = variant(d, 3);
  assert.is(save(b, a), true);
  assert.equal(load(b), { values: a, corrupt: false });
  const c = variant(d, 4);
  assert.is(save(b, c), true);
  b.emu.powerCut();
  b.reboot();
  b.emu.evaluate(SETUP);
  assert.equal(load(b), { values: c, corrupt: false });
  assert.equal(b.js(`theStore.list("flowrig.cfg").sort()`), ["flowrig.cfg.0", "flowrig.cfg.1"], "two alternating copies");
  assert.equal(b.emu.errors, []);
});

test("a power cut after every possible byte count of a save leaves the old or the new configuration, never garbage", async () => {
  const template = await board();
  const d = defaults(template);
  const [a, bValues, c] = [variant(d, 1), variant(d, 2), variant(d, 3)];
  // Scenario 1: only the old record exists. Scenario 2: two generations exist; the cut overwrites the older copy.
  const oneCopy = mkdtempSync(join(tmpdir(), "flowrig-cfg-"));
  const first = await board({ storageDir: oneCopy });
  save(first, a);
  const twoCopies = mkdtempSync(join(tmpdir(), "flowrig-cfg-"));
  const second = await board({ storageDir: twoCopies });
  save(second, a);
  save(second, bValues);
  const scenarios: [string, number[], number[]][] = [[oneCopy, a, bValues], [twoCopies, bValues, c]];
  for (const [dir, before, after] of scenarios) {
    for (let n = 0; n <= CONFIG_RECORD_BYTES + 1; n++) {
      const copy = mkdtempSync(join(tmpdir(), "flowrig-cfg-"));
      cpSync(dir, copy, { recursive: true });
      const b = await board({ storageDir: copy });
      b.emu.storageFaults.cutAfterBytes(n);
      b.emu.evaluate(`FLOWRIG_T.saveConfig(theStore, ${JSON.stringify(after)})`);
      assert.is(b.emu.poweredOn, n > CONFIG_RECORD_BYTES, `n = ${n}`);
      b.reboot();
      b.emu.evaluate(SETUP);
      const got = load(b);
      assert.equal(got, { values: n < CONFIG_RECORD_BYTES ? before : after, corrupt: false }, `cut after ${n} bytes`);
      assert.equal(b.emu.errors, []);
    }
  }
});

test("every single damaged byte of the only copy: defaults and corrupt; a damaged newest copy falls back to the older one", async () => {
  const b = await board();
  const d = defaults(b);
  save(b, variant(d, 5));
  const file = join(b.storageDir, "flowrig.cfg.0");
  const good = readFileSync(file);
  assert.is(good.length, CONFIG_RECORD_BYTES);
  for (let i = 0; i < good.length; i++) {
    const bad = Buffer.from(good);
    bad[i] ^= 0x10;
    writeFileSync(file, bad);
    assert.equal(load(b), { values: d, corrupt: true }, `byte ${i} damaged`);
  }
  writeFileSync(file, good.subarray(0, 40));
  assert.equal(load(b), { values: d, corrupt: true }, "truncated");
  writeFileSync(file, good);
  save(b, variant(d, 6));
  const newest = join(b.storageDir, "flowrig.cfg.1");
  const bad = readFileSync(newest);
  bad[20] ^= 1;
  writeFileSync(newest, bad);
  assert.equal(load(b), { values: variant(d, 5), corrupt: false });
  assert.is(save(b, variant(d, 7)), true, "the damaged copy is the one overwritten");
  assert.equal(load(b), { values: variant(d, 7), corrupt: false });
  assert.equal(b.emu.errors, []);
});

test("stored values out of range are refused (defaults, corrupt); unknown keys are ignored, missing keys keep defaults", async () => {
  const b = await board();
  const d = defaults(b);
  const v = variant(d, 1);
  v[slot("maxRateUlPerH", 0)] = 30000000; // above maxRateUlPerH's 20 000 000
  save(b, v);
  const got = load(b);
  assert.is(got.corrupt, true);
  assert.is(got.values[14], d[14], "the refused value keeps its default");
  assert.is(got.values[slot("maxRateUlPerH", 1)], v[slot("maxRateUlPerH", 1)], "the others are loaded");
  // A record from a firmware with another key table: key 99 unknown, key 8 known, the rest missing.
  b.js(`FLOWRIG_T.saveRecord(theStore, FLOWRIG_T.CONFIG_FILE, FLOWRIG_T.CONFIG_KIND,
    FLOWRIG_T.u8(2) + FLOWRIG_T.u8(99) + FLOWRIG_T.u32(1) + FLOWRIG_T.u32(2) + FLOWRIG_T.u8(8) + FLOWRIG_T.u32(123) + FLOWRIG_T.u32(456))`);
  const other = d.slice();
  other[14] = 123;
  other[15] = 456;
  assert.equal(load(b), { values: other, corrupt: false });
  // A record of another kind in the config's file is not read as configuration.
  b.js(`FLOWRIG_T.saveRecord(theStore, FLOWRIG_T.CONFIG_FILE, 0x50524701, "xyz")`);
  b.js(`FLOWRIG_T.saveRecord(theStore, FLOWRIG_T.CONFIG_FILE, 0x50524701, "xyz")`);
  assert.equal(load(b), { values: d, corrupt: true });
  assert.equal(b.emu.errors, []);
});

test("boot count: 1 on a fresh board, +1 every boot; a power cut during the bump loses at most that boot", async () => {
  const b = await board();
  assert.equal([1, 2, 3].map(() => { const n = b.js(`FLOWRIG_T.bumpBootCount(theStore)`); b.reboot(); b.emu.evaluate(SETUP); return n; }), [1, 2, 3]);
  const size = 13 + 4 + 2;
  for (let n = 0; n <= size; n++) {
    const dir = mkdtempSync(join(tmpdir(), "flowrig-boot-"));
    cpSync(b.storageDir, dir, { recursive: true });
    const c = await board({ storageDir: dir });
    c.emu.storageFaults.cutAfterBytes(n);
    c.emu.evaluate(`FLOWRIG_T.bumpBootCount(theStore)`);
    c.reboot();
    c.emu.evaluate(SETUP);
    assert.is(c.js(`FLOWRIG_T.bumpBootCount(theStore)`), n < size ? 4 : 5, `cut after ${n} bytes`);
  }
});

test("EspruinoStore: binary files, append logs across chunks, list by prefix, erase, and refusals on a full flash", async () => {
  const b = await board({ storageBytes: 16384 });
  assert.is(b.js(`theStore.read("flowrig.none")`), undefined);
  const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
  assert.is(b.js(`theStore.write("flowrig.bin", (function () { var s = ""; for (var i = 0; i < 256; i++) s += String.fromCharCode(i); return s; })())`), true);
  assert.is(b.js(`theStore.read("flowrig.bin")`), all, "all 256 byte values");
  const line = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(3); // 108 bytes
  b.js(`(function () { for (var i = 0; i < 50; i++) theStore.append("flowrig.log", "${line}"); return 0; })()`);
  assert.is(b.js(`theStore.read("flowrig.log")`), line.repeat(50), "5400 bytes: over two 4064-byte chunks");
  b.js(`theStore.write("other", "x")`);
  assert.equal(b.js(`theStore.list("flowrig.").sort()`), ["flowrig.bin", "flowrig.log"]);
  b.js(`theStore.erase("flowrig.log")`);
  b.js(`theStore.erase("flowrig.bin")`);
  b.js(`theStore.erase("flowrig.none")`);
  assert.equal(b.js(`[theStore.list("flowrig."), theStore.read("flowrig.log") === undefined]`), [[], true]);
  const big = "y".repeat(20000);
  assert.is(b.js(`theStore.write("flowrig.big", "${big}")`), false, "no room: false, no exception");
  let appended = true;
  for (let i = 0; i < 20 && appended; i++) appended = b.js(`theStore.append("flowrig.full", "${"z".repeat(1000)}")`);
  assert.is(appended, false, "an append log that cannot grow: false");
  assert.equal(b.emu.errors, []);
});

test.run();
