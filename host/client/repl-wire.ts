// A transport as the flasher uses it: REPL text in and out (waiting for a marked answer) or bytes for a protocol link.
import type { LinkClock } from "../../protocol/host-link.ts";
import { FlashError, type FlashPhase } from "./flash-error.ts";
import type { ByteTransport } from "./transport.ts";

/** Bytes as text, one character per byte (the REPL's side of the port). */
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

/** Text as bytes, one byte per character (the low 8 bits, as a latin1 encoder writes them). */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** The transport as one reader and one writer: bytes go to a protocol link (`sink`) or pile up as REPL text. */
export class ReplWire {
  text = "";
  sink: ((bytes: Uint8Array) => void) | undefined;
  ended = false;
  /** Everything sent, as text (tests and error messages). */
  sent = "";
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly watchers = new Set<() => void>();
  private readonly pumping: Promise<void>;

  constructor(transport: ByteTransport, private readonly clock: LinkClock) {
    this.writer = transport.writable.getWriter();
    const reader = transport.readable.getReader();
    this.reader = reader;
    this.pumping = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (this.sink !== undefined) this.sink(value);
          else this.text += latin1(value);
          for (const w of [...this.watchers]) w();
        }
      } catch { /* released or failed: the port is gone for us */ }
      this.ended = true;
      for (const w of [...this.watchers]) w();
    })();
  }

  send(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? latin1Bytes(data) : data;
    if (typeof data === "string") this.sent += data;
    this.writer.write(bytes).catch(() => {});
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.clock.setTimer(resolve, ms); });
  }

  /** Resolves with `match(text)` once it returns something; rejects on timeout or when the port closes. */
  waitFor<T>(match: (text: string) => T | undefined, timeoutMs: number, what: string, phase: FlashPhase): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: unknown;
      const finish = (fn: () => void) => { this.watchers.delete(check); this.clock.clearTimer(timer); fn(); };
      const check = () => {
        let found: T | undefined;
        try { found = match(this.text); } catch (e) { finish(() => reject(e)); return; }
        if (found !== undefined) finish(() => resolve(found));
        else if (this.ended) finish(() => reject(new FlashError(`the port closed while waiting for ${what}`, phase)));
      };
      timer = this.clock.setTimer(() => finish(() => reject(new FlashError(
        `no answer from the board's REPL within ${timeoutMs} ms (${what}); it said: ${JSON.stringify(this.text.slice(-200))}`, phase))), timeoutMs);
      this.watchers.add(check);
      check();
    });
  }

  /** Gives the transport back to the caller (a pending read is rejected, which ends the pump). */
  async release(): Promise<void> {
    let released = true;
    try { this.reader.releaseLock(); } catch { released = false; }
    try { this.writer.releaseLock(); } catch { /* already released */ }
    if (released) await this.pumping;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, clock: LinkClock): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimer(() => resolve(undefined), ms);
    p.then((v) => { clock.clearTimer(timer); resolve(v); }, (e) => { clock.clearTimer(timer); reject(e); });
  });
}

/**
 * Runs one REPL line without echo (`\x10` prefix) and waits for the line it prints: `FLOWRIG <tag> <fields…>`.
 * An `Uncaught …` from the board fails the step with the board's words.
 */
export async function replLine(wire: ReplWire, code: string, tag: string, timeoutMs: number, phase: FlashPhase): Promise<string[]> {
  wire.text = "";
  wire.send(`\x10${code}\n`);
  const marker = `FLOWRIG ${tag}`;
  return wire.waitFor((text) => {
    const uncaught = /Uncaught [^\r\n]*/.exec(text);
    if (uncaught !== null) throw new FlashError(`the board refused ${tag}: ${uncaught[0]}`, phase);
    const at = text.indexOf(marker);
    if (at < 0) return undefined;
    const eol = text.indexOf("\n", at);
    if (eol < 0) return undefined;
    return text.slice(at + marker.length, eol).trim().split(/\s+/).filter((f) => f !== "");
  }, timeoutMs, tag, phase);
}
