// CRC-16/MCRF4XX and CRC-32 against their catalogue check values.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { crc16, crc16Update } from "../../protocol/crc16.ts";
import { crc32 } from "../../protocol/crc32.ts";

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

test("CRC-16/MCRF4XX check value of '123456789' is 0x6F91", () => {
  assert.is(crc16(ascii("123456789")), 0x6f91);
});

test("CRC-16 can be computed in pieces", () => {
  const bytes = ascii("123456789");
  assert.is(crc16Update(crc16Update(0xffff, bytes, 0, 4), bytes, 4, 9), 0x6f91);
});

test("CRC-16 of nothing is the init value", () => {
  assert.is(crc16([]), 0xffff);
});

test("CRC-32 check value of '123456789' is 0xCBF43926", () => {
  assert.is(crc32(ascii("123456789")), 0xcbf43926);
});

test.run();
