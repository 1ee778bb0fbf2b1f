// The emulator's REPL on the console device, byte for byte as Espruino's jsinteractive.c answers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { countBrackets, formatResult } from "../../../host/sim/espruino/repl-text.ts";
import { makeBoard } from "./_board.ts";

/** A board with an empty program, its console on USB (the link), and a way to type at it. */
function repl() {
  const b = makeBoard();
  b.emu.load("");
  let out = "";
  b.emu.host.onData((bytes) => { out += Buffer.from(bytes).toString("latin1"); });
  const type = (text: string, us = 50e3) => {
    out = "";
    b.emu.host.write(new Uint8Array(Buffer.from(text, "latin1")));
    b.clock.runFor(us);
    return out;
  };
  type("\x03"); // Ctrl-C on a fresh console brings the prompt
  return { ...b, type };
}

test("echo, evaluation and =results, then the prompt", () => {
  const { type } = repl();
  assert.is(type("1+2\r"), "1+2\r\n=3\r\n>");
  assert.is(type('"a"+"b"\n'), '"a"+"b"\r\n="ab"\r\n>');
  assert.is(type("[1,{b:2,'c d':[]}]\r\n"), "[1,{b:2,'c d':[]}]\r\n=[ 1, { b: 2, \"c d\": [ ] } ]\r\n>", "\\r\\n is one Enter");
  assert.is(type("var x = 5\r"), "var x = 5\r\n=undefined\r\n>");
  assert.is(type("x*2\r"), "x*2\r\n=10\r\n>");
  assert.is(type('print("hi")\r'), 'print("hi")\r\nhi\r\n=undefined\r\n>');
});

test("multi-line input runs once brackets and comments are closed", () => {
  const { type } = repl();
  assert.is(type("function f(a) {\r"), "function f(a) {\r\n:");
  assert.is(type("  return a * 2; /* still\r"), "  return a * 2; /* still\r\n:");
  assert.is(type("open */ }\r"), "open */ }\r\n=undefined\r\n>");
  assert.is(type("f(21)\r"), "f(21)\r\n=42\r\n>");
  assert.is(countBrackets("a('{')"), 0);
  assert.is(countBrackets("`x\n"), 1000);
  assert.is(countBrackets('"unfinished'), 0, "an unfinished string runs at once (and errors)");
});

test("backspace edits the line; Ctrl-C wipes it and gives a fresh prompt", () => {
  const { type } = repl();
  assert.is(type("12\x083\r"), "12\x08 \x083\r\n=13\r\n>");
  assert.is(type("12\x7f\x7f7\r"), "12\x08 \x08\x08 \x087\r\n=7\r\n>", "DEL is a backspace too");
  const wiped = type("undefinedThing\x03");
  assert.ok(wiped.startsWith("undefinedThing"), "typed text echoed");
  assert.ok(wiped.endsWith("\x08>"), `the line is erased and the prompt comes back: ${JSON.stringify(wiped)}`);
  assert.is(type("1\r"), "1\r\n=1\r\n>", "nothing of the wiped line is left");
  assert.is(type("if (1) {\r"), "if (1) {\r\n:");
  type("\x03");
  assert.is(type("2\r"), "2\r\n=2\r\n>", "Ctrl-C also abandons a multi-line entry");
});

test("a line starting with 0x10 runs without echo or result; what it prints still shows", () => {
  const { type, emu } = repl();
  assert.is(type("\x10var y = 21\n"), "", "silent");
  assert.is(type("\x10print(y * 2)\n"), "42\r\n>");
  assert.is(type('\x10require("Storage").write("f", "abc")\n'), "");
  assert.equal(emu.board.flash.read("f", 0, 0), "abc");
  assert.is(type("y\r"), "y\r\n=21\r\n>", "echo is back on for the next line");
  assert.is(type("echo(0)\r"), "echo(0)\r\n");
  assert.is(type("y\r"), "", "echo(0): nothing at all");
  assert.is(type("echo(1)\r"), "=undefined\r\n>", "the result of the line that turned echo on is printed");
});

test("errors are printed as Espruino does, and the REPL carries on", () => {
  const { type, emu } = repl();
  assert.is(type("foo.bar\r"), "foo.bar\r\nUncaught ReferenceError: foo is not defined\r\n>");
  assert.is(type('throw new Error("boom")\r'), 'throw new Error("boom")\r\nUncaught Error: boom\r\n>');
  assert.match(type('"abc\r'), /^"abc\r\nUncaught SyntaxError: .*\r\n>$/);
  assert.match(type('\x10require("Storage").write("g", "x", 5)\n'), /^Uncaught Error: .*\r\n>$/, "errors show on silent lines too");
  assert.is(emu.errors.length, 4);
  assert.is(type("1\r"), "1\r\n=1\r\n>");
});

test("load() runs .bootcde after the line's output; reset() clears RAM and prints the logo", () => {
  const { type, emu } = repl();
  type('require("Storage").write(".bootcde", "var booted = 1; print(\\"booted\\")")\r');
  assert.is(type("var z = 3; load()\r"), "var z = 3; load()\r\n=undefined\r\nbooted\r\n>");
  assert.is(type("typeof z + booted\r"), 'typeof z + booted\r\n="undefined1"\r\n>');
  const out = type("reset()\r");
  assert.ok(out.startsWith("reset()\r\n=undefined\r\n"), out);
  assert.match(out, /espruino\.com/);
  assert.ok(out.endsWith(">"));
  assert.is(type("typeof booted\r"), 'typeof booted\r\n="undefined"\r\n>', "reset() does not run .bootcde");
  assert.ok(emu.board.flash.read(".bootcde", 0, 0) !== undefined, "Storage survives reset()");
});

test("console moves are announced once out of power-on limbo; the REPL answers only on the console", () => {
  const { type, clock, emu } = repl();
  clock.runFor(1e6); // past jsiOneSecondAfterStartup
  assert.is(type("LoopbackA.setConsole()\r"), "LoopbackA.setConsole()\r\n-> LoopbackA\r\n", "no result: it went to LoopbackA");
  let data = "";
  emu.evaluate('USB.on("data", function (d) { data += d; }); var data = ""');
  assert.is(type("1+1\r"), "", "not the console now: the firmware gets the bytes");
  assert.is(emu.evaluate("data"), "1+1\r");
  emu.evaluate("setTimeout(function () { USB.setConsole(); }, 10)");
  data = "";
  let out = "";
  emu.host.onData((b) => { out += Buffer.from(b).toString("latin1"); });
  clock.runFor(50e3);
  assert.is(out, "<- LoopbackA\r\n>");
  assert.is(type("2+2\r"), "2+2\r\n=4\r\n>");
});

test("a soft reset keeps the hardware watchdog: reset() with a manual watchdog reboots into .bootcde", () => {
  const { type, clock, emu } = repl();
  type('\x10require("Storage").write(".bootcde", "var fromFlash = 1")\n');
  type("E.enableWatchdog(1, false)\r");
  type("reset()\r");
  assert.is(emu.evaluate("typeof fromFlash"), "undefined");
  clock.runFor(1.2e6);
  assert.is(emu.evaluate("typeof fromFlash"), "number", "the watchdog fired and the board booted");
});

test("formatResult prints values as the REPL does", () => {
  assert.is(formatResult(undefined), "undefined");
  assert.is(formatResult({}), "{ }");
  assert.is(formatResult(new Uint8Array([1, 2])), "new Uint8Array([1, 2])");
  assert.is(formatResult({ a: [1, "x"] }), '{ a: [ 1, "x" ] }');
});

test.run();
