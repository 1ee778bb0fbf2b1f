// COBS round trips, including the 254-byte block boundary, and rejection of malformed blocks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cobsDecode, cobsEncode } from "../../protocol/cobs.ts";
import { randomBytes, seededRandom } from "../helpers/random.ts";

const roundTrip = (bytes: number[]) => {
  const encoded = cobsEncode(bytes, bytes.length);
  assert.not.ok(encoded.includes(0), `no zero in ${encoded}`);
  assert.equal(cobsDecode(encoded, encoded.length), bytes);
  return encoded;
};

test("known encodings", () => {
  assert.equal(roundTrip([]), [1]);
  assert.equal(roundTrip([0]), [1, 1]);
  assert.equal(roundTrip([0, 0]), [1, 1, 1]);
  assert.equal(roundTrip([0x11, 0x22, 0x00, 0x33]), [3, 0x11, 0x22, 2, 0x33]);
  assert.equal(roundTrip([0x11, 0x00, 0x00, 0x00]), [2, 0x11, 1, 1, 1]);
});

test("block boundaries at 253, 254 and 255 non-zero bytes", () => {
  for (const n of [253, 254, 255, 508, 600]) {
    const bytes = Array.from({ length: n }, (_, i) => (i % 255) + 1);
    roundTrip(bytes);
  }
});

test("random byte strings round-trip", () => {
  const random = seededRandom(7);
  for (let i = 0; i < 2000; i++) roundTrip(randomBytes(random, Math.floor(random() * 80)));
});

test("malformed blocks are refused", () => {
  assert.is(cobsDecode([5, 1, 2], 3), undefined, "code runs past the end");
  assert.is(cobsDecode([2, 0, 1], 3), undefined, "zero inside a block");
  assert.is(cobsDecode([0], 1), undefined, "zero code");
});

test.run();
