// The host's end of the link: sequence numbers, a window of outstanding commands, retransmission with backoff.
import { encodeFrame, FRAME_DELIMITER, FrameReader } from "./frame.ts";
import { decodeMessage, encodeMessage, type Body, type CommandName, type Decoded, type ReplyOf } from "./messages.ts";
import { ERRORS, MESSAGES, WINDOW } from "./schema.ts";

/** Time source and timers; real time by default, virtual time in tests. */
export interface LinkClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: LinkClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface HostLinkOptions {
  /** Most commands outstanding at once (capped by the device's window). */
  window?: number;
  /** Retransmission timeout bounds (RFC 6298 estimate, doubled on each timeout). */
  minRtoMs?: number;
  maxRtoMs?: number;
  initialRtoMs?: number;
  /** Timeouts in a row on one command before the link is declared lost. */
  maxRetries?: number;
  clock?: LinkClock;
}

/** The device refused a command: code, the field that was wrong and the limit it crossed. */
export class DeviceError extends Error {
  constructor(readonly command: string, readonly code: number, readonly field: number, readonly limit: number, readonly fieldName?: string) {
    const name = ERRORS.find((e) => e.code === code)?.name ?? `error ${code}`;
    super(`${command} refused: ${name}${fieldName !== undefined ? ` (field ${fieldName}, limit ${limit})` : code === 5 ? ` (state ${limit})` : ""}`);
    this.name = "DeviceError";
  }
}

/** The link failed: no answer after every retry, the board restarted, or the link was closed. */
export class LinkError extends Error {
  constructor(message: string, readonly reason: "timeout" | "restarted" | "closed") {
    super(message);
    this.name = "LinkError";
  }
}

interface Outstanding {
  seq: number;
  command: string;
  frame: Uint8Array;
  sentAt: number;
  retransmitted: boolean;
  retries: number;
  resolve: (d: Decoded) => void;
  reject: (e: Error) => void;
}

export interface LinkStats {
  framesSent: number;
  retransmits: number;
  naksReceived: number;
  framesRejected: number;
  eventsMissed: number;
  srttMs: number;
  rtoMs: number;
}

/**
 * The frame with a delimiter in front: whatever a lost byte or a cut burst left half-read in the board's reader is
 * flushed as one damaged frame, never glued to this one (without it a cut burst can spoil every retransmission).
 */
function flushed(wire: number[]): number[] {
  wire.unshift(FRAME_DELIMITER);
  return wire;
}

export type EventListener = (event: Decoded, seq: number) => void;

export class HostLink {
  private reader: FrameReader;
  private clock: LinkClock;
  private nextSeq = 0;
  private inFlight: Outstanding[] = [];
  private waiting: { command: string; id: number; payload: number[]; resolve: (d: Decoded) => void; reject: (e: Error) => void }[] = [];
  private window: number;
  private readonly minRto: number;
  private readonly maxRto: number;
  private readonly maxRetries: number;
  private srtt = -1;
  private rttvar = 0;
  private rto: number;
  private lastEventSeq = -1;
  private timer: unknown = undefined;
  private lastNakExpect = -1;
  private lastNakAt = 0;
  private listeners: EventListener[] = [];
  private closed = false;
  readonly stats: LinkStats;

  /** `output` writes bytes to the wire; call `feed` with every byte that arrives. */
  constructor(private output: (bytes: Uint8Array) => void, private options: HostLinkOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.window = 1;
    this.minRto = options.minRtoMs ?? 25;
    this.maxRto = options.maxRtoMs ?? 5000;
    this.maxRetries = options.maxRetries ?? 8;
    this.rto = options.initialRtoMs ?? 250;
    this.stats = { framesSent: 0, retransmits: 0, naksReceived: 0, framesRejected: 0, eventsMissed: 0, srttMs: 0, rtoMs: this.rto };
    this.reader = new FrameReader((body) => this.onFrame(body), () => { this.stats.framesRejected++; });
  }

  feed(bytes: ArrayLike<number>): void {
    this.reader.pushAll(bytes);
  }

  onEvent(fn: EventListener): void {
    this.listeners.push(fn);
  }

  /** Sets how many commands may be outstanding (after identify tells the device's window). */
  setWindow(deviceWindow: number): void {
    this.window = Math.max(1, Math.min(deviceWindow, this.options.window ?? WINDOW, WINDOW));
    this.pump();
  }

  /** Sends a command and resolves with its reply's body; rejects with DeviceError or LinkError. */
  async request<C extends CommandName>(command: C, body: Body<C>): Promise<Body<ReplyOf<C>>> {
    const { id, payload } = encodeMessage(command, body);
    const reply = await new Promise<Decoded>((resolve, reject) => {
      if (this.closed) { reject(new LinkError("link closed", "closed")); return; }
      this.waiting.push({ command, id, payload, resolve, reject });
      this.pump();
    });
    return reply.body as Body<ReplyOf<C>>;
  }

  /** Fails everything outstanding and refuses new commands. */
  close(): void {
    this.closed = true;
    this.failAll(new LinkError("link closed", "closed"));
  }

  private pump(): void {
    // The window bounds the span from the oldest unanswered seq, so the device's reply cache always covers it.
    while (this.waiting.length > 0 && (this.inFlight.length === 0 || ((this.nextSeq - this.inFlight[0].seq) & 0xff) < this.window)) {
      // identify opens a new session (the device restarts its sequence there): send it alone.
      if (this.waiting[0].command === "identify" && this.inFlight.length > 0) break;
      const next = this.waiting.shift()!;
      if (next.command === "identify") this.lastEventSeq = -1;
      const seq = this.nextSeq;
      this.nextSeq = (this.nextSeq + 1) & 0xff;
      const entry: Outstanding = {
        seq, command: next.command, frame: Uint8Array.from(flushed(encodeFrame(seq, next.id, next.payload))),
        sentAt: 0, retransmitted: false, retries: 0, resolve: next.resolve, reject: next.reject,
      };
      this.inFlight.push(entry);
      this.transmit(entry);
    }
  }

  private transmit(entry: Outstanding): void {
    entry.sentAt = this.clock.now();
    this.stats.framesSent++;
    this.output(entry.frame);
    if (this.timer === undefined) this.armTimer();
  }

  /** One retransmission timer for the oldest unanswered command (RFC 6298 §5). */
  private armTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = this.inFlight.length === 0 ? undefined : this.clock.setTimer(() => this.onTimeout(), this.rto);
  }

  private onTimeout(): void {
    this.timer = undefined;
    const oldest = this.inFlight[0];
    if (oldest === undefined) return;
    oldest.retries++;
    if (oldest.retries > this.maxRetries) {
      this.failAll(new LinkError(`no answer to ${oldest.command} after ${this.maxRetries} retries: is the board connected and running flowrig?`, "timeout"));
      return;
    }
    this.rto = Math.min(this.maxRto, this.rto * 2);
    this.stats.rtoMs = this.rto;
    // Go back N: resend everything outstanding; the device answers what it already ran from its cache.
    for (const entry of this.inFlight) this.retransmit(entry);
    this.armTimer();
  }

  private retransmit(entry: Outstanding): void {
    entry.retransmitted = true;
    this.stats.retransmits++;
    this.transmit(entry);
  }

  private onFrame(body: number[]): void {
    const seq = body[0];
    const decoded = decodeMessage(body[1], body, 2, body.length);
    if (decoded === undefined || decoded.def.dir !== "d2h") { this.stats.framesRejected++; return; }
    if (decoded.def.kind === "event") { this.onEventFrame(decoded, seq); return; }
    if (decoded.name === "nak") { this.onNak(decoded.body.expect as number, decoded.body.code as number); return; }
    const index = this.inFlight.findIndex((e) => e.seq === seq);
    if (index < 0) return; // a duplicate reply to a retransmission already answered
    const entry = this.inFlight[index];
    this.inFlight.splice(index, 1);
    if (!entry.retransmitted) this.sampleRtt(this.clock.now() - entry.sentAt);
    if (index === 0) this.armTimer();
    if (decoded.name === "error") {
      const b = decoded.body as { code: number; field: number; limit: number };
      entry.reject(new DeviceError(entry.command, b.code, b.field, b.limit, fieldName(entry.command, b.field)));
    } else {
      entry.resolve(decoded);
    }
    this.pump();
  }

  private onNak(expect: number, code: number): void {
    this.stats.naksReceived++;
    if (code === 10) { // noSession: the board restarted; nothing outstanding will run
      this.failAll(new LinkError("the board restarted: identify again", "restarted"));
      return;
    }
    // One loss makes the device nak every frame behind it: answer the first nak for an `expect`
    // and ignore repeats of it for a round trip.
    const now = this.clock.now();
    const roundTrip = Math.max(this.minRto, this.srtt < 0 ? this.rto : 2 * this.srtt);
    if (expect === this.lastNakExpect && now - this.lastNakAt < roundTrip) return;
    this.lastNakExpect = expect;
    this.lastNakAt = now;
    let first = true;
    for (const entry of this.inFlight) {
      if (((entry.seq - expect) & 0xff) >= this.window) continue; // already ran; its answer is on the way
      if (first) {
        first = false;
        entry.retries++;
        if (entry.retries > this.maxRetries) {
          const why = ERRORS.find((e) => e.code === code)?.name ?? `code ${code}`;
          this.failAll(new LinkError(`the board rejected ${entry.command} ${entry.retries} times (${why}): the link is too noisy or the firmware does not match`, "timeout"));
          return;
        }
      }
      this.retransmit(entry);
    }
    this.armTimer();
  }

  private onEventFrame(decoded: Decoded, seq: number): void {
    if (this.lastEventSeq >= 0) {
      const gap = ((seq - this.lastEventSeq) & 0xff) - 1;
      if (gap > 0 && gap < 128) this.stats.eventsMissed += gap;
      if (gap < 0 || gap >= 128) return; // a repeat of an event already seen
    }
    this.lastEventSeq = seq;
    for (const fn of this.listeners) fn(decoded, seq);
  }

  private sampleRtt(r: number): void {
    if (this.srtt < 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.rto = Math.min(this.maxRto, Math.max(this.minRto, this.srtt + Math.max(1, 4 * this.rttvar)));
    this.stats.srttMs = this.srtt;
    this.stats.rtoMs = this.rto;
  }

  private failAll(error: Error): void {
    const all = [...this.inFlight, ...this.waiting];
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.inFlight = [];
    this.waiting = [];
    for (const e of all) e.reject(error);
  }
}

function fieldName(command: string, index: number): string | undefined {
  if (index === 255) return undefined;
  return MESSAGE_FIELDS.get(command)?.[index];
}

const MESSAGE_FIELDS = new Map<string, string[]>(MESSAGES.map((m) => [m.name, m.fields.map((f) => f.name)]));
