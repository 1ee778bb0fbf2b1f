// Damaged frames never pass: every single-byte corruption, every truncation, garbage between frames, seeded fuzz.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { encodeFrame, FrameReader } from "../../protocol/frame.ts";
import { decodeMessage } from "../../protocol/messages.ts";
import { EXAMPLES } from "../../protocol/examples.ts";
import { encodeMessage, type MessageName } from "../../protocol/messages.ts";
import { randomBytes, seededRandom } from "../helpers/random.ts";

const vectors: Record<string, { wire: string }> = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
const wires = Object.entries(vectors).map(([name, v]) => ({ name, bytes: v.wire.split(" ").map((x) => parseInt(x, 16)) }));

/** Runs bytes through a reader and returns the frames that pass both CRC and the message's format. */
function accepted(bytes: number[]): number[][] {
  const frames: number[][] = [];
  const reader = new FrameReader((body) => {
    if (decodeMessage(body[1], body, 2, body.length) !== undefined) frames.push(body);
  }, () => {});
  reader.pushAll(bytes);
  return frames;
}

test("every single-byte corruption of every vector is rejected", () => {
  let cases = 0;
  for (const { name, bytes } of wires) {
    for (let pos = 0; pos < bytes.length; pos++) {
      for (let value = 0; value < 256; value++) {
        if (value === bytes[pos]) continue;
        const damaged = bytes.slice();
        damaged[pos] = value;
        // A damaged delimiter merges with what follows: end the stream so the frame is judged.
        const frames = accepted([...damaged, 0]);
        if (frames.length !== 0) assert.unreachable(`${name}: byte ${pos} = 0x${value.toString(16)} passed`);
        cases++;
      }
    }
  }
  assert.ok(cases > 100000, `${cases} cases`);
});

test("every truncation of every vector is rejected", () => {
  for (const { name, bytes } of wires) {
    for (let keep = 0; keep < bytes.length - 1; keep++) {
      assert.is(accepted([...bytes.slice(0, keep), 0]).length, 0, `${name} cut to ${keep} bytes`);
    }
  }
});

test("a lost byte costs at most the frame it was in: the next frame is read", () => {
  for (const { name, bytes } of wires) {
    for (let lost = 0; lost < bytes.length; lost++) {
      const stream = [...bytes.slice(0, lost), ...bytes.slice(lost + 1), ...bytes, ...bytes];
      const frames = accepted(stream);
      // Losing the delimiter merges the first two frames; either way the last one is read intact.
      assert.ok(frames.length >= 1, `${name}: nothing after losing byte ${lost}`);
      assert.ok(frames.length <= 2, `${name}: damaged frame passed after losing byte ${lost}`);
    }
  }
});

test("random garbage between frames never yields a frame", () => {
  const random = seededRandom(2024);
  const good = encodeFrame(9, 0x02, []);
  let delivered = 0;
  for (let i = 0; i < 20000; i++) {
    const garbage = randomBytes(random, 1 + Math.floor(random() * 100));
    const frames = accepted([...garbage, 0, ...good]);
    delivered += frames.length;
    for (const f of frames) assert.equal(f, [9, 0x02], "only the real frame comes out");
  }
  assert.is(delivered, 20000);
});

test("seeded fuzz: 100 000 random strings and mutated frames never throw and never pass a damaged frame", () => {
  const random = seededRandom(0xf10);
  const goods = (Object.keys(EXAMPLES) as MessageName[]).map((n) => {
    const { id, payload } = encodeMessage(n, EXAMPLES[n] as never);
    return encodeFrame(Math.floor(random() * 256), id, payload);
  });
  let passedIntact = 0;
  for (let i = 0; i < 100000; i++) {
    let input: number[];
    const good = goods[i % goods.length];
    if (i % 2 === 0) {
      input = randomBytes(random, Math.floor(random() * 140));
    } else {
      input = good.slice();
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const kind = Math.floor(random() * 3);
        const at = Math.floor(random() * input.length);
        if (kind === 0) input[at] = Math.floor(random() * 256);
        else if (kind === 1) input.splice(at, 1);
        else input.splice(at, 0, Math.floor(random() * 256));
      }
    }
    const frames = accepted([...input, 0]);
    for (const f of frames) {
      // Whatever passes must be a genuine frame (an edit may have been undone by chance).
      const wire = encodeFrame(f[0], f[1], f.slice(2));
      assert.ok(goods.some((g) => g.join() === wire.join()), `fuzz case ${i} produced a frame that was never sent`);
      passedIntact++;
    }
  }
  assert.ok(passedIntact < 1000, `${passedIntact} frames passed`);
});

test.run();
