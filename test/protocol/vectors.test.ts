// Hex test vectors for every message: encoding matches the golden bytes, decoding gives the body back.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { EXAMPLES } from "../../protocol/examples.ts";
import { encodeFrame, FrameReader } from "../../protocol/frame.ts";
import { decodeMessage, encodeMessage, type MessageName } from "../../protocol/messages.ts";
import { MAX_PAYLOAD, MAX_WIRE_FRAME, MESSAGES } from "../../protocol/schema.ts";
import { maxPayloadOf } from "../../protocol/format.ts";

const vectors: Record<string, { seq: number; payload: string; wire: string }> =
  JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
const bytes = (h: string) => (h === "" ? [] : h.split(" ").map((x) => parseInt(x, 16)));

test("every message in the schema has a vector", () => {
  for (const m of MESSAGES) assert.ok(vectors[m.name], `no vector for ${m.name}`);
  assert.is(Object.keys(vectors).length, MESSAGES.length);
});

for (const m of MESSAGES) {
  test(`${m.name}: encode and decode match the vector`, () => {
    const v = vectors[m.name];
    const { id, payload } = encodeMessage(m.name as MessageName, EXAMPLES[m.name as MessageName] as never);
    assert.is(id, m.id);
    assert.is(hex(payload), v.payload);
    assert.is(hex(encodeFrame(v.seq, id, payload)), v.wire);
    const frames: number[][] = [];
    const reader = new FrameReader((body) => frames.push(body), () => assert.unreachable("rejected a good frame"));
    reader.pushAll(bytes(v.wire));
    assert.is(frames.length, 1);
    assert.is(frames[0][0], v.seq);
    const decoded = decodeMessage(frames[0][1], frames[0], 2, frames[0].length);
    assert.ok(decoded);
    assert.is(decoded!.name, m.name);
    assert.equal(decoded!.body, EXAMPLES[m.name as MessageName]);
  });
}

test("every message fits the frame bound at its largest", () => {
  for (const m of MESSAGES) {
    const max = maxPayloadOf(m.fields);
    assert.ok(max <= MAX_PAYLOAD, `${m.name} can be ${max} bytes (limit ${MAX_PAYLOAD})`);
    const worst = encodeFrame(255, m.id, new Array(max).fill(0xff));
    assert.ok(worst.length <= MAX_WIRE_FRAME, `${m.name}: ${worst.length} bytes on the wire`);
  }
});

test("ids are unique and in their ranges by kind", () => {
  const ids = new Set(MESSAGES.map((m) => m.id));
  assert.is(ids.size, MESSAGES.length);
  for (const m of MESSAGES) {
    const range = { command: [0x01, 0x3f], response: [0x40, 0x7f], event: [0x80, 0xbf] }[m.kind];
    assert.ok(m.id >= range[0] && m.id <= range[1], `${m.name} id 0x${m.id.toString(16)} outside ${m.kind} range`);
    assert.is(m.dir, m.kind === "command" ? "h2d" : "d2h");
    if (m.kind === "command") assert.ok(MESSAGES.some((r) => r.name === m.reply), `${m.name} replies with unknown ${m.reply}`);
  }
});

test("encoding refuses bad values, naming the field and the limit", () => {
  assert.throws(() => encodeMessage("configSet", { key: 8, index: 1, value: 3e9 }), /configSet\.value: 3000000000 is out of range for i32/);
  assert.throws(() => encodeMessage("getPump", { pump: -1 }), /getPump\.pump: -1 is out of range for u8 \(0\.\.255\)/);
  assert.throws(() => encodeMessage("getPump", { pump: 1.5 }), /getPump\.pump: expected an integer/);
  assert.throws(() => encodeMessage("programBegin", { slot: 0, name: "a name that is too long", segments: 1 }), /programBegin\.name: .* longer than 12/);
  assert.throws(() => encodeMessage("programBegin", { slot: 0, name: "µ", segments: 1 }), /printable ASCII/);
  assert.throws(() => encodeMessage("getPump", { pump: 0, extra: 1 } as never), /getPump\.extra: no such field/);
  assert.throws(() => encodeMessage("getPump", {} as never), /getPump\.pump: expected an integer/);
  const tooMany = { from: 0, next: 3, records: [0, 1, 2].map(() => EXAMPLES.samples.records[0]) };
  assert.throws(() => encodeMessage("samples", tooMany), /samples\.records: 3 records exceed the limit of 2/);
});

test("decoding refuses payloads of the wrong size, strings and lists over their limit", () => {
  const { payload } = encodeMessage("configSet", EXAMPLES.configSet);
  assert.is(decodeMessage(0x06, payload.slice(0, -1)), undefined, "short");
  assert.is(decodeMessage(0x06, [...payload, 0]), undefined, "long");
  assert.is(decodeMessage(0x3e, []), undefined, "unknown id");
  assert.is(decodeMessage(0x09, [0, 13, ...new Array(13).fill(65), 1, 0]), undefined, "string over 12");
  assert.is(decodeMessage(0x09, [0, 2, 65, 10, 1, 0]), undefined, "control character in a string");
  assert.is(decodeMessage(0x49, [0, 0, 0, 0, 0, 0, 0, 0, 3]), undefined, "list count over 2");
});

test.run();
