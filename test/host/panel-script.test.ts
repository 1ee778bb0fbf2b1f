// Press scripts on the virtual rig's front panel: parsing, a run whose screens the test draws itself, the CLI.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PanelScriptError, parseDurationMs, parsePanelScript, runPanelScript } from "../../host/sim/panel-script.ts";
import { decodePng } from "../../host/sim/png.ts";
import { bootVirtualRig } from "../../host/sim/virtual-rig.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "host/bin/flowrig.js");

test("parse: every kind of step, with defaults, durations and columns", () => {
  const steps = parsePanelScript("down, down,select,hold:back,wait:2s,press:up:1500ms,chord:back+select,shot:home.png,hold:UP:2.5s,wait:250");
  assert.equal(steps.map((s) => s.kind === "press" ? [s.buttons, s.holdMs, s.pauseMs] : s.kind === "wait" ? s.ms : s.file), [
    [["down"], 120, 300], [["down"], 120, 300], [["select"], 120, 300], [["back"], 1500, 300], 2000,
    [["up"], 1500, 300], [["back", "select"], 120, 300], "home.png", [["up"], 2500, 300], 250,
  ]);
  assert.equal(steps.slice(0, 3).map((s) => s.column), [1, 7, 12]);
  assert.equal(parsePanelScript(""), []);
  assert.equal(parsePanelScript("chord:up+down+select:1s")[0], { kind: "press", buttons: ["up", "down", "select"], holdMs: 1000, pauseMs: 300, text: "chord:up+down+select:1s", column: 1 });
  assert.equal(parsePanelScript("shot:out/a b.PNG")[0], { kind: "shot", file: "out/a b.PNG", text: "shot:out/a b.PNG", column: 1 });
  assert.equal([parseDurationMs("300ms"), parseDurationMs("1.5s"), parseDurationMs("2min"), parseDurationMs("40"), parseDurationMs("2h")], [300, 1500, 120000, 40, undefined]);
  assert.equal(parsePanelScript("a,b", { buttons: ["a", "b"] }).length, 2, "another panel's button names");
});

test("parse: bad scripts are refused with the step, its column and what is allowed", () => {
  const cases: [string, number, number, RegExp][] = [
    ["down,selct", 2, 6, /unknown button or step "selct"/],
    ["down,,up", 2, 6, /empty step/],
    ["down,up,", 3, 9, /nothing after the last comma/],
    ["hold:sideways", 1, 1, /unknown button "sideways"/],
    ["up, wait:soon", 2, 5, /"soon" is not a duration/],
    ["wait", 1, 1, /wait needs one duration, e.g. wait:2s/],
    ["wait:", 1, 1, /wait needs one duration/],
    ["wait:2h", 1, 1, /"2h" is not a duration/],
    ["wait:2000min", 1, 1, /out of range \(0 to 1 h\)/],
    ["press:up:0ms", 1, 1, /hold 0ms is out of range \(1 ms to 1 h\)/],
    ["press:up:1s:2s", 1, 1, /press takes a button and an optional duration/],
    ["chord:up", 1, 1, /two or more buttons/],
    ["chord:up+up", 1, 1, /each button once/],
    ["chord:up+", 1, 1, /button name is missing/],
    ["shot:", 1, 1, /shot needs a file name/],
    ["shot:home.jpg", 1, 1, /must end in \.png/],
    ["jump:up", 1, 1, /unknown step "jump:"/],
  ];
  for (const [script, step, column, problem] of cases) {
    try {
      parsePanelScript(script);
      assert.unreachable(`${script} was accepted`);
    } catch (e) {
      assert.instance(e, PanelScriptError, script);
      const err = e as PanelScriptError;
      assert.equal([err.step, err.column], [step, column], `${script}: ${err.message}`);
      assert.match(err.message, problem);
      assert.match(err.message, new RegExp(`^step ${step} .*column ${column}`));
      assert.match(err.message, /NAME \| press:NAME\[:DUR\] \| hold:NAME\[:DUR\] \| chord:NAME\+NAME\[:DUR\] \| wait:DUR \| shot:FILE\.png/);
      assert.match(err.message, /NAME: up, down, select, back/);
    }
  }
});

/** Each button lights its own 32×16 block; the screen shows the blocks of the buttons down at the last press. */
const BLOCKS: Record<string, [number, number]> = { up: [0, 0], down: [32, 16], select: [64, 32], back: [96, 48] };

function expected(buttons: string[]): Uint8Array {
  const mask = new Uint8Array(128 * 64);
  for (const b of buttons) {
    const [x0, y0] = BLOCKS[b];
    for (let y = y0; y < y0 + 16; y++) mask.fill(1, y * 128 + x0, y * 128 + x0 + 32);
  }
  return mask;
}

/** The decoded 4× PNG, sampled back to panel pixels; every 4×4 block must be one level. */
function panelOf(png: Uint8Array): Uint8Array {
  const img = decodePng(png);
  assert.equal([img.width, img.height, img.channels], [512, 256, 1]);
  const out = new Uint8Array(128 * 64);
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 512; x++) {
      const lit = img.data[y * 512 + x] > 0 ? 1 : 0;
      const p = (y >> 2) * 128 + (x >> 2);
      if ((x & 3) === 0 && (y & 3) === 0) out[p] = lit;
      else if (out[p] !== lit) throw new Error(`PNG pixel ${x},${y} differs from its 4×4 block`);
    }
  }
  return out;
}

/** The firmware is stopped and this code drives the panel instead; its drawings say which buttons it saw. */
test("run: presses, holds and chords reach the firmware's pins; each shot: is the display at that moment", async () => {
  const v = await bootVirtualRig({ boardId: "espruino-pico" });
  const d = v.profile.display;
  const pins = Object.fromEntries(Object.entries(v.profile.buttons).map(([name, spec]) => [name, spec.replace(/^[!^]+/, "")]));
  // The firmware's own panel UI (timers, button watches) is stopped, the watchdog it kicked kept fed: the test owns the
  // display and buttons.
  v.emu.evaluate(`
    clearInterval(); clearTimeout(); clearWatch();
    setInterval(function () { E.kickWatchdog(); }, 500);
    I2C1.setup({ scl: "${d.scl}", sda: "${d.sda}", bitrate: 400000 });
    var blocks = ${JSON.stringify(BLOCKS)}, pins = ${JSON.stringify(pins)}, down = {}, held = [];
    function draw() {
      panel.clear();
      for (var name in down) if (down[name]) panel.fillRect(blocks[name][0], blocks[name][1], blocks[name][0] + 31, blocks[name][1] + 15);
      panel.flip();
    }
    Object.keys(pins).forEach(function (name) {
      setWatch(function (e) {
        down[name] = !e.state;
        if (!e.state) draw(); else held.push(name + ":" + Math.round((e.time - e.lastTime) * 1000));
      }, pins[name], { repeat: true, edge: "both", debounce: 10 });
    });
    var panel = require("SSD1306").connect(I2C1, function () { panel.clear(); panel.flip(); }, { address: ${d.address} });
  `);
  const dir = mkdtempSync(join(tmpdir(), "flowrig-panel-"));
  try {
    const run = runPanelScript(v, "shot:blank.png,up,shot:up.png,down,down,shot:down.png,hold:select,shot:select.png,wait:1s,chord:back+up,shot:shots/chord.png,press:back:700ms",
      { outDir: dir, startAfterMs: 200 });
    assert.equal(v.emu.errors, []);
    assert.equal(run.errors, []);
    assert.equal(run.shots.map((s) => s.file), ["blank.png", "up.png", "down.png", "select.png", "shots/chord.png"]);
    const want: Record<string, string[]> = { "blank.png": [], "up.png": ["up"], "down.png": ["down"], "select.png": ["select"], "shots/chord.png": ["up", "back"] };
    for (const shot of run.shots) {
      const onDisk = readFileSync(join(dir, shot.file));
      assert.ok(onDisk.equals(shot.png), `${shot.file} is what was returned`);
      assert.ok(panelOf(onDisk).every((p, i) => p === expected(want[shot.file])[i]), `${shot.file} shows ${want[shot.file].join("+") || "nothing"}`);
    }
    assert.is(new Set(run.shots.map((s) => s.hash)).size, 5, "every shot differs");
    // The clear at connect (during the 200 ms settle) + 7 presses drawn (the chord draws twice).
    assert.is(run.frames.length, 8);
    assert.ok(run.frames.every((f) => f.timeUs >= run.startUs && f.timeUs <= run.endUs));
    // Virtual time: 200 ms settle; up 420; down ×2 840; hold 1800; wait 1000; chord 420; back 700 + 300.
    assert.is(run.endUs - run.startUs, (200 + 420 + 840 + 1800 + 1000 + 420 + 1000) * 1000);
    const durations = (v.emu.evaluate("held.join(',')") as string).split(",").map((h) => h.split(":"));
    assert.equal(durations.map(([name]) => name).sort(), ["back", "back", "down", "down", "select", "up", "up"], "every release seen once");
    const ms = (name: string) => durations.filter(([n]) => n === name).map(([, t]) => Number(t));
    assert.ok(ms("up").every((t) => Math.abs(t - 120) <= 10), `up held ${ms("up")} ms`);
    assert.ok(Math.abs(ms("select")[0] - 1500) <= 10, `select held ${ms("select")} ms`);
    assert.ok(Math.abs(ms("back")[1] - 700) <= 10, `back held ${ms("back")} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function flowrig(args: string[], cwd = root) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => { stdout += c; });
    child.stderr.on("data", (c) => { stderr += c; });
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("cli: flowrig sim --press … --screenshot FILE writes valid PNGs, says what it saved and exits 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-panel-cli-"));
  try {
    const final = join(dir, "final.png");
    const mid = join(dir, "menu.png");
    const r = await flowrig(["sim", "--press", `down,select,shot:${mid},hold:back,wait:500ms`, "--screenshot", final, "--seed", "3"]);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`saved ${mid} \\(at 1\\.84 s virtual`));
    assert.match(r.stdout, new RegExp(`saved ${final} \\(at 4\\.14 s virtual`));
    assert.match(r.stdout, /espruino-pico: 5 steps in 4\.14 s of virtual time/);
    for (const file of [mid, final]) {
      const img = decodePng(readFileSync(file));
      assert.equal([img.width, img.height, img.channels], [512, 256, 1]);
    }
    const shot = join(dir, "up.png");
    const json = await flowrig(["sim", "--json", "--press", `up,shot:${shot}`, "--board", "espruino-wifi"]);
    assert.is(json.status, 0, json.stderr);
    const records = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records.map((l) => l.event), ["shot", "done"], "no final screenshot when the script takes its own");
    assert.equal([records[0].file, records[0].timeMs, typeof records[0].frame], [shot, 1420, "number"]);
    assert.is(decodePng(readFileSync(shot)).width, 512);
    assert.equal([records[1].board, records[1].steps, records[1].virtualMs], ["espruino-wifi", 2, 1420]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cli: a bad script or --press with a server exits 2, says what is allowed and saves nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-panel-bad-"));
  try {
    const cases: [string[], RegExp][] = [
      [["--press", `up,hold:side,shot:${join(dir, "x.png")}`], /step 2 "hold:side" \(column 4\): unknown button "side"[\s\S]*NAME: up, down, select, back/],
      [["--press", "up", "--screenshot", join(dir, "x.jpg")], /must end in \.png/],
      [["--press", "up", "--listen", "tcp://127.0.0.1:0"], /cannot be used with option '--listen/],
    ];
    const results = await Promise.all(cases.map(([args]) => flowrig(["sim", ...args])));
    for (const [i, [args, message]] of cases.entries()) {
      assert.is(results[i].status, 2, `${args.join(" ")}: ${results[i].stderr}`);
      assert.match(results[i].stderr, message);
      assert.not.match(results[i].stdout, /saved|listening/);
    }
    assert.not.ok(existsSync(join(dir, "x.png")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
