import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeBoard } from "../espruino/_board.ts";
import { Buttons } from "../../../host/sim/rig/buttons.ts";

const calm = { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 };
const PICO_BUTTONS = { up: "^!A0", down: "^!A1", select: "^!A2", back: "^!A3" };

test('"^!" buttons idle high, read low while pressed, and bounce on make and break', () => {
  const { clock, pins } = makeBoard({ timing: calm });
  const edges: [number, number][] = [];
  const btn = new Buttons({ pins, buttons: PICO_BUTTONS, seed: 7 });
  pins.onInput("A2", (level, t) => edges.push([t, level]));
  assert.equal(["A0", "A1", "A2", "A3"].map((p) => pins.level(p)), [1, 1, 1, 1]);
  clock.runUntil(10_000);
  const { pressUs, releaseUs } = btn.press("select", 150);
  clock.runUntil(pressUs + 50_000);
  assert.is(pins.level("A2"), 0);
  assert.ok(btn.isPressed("select"));
  clock.runUntil(releaseUs + 50_000);
  assert.is(pins.level("A2"), 1);
  const makeEdges = edges.filter(([t]) => t < pressUs + 10_000);
  const breakEdges = edges.filter(([t]) => t >= releaseUs);
  assert.ok(makeEdges.length >= 5 && makeEdges.length % 2 === 1, `make edges ${makeEdges.length}`);
  assert.ok(breakEdges.length >= 5 && breakEdges.length % 2 === 1, `break edges ${breakEdges.length}`);
  const span = makeEdges[makeEdges.length - 1][0] - makeEdges[0][0];
  assert.ok(span >= 2000 && span <= 5000, `bounce span ${span} µs`);
  assert.is(makeEdges[0][1], 0);
  assert.is(makeEdges[makeEdges.length - 1][1], 0);
  // Same seed, same bounce.
  const again = makeBoard({ timing: calm });
  const edges2: number[] = [];
  const b2 = new Buttons({ pins: again.pins, buttons: PICO_BUTTONS, seed: 7 });
  again.pins.onInput("A2", (_l, t) => edges2.push(t));
  again.clock.runUntil(10_000);
  b2.press("select", 150);
  again.clock.runUntil(1e6);
  assert.equal(edges2, edges.map(([t]) => t));
  assert.throws(() => btn.press("menu"), /no button "menu"/);
});

test("setWatch sees every bounce without debounce, and one clean event per change with debounce", () => {
  const { clock, pins, emu } = makeBoard({ timing: calm });
  const btn = new Buttons({ pins, buttons: PICO_BUTTONS, seed: 3 });
  emu.load(`pinMode("A0", "input_pullup");
    var raw = [], clean = [];
    setWatch(function (e) { raw.push(e.state); }, "A0", {repeat: true, edge: "both"});
    setWatch(function (e) { clean.push([e.state, Math.round(e.time * 1e6)]); }, "A0", {repeat: true, edge: "both", debounce: 10});`);
  clock.runUntil(20_000);
  btn.press("up", 200);
  clock.runUntil(1e6);
  const raw = emu.evaluate("raw.join()") as string;
  assert.ok(raw.split(",").length >= 10, `raw edges: ${raw}`);
  const clean = JSON.parse(JSON.stringify(emu.evaluate("clean"))) as [boolean, number][];
  assert.equal(clean.map((c) => c[0]), [false, true]);
  // The debounced event is stamped with the last bounce edge (when the contact settled).
  assert.is(clean[0][1], Math.round(btn.log[0].settledUs));
  assert.is(clean[1][1], Math.round(btn.log[1].settledUs));
  // hold/release, and clean edges with bounce:false.
  const quiet = makeBoard({ timing: calm });
  const b2 = new Buttons({ pins: quiet.pins, buttons: { back: "^!A3", fire: "B1" }, bounce: false });
  const seen: number[] = [];
  quiet.pins.onInput("B1", (l) => seen.push(l));
  assert.is(quiet.pins.level("B1"), 0);
  b2.hold("fire");
  quiet.clock.runUntil(1e6);
  b2.release("fire");
  assert.equal(seen, [1, 0]);
});

test.run();
