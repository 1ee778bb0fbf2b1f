// Integral literals reach Espruino as integers: `1e3` is a float there (a stored float costs a variable of its own).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildFirmware, FIRMWARE_ENTRY } from "../../host/build/bundle.ts";
import { integerLiterals } from "../../host/build/integer-literals.ts";

test("exponent and decimal-point spellings of 32-bit integers become digits; floats, hex, big values and 1e3.x stay", () => {
  assert.is(integerLiterals("a=1e3*b,c=-2e7,d=36e5,e=1.,f=.5,g=1.5e3"), "a=1000*b,c=-20000000,d=3600000,e=1,f=.5,g=1500");
  assert.is(integerLiterals("x=1e-3,y=0x1e3,z=4e9,w=1e3.toFixed(1)"), "x=1e-3,y=0x1e3,z=4e9,w=1e3.toFixed(1)");
  assert.is(integerLiterals('s="1e3",t=`2e3`,u=/1e3/'), 's="1e3",t=`2e3`,u=/1e3/', "strings, templates and regexps are not numbers");
});

test("the shipped firmware has no integral literal in exponent form left", async () => {
  const { code } = await buildFirmware({ entry: FIRMWARE_ENTRY, boardId: "espruino-pico" });
  const left = code.match(/(?<![\w$.])\d+e\d+(?![\w$.])/g) ?? [];
  assert.equal(left, []);
});

test.run();
