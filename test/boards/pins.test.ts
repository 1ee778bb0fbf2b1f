// parsePin reads Klipper-style pin specs; the pin tables hold what the Espruino sources say.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parsePin } from "../../boards/load.ts";
import { CHIPS, describePins, pinRange } from "../../boards/pins.ts";

test("parsePin: bare, inverted, pull-up, both (either order)", () => {
  assert.equal(parsePin("B3"), { pin: "B3", inverted: false, pullUp: false });
  assert.equal(parsePin("!B3"), { pin: "B3", inverted: true, pullUp: false });
  assert.equal(parsePin("^A5"), { pin: "A5", inverted: false, pullUp: true });
  assert.equal(parsePin("^!B3"), { pin: "B3", inverted: true, pullUp: true });
  assert.equal(parsePin("!^B3"), { pin: "B3", inverted: true, pullUp: true });
  assert.equal(parsePin("D39"), { pin: "D39", inverted: false, pullUp: false });
});

test("parsePin: rejects malformed specs saying what to write", () => {
  for (const bad of ["", "!", "^^A5", "!!B3", "b3", "B", "3", "B3!", " B3", "~B3"]) {
    assert.throws(() => parsePin(bad), /is not a pin: write the pin name with optional "\^" \(pull-up\) and "!" \(inverted\)/, bad);
  }
});

test("describePins compresses runs", () => {
  assert.is(describePins(["A0", "A1", "A2", "B0", "B1", "B3", "C13", "C14", "C15", "H0"]), "A0-A2, B0, B1, B3, C13-C15, H0");
  assert.is(describePins([]), "");
});

test("pin tables: Pico/WiFi package has no B11 or C0-C12; ADC pins are real pins", () => {
  const pico = CHIPS.STM32F401CDU6;
  assert.is(pico.pins.length, 36);
  assert.not.ok(pico.pins.includes("B11"));
  assert.not.ok(pico.pins.includes("C0"));
  for (const chip of Object.values(CHIPS)) {
    for (const pin of [...chip.analog, ...chip.inputOnly, ...chip.noPullUp, ...chip.i2c.I2C1.scl, ...chip.i2c.I2C1.sda]) {
      assert.ok(chip.pins.includes(pin), pin);
    }
  }
  assert.equal(CHIPS.ESP32.analog, pinRange("D", 32, 39));
  assert.is(CHIPS.linux.pins.length, 33);
});

test.run();
