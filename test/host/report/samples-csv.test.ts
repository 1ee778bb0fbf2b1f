// samples.csv: exact formatting, seq continuity, resume after a crash that left a partial line.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { appendFileSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  SAMPLES_HEADER, formatSampleLine, lastSeq, openSamplesCsv, readSamplesCsv, samplesFileState,
} from "../../../host/report/samples-csv.ts";
import { unwrapBoardMs, type SampleRecord } from "../../../host/client/sample-sink.ts";

const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), "flowrig-samples-")); made.push(d); return d; };
test.after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const tmpFile = () => join(tmp(), "samples.csv");
const sample = (seq: number, over: Partial<SampleRecord> = {}): SampleRecord => ({
  boardTimeMs: 10000 + seq * 1000, hostTime: new Date(Date.UTC(2025, 0, 2, 3, 4, 5) + seq * 1000), seq, segment: 0, tag: 7,
  label: "tol 5000", precursorUlPerH: 60000, antisolventUlPerH: 5000000, plUfs: 412345, darkUfs: 1234, flags: 0, ...over,
});

test("a line: board s with ms, exact mL/h from µL/h, integer PL, flag names joined by |", () => {
  assert.is(formatSampleLine(sample(3, { precursorUlPerH: 1250, antisolventUlPerH: -7, flags: 0b10101, label: 'a, "b"' })),
    '13.000,2025-01-02T03:04:08.000Z,3,0,7,"a, ""b""",1.25,-0.007,412345,1234,saturated|ramping|spilled\n');
  assert.is(formatSampleLine(sample(1, { segment: 0xffff })).split(",").slice(3, 5).join(","), ",");
  assert.throws(() => formatSampleLine(sample(1, { plUfs: 0.5 })), /plUfs must be an integer/);
});

test("written samples read back; lastSeq continues where the file ends", () => {
  const file = tmpFile();
  const w = openSamplesCsv(file);
  assert.is(w.lastSeq, undefined);
  w.append([sample(40), sample(41), sample(42, { flags: 0b1000, label: "x,y" })]);
  w.close();
  assert.is(readFileSync(file, "utf8").split("\n")[0], SAMPLES_HEADER);
  assert.is(lastSeq(file), 42);
  const rows = readSamplesCsv(file);
  assert.equal(rows.map((r) => r.seq), [40, 41, 42]);
  assert.equal(rows[2], { boardTimeS: 52, hostTimeIso: "2025-01-02T03:04:47.000Z", seq: 42, segment: 0, tag: 7, label: "x,y",
    precursorMlPerH: 60, antisolventMlPerH: 5000, pl: 412345, dark: 1234, flags: ["manual"] });
  const again = openSamplesCsv(file);
  assert.is(again.lastSeq, 42);
  again.append(sample(43));
  again.close();
  assert.is(lastSeq(file), 43);
});

test("a gap or a duplicate is refused, naming both seqs, and nothing of the batch is written", () => {
  const file = tmpFile();
  const w = openSamplesCsv(file);
  w.append(sample(0));
  assert.throws(() => w.append(sample(2)), /seq 2 does not follow the last seq 0 \(expected 1\)/);
  assert.throws(() => w.append(sample(0)), /seq 0 does not follow the last seq 0/);
  assert.throws(() => w.append([sample(1), sample(3)]), /seq 3 does not follow the last seq 1/);
  w.close();
  assert.is(lastSeq(file), 0);
  assert.is(readSamplesCsv(file).length, 1);
});

test("a crash mid-line: lastSeq ignores the partial line, the resumed writer truncates it and continues", () => {
  const file = tmpFile();
  const w = openSamplesCsv(file);
  w.append([sample(0), sample(1), sample(2)]);
  w.close();
  const cut = formatSampleLine(sample(3)).slice(0, 25);
  appendFileSync(file, cut);
  assert.equal(samplesFileState(file).partialBytes, cut.length);
  assert.is(lastSeq(file), 2);
  const resumed = openSamplesCsv(file);
  assert.is(resumed.truncatedBytes, cut.length);
  resumed.append(sample(3));
  resumed.close();
  assert.equal(readSamplesCsv(file).map((r) => r.seq), [0, 1, 2, 3]);
  assert.is(readFileSync(file, "utf8").split("\n").length, 6); // header, 4 samples, nothing after the last newline
});

test("a crash inside the header: the writer starts the file again", () => {
  const file = tmpFile();
  writeFileSync(file, SAMPLES_HEADER.slice(0, 17));
  assert.is(lastSeq(file), undefined);
  const w = openSamplesCsv(file);
  w.append(sample(5));
  w.close();
  assert.equal(readSamplesCsv(file).map((r) => r.seq), [5]);
});

test("lastSeq reads only the tail of a long file; another CSV is refused", () => {
  const file = tmpFile();
  const w = openSamplesCsv(file, { sync: false });
  for (let seq = 0; seq < 20000; seq += 500) w.append(Array.from({ length: 500 }, (_, k) => sample(seq + k)));
  w.close();
  assert.ok(readFileSync(file).length > 3 * 65536);
  assert.is(lastSeq(file), 19999);
  const other = tmpFile();
  writeFileSync(other, "a,b,c\n1,2,3\n");
  assert.throws(() => openSamplesCsv(other), /not a flowrig samples\.csv/);
});

test("the board clock unwraps across 2^32 ms", () => {
  assert.is(unwrapBoardMs(undefined, 5), 5);
  assert.is(unwrapBoardMs(2 ** 32 - 100, 50), 2 ** 32 + 50);
  assert.is(unwrapBoardMs(2 ** 32 + 50, 1050), 2 ** 32 + 1050);
  assert.is(unwrapBoardMs(1000, 900), 900);
});

test.run();
