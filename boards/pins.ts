// Pin tables per chip: the pin names each Espruino build accepts and what each pin can do.
// Sources: espruino/Espruino boards/*.py + boards/pins/stm32f401.csv, stm32f103xe.csv (package
// column UQFN48 / LQFP64, as scripts/pinutils.py only_from_package() filters them).
import type { Chip } from "./profile.ts";

export interface ChipPins {
  /** Every pin name the build accepts ("B3", "D12"), in port/number order. */
  pins: string[];
  /** Pins analogRead() works on. */
  analog: string[];
  /** Pins that cannot drive an output. */
  inputOnly: string[];
  /** Pins without an internal pull-up (the "^" modifier is refused). */
  noPullUp: string[];
  /** Pins of the chip that exist in the build but must not be wired (flash, missing pads), with why. */
  reserved: Record<string, string>;
  /** Hardware I2C pins per bus. */
  i2c: { I2C1: { scl: string[]; sda: string[] } };
}

/** "A", 0, 3 -> ["A0", "A1", "A2", "A3"] */
export function pinRange(port: string, first: number, last: number): string[] {
  const out: string[] = [];
  for (let n = first; n <= last; n++) out.push(port + n);
  return out;
}

const without = (list: string[], drop: string[]) => list.filter((p) => !drop.includes(p));

/** STM32F401/F411 in UQFN48 (Pico, WiFi): PB11 and PC0-PC12 are not bonded out. */
const stm32Uqfn48: ChipPins = {
  pins: [...pinRange("A", 0, 15), ...without(pinRange("B", 0, 15), ["B11"]), ...pinRange("C", 13, 15), "H0", "H1"],
  analog: [...pinRange("A", 0, 7), "B0", "B1"],
  inputOnly: [],
  noPullUp: [],
  reserved: {},
  i2c: { I2C1: { scl: ["B6", "B8"], sda: ["B7", "B9"] } },
};

const esp32All = pinRange("D", 0, 39);
const esp32InputOnly = pinRange("D", 34, 39);
const esp32Reserved: Record<string, string> = {
  D6: "SPI flash (module internal)", D7: "SPI flash (module internal)", D8: "SPI flash (module internal)",
  D9: "SPI flash (module internal)", D10: "SPI flash (module internal)", D11: "SPI flash (module internal)",
  D20: "no such GPIO on the ESP32", D24: "no such GPIO on the ESP32", D28: "no such GPIO on the ESP32",
  D29: "no such GPIO on the ESP32", D30: "no such GPIO on the ESP32", D31: "no such GPIO on the ESP32",
};
const esp32Outputs = esp32All.filter((p) => !esp32InputOnly.includes(p) && esp32Reserved[p] === undefined);

const linuxPins = pinRange("D", 0, 32);

export const CHIPS: Record<Chip, ChipPins> = {
  STM32F401CDU6: stm32Uqfn48,
  STM32F411CEU6: stm32Uqfn48,
  STM32F103RCT6: {
    pins: [...pinRange("A", 0, 15), ...pinRange("B", 0, 15), ...pinRange("C", 0, 15), ...pinRange("D", 0, 2)],
    analog: [...pinRange("A", 0, 7), "B0", "B1", ...pinRange("C", 0, 5)],
    inputOnly: [],
    noPullUp: [],
    reserved: {},
    // B8/B9 are I2C1 through the AFIO remap, which Espruino's F1 pin table lists.
    i2c: { I2C1: { scl: ["B6", "B8"], sda: ["B7", "B9"] } },
  },
  ESP32: {
    pins: esp32All,
    // ADC1 only: Espruino's ESP32 build does not support ADC2 (boards/ESP32.py).
    analog: pinRange("D", 32, 39),
    inputOnly: esp32InputOnly,
    noPullUp: esp32InputOnly,
    reserved: esp32Reserved,
    // The GPIO matrix routes I2C to any output pin; Espruino's defaults are SCL D22, SDA D21.
    i2c: { I2C1: { scl: esp32Outputs, sda: esp32Outputs } },
  },
  linux: {
    // boards/LINUX.py: generate_pins(0, 32). GPIO writes do nothing; analogRead() raises
    // "Analog is not supported", so every name counts as analog here only to let a profile
    // describe the rig: the HAL for this runtime must not call analogRead().
    pins: linuxPins,
    analog: linuxPins,
    inputOnly: [],
    noPullUp: [],
    reserved: {},
    i2c: { I2C1: { scl: linuxPins, sda: linuxPins } },
  },
};

/** ["A0", "A1", "A2", "B3"] -> "A0-A2, B3": short lists for error messages. */
export function describePins(pins: string[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < pins.length) {
    const m = /^([A-Z]+)(\d+)$/.exec(pins[i]);
    let j = i;
    while (m !== null && j + 1 < pins.length && pins[j + 1] === m[1] + (Number(m[2]) + (j + 1 - i))) j++;
    parts.push(j > i + 1 ? `${pins[i]}-${pins[j]}` : pins.slice(i, j + 1).join(", "));
    i = j + 1;
  }
  return parts.join(", ");
}
