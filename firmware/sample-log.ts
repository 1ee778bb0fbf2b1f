// Sample log: numbered samples in RAM rings; unacknowledged ones spill to flash log files instead of being dropped.
// Spill files are named by boot and first seq; the previous boot's survive a reboot and the numbering continues after them.
import { ERR_BAD_ARGUMENT, FAULT_STORAGE, MSG_ERROR, MSG_OK, SAMPLE_SPILLED } from "../protocol/generated.ts";
import type { Store } from "./hal.ts";
import { idiv, u32 } from "./int.ts";

/** Bytes per spilled sample: check (seq & 0x7F), timeMs 5, segment|flags<<16 4, rateA/rateB/pl/dark 5 each; 7 bits a byte. */
const RECORD_BYTES = 30;
/** Numbers a sample takes in the RAM ring. */
const RING_FIELDS = 6;

/** Appends `n` 7-bit groups of v, low first: bytes 0..0x7F, never the 0xFF that ends a StorageFile. */
function put7(v: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    s += String.fromCharCode(v & 0x7f);
    v = v >>> 7;
  }
  return s;
}

/** Reads n 7-bit groups (low first) at `at`; five groups give a signed 32-bit value. */
function get7(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = (v << 7) | s.charCodeAt(at + i);
  return v;
}

export interface SampleLogOptions {
  store: Store;
  /** Samples held in RAM (default 256). */
  capacity?: number;
  /** Spill file name prefix (default "flowrig.s"); files are prefix + boot + "-" + first seq. */
  prefix?: string;
  /** This boot's number (default 1): the previous boot's spill files are kept, every other one is erased. */
  boot?: number;
  /** Samples per spill file (default 64; 135 fill a 4 KB StorageFile chunk). */
  samplesPerFile?: number;
  /** Spill files kept at most (default 16); beyond that the flash counts as full. */
  maxFiles?: number;
}

export class SampleLog {
  backing: Store; prefix: string; capacity: number; perFile: number; maxFiles: number;
  /**
   * The RAM ring, RING_FIELDS numbers a sample in one typed array (one array costs fewer variables than seven): time
   * (ms, stored as int32, read back unsigned), segment | flags << 16, rateA, rateB, pl, dark.
   */
  ring: Int32Array;
  /** Ring slot of `ramFirst`; the RAM ring holds seqs [ramFirst, nextSeq). */
  head: number; ramFirst: number; nextSeq: number; ackedSeq: number;
  /** Spill files, a ring of `files` entries from `fileHead`, oldest first; each holds seqs [start, start+count). */
  fileBoot: Uint32Array; fileStart: Uint32Array; fileCount: Uint16Array; fileOpen: Uint8Array;
  fileHead: number; files: number; boot: number;
  /** The first seq of this boot: samples below it were logged before the reboot (read back from its spill files). */
  bootFirst: number;
  /** Set when the flash refused a spill; cleared by the next ack that frees something. */
  blocked: boolean;
  lostCount: number;
  cacheFile: number; cacheData: string | undefined;

  constructor(options: SampleLogOptions) {
    this.backing = options.store;
    this.capacity = options.capacity !== undefined ? options.capacity : 256;
    this.prefix = options.prefix !== undefined ? options.prefix : "flowrig.s";
    this.perFile = options.samplesPerFile !== undefined ? options.samplesPerFile : 64;
    this.boot = options.boot !== undefined ? options.boot : 1;
    const names = this.backing.list(this.prefix);
    // Ring slots for the previous boot's files on top: the caller's free-space figure no longer counts their flash.
    this.maxFiles = (options.maxFiles !== undefined ? options.maxFiles : 16) + names.length;
    const n = this.capacity;
    this.ring = new Int32Array(n * RING_FIELDS);
    this.head = 0; this.ramFirst = 0; this.nextSeq = 0; this.ackedSeq = 0;
    this.fileBoot = new Uint32Array(this.maxFiles); this.fileStart = new Uint32Array(this.maxFiles);
    this.fileCount = new Uint16Array(this.maxFiles); this.fileOpen = new Uint8Array(this.maxFiles);
    this.fileHead = 0; this.files = 0;
    this.blocked = false; this.lostCount = 0;
    this.cacheFile = -1; this.cacheData = undefined;
    this.bootFirst = 0;
    this.keepPreviousBoot(names);
  }

  /**
   * What a power cut left in flash: the previous boot's spill files stay readable at their seqs, oldest first (a host
   * pulls and acknowledges them after the reboot), every other spill file is erased. This boot numbers on after them.
   */
  keepPreviousBoot(names: string[]): void {
    const keep = this.prefix + (this.boot - 1) + "-";
    for (let i = 0; i < names.length; i++) {
      const data = names[i].indexOf(keep) === 0 ? this.backing.read(names[i]) : undefined;
      const count = data !== undefined ? idiv(data.length, RECORD_BYTES) : 0;
      if (count === 0) { this.backing.erase(names[i]); continue; }
      const start = parseInt(names[i].substr(keep.length), 10);
      let k = this.files++; // insertion by first seq: the ring runs oldest first
      while (k > 0 && this.fileStart[k - 1] > start) {
        this.fileStart[k] = this.fileStart[k - 1]; this.fileCount[k] = this.fileCount[k - 1];
        k--;
      }
      this.fileStart[k] = start; this.fileCount[k] = count; this.fileBoot[k] = this.boot - 1;
      if (start + count > this.nextSeq) this.nextSeq = start + count;
    }
    if (this.files > 0) this.ackedSeq = this.fileStart[0];
    this.ramFirst = this.nextSeq; this.bootFirst = this.nextSeq;
  }

  /** The seq the next sample gets. */
  next(): number { return this.nextSeq; }
  /** Every sample below this has been acknowledged. */
  acked(): number { return this.ackedSeq; }
  /** Samples lost because RAM and flash were both full. */
  lost(): number { return this.lostCount; }
  /** Samples now in spill files. */
  spilled(): number {
    let n = 0;
    for (let k = 0; k < this.files; k++) n += this.fileCount[(this.fileHead + k) % this.maxFiles];
    return n;
  }

  /** Logs a sample. Returns 0, or FAULT_STORAGE when the flash refused a spill and the oldest RAM sample was lost. */
  add(timeMs: number, segment: number, flags: number, rateA: number, rateB: number, pl: number, dark: number): number {
    let fault = 0;
    if (this.nextSeq - this.ramFirst === this.capacity) {
      if (!this.spillOldest()) { this.lostCount++; fault = FAULT_STORAGE; }
      this.ramFirst++;
      this.head = (this.head + 1) % this.capacity;
    }
    const slot = (this.head + this.nextSeq - this.ramFirst) % this.capacity;
    const r = this.ring;
    const at = slot * RING_FIELDS;
    r[at] = timeMs; r[at + 1] = segment | (flags << 16); r[at + 2] = rateA; r[at + 3] = rateB; r[at + 4] = pl; r[at + 5] = dark;
    this.nextSeq++;
    return fault;
  }

  fileName(entry: number): string { return this.prefix + this.fileBoot[entry] + "-" + this.fileStart[entry]; }

  /** Appends the oldest RAM sample to the newest open spill file (opening one if needed); false if the flash refused. */
  spillOldest(): boolean {
    if (this.blocked) return false;
    const seq = this.ramFirst;
    const slot = this.head;
    let e = (this.fileHead + this.files - 1) % this.maxFiles;
    if (this.files === 0 || this.fileOpen[e] === 0 || this.fileStart[e] + this.fileCount[e] !== seq) {
      if (this.files > 0) this.fileOpen[e] = 0;
      if (this.files === this.maxFiles) { this.blocked = true; return false; }
      e = (this.fileHead + this.files) % this.maxFiles;
      this.fileBoot[e] = this.boot;
      this.fileStart[e] = seq; this.fileCount[e] = 0; this.fileOpen[e] = 1;
      this.files++;
    }
    const r = this.ring;
    const at = slot * RING_FIELDS;
    const data = String.fromCharCode(seq & 0x7f) + put7(r[at], 5) + put7(r[at + 1], 4) + put7(r[at + 2], 5) +
      put7(r[at + 3], 5) + put7(r[at + 4], 5) + put7(r[at + 5], 5);
    if (!this.backing.append(this.fileName(e), data)) {
      // The file may now end in a partial record: never append to it again; a fresh one holds nothing worth keeping.
      this.fileOpen[e] = 0;
      if (this.fileCount[e] === 0) { this.backing.erase(this.fileName(e)); this.files--; }
      this.blocked = true;
      return false;
    }
    this.fileCount[e]++;
    if (this.fileCount[e] === this.perFile) this.fileOpen[e] = 0;
    return true;
  }

  /** samplesAck: frees every sample below upTo (erasing spill files wholly below it). upTo > next is refused. */
  ack(upTo: number): any[] {
    if (upTo > this.nextSeq) return [MSG_ERROR, [ERR_BAD_ARGUMENT, 0, this.nextSeq]];
    if (upTo <= this.ackedSeq) return [MSG_OK, []];
    this.ackedSeq = upTo;
    this.blocked = false;
    if (upTo > this.ramFirst) {
      this.head = (this.head + upTo - this.ramFirst) % this.capacity;
      this.ramFirst = upTo;
    }
    while (this.files > 0) {
      const e = this.fileHead;
      if (this.fileStart[e] + this.fileCount[e] > upTo) break;
      this.backing.erase(this.fileName(e));
      if (this.cacheFile === e) { this.cacheFile = -1; this.cacheData = undefined; }
      this.fileHead = (e + 1) % this.maxFiles;
      this.files--;
    }
    return [MSG_OK, []];
  }

  /** The smallest seq ≥ from (and ≥ acked) that exists, or next if none. */
  locate(from: number): number {
    if (from < this.ackedSeq) from = this.ackedSeq;
    if (from >= this.ramFirst) return from < this.nextSeq ? from : this.nextSeq;
    for (let k = 0; k < this.files; k++) {
      const e = (this.fileHead + k) % this.maxFiles;
      if (from < this.fileStart[e]) return this.fileStart[e];
      if (from < this.fileStart[e] + this.fileCount[e]) return from;
    }
    return this.ramFirst;
  }

  /** One sample as the codec's record [timeMs, segment, flags, rateA, rateB, pl, dark], or undefined if it is gone. */
  record(seq: number): any[] | undefined {
    if (seq >= this.ramFirst) {
      if (seq >= this.nextSeq) return undefined;
      const slot = (this.head + seq - this.ramFirst) % this.capacity;
      const r = this.ring;
      const at = slot * RING_FIELDS;
      return [u32(r[at]), r[at + 1] & 0xffff, (r[at + 1] >>> 16) & 0xff, r[at + 2], r[at + 3], r[at + 4], r[at + 5]];
    }
    for (let k = 0; k < this.files; k++) {
      const e = (this.fileHead + k) % this.maxFiles;
      const start = this.fileStart[e];
      if (seq < start || seq >= start + this.fileCount[e]) continue;
      if (this.cacheFile !== e) { this.cacheData = this.backing.read(this.fileName(e)); this.cacheFile = e; }
      const s = this.cacheData;
      const at = (seq - start) * RECORD_BYTES;
      if (s === undefined || s.length < at + RECORD_BYTES) return undefined;
      for (let i = 0; i < RECORD_BYTES; i++) if (s.charCodeAt(at + i) > 0x7f) return undefined;
      if (s.charCodeAt(at) !== (seq & 0x7f)) return undefined;
      const sf = get7(s, at + 6, 4);
      return [u32(get7(s, at + 1, 5)), sf & 0xffff, (sf >>> 16) | SAMPLE_SPILLED, get7(s, at + 10, 5),
        get7(s, at + 15, 5), get7(s, at + 20, 5), get7(s, at + 25, 5)];
    }
    return undefined;
  }

  /**
   * samplesRead: [first, next, records], at most min(max, 2) consecutive records from the first existing seq ≥ from.
   * first > from means a gap (samples lost to a flash failure, or already acknowledged). from ≥ next: no records.
   */
  read(from: number, max: number): any[] {
    const records: any[] = [];
    if (from >= this.nextSeq) return [from, this.nextSeq, records];
    const want = max < 2 ? max : 2;
    let first = this.locate(from);
    let seq = first;
    while (records.length < want && seq < this.nextSeq) {
      const rec = this.record(seq);
      if (rec === undefined) {
        if (records.length > 0) break;
        seq = this.locate(seq + 1);
        first = seq;
        continue;
      }
      records.push(rec);
      seq++;
    }
    this.cacheFile = -1;
    this.cacheData = undefined;
    return [first, this.nextSeq, records];
  }
}
