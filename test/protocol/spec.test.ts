// The spec stays true: its worked hex examples match the code, and its generated tables and constants are fresh.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { crc16 } from "../../protocol/crc16.ts";
import { encodeFrame, FrameReader } from "../../protocol/frame.ts";
import { generatedSource, specWithTables } from "../../protocol/generate.ts";
import { GENERATED_TS, SPEC_MD } from "../../host/node/generate-protocol.ts";
import { decodeMessage, encodeMessage, type MessageName } from "../../protocol/messages.ts";

const spec = readFileSync(SPEC_MD, "utf8");
const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
const blocks = [...spec.matchAll(/```flowrig-example\n([\s\S]*?)```/g)].map((m) =>
  Object.fromEntries(m[1].trim().split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()])));

test("the spec has worked examples", () => {
  assert.ok(blocks.length >= 5, `${blocks.length} examples`);
});

for (const ex of blocks) {
  test(`worked example: ${ex.message} seq ${ex.seq}`, () => {
    const body = JSON.parse(ex.body);
    const seq = Number(ex.seq);
    const { id, payload } = encodeMessage(ex.message as MessageName, body);
    assert.is(hex(payload), ex.payload);
    const crc = crc16([seq, id, ...payload]);
    assert.is(hex([crc & 0xff, crc >> 8]), ex.crc);
    assert.is(hex(encodeFrame(seq, id, payload)), ex.wire);
    let decoded: ReturnType<typeof decodeMessage>;
    new FrameReader((b) => { decoded = decodeMessage(b[1], b, 2, b.length); }, () => {}).pushAll(ex.wire.split(" ").map((x: string) => parseInt(x, 16)));
    assert.is(decoded!.name, ex.message);
    assert.equal(decoded!.body, body);
  });
}

test("generated tables in the spec are up to date (npm run gen)", () => {
  assert.ok(spec === specWithTables(spec), "protocol/README.md tables are stale: run npm run gen");
});

test("protocol/generated.ts is up to date (npm run gen)", () => {
  assert.ok(readFileSync(GENERATED_TS, "utf8") === generatedSource(), "protocol/generated.ts is stale: run npm run gen");
});

test.run();
