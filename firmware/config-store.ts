// Power-cut-safe records in flash (two alternating copies with a generation and a CRC), and the configuration and boot count kept in them.
import { CONFIG_TABLE } from "../protocol/generated.ts";
import { crc16String } from "./crc.ts";
import type { Store } from "./hal.ts";
import { u32 as toU32 } from "./int.ts";

/** Record layout: "FR", format u8, kind u32, generation u32, payload length u16, payload, CRC-16 of all before it. */
const RECORD_FORMAT = 1;
const HEADER_BYTES = 13;
export const CONFIG_FILE = "flowrig.cfg";
/** "CFG" + payload layout 1: row count u8, then per row key u8, value A i32, value B i32 (keys named, so a firmware with another key table reads what it knows). */
export const CONFIG_KIND = 0x43464701;
const BOOT_FILE = "flowrig.boot";
const BOOT_KIND = 0x424f4f01;
const COLUMNS = 5;

export function u8(v: number): string { return String.fromCharCode(v & 0xff); }
export function u16(v: number): string { return String.fromCharCode(v & 0xff) + String.fromCharCode((v >>> 8) & 0xff); }
export function u32(v: number): string { return u16(v & 0xffff) + u16(v >>> 16); }
export function readU16(s: string, at: number): number { return s.charCodeAt(at) | (s.charCodeAt(at + 1) << 8); }
export function readI32(s: string, at: number): number { return readU16(s, at) | (readU16(s, at + 2) << 16); }
export function readU32(s: string, at: number): number { return toU32(readI32(s, at)); }

/** What loadRecord found: the newest valid copy's payload (undefined if none), and whether some copy was damaged. */
export class LoadedRecord {
  payload: string | undefined;
  generation: number;
  /** Which copy (0 or 1) holds the payload; -1 if none. */
  copy: number;
  damaged: boolean;
  constructor() {
    this.payload = undefined;
    this.generation = 0;
    this.copy = -1;
    this.damaged = false;
  }
}

/** The payload of one stored copy if it is whole and of this kind, else undefined. */
function validPayload(s: string, kind: number): string | undefined {
  if (s.length < HEADER_BYTES + 2 || s.charCodeAt(0) !== 70 || s.charCodeAt(1) !== 82) return undefined;
  if (s.charCodeAt(2) !== RECORD_FORMAT || readU32(s, 3) !== toU32(kind)) return undefined;
  const end = HEADER_BYTES + readU16(s, 11);
  if (s.length !== end + 2 || crc16String(0xffff, s, 0, end) !== readU16(s, end)) return undefined;
  return s.substr(HEADER_BYTES, end - HEADER_BYTES);
}

/** Reads both copies `base`.0 and `base`.1 and picks the valid one with the higher generation. */
export function loadRecord(store: Store, base: string, kind: number): LoadedRecord {
  const r = new LoadedRecord();
  for (let c = 0; c < 2; c++) {
    const s = store.read(base + "." + c);
    if (s === undefined) continue;
    const payload = validPayload(s, kind);
    if (payload === undefined) { r.damaged = true; continue; }
    const generation = readU32(s, 7);
    if (r.copy < 0 || generation > r.generation) {
      r.payload = payload;
      r.generation = generation;
      r.copy = c;
    }
  }
  return r;
}

/**
 * Writes the payload over the copy that does not hold the newest record, one generation up, and reads it back.
 * A power cut at any byte leaves the newest record readable as it was. False if the flash refused.
 */
export function writeRecord(store: Store, base: string, kind: number, payload: string, last: LoadedRecord): boolean {
  const copy = last.copy === 0 ? 1 : 0;
  const generation = last.copy < 0 ? 1 : last.generation + 1;
  let s = "FR" + u8(RECORD_FORMAT) + u32(kind) + u32(generation) + u16(payload.length) + payload;
  s += u16(crc16String(0xffff, s, 0, s.length));
  const name = base + "." + copy;
  if (!store.write(name, s)) return false;
  return store.read(name) === s;
}

export function saveRecord(store: Store, base: string, kind: number, payload: string): boolean {
  return writeRecord(store, base, kind, payload, loadRecord(store, base, kind));
}

export interface LoadedConfig {
  values: Int32Array;
  /** True when a stored configuration exists but could not be used (wholly or for some key): defaults in use. */
  corrupt: boolean;
}

/** configSave: stores the Config values (two per CONFIG_TABLE row). False if the flash refused. */
export function saveConfig(store: Store, values: Int32Array): boolean {
  const rows = CONFIG_TABLE.length / COLUMNS;
  let payload = u8(rows);
  for (let r = 0; r < rows; r++) payload += u8(CONFIG_TABLE[r * COLUMNS]) + u32(values[r * 2]) + u32(values[r * 2 + 1]);
  return saveRecord(store, CONFIG_FILE, CONFIG_KIND, payload);
}

/** The stored configuration over a copy of the defaults; never throws. Unknown keys are ignored, out-of-range values refused. */
export function loadConfig(store: Store, defaults: Int32Array): LoadedConfig {
  const values = new Int32Array(defaults.length);
  for (let i = 0; i < defaults.length; i++) values[i] = defaults[i];
  const r = loadRecord(store, CONFIG_FILE, CONFIG_KIND);
  const p = r.payload;
  if (p === undefined) return { values: values, corrupt: r.damaged };
  const count = p.length > 0 ? p.charCodeAt(0) : 0;
  if (p.length !== 1 + count * 9) return { values: values, corrupt: true };
  let corrupt = false;
  for (let k = 0; k < count; k++) {
    const at = 1 + k * 9;
    const key = p.charCodeAt(at);
    let row = -1;
    for (let t = 0; t < CONFIG_TABLE.length; t += COLUMNS) if (CONFIG_TABLE[t] === key) row = t;
    if (row < 0) continue;
    for (let index = 0; index < 2; index++) {
      const v = readI32(p, at + 1 + index * 4);
      if (v < CONFIG_TABLE[row + 2] || v > CONFIG_TABLE[row + 3]) corrupt = true;
      else values[(row / COLUMNS) * 2 + index] = v;
    }
  }
  return { values: values, corrupt: corrupt };
}

/** Counts this boot: reads the stored count, stores it plus one (power-cut safe) and returns it (1 on a fresh board). */
export function bumpBootCount(store: Store): number {
  const last = loadRecord(store, BOOT_FILE, BOOT_KIND);
  const p = last.payload;
  const count = (p !== undefined && p.length === 4 ? readU32(p, 0) : 0) + 1;
  writeRecord(store, BOOT_FILE, BOOT_KIND, u32(count), last);
  return count;
}
