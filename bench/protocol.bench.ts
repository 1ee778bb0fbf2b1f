// Protocol figures: codec throughput, framing overhead, sample-page efficiency.
import { EXAMPLES } from "../protocol/examples.ts";
import { encodeFrame, FrameReader } from "../protocol/frame.ts";
import { decodeMessage, encodeMessage, type MessageName } from "../protocol/messages.ts";
import { MAX_PAYLOAD } from "../protocol/schema.ts";
import { figure } from "./report.ts";

const names = Object.keys(EXAMPLES) as MessageName[];
const frames = names.map((n, i) => {
  const { id, payload } = encodeMessage(n, EXAMPLES[n] as never);
  return { n, id, payload, wire: encodeFrame(i & 0xff, id, payload) };
});

function throughput(run: () => number, minMs = 400): number {
  let bytes = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) bytes += run();
  return bytes / ((performance.now() - start) / 1000) / 1e6;
}

export function protocolBench(): void {
  // Encode: validate + encode payload + frame (CRC, COBS) for every message type.
  figure("protocol.encode", throughput(() => {
    let bytes = 0;
    for (const f of frames) bytes += encodeFrame(1, f.id, encodeMessage(f.n, EXAMPLES[f.n] as never).payload).length;
    return bytes;
  }), "MB/s");
  // Decode: stream of every frame through the reader and the message decoder.
  const stream = frames.flatMap((f) => f.wire);
  let decoded = 0;
  const reader = new FrameReader((body) => { if (decodeMessage(body[1], body, 2, body.length)) decoded++; }, () => {});
  figure("protocol.decode", throughput(() => { reader.pushAll(stream); return stream.length; }), "MB/s");
  if (decoded === 0) throw new Error("decoder delivered nothing");
  // Overhead: COBS code byte + delimiter + seq + id + CRC-16.
  const overheads = frames.map((f) => f.wire.length - f.payload.length);
  figure("protocol.overhead_per_frame", Math.max(...overheads), "bytes");
  const page = frames.find((f) => f.n === "samples")!;
  const recordBytes = page.payload.length - 9; // from, next and the record count are page bookkeeping
  figure("protocol.sample_page_wire_size", page.wire.length, "bytes");
  figure("protocol.sample_page_efficiency", (100 * recordBytes) / page.wire.length, "%");
  figure("protocol.max_payload", MAX_PAYLOAD, "bytes");
}
