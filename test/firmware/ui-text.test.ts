// What the front panel says, read off the display: each expected line rendered with the board's own 4x6 font and compared pixel for pixel.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CFG_DARK_UFS, CFG_HOST_LOSS_POLICY, CFG_HOST_TIMEOUT_MS } from "../../protocol/generated.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";

type Board = Awaited<ReturnType<typeof connectedBoard>>;
/** Rows are 7 pixels; text starts at x = 2, y = row·7 + 1 (firmware/ui/draw.ts). */
const ROW_PX = 7;
const MENU_ABOUT = 8;
const MENU_DARK = 6;

async function panelBoard(): Promise<Board> {
  const b = await connectedBoard("espruino-pico");
  await b.ask(b.host.request("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 0 }));
  await b.ask(b.host.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: 9_000_000 }));
  await b.ask(b.host.request("setVolume", { pump: 1, volumeNl: 9_000_000 }));
  b.clock.runFor(600e3);
  return b;
}

function press(b: Board, name: "up" | "down" | "select" | "back"): void {
  b.buttons.press(name, 60);
  b.clock.runFor(360e3);
}

/** The pixels `text` makes on a row, drawn by the emulated board's Graphics with the 4x6 font. */
function rendered(b: Board, text: string): string {
  return String(b.emu.evaluate(`(function () {
    var t = Graphics.createArrayBuffer(128, ${ROW_PX}, 1, { msb: true });
    t.setFont("4x6"); t.drawString(${JSON.stringify(text)}, 2, 1);
    var s = ""; for (var y = 0; y < ${ROW_PX}; y++) for (var x = 0; x < 128; x++) s += t.getPixel(x, y) ? "1" : "0";
    return s;
  })()`));
}

/** Row `row` of the display as the same bit string (inverted when the row is highlighted). */
function shown(b: Board, row: number, inverted = false): string {
  const px = b.display.pixels();
  let s = "";
  for (let y = row * ROW_PX; y < (row + 1) * ROW_PX; y++) {
    for (let x = 0; x < 128; x++) s += Boolean(px[y * 128 + x]) !== inverted ? "1" : "0";
  }
  return s;
}

function assertLines(b: Board, lines: (string | undefined)[]): void {
  lines.forEach((text, row) => {
    if (text === undefined) return;
    assert.ok(shown(b, row) === rendered(b, text), `row ${row} should read "${text}"\n${b.display.ascii()}`);
  });
}

test("home: the syringes, the volume left in each, faults, and what select does", async () => {
  const b = await panelBoard();
  assertLines(b, [undefined, "A BD 10 mL  9.00 mL left", "B BD 10 mL  9.00 mL left", undefined, "no faults", "select = menu"]);
});

test("the e-stop chord: the fault screen says what happened and which input tripped", async () => {
  const b = await panelBoard();
  b.buttons.hold("back");
  b.clock.runFor(15e3);
  b.buttons.hold("select");
  b.clock.runFor(100e3);
  b.buttons.release("select");
  b.buttons.release("back");
  b.clock.runFor(400e3);
  assertLines(b, ["!! FAULT: pumps stopped", "e-stop", "input: button.estop", "", "select = acknowledge"]);
});

test("the run screen warns before a syringe runs out", async () => {
  const b = await panelBoard();
  await b.ask(b.host.request("setVolume", { pump: 0, volumeNl: 450_000 })); // 4 % of 10 mL
  await b.ask(b.host.request("setFlow", { rateA: 1000, rateB: 0 }));
  b.clock.runFor(1e6);
  assertLines(b, [undefined, "A 1.00 mL/h  0.00 mL given", "B 0.00 mL/h  0.00 mL given", undefined, "!! SYRINGE A LOW: 4 % left"]);
});

test("about: firmware version and board", async () => {
  const b = await panelBoard();
  press(b, "select");
  for (let i = 0; i < MENU_ABOUT; i++) press(b, "down");
  press(b, "select");
  assertLines(b, ["ABOUT", "flowrig 0.1.0", "board espruino-pico"]);
});

test("dark calibration from the panel measures and stores the dark offset", async () => {
  const b = await panelBoard();
  await b.ask(b.host.request("configSet", { key: CFG_DARK_UFS, index: 0, value: 0 }));
  press(b, "select");
  for (let i = 0; i < MENU_DARK; i++) press(b, "down");
  press(b, "select");
  assertLines(b, ["DARK CALIBRATION", "cover the reactor,", "select = measure"]);
  press(b, "select");
  b.clock.runFor(3e6);
  const dark = (await b.ask(b.host.request("configGet", { key: CFG_DARK_UFS, index: 0 }))).value;
  assert.ok(dark > 1000, `dark offset ${dark} (1e-6 FS) measured and stored`);
});

test.run();
