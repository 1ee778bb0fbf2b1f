// Each kind of typo in a board file fails with the file, the field's JSON path and what is allowed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { boardErrors, BoardValidationError, validateBoard } from "../../boards/load.ts";

const FILE = "boards/espruino-pico.json";
const read = (id: string) => JSON.parse(readFileSync(new URL(`../../boards/${id}.json`, import.meta.url), "utf8"));

/** Errors for the pico (or another) profile after `edit` changes it. */
function errorsAfter(edit: (board: any) => void, id = "espruino-pico"): string[] {
  const board = read(id);
  edit(board);
  return boardErrors(board, `boards/${id}.json`);
}

/** Asserts that exactly one error mentions the field and includes every fragment. */
function expectError(errors: string[], field: string, ...fragments: string[]) {
  const hits = errors.filter((e) => e.includes(`: ${field}: `));
  assert.is(hits.length, 1, `expected one error for ${field}, got:\n${errors.join("\n")}`);
  for (const fragment of fragments) assert.ok(hits[0].includes(fragment), `"${hits[0]}" lacks "${fragment}"`);
}

test("the untouched profile has no errors", () => {
  assert.equal(errorsAfter(() => {}), []);
});

test("unknown field", () => {
  const errors = errorsAfter((b) => { b.pumps[0].stepPin = "A4"; });
  expectError(errors, "pumps[0].stepPin", FILE, "unknown field", "allowed: step, dir, enable, driver, minEndstop, maxEndstop, diag");
});

test("bad pin name", () => {
  const errors = errorsAfter((b) => { b.pumps[1].step = "B99"; });
  assert.equal(errors, [
    `${FILE}: pumps[1].step: "B99" is not a pin of espruino-pico (STM32F401CDU6; allowed: A0-A15, B0-B10, B12-B15, C13-C15, H0, H1)`,
  ]);
});

test("pin syntax", () => {
  const errors = errorsAfter((b) => { b.valves[0] = "b8"; });
  expectError(errors, "valves[0]", FILE, '"b8" is not a pin: write the pin name with optional "^" (pull-up) and "!" (inverted) in front');
  expectError(errorsAfter((b) => { b.reservedPins[0].pin = "!A9"; }), "reservedPins[0].pin", '"!A9" does not match ^[A-Z]+[0-9]+$ (A bare pin name');
});

test("duplicate pin names both fields", () => {
  const errors = errorsAfter((b) => { b.pumps[1].step = "!B3"; });
  expectError(errors, "pumps[1].step", FILE, "pin B3 is already used by pumps[0].step");
});

test("bad driver", () => {
  const errors = errorsAfter((b) => { b.pumps[0].driver = "A4899"; });
  expectError(errors, "pumps[0].driver", FILE, '"A4899" is not allowed (allowed: "A4988", "DRV8825", "TMC2209")');
});

test("photodiode on a pin without ADC", () => {
  const errors = errorsAfter((b) => { b.sensor.photodiode = "B12"; });
  expectError(errors, "sensor.photodiode", FILE, "B12 is not ADC-capable on STM32F401CDU6 (analog pins: A0-A7, B0, B1)");
});

test("missing field", () => {
  const errors = errorsAfter((b) => { delete b.sensor.photodiode; });
  expectError(errors, "sensor.photodiode", FILE, "required field is missing", "Photodiode amplifier output");
});

test("wrong type", () => {
  const errors = errorsAfter((b) => { b.variables = "5100"; b.hasStepper = "yes"; });
  expectError(errors, "variables", FILE, 'expected integer, got string "5100"');
  expectError(errors, "hasStepper", FILE, "expected boolean");
});

test("number range and tuple length", () => {
  const errors = errorsAfter((b) => { b.display.address = 300; b.pumps.push(b.pumps[0]); });
  expectError(errors, "display.address", "300 exceeds the limit 119");
  expectError(errors, "pumps", "expected exactly 2 entries, got 3");
});

test("pin reserved by the board", () => {
  const errors = errorsAfter((b) => { b.valves[0] = "A11"; });
  expectError(errors, "valves[0]", "A11 is reserved on espruino-pico (USB D-)");
});

test("modifier that does not apply", () => {
  const errors = errorsAfter((b) => { b.pumps[0].step = "^B3"; b.sensor.photodiode = "!A5"; });
  expectError(errors, "pumps[0].step", 'modifier "^" does not apply to an output (allowed: "!")');
  expectError(errors, "sensor.photodiode", 'modifier "!" does not apply to an analog input (allowed: none)');
});

test("active-low ENABLE written without !", () => {
  const errors = errorsAfter((b) => { b.pumps[1].enable = "B13"; });
  expectError(errors, "pumps[1].enable", "ENABLE input, which is active low: write \"!B13\"");
});

test("DIAG on a driver without one", () => {
  const errors = errorsAfter((b) => { b.pumps[0].diag = "A4"; });
  expectError(errors, "pumps[0].diag", "the A4988 has no DIAG output (drivers with one: TMC2209)");
});

test("display on pins that are not I2C1", () => {
  const errors = errorsAfter((b) => { b.display.scl = "A4"; });
  expectError(errors, "display.scl", '"A4" is not an I2C1 SCL pin on STM32F401CDU6 (allowed: B6, B8)');
});

test("link kind and link fields", () => {
  expectError(errorsAfter((b) => { b.link = { kind: "bluetooth" }; }), "link.kind", '"bluetooth" is not allowed (allowed: "usb", "uart", "serial-path")');
  const errors = errorsAfter((b) => { delete b.link.baud; b.link.tx = "D34"; }, "espruino-esp32");
  expectError(errors, "link.baud", "boards/espruino-esp32.json", "required field is missing");
  expectError(errors, "link.tx", "D34 is input-only on ESP32");
});

test("ESP32: input-only pins have no pull-up; flash pins are reserved", () => {
  const errors = errorsAfter((b) => { b.pumps[1].minEndstop = "^D34"; b.valves[1] = "D7"; }, "espruino-esp32");
  expectError(errors, "pumps[1].minEndstop", "D34 has no internal pull-up on ESP32", 'write "D34"');
  expectError(errors, "valves[1]", "D7 is reserved on espruino-esp32 (SPI flash");
});

test("reservedPins entries must name real pins", () => {
  const errors = errorsAfter((b) => { b.reservedPins.push({ pin: "Z9", use: "nothing" }); });
  expectError(errors, "reservedPins[7].pin", '"Z9" is not a pin of espruino-pico');
});

test("not an object at all", () => {
  assert.equal(boardErrors([], FILE), [`${FILE}: (root): expected object, got array []`]);
});

test("validateBoard collects every error into one thrown Error", () => {
  const board = read("espruino-pico");
  board.pumps[1].step = "B99";
  board.name = 7;
  delete board.buttons.back;
  try {
    validateBoard(board, FILE);
    assert.unreachable("should throw");
  } catch (e) {
    assert.instance(e, BoardValidationError);
    const error = e as BoardValidationError;
    assert.is(error.errors.length, 3);
    assert.ok(error.message.startsWith("3 errors in board profile:\n"));
    for (const field of ["name", "pumps[1].step", "buttons.back"]) assert.ok(error.message.includes(`${FILE}: ${field}: `), field);
  }
});

test("validateBoard returns the typed profile when valid", () => {
  assert.is(validateBoard(read("espruino-wifi"), "boards/espruino-wifi.json").chip, "STM32F411CEU6");
});

test.run();
