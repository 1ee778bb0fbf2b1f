// The benchtop UI on the virtual Pico: operator journeys through the front-panel buttons, checked through the protocol and on the display.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CAUSE_BUTTON_ESTOP, CAUSE_HOST_ESTOP, CAUSE_PUMP_A_MIN_ENDSTOP, CFG_HOST_LOSS_POLICY, CFG_HOST_TIMEOUT_MS, CFG_SYRINGE,
  FAULT_ENDSTOP, FAULT_ESTOP, SCHEMA_HASH, STATE_FAULT, STATE_IDLE, STATE_MANUAL, STATE_PAUSED, STATE_RUNNING, STATE_STOPPED,
} from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { settle, virtualLinkClock } from "../../host/sim/virtual-time.ts";
import { loadProgram, type Segment } from "../../host/client/programs.ts";
import { bootBoard, connectedBoard } from "../helpers/firmware-board.ts";
import { seededRandom } from "../helpers/random.ts";

type Board = Awaited<ReturnType<typeof connectedBoard>>;
type Button = "up" | "down" | "select" | "back";

const FULL_NL = 9_000_000;
/** Menu rows (firmware/ui/screens.ts MENU_LABELS). */
const MENU = { program: 0, manual: 1, primeA: 2, primeB: 3, syringeA: 4, syringeB: 5, dark: 6, policy: 7, about: 8 };
const SWEEP: Segment[] = [
  { durationMs: 20_000, rateA: 60_000, rateB: 120_000, rampMs: 0, tag: 1 },
  { durationMs: 20_000, rateA: 30_000, rateB: 0, rampMs: 0, tag: 2 },
];

/** A connected board with both syringes 9 mL full and no host-loss timeout (the tests go quiet between commands). */
async function panelBoard(): Promise<Board> {
  const b = await connectedBoard("espruino-pico");
  await b.ask(b.host.request("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 0 }));
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: FULL_NL }));
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: FULL_NL }));
  run(b, 500);
  return b;
}

function run(b: Board, ms: number): void {
  b.clock.runFor(ms * 1000);
}

/** A press and release, then long enough for the 4 Hz redraw to show the result. */
function press(b: Board, name: Button, holdMs = 60): void {
  b.buttons.press(name, holdMs);
  run(b, holdMs + 300);
}

function presses(b: Board, name: Button, n: number): void {
  for (let i = 0; i < n; i++) press(b, name);
}

/** back and select together: the e-stop chord. The plungers must stand still 40 ms after the second press (20 ms debounce). */
function chord(b: Board): void {
  b.buttons.hold("back");
  run(b, 15);
  b.buttons.hold("select");
  run(b, 40);
  const at = b.rig.pumps.map((p) => p.positionMicrosteps);
  run(b, 40);
  b.buttons.release("select");
  b.buttons.release("back");
  run(b, 300);
  assert.equal(b.rig.pumps.map((p) => p.positionMicrosteps), at, "stopped within 40 ms of the chord");
}

function openMenu(b: Board, row: number): void {
  press(b, "select"); // home → menu
  presses(b, "down", row);
  press(b, "select");
}

const status = (b: Board) => b.ask(b.host.request("getStatus", {}));
const pump = (b: Board, p: number) => b.ask(b.host.request("getPump", { pump: p }));
const configGet = (b: Board, key: number, index: number) => b.ask(b.host.request("configGet", { key, index })).then((r) => r.value);
const lit = (b: Board, x0: number, y0: number, w: number, h: number) => {
  const px = b.display.pixels();
  let n = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) n += px[y * 128 + x] ? 1 : 0;
  return n;
};

test("the home screen is drawn after boot; frames come at most 4 a second and only when what is shown changed", async () => {
  const b = await panelBoard();
  assert.ok(b.display.frames.length >= 1, "a frame reached the display");
  assert.ok(lit(b, 0, 0, 128, 7) > 20, "a title row");
  assert.ok(lit(b, 0, 7, 128, 35) > 100, "pump, PL and fault rows");
  const seen: { timeUs: number; hash: string }[] = [];
  b.display.onFrame((f) => seen.push({ timeUs: f.timeUs, hash: b.display.hash() }));
  run(b, 5000); // idle: only the PL value changes
  openMenu(b, MENU.manual);
  b.buttons.press("up", 2000); // a held key changes the screen 5 times a second
  run(b, 2500);
  press(b, "select");
  press(b, "select");
  run(b, 5000); // running: rates, volumes, the trend
  assert.ok(seen.length > 10, `${seen.length} frames`);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].timeUs - seen[i - 1].timeUs >= 240_000, `frame ${i} only ${seen[i].timeUs - seen[i - 1].timeUs} µs after the last`);
    assert.is.not(seen[i].hash, seen[i - 1].hash, `frame ${i} shows what was already shown`);
  }
  assert.equal(b.emu.errors, []);
});

test("manual flow set up and started from the buttons: the rates reach the pumps; hold accelerates", async () => {
  const b = await panelBoard();
  const home = b.display.hash();
  openMenu(b, MENU.manual);
  assert.is.not(b.display.hash(), home, "the manual page is shown");
  b.buttons.press("up", 3000); // held 3 s: 0.01 mL/h steps, then 0.1, then 1
  run(b, 3300);
  press(b, "select"); // to pump B
  presses(b, "up", 3); // 3 × 10 µL/h
  press(b, "select"); // start
  const s = await status(b);
  assert.is(s.state, STATE_MANUAL);
  assert.ok(s.rateA > 1000, `pump A ${s.rateA} µL/h after a 3 s hold (accelerated)`);
  assert.ok(s.rateA < 20_000, `pump A ${s.rateA} µL/h`);
  assert.is(s.rateB, 30);
  assert.is((await pump(b, 0)).rate, s.rateA);
  press(b, "back");
  press(b, "back"); // home: while liquid moves it is the run screen
  const runScreen = b.display.hash();
  run(b, 6000);
  assert.ok(lit(b, 0, 37, 128, 27) > 250, "the trend box is drawn");
  assert.ok((await pump(b, 0)).deliveredNl > 0, "pump A delivers");
  assert.is.not(runScreen, home);
  assert.equal(b.emu.errors, []);
});

test("a stored program started from the menu; long back asks, back carries on, select stops", async () => {
  const b = await panelBoard();
  await b.ask(loadProgram(b.host, 1, "SWEEP", SWEEP));
  openMenu(b, MENU.program);
  press(b, "down"); // slot 1
  press(b, "select");
  let s = await status(b);
  assert.equal([s.state, s.slot, s.segments], [STATE_RUNNING, 1, 2]);
  run(b, 2000);
  press(b, "select"); // select on the run screen pauses and resumes
  assert.is((await status(b)).state, STATE_PAUSED);
  press(b, "select");
  assert.is((await status(b)).state, STATE_RUNNING);
  const runHash = b.display.hash();
  b.buttons.press("back", 1300); // long press
  run(b, 1600);
  const confirmHash = b.display.hash();
  assert.is.not(confirmHash, runHash, "the confirmation is shown");
  assert.is((await status(b)).state, STATE_RUNNING, "nothing stops without confirmation");
  press(b, "back"); // cancel
  assert.is((await status(b)).state, STATE_RUNNING);
  assert.is.not(b.display.hash(), confirmHash, "back to the run screen");
  b.buttons.press("back", 1300);
  run(b, 1600);
  assert.is(b.display.hash(), confirmHash, "the same confirmation screen");
  press(b, "select");
  s = await status(b);
  assert.is(s.state, STATE_STOPPED);
  assert.equal([s.rateA, s.rateB], [0, 0]);
  assert.equal(b.emu.errors, []);
});

test("the e-stop chord stops the pumps at once from home, a menu, the run screen and a fault", async () => {
  const b = await panelBoard();
  const check = async (where: string) => {
    const s = await status(b);
    assert.is(s.state, STATE_FAULT, where);
    assert.is(s.faults & FAULT_ESTOP, FAULT_ESTOP, where);
    const at = b.rig.pumps.map((p) => p.positionMicrosteps);
    run(b, 1000);
    assert.equal(b.rig.pumps.map((p) => p.positionMicrosteps), at, `${where}: the plungers stand still`);
    return s;
  };
  // home
  chord(b);
  assert.is((await check("home")).cause, CAUSE_BUTTON_ESTOP);
  // fault screen: the chord again keeps the fault (and its first cause)
  chord(b);
  await check("fault");
  press(b, "select");
  assert.is((await status(b)).state, STATE_IDLE);
  // a menu page, while flow runs (set by the host)
  await b.ask(b.host.request("setFlow", { rateA: 600_000, rateB: 600_000 }));
  openMenu(b, MENU.syringeA);
  const moving = b.rig.pumps[0].positionMicrosteps;
  run(b, 300);
  assert.is.not(b.rig.pumps[0].positionMicrosteps, moving, "flowing before the chord");
  chord(b);
  assert.is((await check("menu")).cause, CAUSE_BUTTON_ESTOP);
  press(b, "select");
  // the run screen
  await b.ask(loadProgram(b.host, 0, "SWEEP", SWEEP));
  await b.ask(b.host.request("start", { slot: 0 }));
  run(b, 1000);
  chord(b);
  assert.is((await check("run")).cause, CAUSE_BUTTON_ESTOP);
  assert.equal(b.emu.errors, []);
});

test("a fault takes over the display until acknowledged, naming the input that tripped", async () => {
  const b = await panelBoard();
  const home = b.display.hash();
  // The board believes the syringe holds 9 mL; on the rig it holds 0.2 mL, so the plunger meets the end.
  const a = b.rig.pumps[0];
  a.positionMicrosteps = Math.round(200_000 / a.nlPerMicrostep);
  openMenu(b, MENU.manual);
  presses(b, "up", 1);
  b.buttons.press("up", 3500);
  run(b, 3800);
  press(b, "select");
  press(b, "select");
  assert.is((await status(b)).state, STATE_MANUAL);
  run(b, 30_000);
  const s = await status(b);
  assert.equal([s.state, s.faults & FAULT_ENDSTOP, s.cause], [STATE_FAULT, FAULT_ENDSTOP, CAUSE_PUMP_A_MIN_ENDSTOP]);
  const endstopScreen = b.display.hash();
  for (const name of ["up", "down", "back"] as Button[]) {
    press(b, name);
    assert.is(b.display.hash(), endstopScreen, `${name} does not leave the fault screen`);
  }
  press(b, "select"); // acknowledge
  assert.is((await status(b)).state, STATE_IDLE);
  assert.is.not(b.display.hash(), endstopScreen);
  // A different input trips a different screen; acknowledging brings the home screen back.
  await b.ask(b.host.request("estop", {}));
  run(b, 300);
  assert.is((await status(b)).cause, CAUSE_HOST_ESTOP);
  assert.is.not(b.display.hash(), endstopScreen, "the cause is shown");
  press(b, "select");
  assert.is((await status(b)).state, STATE_IDLE);
  run(b, 300);
  assert.ok(lit(b, 0, 0, 128, 7) > 20, "the home screen again");
  assert.ok(lit(b, 0, 37, 128, 27) < 250, "no trend box: not the run screen");
  assert.is.not(b.display.hash(), home, "pump A's volume went down");
  assert.equal(b.emu.errors, []);
});

test("a syringe chosen from the library is stored: the host sees it, and it survives a power cut", async () => {
  const b = await panelBoard();
  assert.is(await configGet(b, CFG_SYRINGE, 1), 4, "BD 10 mL by default");
  openMenu(b, MENU.syringeB);
  presses(b, "down", 3); // BD 10 → 20 → 30 → 60 mL
  press(b, "select");
  assert.is(await configGet(b, CFG_SYRINGE, 1), 7);
  assert.is(await configGet(b, CFG_SYRINGE, 0), 4, "pump A untouched");
  b.emu.powerCut();
  b.emu.boot();
  run(b, 500);
  const host = new HostLink((bytes) => b.emu.host.write(bytes), { clock: virtualLinkClock(b.clock) });
  b.emu.host.onData((bytes) => host.feed(bytes));
  await settle(b.clock, handshake(host, SCHEMA_HASH, seededRandom(5)));
  assert.is((await settle(b.clock, host.request("configGet", { key: CFG_SYRINGE, index: 1 }))).value, 7);
  assert.equal(b.emu.errors, []);
});

test("the host-loss policy changed on the panel is what the host reads (and is stored)", async () => {
  const b = await panelBoard();
  assert.is(await configGet(b, CFG_HOST_LOSS_POLICY, 0), 0, "stop by default");
  openMenu(b, MENU.policy);
  const stopShown = b.display.hash();
  press(b, "down");
  assert.is.not(b.display.hash(), stopShown, "continue is offered");
  assert.is(await configGet(b, CFG_HOST_LOSS_POLICY, 0), 0, "nothing changes before select");
  press(b, "select");
  assert.is(await configGet(b, CFG_HOST_LOSS_POLICY, 0), 1);
  // The e-stop chord works here too, and leaves the policy alone.
  chord(b);
  assert.is((await status(b)).cause, CAUSE_BUTTON_ESTOP);
  assert.is(await configGet(b, CFG_HOST_LOSS_POLICY, 0), 1);
  assert.equal(b.emu.errors, []);
});

test("prime moves 0.1 mL per press through the move command", async () => {
  const b = await panelBoard();
  openMenu(b, MENU.primeB);
  const before = (await pump(b, 1)).volumeNl;
  press(b, "up");
  run(b, 5000);
  const after = (await pump(b, 1)).volumeNl;
  assert.ok(Math.abs(before - after - 100_000) < 100, `${before - after} nL primed`);
  press(b, "down");
  run(b, 5000);
  assert.ok(Math.abs((await pump(b, 1)).volumeNl - before) < 100, "withdrawn back");
  assert.equal(b.emu.errors, []);
});

test("memory: the UI's cost on the Pico", async () => {
  const b = await panelBoard();
  openMenu(b, MENU.manual);
  presses(b, "up", 2);
  press(b, "select");
  press(b, "select");
  run(b, 3000);
  const m = b.emu.memory();
  console.log(`  ui: Pico variables in use with the UI running: ${m.usage} of ${m.total}`);
  assert.ok(m.free > 1000, `${m.free} variables free`);
});

test("no computer at all: load the syringe, run a manual flow from the panel, well past the host timeout", async () => {
  const b = (await bootBoard("espruino-pico")) as unknown as Board; // never identified: no host session
  run(b, 500);
  openMenu(b, MENU.primeA);
  press(b, "select"); // syringe A loaded full
  press(b, "back");
  press(b, "back");
  openMenu(b, MENU.manual);
  b.buttons.press("up", 2500);
  run(b, 2800);
  press(b, "select"); // to pump B (left at 0)
  press(b, "select"); // start
  run(b, 20_000); // four times the 5 s host timeout, with no host ever seen
  const a = b.rig.pumps[0];
  assert.ok(a.deliveredNl > 0, "pump A delivers");
  // Only now does a computer connect, to look.
  await b.ask(handshake(b.host, SCHEMA_HASH, seededRandom(9)));
  const s = await status(b);
  assert.is(s.state, STATE_MANUAL, "still running: host loss needs a host that went quiet");
  assert.is(s.faults, 0);
  const p = await pump(b, 0);
  assert.ok(p.volumeNl > 9_000_000 && p.volumeNl < 10_000_000, `${p.volumeNl} nL left of the 10 mL loaded`);
  assert.ok(Math.abs(p.deliveredNl - a.deliveredNl) < 2 * a.nlPerMicrostep, "the board's count is the rig's");
});

test("the e-stop chord works on every menu page and in the stop confirmation, each time a fault with button.estop", async () => {
  const b = await panelBoard();
  const estopped = async (where: string) => {
    const s = await status(b);
    assert.equal([s.state, s.faults & FAULT_ESTOP, s.cause], [STATE_FAULT, FAULT_ESTOP, CAUSE_BUTTON_ESTOP], where);
    press(b, "select"); // acknowledge
    assert.is((await status(b)).state, STATE_IDLE, `${where}: acknowledged`);
  };
  press(b, "select"); // the menu itself
  b.buttons.hold("back"); run(b, 15); b.buttons.hold("select"); run(b, 60); b.buttons.release("select"); b.buttons.release("back"); run(b, 300);
  await estopped("menu");
  for (const [name, row] of Object.entries(MENU)) {
    press(b, "back"); press(b, "back"); // home, whatever was open
    openMenu(b, row);
    b.buttons.hold("back"); run(b, 15); b.buttons.hold("select"); run(b, 60); b.buttons.release("select"); b.buttons.release("back"); run(b, 300);
    await estopped(`page ${name}`);
  }
  await b.ask(loadProgram(b.host, 2, "LONG", SWEEP));
  await b.ask(b.host.request("start", { slot: 2 }));
  run(b, 500);
  b.buttons.press("back", 1500); // long back: "Stop the run?"
  run(b, 1800);
  chord(b);
  await estopped("stop confirmation");
});

test.run();
