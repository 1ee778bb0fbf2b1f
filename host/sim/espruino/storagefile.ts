// StorageFile (require("Storage").open): append-only files stored as chunks "name\x01", "name\x02", … ended by 0xFF.
import type { Runtime } from "./runtime.ts";
import type { FlashStorage } from "./storage.ts";
import { bytesToBinaryString } from "./bytes.ts";

type FileObj = Record<string, unknown>;
const R = "r".charCodeAt(0), W = "w".charCodeAt(0), A = "a".charCodeAt(0);

export class StorageFiles {
  constructor(private readonly rt: Runtime, private readonly flash: FlashStorage, private readonly chunkBytes: number) {}

  /** jswrap_storage_open: 'w' erases, 'a' finds the first chunk whose last byte is still erased and its end. */
  open(f: FileObj, name: unknown, mode: unknown): FileObj {
    const m = mode === "r" ? R : mode === "w" ? W : mode === "a" ? A : 0;
    if (m === 0) throw this.rt.newError("Error", `Invalid mode ${JSON.stringify(mode)}`);
    f.name = String(name);
    let chunk = 1;
    let offset = 0;
    if (m === W) this.erase(f);
    if (m === A) {
      let bytes = this.chunk(f, chunk);
      while (bytes !== undefined && bytes[bytes.length - 1] !== 0xff && chunk < 255) bytes = this.chunk(f, ++chunk);
      if (bytes !== undefined) while (offset < bytes.length && bytes[offset] !== 0xff) offset++;
    }
    f.chunk = chunk;
    f.offset = offset;
    f.mode = m;
    return f;
  }

  /** jswrap_storagefile_read_internal: `len` < 0 reads a line (up to and including "\n"). */
  read(f: FileObj, lenIn: number): string | undefined {
    if (f.mode !== R) throw this.rt.newError("Error", "Can't read in this mode");
    const readLine = lenIn < 0;
    let len = readLine ? Infinity : Math.max(0, lenIn);
    let chunk = Number(f.chunk);
    let offset = Number(f.offset);
    let bytes = this.chunk(f, chunk);
    if (bytes === undefined) return undefined;
    const out: number[] = [];
    while (len > 0) {
      if (offset >= bytes.length) {
        offset = 0;
        bytes = chunk === 255 ? undefined : this.chunk(f, ++chunk);
        f.chunk = chunk;
        f.offset = 0;
        if (bytes === undefined) break;
      }
      const b = bytes[offset];
      if (b === 0xff) break;
      out.push(b);
      offset++;
      len--;
      if (readLine && b === 10) break;
    }
    if (bytes !== undefined) f.offset = offset;
    return out.length === 0 ? undefined : bytesToBinaryString(out);
  }

  /** jswrap_storagefile_write: append; a full chunk is topped up and the rest starts the next chunk. */
  write(f: FileObj, dataIn: unknown): void {
    if (f.mode !== W && f.mode !== A) throw this.rt.newError("Error", "Can't write in this mode");
    const data = String(dataIn);
    if (data.length === 0) return;
    const chunk = Number(f.chunk);
    const offset = Number(f.offset);
    const file = this.flash.find(this.chunkName(f, chunk));
    if (file === undefined) {
      if (!this.create(f, chunk, data)) return;
      f.offset = data.length;
      return;
    }
    const content = this.chunk(f, chunk)!;
    const remaining = content.length - offset;
    const bytes = [...data].map((c) => c.charCodeAt(0) & 0xff);
    if (bytes.length < remaining) {
      this.flash.land(file, content, offset, bytes);
      f.offset = offset + bytes.length;
      return;
    }
    this.flash.land(file, content, offset, bytes.slice(0, remaining));
    f.offset = offset + remaining;
    if (chunk === 255) throw this.rt.newError("Error", "File too big!");
    const rest = data.slice(remaining);
    if (rest.length === 0) { f.chunk = chunk + 1; f.offset = 0; return; }
    if (!this.create(f, chunk + 1, rest)) return;
    f.chunk = chunk + 1;
    f.offset = rest.length;
  }

  erase(f: FileObj): void {
    for (let chunk = 1; chunk <= 255 && this.flash.erase(this.chunkName(f, chunk)); chunk++);
    f.chunk = 1;
    f.offset = 0;
    f.mode = 0;
  }

  getLength(f: FileObj): number {
    let length = 0;
    for (let chunk = 1; chunk <= 255; chunk++) {
      const bytes = this.chunk(f, chunk);
      if (bytes === undefined) break;
      const end = bytes.indexOf(0xff);
      if (end >= 0) return length + end;
      length += bytes.length;
    }
    return length;
  }

  private create(f: FileObj, chunk: number, data: string): boolean {
    try {
      return this.flash.write(this.chunkName(f, chunk), data, 0, this.chunkBytes, true);
    } catch (e) {
      f.mode = 0;
      throw e;
    }
  }

  private chunkName(f: FileObj, chunk: number): string {
    return String(f.name) + String.fromCharCode(chunk);
  }

  private chunk(f: FileObj, chunk: number): Uint8Array | undefined {
    return this.flash.readBytes(this.chunkName(f, chunk));
  }
}
