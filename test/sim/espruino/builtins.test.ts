import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeBoard } from "./_board.ts";

const missing = ["new Map()", "new Set()", "new WeakMap()", "new WeakSet()", "Symbol('x')", "new Proxy({}, {})", "Reflect.ownKeys({})", "BigInt(1)"];

for (const expr of missing) {
  test(`${expr} is a ReferenceError as on a board`, () => {
    const { emu } = makeBoard();
    emu.load("var x = 1;");
    assert.throws(() => emu.evaluate(expr), (e: Error) => e.name === "ReferenceError");
  });
}

test("missing methods are undefined; the ones Espruino has still work", () => {
  const { emu } = makeBoard();
  emu.load("");
  const probe = `[typeof Math.imul, typeof Math.trunc, typeof Math.log2, typeof Math.hypot, typeof Array.from, typeof Array.of,
    typeof [].lastIndexOf, typeof [].reduceRight, typeof [].flat, typeof [].at, typeof Object.freeze,
    typeof Promise.race, typeof Promise.allSettled, typeof Promise.prototype.finally, typeof "".trimStart,
    typeof "".codePointAt, typeof ArrayBuffer.prototype.slice, typeof Uint8Array.from, typeof E.kick].join()`;
  assert.is(emu.evaluate(probe), Array(19).fill("undefined").join());
  assert.is(emu.evaluate("typeof E.kickWatchdog"), "function", "Espruino's watchdog kick is E.kickWatchdog");
  const ok = `[1,2,3].map(function(x){return x*2}).filter(function(x){return x>2}).reduce(function(a,b){return a+b}) + "|" +
    Object.keys({a:1}).join() + "|" + "ab".padStart(4,"-") + "|" + new DataView(new ArrayBuffer(4)).getUint8(0) + "|" +
    btoa(String.fromCharCode(0,255)) + "|" + atob("AP8=").charCodeAt(1) + "|" + (E.CRC32("123456789") >>> 0).toString(16) +
    "|" + Math.round(2.4) + "|" + JSON.stringify({a:[1]})`;
  assert.is(emu.evaluate(ok), "10|a|--ab|0|AP8=|255|cbf43926|2|{\"a\":[1]}");
});

test("a firmware using Map fails at load like an upload would, and the error is captured", () => {
  const { emu } = makeBoard();
  assert.throws(() => emu.load("var m = new Map();"), /Map is not defined/);
  assert.ok(emu.errors[0].text.startsWith("Uncaught ReferenceError"));
});

test("only Espruino globals exist: no Node leaks into the context", () => {
  const { emu } = makeBoard();
  emu.load("");
  assert.is(emu.evaluate("[typeof require('Storage'), typeof process.memory, typeof Buffer, typeof setImmediate, typeof queueMicrotask, typeof WebAssembly].join()"),
    "object,function,undefined,undefined,undefined,undefined");
});

test("modules the IDE would send exist for uploaded code, not for code that booted from Storage (as on a board)", () => {
  const { emu } = makeBoard();
  emu.load(`var fromUpload = typeof require("SSD1306").connect;`);
  assert.is(emu.evaluate("fromUpload"), "function");
  emu.evaluate(`require("Storage").write(".bootcde", "var fromStorage; try { require('SSD1306'); fromStorage = 'found'; } catch (e) { fromStorage = String(e.message); }")`);
  emu.boot();
  assert.match(emu.evaluate("fromStorage") as string, /Module "SSD1306" not found/);
});

test.run();
