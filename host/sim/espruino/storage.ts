// Storage flash area (src/jsflash.c jsfWriteFile semantics) kept as one disk file per Storage file, with power-cut faults.
import fs from "node:fs";
import path from "node:path";
import type { Runtime } from "./runtime.ts";
import { PowerCutSignal } from "./runtime.ts";
import { bytesToBinaryString, toBytes } from "./bytes.ts";

const HEADER_BYTES = 32;
const SF_PREFIX = "sf~";

/** Disk names: safe characters kept, everything else `%XX`; StorageFile chunks (JSFF_STORAGEFILE) get a prefix. */
function encodeName(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    out += /[A-Za-z0-9_-]/.test(c) || (c === "." && i > 0) ? c : "%" + name.charCodeAt(i).toString(16).padStart(2, "0");
  }
  return out;
}

function decodeName(file: string): string {
  return file.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export class FlashStorage {
  /** Bytes that may still land before the injected power cut (undefined = no fault armed). */
  private cutBudget: number | undefined;
  onPowerCut: () => void = () => {};

  constructor(private readonly rt: Runtime, readonly dir: string, private readonly totalBytes: number) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Fault injection: after `n` more data bytes have been written to flash, power is cut mid-write. */
  cutAfterBytes(n: number): void {
    this.cutBudget = Math.max(0, Math.floor(n));
  }

  readBytes(name: string): Uint8Array | undefined {
    const file = this.find(name);
    return file === undefined ? undefined : new Uint8Array(fs.readFileSync(path.join(this.dir, file)));
  }

  isStorageFile(name: string): boolean {
    return this.find(name)?.startsWith(SF_PREFIX) === true;
  }

  read(name: string, offset: number, length: number): string | undefined {
    const bytes = this.readBytes(name);
    if (bytes === undefined) return undefined;
    const start = Math.min(Math.max(0, offset), bytes.length);
    const end = length > 0 ? Math.min(bytes.length, start + length) : bytes.length;
    return bytesToBinaryString(bytes.subarray(start, end));
  }

  /**
   * jsfWriteFile: size 0 means the data's length. Offset 0 (re)creates the file at `size` bytes of 0xFF unless an
   * equal-sized, still-erased one exists (identical content → nothing written). Writing at an offset needs an
   * existing file, must fit inside it, and may only land on erased (0xFF) bytes.
   */
  write(name: string, data: unknown, offset: number, sizeIn: number, storageFile = false): boolean {
    if (offset < 0 || sizeIn < 0) return false;
    const bytes = toBytes(data);
    const size = sizeIn === 0 ? bytes.length : sizeIn;
    if (size === 0) throw this.rt.newError("Error", "Can't create zero length file");
    let file = this.find(name);
    let content = file === undefined ? undefined : new Uint8Array(fs.readFileSync(path.join(this.dir, file)));
    const sameFlags = file === undefined || file.startsWith(SF_PREFIX) === storageFile;
    if (offset === 0 && (content === undefined || !sameFlags || content.length !== size || !isErased(content, 0, size))) {
      if (content !== undefined && sameFlags && content.length === size && bytes.length === size && equal(content, bytes)) return true;
      if (file !== undefined) fs.rmSync(path.join(this.dir, file));
      if (this.freeBytes() < size + HEADER_BYTES) throw this.rt.newError("Error", "Unable to find or create file");
      file = (storageFile ? SF_PREFIX : "") + encodeName(name);
      content = new Uint8Array(size).fill(0xff);
      fs.writeFileSync(path.join(this.dir, file), content);
    }
    if (file === undefined || content === undefined) throw this.rt.newError("Error", "Unable to find or create file");
    if (offset + bytes.length > content.length) throw this.rt.newError("Error", "Too much data for file size");
    if (!isErased(content, offset, bytes.length)) throw this.rt.newError("Error", "File already written with different data");
    this.land(file, content, offset, bytes);
    return true;
  }

  /** Flash-write `bytes` into an existing file at `offset` (jshFlashWrite), honouring an armed power cut. */
  land(file: string, content: Uint8Array, offset: number, bytes: ArrayLike<number>): void {
    const n = this.cutBudget === undefined ? bytes.length : Math.min(bytes.length, this.cutBudget);
    for (let i = 0; i < n; i++) content[offset + i] = bytes[i] & content[offset + i];
    if (n > 0) fs.writeFileSync(path.join(this.dir, file), content);
    if (this.cutBudget === undefined) return;
    this.cutBudget -= n;
    if (n < bytes.length || this.cutBudget === 0) {
      this.cutBudget = undefined;
      this.onPowerCut();
      throw new PowerCutSignal();
    }
  }

  /** The disk file name of a Storage file, if it exists. */
  find(name: string): string | undefined {
    const enc = encodeName(name);
    if (fs.existsSync(path.join(this.dir, enc))) return enc;
    if (fs.existsSync(path.join(this.dir, SF_PREFIX + enc))) return SF_PREFIX + enc;
    return undefined;
  }

  erase(name: string): boolean {
    const file = this.find(name);
    if (file === undefined) return false;
    fs.rmSync(path.join(this.dir, file));
    return true;
  }

  /** Names of all files; `sf` true → only StorageFile chunks, false → none of them. */
  list(sf: boolean | undefined): string[] {
    return fs.readdirSync(this.dir)
      .filter((f) => sf === undefined || f.startsWith(SF_PREFIX) === sf)
      .map((f) => decodeName(f.startsWith(SF_PREFIX) ? f.slice(SF_PREFIX.length) : f))
      .sort();
  }

  freeBytes(): number {
    let used = 0;
    for (const f of fs.readdirSync(this.dir)) used += fs.statSync(path.join(this.dir, f)).size + HEADER_BYTES;
    return Math.max(0, this.totalBytes - used);
  }
}

function isErased(b: Uint8Array, start: number, len: number): boolean {
  for (let i = start; i < start + len; i++) if (b[i] !== 0xff) return false;
  return true;
}

function equal(a: Uint8Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== (b[i] & 0xff)) return false;
  return true;
}
