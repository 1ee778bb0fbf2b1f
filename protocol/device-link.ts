// The board's end of the link: executes each command once, in order, and re-sends cached replies to retransmissions.
import { decodePayload, encodePayload } from "./codec.ts";
import { encodeFrame, FrameReader } from "./frame.ts";
import { packedEntry } from "./packed.ts";
import {
  COMMAND_FORMATS, ERR_BAD_LENGTH, ERR_NO_SESSION, ERR_OUT_OF_ORDER, ERR_UNKNOWN_MESSAGE, EVENT_FORMATS,
  MSG_ERROR, MSG_IDENTIFY, MSG_NAK, RESPONSE_FORMATS,
} from "./generated.ts";
import { WINDOW } from "./schema.ts";

/** Runs one decoded command; returns the reply as [replyId, values]. */
export type Dispatch = (id: number, args: any[]) => any[];

/** The payload format of `id` in a dense packed table starting at `base`; "?" if there is no such message. */
function formatOf(id: number, formats: string, base: number): string {
  return packedEntry(formats, id - base, "?");
}

/** Payload format of a reply or event id ("?" if unknown). */
export function outgoingFormat(id: number): string {
  if (id >= 0x80) return formatOf(id, EVENT_FORMATS, 0x80);
  return formatOf(id, RESPONSE_FORMATS, 0x40);
}

/** Wire bytes as a binary string (one char a byte): what Espruino's Serial.write takes, a few variables rather than one a byte. */
function binary(bytes: number[]): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

export class DeviceLink {
  send: (frame: string) => void;
  dispatch: Dispatch;
  onTraffic: () => void;
  reader: FrameReader;
  sessionOpen: boolean;
  session: number;
  expected: number;
  cacheSeq: number[];
  cacheFrame: string[];
  eventSeq: number;
  rejected: number;

  /**
   * send: writes a frame (a binary string) to the link; dispatch: runs a command; onTraffic: called on every intact
   * frame (the host-loss watchdog's heartbeat).
   */
  constructor(send: (frame: string) => void, dispatch: Dispatch, onTraffic: () => void) {
    this.send = send;
    this.dispatch = dispatch;
    this.onTraffic = onTraffic;
    this.sessionOpen = false;
    this.session = -1;
    this.expected = 0;
    this.cacheSeq = [];
    this.cacheFrame = [];
    for (let i = 0; i < WINDOW; i++) {
      this.cacheSeq.push(-1);
      this.cacheFrame.push("");
    }
    this.eventSeq = 0;
    this.rejected = 0;
    const self = this;
    this.reader = new FrameReader(
      function (body: number[]) { self.onFrame(body); },
      function (reason: number) { self.rejected++; self.nak(reason); },
    );
  }

  /** Bytes from the host: a binary string (Espruino's on('data')) or an array of bytes. */
  receive(chunk: string | ArrayLike<number>): void {
    this.reader.pushAll(chunk);
  }

  nak(code: number): void {
    const payload: number[] = [];
    encodePayload(outgoingFormat(MSG_NAK), [this.expected, code], payload);
    this.send(binary(encodeFrame(this.expected, MSG_NAK, payload)));
  }

  onFrame(body: number[]): void {
    const seq = body[0];
    const id = body[1];
    this.onTraffic();
    if (id === MSG_IDENTIFY) {
      // A new session nonce opens a session here; the current one's identify is a retransmission.
      const nonce = body.length === 4 ? body[2] + body[3] * 256 : -1;
      if (!this.sessionOpen || nonce !== this.session) {
        this.sessionOpen = true;
        this.session = nonce;
        this.expected = seq;
        for (let i = 0; i < WINDOW; i++) this.cacheSeq[i] = -1;
      }
    }
    if (!this.sessionOpen) { this.nak(ERR_NO_SESSION); return; }
    const behind = (this.expected - seq) & 0xff;
    if (behind === 0) { this.execute(seq, id, body); return; }
    if (behind <= WINDOW) {
      const slot = seq % WINDOW;
      if (this.cacheSeq[slot] === seq) this.send(this.cacheFrame[slot]);
      return;
    }
    if (id !== MSG_IDENTIFY) this.nak(ERR_OUT_OF_ORDER);
  }

  execute(seq: number, id: number, body: number[]): void {
    const format = formatOf(id, COMMAND_FORMATS, 0x01);
    let reply: any[];
    if (format === "?") {
      reply = [MSG_ERROR, [ERR_UNKNOWN_MESSAGE, 255, id]];
    } else {
      const args = decodePayload(format, body, 2, body.length);
      // A payload that does not fit its message is damage the CRC missed: drop it, have it resent.
      if (args === undefined) { this.rejected++; this.nak(ERR_BAD_LENGTH); return; }
      reply = this.dispatch(id, args);
    }
    const payload: number[] = [];
    encodePayload(outgoingFormat(reply[0]), reply[1], payload);
    const frame = binary(encodeFrame(seq, reply[0], payload));
    const slot = seq % WINDOW;
    this.cacheSeq[slot] = seq;
    this.cacheFrame[slot] = frame;
    this.expected = (seq + 1) & 0xff;
    this.send(frame);
  }

  /** Pushes an event to the host (not acknowledged: the host sees gaps in eventSeq and asks for status). */
  event(id: number, values: any[]): void {
    this.eventSeq = (this.eventSeq + 1) & 0xff;
    const payload: number[] = [];
    encodePayload(outgoingFormat(id), values, payload);
    this.send(binary(encodeFrame(this.eventSeq, id, payload)));
  }
}
