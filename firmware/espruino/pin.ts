// Espruino HAL: board-profile pin strings ("!B5", "^A8") taken apart, and digital inputs and outputs on them.
import type { DigitalInput, DigitalOutput } from "../hal.ts";

declare function digitalWrite(pin: string, value: boolean): void;
declare function digitalRead(pin: string): number;
declare function pinMode(pin: string, mode: string): void;
declare function setWatch(fn: (e: { state: boolean; time: number }) => void, pin: string, options: object): number;

/** A profile pin string taken apart: the chip's pin name and its modifiers. */
export interface PinSpec {
  name: string;
  /** "!": active low (logical 1 = electrical low). */
  inverted: boolean;
  /** "^": internal pull-up (inputs only). */
  pullUp: boolean;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** "^!A5" → {name "A5", inverted, pullUp}; each modifier at most once, in either order (as boards/validate.ts). */
export function parsePinSpec(spec: string): PinSpec {
  let i = 0;
  let inverted = false;
  let pullUp = false;
  while (i < spec.length) {
    const c = spec.charAt(i);
    if (c === "!" && !inverted) inverted = true;
    else if (c === "^" && !pullUp) pullUp = true;
    else break;
    i++;
  }
  const name = spec.substring(i);
  let letters = 0;
  while (letters < name.length && isUpper(name.charCodeAt(letters))) letters++;
  let end = letters;
  while (end < name.length && isDigit(name.charCodeAt(end))) end++;
  if (letters === 0 || end === letters || end !== name.length) {
    throw new Error("\"" + spec + "\" is not a pin: write the pin name with optional \"^\" (pull-up) and \"!\" (inverted) in front, e.g. \"B3\", \"!B3\", \"^!A5\"");
  }
  return { name: name, inverted: inverted, pullUp: pullUp };
}

/** digitalWrite with the profile's "!" applied; starts inactive (an LED off, a driver disabled). */
export class EspruinoDigitalOutput implements DigitalOutput {
  pin: string;
  inverted: boolean;

  constructor(spec: string) {
    const p = parsePinSpec(spec);
    this.pin = p.name;
    this.inverted = p.inverted;
    pinMode(this.pin, "output");
    this.set(false);
  }

  set(active: boolean): void {
    digitalWrite(this.pin, active !== this.inverted);
  }
}

/**
 * digitalRead and setWatch with the profile's "!" applied and "^" as the pull-up. A class, not closures: on Espruino a
 * closure keeps its whole enclosing scope alive, so eight inputs built from closures held ~25 variables each more.
 */
export class EspruinoDigitalInput implements DigitalInput {
  pin: string;
  inverted: boolean;

  constructor(spec: string) {
    const p = parsePinSpec(spec);
    this.pin = p.name;
    this.inverted = p.inverted;
    pinMode(this.pin, p.pullUp ? "input_pullup" : "input");
  }

  active(): boolean {
    return (digitalRead(this.pin) !== 0) !== this.inverted;
  }

  watch(fn: (tag: number, active: boolean, timeS: number) => void, tag: number, debounceMs: number): void {
    const inverted = this.inverted;
    setWatch(function (e) { fn(tag, e.state !== inverted, e.time); }, this.pin, { repeat: true, edge: "both", debounce: debounceMs });
  }
}
