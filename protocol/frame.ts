// Frames on the wire: COBS(seq, id, payload, crc16 lo, crc16 hi) then 0x00; a streaming reader that resyncs on 0x00.
import { cobsDecode, cobsEncode } from "./cobs.ts";
import { crc16Update } from "./crc16.ts";
import { MAX_WIRE_FRAME } from "./schema.ts";

export const FRAME_DELIMITER = 0;
/** Frame-level rejection reasons, numbered as the schema's error codes. */
export const FRAME_BAD_CRC = 1;
export const FRAME_BAD_LENGTH = 2;

/** Builds the wire bytes of one frame (delimiter included). */
export function encodeFrame(seq: number, id: number, payload: number[]): number[] {
  const body: number[] = [seq & 0xff, id & 0xff];
  for (let i = 0; i < payload.length; i++) body.push(payload[i]);
  const crc = crc16Update(0xffff, body, 0, body.length);
  body.push(crc & 0xff);
  body.push((crc >>> 8) & 0xff);
  const wire = cobsEncode(body, body.length);
  wire.push(FRAME_DELIMITER);
  return wire;
}

/**
 * Feeds bytes one at a time. A good frame calls onFrame(body) where body = [seq, id, payload…]
 * (CRC removed); a bad one calls onReject(FRAME_BAD_CRC | FRAME_BAD_LENGTH). Everything up to the
 * next 0x00 belongs to the frame being read, so one lost or garbled byte costs at most that frame.
 */
export class FrameReader {
  /** Bytes of the frame being read (COBS-encoded, up to the next delimiter). */
  encoded: number[];
  overflow: boolean;
  onFrame: (body: number[]) => void;
  onReject: (reason: number) => void;

  constructor(onFrame: (body: number[]) => void, onReject: (reason: number) => void) {
    this.encoded = [];
    this.overflow = false;
    this.onFrame = onFrame;
    this.onReject = onReject;
  }

  push(byte: number): void {
    if (byte !== FRAME_DELIMITER) {
      if (this.encoded.length < MAX_WIRE_FRAME - 1) this.encoded.push(byte);
      else this.overflow = true;
      return;
    }
    const encoded = this.encoded;
    const overflow = this.overflow;
    this.encoded = [];
    this.overflow = false;
    if (overflow) { this.onReject(FRAME_BAD_LENGTH); return; }
    if (encoded.length === 0) return; // idle delimiter
    const body = cobsDecode(encoded, encoded.length);
    if (body === undefined) { this.onReject(FRAME_BAD_CRC); return; }
    if (body.length < 4) { this.onReject(FRAME_BAD_LENGTH); return; }
    const crc = crc16Update(0xffff, body, 0, body.length - 2);
    if ((crc & 0xff) !== body[body.length - 2] || ((crc >>> 8) & 0xff) !== body[body.length - 1]) {
      this.onReject(FRAME_BAD_CRC);
      return;
    }
    body.pop();
    body.pop();
    this.onFrame(body);
  }

  /** Feeds a chunk (a binary string as Espruino delivers it, or bytes). */
  pushAll(chunk: string | ArrayLike<number>): void {
    if (typeof chunk === "string") {
      for (let i = 0; i < chunk.length; i++) this.push(chunk.charCodeAt(i) & 0xff);
    } else {
      for (let i = 0; i < chunk.length; i++) this.push(chunk[i]);
    }
  }
}
