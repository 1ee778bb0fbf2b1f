// A run's samples.csv: append-only, crash-safe, resumable writer (one line per board sample) and its reader.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, truncateSync, writeSync } from "node:fs";
import { sampleFlagNames } from "../../protocol/names.ts";
import type { SampleRecord } from "../client/sample-sink.ts";
import { csvField, splitCsvLine } from "./csv.ts";

/** Rates in mL/h; pl and dark in millionths of the sensor's full scale (integers, as the board logs them). */
export const SAMPLES_HEADER = "board_time_s,host_time_iso,seq,segment,tag,label,precursor_ml_h,antisolvent_ml_h,pl,dark,flags";

/** A samples.csv line read back. */
export interface SampleRow {
  boardTimeS: number; hostTimeIso: string; seq: number; segment?: number; tag?: number; label: string;
  precursorMlPerH: number; antisolventMlPerH: number; pl: number; dark: number; flags: string[];
}

/** Integer thousandths as an exact decimal with trailing zeros dropped: 60000 → "60", 1250 → "1.25". */
function thousandths(value: number): string {
  const abs = Math.abs(value);
  const frac = String(abs % 1000).padStart(3, "0").replace(/0+$/, "");
  return `${value < 0 ? "-" : ""}${Math.floor(abs / 1000)}${frac === "" ? "" : `.${frac}`}`;
}

function requireInteger(name: string, value: number, seq: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`sample ${seq}: ${name} must be an integer, got ${value}`);
}

/** The CSV line (with "\n") of one sample. */
export function formatSampleLine(r: SampleRecord): string {
  requireInteger("seq", r.seq, r.seq);
  for (const [name, v] of [["boardTimeMs", r.boardTimeMs], ["precursorUlPerH", r.precursorUlPerH],
    ["antisolventUlPerH", r.antisolventUlPerH], ["plUfs", r.plUfs], ["darkUfs", r.darkUfs], ["flags", r.flags]] as const) {
    requireInteger(name, v, r.seq);
  }
  const none = r.segment === undefined || r.segment === 0xffff;
  const host = typeof r.hostTime === "string" ? r.hostTime : r.hostTime.toISOString();
  return [(r.boardTimeMs / 1000).toFixed(3), host, String(r.seq), none ? "" : String(r.segment),
    none || r.tag === undefined ? "" : String(r.tag), csvField(r.label ?? ""), thousandths(r.precursorUlPerH),
    thousandths(r.antisolventUlPerH), String(r.plUfs), String(r.darkUfs), sampleFlagNames(r.flags).join("|")].join(",") + "\n";
}

/** What is on disk: the last complete sample's seq and board time (ms), where complete lines end, and the bytes of a partial last line. */
export interface SamplesFileState { lastSeq: number | undefined; lastBoardMs: number | undefined; completeBytes: number; partialBytes: number }

/** Reads only the file's tail, so it is quick on a 100-day log. A missing file is an empty one. */
export function samplesFileState(file: string): SamplesFileState {
  if (!existsSync(file)) return { lastSeq: undefined, lastBoardMs: undefined, completeBytes: 0, partialBytes: 0 };
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    let tail = "";
    let start = size;
    // Grow the tail until it holds the last complete line and the newline before it (or the file's start).
    while (start > 0) {
      const from = Math.max(0, start - 65536);
      const buf = Buffer.alloc(start - from);
      readSync(fd, buf, 0, buf.length, from);
      tail = buf.toString("latin1") + tail;
      start = from;
      const lastNl = tail.lastIndexOf("\n");
      if (lastNl >= 0 && tail.lastIndexOf("\n", lastNl - 1) >= 0) break;
    }
    const lastNl = tail.lastIndexOf("\n");
    if (lastNl < 0) return { lastSeq: undefined, lastBoardMs: undefined, completeBytes: 0, partialBytes: size };
    const completeBytes = start + lastNl + 1;
    const line = Buffer.from(tail.slice(tail.lastIndexOf("\n", lastNl - 1) + 1, lastNl), "latin1").toString("utf8");
    const state = { completeBytes, partialBytes: size - completeBytes };
    if (line === SAMPLES_HEADER) return { lastSeq: undefined, lastBoardMs: undefined, ...state };
    const fields = splitCsvLine(line);
    const seq = Number(fields[2]);
    const boardTimeS = Number(fields[0]);
    if (!Number.isSafeInteger(seq) || seq < 0) throw new SyntaxError(`${file}: last complete line has no valid seq: ${line}`);
    if (!Number.isFinite(boardTimeS)) throw new SyntaxError(`${file}: last complete line has no valid board time: ${line}`);
    return { lastSeq: seq, lastBoardMs: Math.round(boardTimeS * 1000), ...state };
  } finally {
    closeSync(fd);
  }
}

/** The seq of the last complete line, undefined if none; a partial line after it is ignored. */
export function lastSeq(file: string): number | undefined {
  return samplesFileState(file).lastSeq;
}

export interface SamplesWriterOptions {
  /** fsync after every append (default true): what append() returned is on disk, so the board may free it. */
  sync?: boolean;
}

function readHead(file: string, bytes: number): string {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Appends samples to one samples.csv; open it with openSamplesCsv. */
export class SamplesCsvWriter {
  /** Bytes of a partial last line removed when the file was opened (0 normally). */
  readonly truncatedBytes: number;
  private fd: number | undefined;
  private last: number | undefined;
  private lastMs: number | undefined;
  private readonly sync: boolean;

  constructor(readonly file: string, options: SamplesWriterOptions = {}) {
    this.sync = options.sync ?? true;
    const state = samplesFileState(file);
    if (state.completeBytes > 0) {
      if (readHead(file, SAMPLES_HEADER.length + 1) !== SAMPLES_HEADER + "\n") throw new Error(`${file} is not a flowrig samples.csv (header differs): refusing to append`);
    }
    if (state.partialBytes > 0) truncateSync(file, state.completeBytes);
    this.truncatedBytes = state.partialBytes;
    this.last = state.lastSeq;
    this.lastMs = state.lastBoardMs;
    this.fd = openSync(file, "a");
    if (state.completeBytes === 0) this.write(SAMPLES_HEADER + "\n");
  }

  /** The last seq on disk, undefined before the first sample. */
  get lastSeq(): number | undefined { return this.last; }

  /** Board time (ms) of the last sample on disk, undefined before the first: where the board clock is unwrapped from. */
  get lastBoardMs(): number | undefined { return this.lastMs; }

  /** Appends samples in seq order; each must be the previous seq + 1 (any seq may start an empty file). */
  append(records: SampleRecord | readonly SampleRecord[]): void {
    const list = Array.isArray(records) ? records : [records as SampleRecord];
    let expected = this.last;
    const lines = list.map((r) => {
      if (expected !== undefined && r.seq !== expected + 1) {
        throw new RangeError(`${this.file}: sample seq ${r.seq} does not follow the last seq ${expected} (expected ${expected + 1})`);
      }
      expected = r.seq;
      return formatSampleLine(r);
    });
    if (lines.length === 0) return;
    this.write(lines.join(""));
    this.last = expected;
    this.lastMs = list[list.length - 1].boardTimeMs;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(text: string): void {
    if (this.fd === undefined) throw new Error(`${this.file}: writer is closed`);
    const buf = Buffer.from(text, "utf8");
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    if (this.sync) fsyncSync(this.fd);
  }
}

/** Opens samples.csv for appending: creates it with the header, or resumes after the last complete line. */
export function openSamplesCsv(file: string, options: SamplesWriterOptions = {}): SamplesCsvWriter {
  return new SamplesCsvWriter(file, options);
}

/** Every complete sample line of a samples.csv (a partial last line is skipped). */
export function readSamplesCsv(file: string): SampleRow[] {
  const text = readFileSync(file, "utf8");
  const lines = text.slice(0, text.lastIndexOf("\n") + 1).split("\n").slice(1, -1);
  return lines.map((line) => {
    const f = splitCsvLine(line);
    const opt = (s: string) => (s === "" ? undefined : Number(s));
    return {
      boardTimeS: Number(f[0]), hostTimeIso: f[1], seq: Number(f[2]), segment: opt(f[3]), tag: opt(f[4]), label: f[5],
      precursorMlPerH: Number(f[6]), antisolventMlPerH: Number(f[7]), pl: Number(f[8]), dark: Number(f[9]),
      flags: f[10] === "" || f[10] === undefined ? [] : f[10].split("|"),
    };
  });
}
