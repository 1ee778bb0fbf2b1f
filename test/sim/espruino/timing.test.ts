import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeBoard, recordEdges } from "./_board.ts";

function fireTimes(seed: number): number[] {
  const { clock, emu } = makeBoard({ seed });
  emu.load("var t = []; setTimeout(function(){ t.push(getTime()); }, 10); setTimeout(function(){ t.push(getTime()); }, 2.5);");
  clock.runUntil(1e6);
  return Array.from(emu.evaluate("t") as number[]);
}

test("timers fire at the requested virtual time plus a bounded latency, deterministic per seed", () => {
  const a = fireTimes(7);
  assert.equal(fireTimes(7), a);
  assert.not.equal(fireTimes(8), a);
  assert.ok(a[0] >= 0.0025 && a[0] <= 0.0025 + 0.003, `2.5 ms timer at ${a[0]}`);
  assert.ok(a[1] >= 0.010 && a[1] <= 0.013, `10 ms timer at ${a[1]}`);
});

test("a one-hour setInterval loop runs in virtual time, keeps its phase, and finishes fast", () => {
  const { clock, emu } = makeBoard();
  emu.load("var n = 0, last = 0; setInterval(function(){ n++; last = getTime(); }, 100);");
  const wall = Date.now();
  clock.runUntil(3600e6 + 5000);
  assert.is(emu.evaluate("n"), 36000);
  const last = emu.evaluate("last") as number;
  assert.ok(last >= 3600 && last < 3600.004, `last tick at ${last}`);
  assert.ok(Date.now() - wall < 5000, "one virtual hour took too long");
});

test("promise callbacks run right after the event that resolved them", () => {
  const { clock, emu } = makeBoard();
  emu.load("var at; setTimeout(function(){ var s = getTime(); Promise.resolve().then(function(){ at = getTime() - s; }); }, 5);");
  clock.runUntil(1e6);
  assert.is(emu.evaluate("at"), 0);
});

test("an exception in a callback is captured and printed; other timers keep running", () => {
  const { clock, emu } = makeBoard();
  emu.load("var n = 0; setTimeout(function(){ throw new Error('boom'); }, 1); setInterval(function(){ n++; }, 10);");
  clock.runUntil(105_000);
  assert.is(emu.errors.length, 1);
  assert.is(emu.errors[0].text, "Uncaught Error: boom");
  assert.ok(emu.console.text().includes("Uncaught Error: boom"));
  assert.is(emu.evaluate("n"), 10);
});

test("digitalPulse toggles land at tick-quantised virtual times", () => {
  const { clock, pins, emu } = makeBoard({ timing: { timerTickNs: 2000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  const edges = recordEdges(pins, "B3");
  emu.load("digitalPulse('B3', 1, [0.0105, 0.0031, 0.005]);");
  clock.runUntil(1e6);
  // 10.5 µs → 5 ticks of 2 µs (truncated); 3.1 µs → 1 tick; 5 µs → 2 ticks; each added to the running time.
  assert.equal(edges, [[0, 1], [10, 0], [12, 1], [16, 0]]);
});

test("digitalPulse queue: a full queue blocks the caller until a slot frees; time 0 waits for empty", () => {
  const { clock, pins, emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 5, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  const edges = recordEdges(pins, "A1");
  emu.load("var t0 = getTime(); digitalPulse('A1', 1, [1,1,1,1,1,1]); var t1 = getTime(); digitalPulse('A1', 1, 0); var t2 = getTime();");
  assert.is(emu.evaluate("t0"), 0);
  // A ring of 5 holds 4 (one slot stays empty). 6 toggles, room for 4: the call returns when the 2nd toggle (at 2 ms) has freed the last slot needed.
  assert.is(emu.evaluate("t1"), 0.002);
  assert.is(emu.evaluate("t2"), 0.006);
  clock.runUntil(1e6);
  assert.equal(edges.map((e) => e[0]), [0, 1000, 2000, 3000, 4000, 5000, 6000]);
});

test("utility timer: a ring of 16 (UTILTIMERTASK_TASKS) holds 15 pending tasks, the 16th waits", () => {
  const { clock, emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  emu.load("digitalPulse('A1', 1, [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]); var t15 = getTime(); digitalPulse('A1', 1, [1]); var t16 = getTime();");
  assert.is(emu.evaluate("t15"), 0);
  assert.is(emu.evaluate("t16"), 0.001);
  clock.runUntil(1e6);
});

test("Linux build (no utility timer): pulses never happen, the ring fills, then digitalPulse throws Timeout on Utility Timer", () => {
  // targets/linux/jshardware.c (2v29): jshUtilTimerStart is an empty stub; utilTimerGetUnusedIndex then WAIT_UNTILs.
  const { clock, pins, emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 16, utilityTimer: false, hasStepper: false, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 0 } });
  const edges = recordEdges(pins, "A1");
  emu.load("var r = 'none'; digitalPulse('A1', 1, [1,1,1,1,1,1,1,1,1,1,1,1,1,1]); try { digitalPulse('A1', 1, [1,1]); } catch (e) { r = String(e); }");
  clock.runUntil(5e6);
  assert.is(emu.evaluate("r"), "InternalError: Timeout on Utility Timer");
  assert.equal(edges.filter((e) => e[0] > 0), [], "no pulse ever reached the pin");
});

test("Stepper: exact step count, edges every quantised period, promise after the last step, position updated", () => {
  const { clock, pins, emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  const edges = recordEdges(pins, "B4");
  emu.load(`var s = new Stepper({ pins: [Pin('B4'),Pin('B5'),Pin('B6'),Pin('B7')], pattern: [1,0,1,0], freq: 300 });
    var done, during; s.moveTo(10).then(function(){ done = getTime(); }); during = s.getPosition();`);
  clock.runUntil(1e6);
  // 1000/300 ms = 3333.33 µs → truncated to 3333 µs; 10 steps: pattern toggles B4 every step.
  assert.is(edges.length, 10);
  edges.forEach(([t], i) => assert.is(t, i * 3333));
  assert.is(emu.evaluate("during"), 0);
  assert.is(emu.evaluate("s.getPosition()"), 10);
  assert.is(emu.evaluate("done"), 0.029997);
  assert.is(emu.evaluate("s.running"), false);
});

test("Stepper stop(): position counts the steps done and the promise resolves", () => {
  const { clock, emu } = makeBoard();
  emu.load(`var s = new Stepper({ pins: [Pin('B4'),Pin('B5'),Pin('B6'),Pin('B7')], freq: 1000 }); var ok = false;
    s.moveTo(-100).then(function(){ ok = true; }); setTimeout(function(){ s.stop({turnOff:true}); }, 20.5);`);
  clock.runUntil(1e6);
  assert.ok(emu.evaluate("ok"));
  const pos = emu.evaluate("s.getPosition()") as number;
  assert.ok(pos <= -21 && pos >= -25, `pos ${pos}`);
  assert.throws(() => emu.evaluate("s.stop()"), /not running/);
});

test("Stepper pins are read as integers, as jswrap_stepper.c does: a pin-name string is pin 0 (A0), silently", () => {
  const { clock, pins, emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  const b3 = recordEdges(pins, "B3");
  const a0 = recordEdges(pins, "A0");
  emu.load(`var s = new Stepper({ pins: ['B3','B3','B3','B3'], pattern: [0,15,0,15], freq: 1000 }); s.moveTo(6);`);
  clock.runUntil(1e6);
  assert.is(b3.length, 0);
  assert.is(a0.length, 6);
  assert.is(emu.evaluate("s.getPosition()"), 6);
});

test("Stepper counts a move in an int16_t as jstimer.h does: 40000 positions run 25536 the other way, the position says +40000", () => {
  const { clock, pins, emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  const b4 = recordEdges(pins, "B4");
  emu.load(`var s = new Stepper({ pins: [Pin('B4'),Pin('B4'),Pin('B4'),Pin('B4')], pattern: [0,15,0,15], freq: 100000 }); var ok = false;
    s.moveTo(40000).then(function(){ ok = true; });`);
  clock.runUntil(2e6);
  assert.ok(emu.evaluate("ok"));
  assert.is(b4.length, 65536 - 40000, "STEP toggles once a position");
  assert.is(emu.evaluate("s.getPosition()"), 40000);
});

test("no Stepper global when the build lacks it", () => {
  const { emu } = makeBoard({ timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: false, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 } });
  emu.load("");
  assert.is(emu.evaluate("typeof Stepper"), "undefined");
});

test.run();
