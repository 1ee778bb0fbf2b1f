// Installs a firmware bundle on an Espruino board through its REPL, over any ByteTransport:
// protocol `repl` handback (if flowrig runs) → Ctrl-C and a REPL sync → `.bootcde` written in chunks, each answer
// checked → length and CRC-32 read back → load() → identify must show the expected board and schema.
import { crc32 } from "../../protocol/crc32.ts";
import { handshake, type Identity } from "../../protocol/handshake.ts";
import { schemaHash } from "../../protocol/hash.ts";
import { HostLink, realClock, type LinkClock } from "../../protocol/host-link.ts";
import { REPL_KEY } from "../../protocol/schema.ts";
import { FlashError, type FlashPhase } from "./flash-error.ts";
import { BOOT_FILE, DEFAULT_CHUNK_BYTES, writeLines } from "./repl-lines.ts";
import { latin1Bytes, ReplWire, replLine, withTimeout } from "./repl-wire.ts";
import type { ByteTransport } from "./transport.ts";

export interface FlashProgress {
  phase: FlashPhase;
  /** Bytes of the bundle written (and answered) so far in this attempt. */
  written: number;
  total: number;
  attempt: number;
}

export interface FlashOptions {
  /** The board profile id the new firmware must report after the reboot. */
  boardId?: string;
  /** The schema hash the new firmware must report (default: this host's). */
  schemaHash?: number;
  /** The firmware version the new firmware must report, when known. */
  firmware?: string;
  chunkBytes?: number;
  /** Whole-file rewrites after a failed read-back check (a Storage file can't be patched in place). Default 1. */
  retries?: number;
  /** How long to wait for the running firmware's identify answer before assuming the board is at the REPL. */
  identifyTimeoutMs?: number;
  /** How long one REPL line may take to answer (a flash write with a page erase is slow on a real board). */
  lineTimeoutMs?: number;
  /** How long the new firmware may take to boot and answer identify. */
  bootTimeoutMs?: number;
  clock?: LinkClock;
  onProgress?: (p: FlashProgress) => void;
  /** Human-readable notes (retries, what the board said). */
  onNote?: (text: string) => void;
}

export interface FlashResult {
  bytes: number;
  crc: number;
  chunks: number;
  attempts: number;
  /** Who answered before flashing (undefined: no flowrig firmware answered; the board was at the REPL). */
  previous?: Identity;
  /** Who answers now. */
  identity: Identity;
}

/** Installs `bundle` as the board's `.bootcde` through its REPL and checks the new firmware answers identify. */
export async function flashBundle(transport: ByteTransport, bundle: string, options: FlashOptions = {}): Promise<FlashResult> {
  for (let i = 0; i < bundle.length; i++) {
    if (bundle.charCodeAt(i) > 0x7e) throw new FlashError(`the bundle is not ASCII (character ${bundle.charCodeAt(i)} at ${i}): rebuild it`, "write");
  }
  if (bundle.length === 0) throw new FlashError("the bundle is empty", "write");
  const clock = options.clock ?? realClock;
  const total = bundle.length;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const retries = options.retries ?? 1;
  const lineTimeoutMs = options.lineTimeoutMs ?? 5000;
  const expectedHash = options.schemaHash ?? schemaHash();
  const hostCrc = crc32(latin1Bytes(bundle));
  const note = (text: string) => options.onNote?.(text);
  let attempt = 1;
  const progress = (phase: FlashPhase, written: number) => options.onProgress?.({ phase, written, total, attempt });
  const wire = new ReplWire(transport, clock);
  try {
    // 1. Is the flowrig firmware running? Then it hands the console back (pumps stop, USB.setConsole() after 200 ms).
    progress("identify", 0);
    let previous: Identity | undefined;
    const old = new HostLink((b) => wire.send(b), { clock, maxRetries: 2, initialRtoMs: 250 });
    wire.sink = (b) => old.feed(b);
    try {
      previous = await withTimeout(old.request("identify", { session: 1 + Math.floor(Math.random() * 0xfffe) }), options.identifyTimeoutMs ?? 1500, clock);
      if (previous !== undefined) {
        note(`board ${previous.board} runs firmware ${previous.firmware}: asking it for the REPL`);
        progress("handback", 0);
        await old.request("repl", { key: REPL_KEY });
      } else {
        note("no flowrig firmware answered: assuming the board is at its REPL");
      }
    } catch (e) {
      if (previous !== undefined) throw new FlashError(`firmware ${previous.firmware} did not hand over the REPL: ${(e as Error).message}`, "handback");
      note(`no flowrig firmware answered (${(e as Error).message}): assuming the board is at its REPL`);
    } finally {
      old.close();
      wire.sink = undefined;
    }

    // 2. Reach the REPL: Ctrl-C clears whatever half line is there, then a marker line must come back.
    progress("sync", 0);
    if (previous !== undefined) await wire.sleep(300);
    let synced = false;
    for (let i = 0; i < 20 && !synced; i++) {
      wire.send("\x03");
      await wire.sleep(50);
      try {
        await replLine(wire, `print("FLOWRIG","S${i}")`, `S${i}`, 400, "sync");
        synced = true;
      } catch (e) {
        if (wire.ended) throw e;
      }
    }
    if (!synced) throw new FlashError("the board's REPL never answered (is the console on another port?)", "sync");

    // 3. Write, read back, compare; a mismatch rewrites the whole file (flash can't be rewritten in place).
    const lines = writeLines(bundle, chunkBytes);
    let verified = false;
    let lastProblem = "";
    for (; attempt <= retries + 1; attempt++) {
      let written = 0;
      progress("write", 0);
      for (const l of lines) {
        const answer = await replLine(wire, l.line, `W${l.offset}`, lineTimeoutMs, "write");
        if (answer[0] !== "true") throw new FlashError(`Storage.write at offset ${l.offset} returned ${answer.join(" ") || "nothing"} (flash full?)`, "write");
        written += l.length;
        progress("write", written);
      }
      progress("verify", written);
      const [len, crc] = (await replLine(wire,
        `(function(){var s=require("Storage").read(${JSON.stringify(BOOT_FILE)});print("FLOWRIG","V",s===undefined?-1:s.length,s===undefined?0:E.CRC32(s)>>>0)})()`,
        "V", lineTimeoutMs, "verify")).map(Number);
      if (len === total && crc === hostCrc) { verified = true; break; }
      lastProblem = len !== total
        ? `${BOOT_FILE} holds ${len} bytes, the bundle has ${total}`
        : `CRC-32 of ${BOOT_FILE} is 0x${crc.toString(16).padStart(8, "0")}, the bundle's is 0x${hostCrc.toString(16).padStart(8, "0")}`;
      note(`read-back check failed (attempt ${attempt}): ${lastProblem}${attempt <= retries ? "; writing it again" : ""}`);
    }
    if (!verified) {
      attempt = retries + 1;
      // Never boot half-written code: without a .bootcde the board powers up to a bare REPL, from which it can be flashed.
      await replLine(wire, `print("FLOWRIG","E",require("Storage").erase(${JSON.stringify(BOOT_FILE)}))`, "E", lineTimeoutMs, "verify").catch(() => undefined);
      throw new FlashError(`the written firmware did not read back intact after ${retries + 1} attempt(s): ${lastProblem}. ` +
        `Nothing was rebooted; ${BOOT_FILE} was erased, the board is at its REPL. Try again (a shorter cable, --chunk 512).`, "verify");
    }

    // 4. Reboot into it: load() runs .bootcde as a power-on would (the hardware watchdog stays armed; the firmware kicks it).
    // The first sign of life is the console leaving the port ("-> LoopbackA"): until then the board is still parsing
    // its code, and bytes sent now would land in its REPL. Boot time depends on the board and the bundle: wait for it.
    progress("reboot", total);
    wire.text = "";
    wire.send(`\x10load()\n`);
    await wire.waitFor((t) => (/-> \w+\r?\n/.test(t) ? true : undefined), options.bootTimeoutMs ?? 10_000,
      "the new firmware to start (its console leaving this port)", "check").catch((e: unknown) => {
      throw new FlashError(`the new firmware did not start after load(): ${(e as Error).message}`, "check", true);
    });

    // 5. The new firmware must answer identify: the expected board and schema (and version, if given).
    progress("check", total);
    wire.text = "";
    const link = new HostLink((b) => wire.send(b), { clock });
    wire.sink = (b) => link.feed(b);
    link.feed([0]); // a delimiter: whatever console text came first ("-> LoopbackA") is not glued to the first frame
    let identity: Identity;
    try {
      const answered = await withTimeout(handshake(link, expectedHash), options.bootTimeoutMs ?? 10_000, clock);
      if (answered === undefined) throw new FlashError("the new firmware did not answer identify after load()", "check", true);
      identity = answered;
    } catch (e) {
      if (e instanceof FlashError) throw e;
      throw new FlashError(`the new firmware did not identify correctly after load(): ${(e as Error).message}`, "check", true);
    } finally {
      link.close();
      wire.sink = undefined;
    }
    if (options.boardId !== undefined && identity.board !== options.boardId) {
      throw new FlashError(`after flashing, the board reports "${identity.board}", not "${options.boardId}"`, "check", true);
    }
    if (options.firmware !== undefined && identity.firmware !== options.firmware) {
      throw new FlashError(`after flashing, the board runs firmware ${identity.firmware}, not ${options.firmware}`, "check", true);
    }
    return { bytes: total, crc: hostCrc, chunks: lines.length, attempts: attempt, previous, identity };
  } finally {
    await wire.release();
  }
}
