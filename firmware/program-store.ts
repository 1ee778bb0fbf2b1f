// Programs loaded over the protocol (begin, segments, commit) and kept in flash, power-cut safe, so they run without a host.
import { ERR_BAD_ARGUMENT, ERR_NOT_FOUND, ERR_STORAGE, MSG_ERROR, MSG_OK, MSG_PROGRAM_INFO } from "../protocol/generated.ts";
import { loadRecord, readI32, readU16, readU32, saveRecord, u16, u32, u8 } from "./config-store.ts";
import { crc16Bytes } from "./crc.ts";
import type { Store } from "./hal.ts";
import { MAX_NAME_LENGTH, MAX_PROGRAM_MS, MAX_RATE_UL_PER_H, MAX_SEGMENTS, MAX_SEGMENT_MS, PROGRAM_SLOTS } from "../protocol/limits.ts";

/** "PRG" + payload layout 1: name (u8 length + bytes), segments u16, totalMs u32, checksum u16, then 18 bytes a segment. */
const PROGRAM_KIND = 0x50524701;
const SEGMENT_BYTES = 18;

function refuse(code: number, field: number, limit: number): any[] {
  return [MSG_ERROR, [code, field, limit]];
}

/** A program's segments in typed arrays (18 bytes a segment). */
export class Program {
  name: string; segments: number; totalMs: number; checksum: number;
  durationMs: Uint32Array; rateA: Int32Array; rateB: Int32Array; rampMs: Uint32Array; tag: Uint16Array;
  constructor(name: string, segments: number) {
    this.name = name; this.segments = segments; this.totalMs = 0; this.checksum = 0;
    this.durationMs = new Uint32Array(segments); this.rateA = new Int32Array(segments); this.rateB = new Int32Array(segments);
    this.rampMs = new Uint32Array(segments); this.tag = new Uint16Array(segments);
  }
}

export interface ProgramStoreOptions {
  store: Store;
  /** File name prefix (default "flowrig.p"): slot n is kept in prefix + n + ".0" / ".1". */
  prefix?: string;
}

export class ProgramStore {
  backing: Store; prefix: string;
  /** The program being loaded (undefined when none), its slot, the next segment index expected, the CRC so far. */
  loading: Program | undefined; loadingSlot: number; expected: number; crc: number;
  /** One programSegment payload, little-endian, for the checksum. */
  scratch: Uint8Array;

  constructor(options: ProgramStoreOptions) {
    this.backing = options.store;
    this.prefix = options.prefix !== undefined ? options.prefix : "flowrig.p";
    this.loading = undefined; this.loadingSlot = 0; this.expected = 0; this.crc = 0xffff;
    this.scratch = new Uint8Array(20);
  }

  /** programBegin: starts loading (dropping any unfinished load). Fields: slot 0, name 1, segments 2. */
  begin(slot: number, name: string, segments: number): any[] {
    if (slot >= PROGRAM_SLOTS) return refuse(ERR_BAD_ARGUMENT, 0, PROGRAM_SLOTS - 1);
    if (name.length > MAX_NAME_LENGTH) return refuse(ERR_BAD_ARGUMENT, 1, MAX_NAME_LENGTH);
    if (segments < 1) return refuse(ERR_BAD_ARGUMENT, 2, 1);
    if (segments > MAX_SEGMENTS) return refuse(ERR_BAD_ARGUMENT, 2, MAX_SEGMENTS);
    this.loading = undefined; // free the old arrays first
    this.loading = new Program(name, segments);
    this.loadingSlot = slot; this.expected = 0; this.crc = 0xffff;
    return [MSG_OK, []];
  }

  /** Puts v little-endian into the scratch payload at `at`. */
  put(at: number, v: number, bytes: number): void {
    for (let i = 0; i < bytes; i++) { this.scratch[at + i] = v & 0xff; v = v >>> 8; }
  }

  /** programSegment, in order. Fields: index 0, durationMs 1, rateA 2, rateB 3, rampMs 4, tag 5. */
  segment(index: number, durationMs: number, rateA: number, rateB: number, rampMs: number, tag: number): any[] {
    const p = this.loading;
    if (p === undefined) return refuse(ERR_NOT_FOUND, 255, -1);
    if (index !== this.expected) return refuse(ERR_BAD_ARGUMENT, 0, this.expected);
    if (index >= p.segments) return refuse(ERR_BAD_ARGUMENT, 0, p.segments - 1);
    if (durationMs < 1) return refuse(ERR_BAD_ARGUMENT, 1, 1);
    if (durationMs > MAX_SEGMENT_MS) return refuse(ERR_BAD_ARGUMENT, 1, MAX_SEGMENT_MS);
    if (p.totalMs + durationMs > MAX_PROGRAM_MS) return refuse(ERR_BAD_ARGUMENT, 1, MAX_PROGRAM_MS - p.totalMs);
    if (rateA > MAX_RATE_UL_PER_H) return refuse(ERR_BAD_ARGUMENT, 2, MAX_RATE_UL_PER_H);
    if (rateA < -MAX_RATE_UL_PER_H) return refuse(ERR_BAD_ARGUMENT, 2, -MAX_RATE_UL_PER_H);
    if (rateB > MAX_RATE_UL_PER_H) return refuse(ERR_BAD_ARGUMENT, 3, MAX_RATE_UL_PER_H);
    if (rateB < -MAX_RATE_UL_PER_H) return refuse(ERR_BAD_ARGUMENT, 3, -MAX_RATE_UL_PER_H);
    if (rampMs > durationMs) return refuse(ERR_BAD_ARGUMENT, 4, durationMs);
    p.durationMs[index] = durationMs; p.rateA[index] = rateA; p.rateB[index] = rateB;
    p.rampMs[index] = rampMs; p.tag[index] = tag;
    p.totalMs += durationMs;
    this.put(0, index, 2); this.put(2, durationMs, 4); this.put(6, rateA, 4); this.put(10, rateB, 4);
    this.put(14, rampMs, 4); this.put(18, tag, 2);
    this.crc = crc16Bytes(this.crc, this.scratch, 0, 20);
    this.expected = index + 1;
    return [MSG_OK, []];
  }

  /**
   * programCommit: checks the checksum, then stores the program (the slot's previous program stays intact until the
   * new one is wholly written). Fields: slot 0, checksum 1. A refused checksum drops the load (limit = the board's CRC).
   */
  commit(slot: number, checksum: number): any[] {
    const p = this.loading;
    if (p === undefined) return refuse(ERR_NOT_FOUND, 255, -1);
    if (slot !== this.loadingSlot) return refuse(ERR_BAD_ARGUMENT, 0, this.loadingSlot);
    if (this.expected !== p.segments) return refuse(ERR_NOT_FOUND, 255, this.expected);
    if (checksum !== this.crc) {
      const crc = this.crc;
      this.loading = undefined;
      return refuse(ERR_BAD_ARGUMENT, 1, crc);
    }
    p.checksum = this.crc;
    let payload = u8(p.name.length) + p.name + u16(p.segments) + u32(p.totalMs) + u16(p.checksum);
    for (let i = 0; i < p.segments; i++) {
      payload += u32(p.durationMs[i]) + u32(p.rateA[i]) + u32(p.rateB[i]) + u32(p.rampMs[i]) + u16(p.tag[i]);
    }
    this.loading = undefined;
    if (!saveRecord(this.backing, this.prefix + slot, PROGRAM_KIND, payload)) return refuse(ERR_STORAGE, 255, 0);
    return this.get(slot);
  }

  /** The program stored in a slot, checked (record CRC and segment checksum), or undefined if none or damaged. */
  load(slot: number): Program | undefined {
    if (slot >= PROGRAM_SLOTS) return undefined;
    const s = loadRecord(this.backing, this.prefix + slot, PROGRAM_KIND).payload;
    if (s === undefined || s.length < 1) return undefined;
    const nameLength = s.charCodeAt(0);
    const at = 1 + nameLength;
    if (s.length < at + 8) return undefined;
    const segments = readU16(s, at);
    if (segments < 1 || segments > MAX_SEGMENTS || s.length !== at + 8 + segments * SEGMENT_BYTES) return undefined;
    const p = new Program(s.substr(1, nameLength), segments);
    p.totalMs = readU32(s, at + 2);
    p.checksum = readU16(s, at + 6);
    let crc = 0xffff;
    for (let i = 0; i < segments; i++) {
      const o = at + 8 + i * SEGMENT_BYTES;
      p.durationMs[i] = readU32(s, o); p.rateA[i] = readI32(s, o + 4); p.rateB[i] = readI32(s, o + 8);
      p.rampMs[i] = readU32(s, o + 12); p.tag[i] = readU16(s, o + 16);
      this.put(0, i, 2);
      for (let b = 0; b < SEGMENT_BYTES; b++) this.scratch[2 + b] = s.charCodeAt(o + b);
      crc = crc16Bytes(crc, this.scratch, 0, 20);
    }
    if (crc !== p.checksum) return undefined;
    return p;
  }

  /** [slot, name, segments, totalMs, checksum]; an empty name and zeros for a free (or damaged) slot. */
  info(slot: number): any[] {
    const p = this.load(slot);
    if (p === undefined) return [slot, "", 0, 0, 0];
    return [slot, p.name, p.segments, p.totalMs, p.checksum];
  }

  /** programGet reply. Field: slot 0. */
  get(slot: number): any[] {
    if (slot >= PROGRAM_SLOTS) return refuse(ERR_BAD_ARGUMENT, 0, PROGRAM_SLOTS - 1);
    return [MSG_PROGRAM_INFO, this.info(slot)];
  }
}
