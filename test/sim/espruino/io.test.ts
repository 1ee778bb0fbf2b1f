import { test } from "uvu";
import * as assert from "uvu/assert";
import fs from "node:fs";
import path from "node:path";
import { makeBoard } from "./_board.ts";

const calm = { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 };

test("setWatch with debounce: bounces are ignored, the callback gets the edge time and lastTime", () => {
  const { clock, pins, emu } = makeBoard({ timing: calm });
  emu.load("var ev = []; setWatch(function(e){ ev.push([e.state, e.time, e.lastTime]); }, 'A5', { edge: 'both', repeat: true, debounce: 10 });");
  const at = (ms: number, level: 0 | 1) => clock.at(ms * 1000, () => pins.driveInput("A5", level));
  at(100, 1); at(101, 0); at(102, 1);          // bounce: settles high from 102 ms
  at(300, 0); at(305, 1);                     // a 5 ms glitch shorter than debounce: no event
  at(500, 0);
  clock.runUntil(1e6);
  assert.is(JSON.stringify(emu.evaluate("ev")), JSON.stringify([[true, 0.102, undefined], [false, 0.5, 0.102]]));
});

test("setWatch without repeat fires once; analogRead is clamped and quantised", () => {
  const { clock, pins, emu } = makeBoard({ timing: calm });
  pins.setAnalogSource("A0", (t) => (t < 1000 ? 0.5 : 2));
  emu.load("var n = 0; setWatch(function(){ n++; }, 'B1', { edge: 'rising' }); var a = analogRead('A0');");
  assert.is(emu.evaluate("a"), 2048 / 4095);
  for (let i = 1; i <= 6; i++) clock.at(i * 1000, () => pins.driveInput("B1", (i % 2) as 0 | 1));
  clock.runUntil(1e6);
  assert.is(emu.evaluate("n"), 1);
  assert.is(emu.evaluate("analogRead('A0')"), 1);
});

test("analogRead on a build without an ADC prints Espruino's error and reads 0 (it does not throw)", () => {
  const { emu } = makeBoard({ timing: { ...calm, adcBits: 0 } });
  emu.load("var a = analogRead('A0');");
  assert.is(emu.evaluate("a"), 0);
  assert.ok(emu.console.text().includes("Analog is not supported"));
});

test("Storage: round trip on disk, offset/size writes, Espruino's write rules", () => {
  const { emu, storageDir } = makeBoard();
  emu.load(`var S = require("Storage"); S.write("cfg", {rate: 5}); S.write("log", "AB", 0, 6); S.write("log", "CD", 2); S.write("log", "EF", 4);`);
  assert.equal(emu.evaluate(`S.readJSON("cfg").rate`), 5);
  assert.is(emu.evaluate(`S.read("log")`), "ABCDEF");
  assert.is(fs.readFileSync(path.join(storageDir, "log"), "latin1"), "ABCDEF");
  assert.throws(() => emu.evaluate(`S.write("log", "X", 1)`), /already written/);
  assert.throws(() => emu.evaluate(`S.write("log", "XYZ", 5)`), /Too much data/);
  assert.throws(() => emu.evaluate(`S.write("nofile", "X", 3)`), /Unable to find or create/);
  assert.is(emu.evaluate(`S.list().join()`), "cfg,log");
  emu.evaluate(`S.erase("cfg")`);
  assert.is(emu.evaluate(`S.read("cfg")`), undefined);
  emu.evaluate(`var f = S.open("data", "a"); f.write("one\\n"); f.write("two\\n");`);
  emu.load(`var f = require("Storage").open("data", "r"); var l1 = f.readLine(), l2 = f.readLine(), l3 = f.readLine();`);
  assert.equal([emu.evaluate("l1"), emu.evaluate("l2"), emu.evaluate("l3")], ["one\n", "two\n", undefined]);
});

test("storageFaults.cutAfterBytes: the first n bytes land, then power is lost", () => {
  const { clock, emu } = makeBoard();
  emu.load(`var after = false; setTimeout(function(){ require("Storage").write("big", "0123456789"); after = true; }, 5);
    setInterval(function(){ print("tick"); }, 1);`);
  emu.storageFaults.cutAfterBytes(4);
  clock.runUntil(1e6);
  assert.is(emu.poweredOn, false);
  const ticks = emu.console.lines.filter((l) => l.text === "tick").length;
  assert.ok(ticks >= 4 && ticks <= 5, `ticks ${ticks}`);
  emu.load(`var s = require("Storage").read("big");`);
  assert.is(emu.evaluate("s"), "0123\xff\xff\xff\xff\xff\xff");
  assert.is(emu.evaluate("typeof after"), "undefined");
});

test("link: bytes 0..255 round trip over USB as binary strings once the console is moved away", () => {
  const { clock, emu } = makeBoard();
  const got: number[] = [];
  emu.host.onData((b) => got.push(...b));
  emu.load(`LoopbackA.setConsole(); USB.on('data', function(s){ var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i); USB.write(out); });`);
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  emu.host.write(all);
  clock.runUntil(1e6);
  assert.equal(got, [...all]);
});

test("link on Serial1: bytes leave at 10 bits per byte of the configured baud", () => {
  const { clock, emu } = makeBoard({ linkPort: "Serial1" });
  const arrivals: [number, number][] = [];
  emu.host.onData((b) => arrivals.push([clock.nowUs(), b.length]));
  emu.load(`Serial1.setup(9600); Serial1.write([1, 2, 3]); Serial1.write("ab");`);
  clock.runUntil(1e6);
  const byteUs = 1e7 / 9600;
  assert.is(arrivals.length, 2);
  assert.ok(Math.abs(arrivals[0][0] - 3 * byteUs) < 1e-6 && Math.abs(arrivals[1][0] - 5 * byteUs) < 1e-6);
});

test("process.memory grows when the program allocates a big array; E.getSizeOf follows the size model", () => {
  const { emu } = makeBoard();
  emu.load("var small = 1;");
  const before = emu.evaluate("process.memory().usage") as number;
  emu.evaluate("var big = []; for (var i = 0; i < 1000; i++) big.push(i);");
  const after = emu.evaluate("process.memory()") as { usage: number; free: number; total: number };
  assert.ok(after.usage - before >= 1000 && after.usage - before < 1010, `grew ${after.usage - before}`);
  assert.is(after.total, 5100);
  assert.is(after.free, 5100 - after.usage);
  assert.is(emu.evaluate("E.getSizeOf(new Uint8Array(1024))"), 82);
});

test("powerCut stops timers and pending pulses; load on the same storage reboots", () => {
  const { clock, pins, emu } = makeBoard();
  const edges: number[] = [];
  pins.onOutput("C1", (_l, t) => edges.push(t));
  emu.load(`require("Storage").write("boot", "1"); var n = 0; setInterval(function(){ n++; }, 10); digitalPulse('C1', 1, [5, 5, 5]);`);
  clock.runUntil(7000);
  emu.powerCut();
  clock.runUntil(1e6);
  assert.equal(edges, [0, 5000]);
  assert.throws(() => emu.evaluate("n"));
  emu.load(`var b = require("Storage").read("boot");`);
  assert.is(emu.evaluate("b"), "1");
});

test.run();
