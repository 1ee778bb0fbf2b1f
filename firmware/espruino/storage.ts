// Espruino HAL: the Store interface over require("Storage"), append logs being Espruino StorageFiles.
import type { Store } from "../hal.ts";

declare const require: (name: string) => any;

/** StorageFiles end at the first 0xFF byte: data appended to a log must never contain byte 0xFF. */
const END = String.fromCharCode(255);

/** Storage file names are at most 28 characters; a StorageFile's name at most 27 (one is its chunk number). */
export class EspruinoStore implements Store {
  constructor() {}

  /** A plain file's bytes, or an append log's bytes (its chunks up to the end mark); undefined if missing. */
  read(name: string): string | undefined {
    const S = require("Storage");
    const plain = S.read(name);
    if (plain !== undefined) return plain;
    let out: string | undefined = undefined;
    for (let chunk = 1; chunk < 256; chunk++) {
      const part = S.read(name + String.fromCharCode(chunk));
      if (part === undefined) break;
      const end = part.indexOf(END);
      const body = end < 0 ? part : part.substr(0, end);
      out = out === undefined ? body : out + body;
      if (end >= 0) break;
    }
    return out;
  }

  write(name: string, data: string): boolean {
    try {
      return require("Storage").write(name, data) !== false;
    } catch (e) {
      return false;
    }
  }

  /** Erases a plain file and an append log of that name. */
  erase(name: string): void {
    try {
      const S = require("Storage");
      S.erase(name);
      if (S.read(name + String.fromCharCode(1)) !== undefined) S.open(name, "r").erase();
    } catch (e) {
      // nothing to erase, or the flash refused: either way there is nothing more to do
    }
  }

  append(name: string, data: string): boolean {
    try {
      require("Storage").open(name, "a").write(data);
      return true;
    } catch (e) {
      return false;
    }
  }

  /** Names of plain files and append logs starting with prefix. */
  free(): number {
    return require("Storage").getFree();
  }

  list(prefix: string): string[] {
    const S = require("Storage");
    const out: string[] = [];
    const plain: string[] = S.list(undefined, { sf: false });
    for (let i = 0; i < plain.length; i++) {
      if (plain[i].substr(0, prefix.length) === prefix) out.push(plain[i]);
    }
    const logs: string[] = S.list(undefined, { sf: true });
    for (let i = 0; i < logs.length; i++) {
      const n = logs[i];
      if (n.charCodeAt(n.length - 1) === 1 && n.substr(0, prefix.length) === prefix) out.push(n.substr(0, n.length - 1));
    }
    return out;
  }
}
