// Espruino HAL: board-profile pin strings ("!B5", "^A8") as digital inputs and outputs.
import type { DigitalInput, DigitalOutput } from "../hal.ts";

declare function digitalWrite(pin: string, value: number): void;
declare function digitalRead(pin: string): number;
declare function pinMode(pin: string, mode: string): void;
declare function setWatch(fn: (e: { state: boolean; time: number }) => void, pin: string, options: object): number;

/** The bare pin name of a profile pin string. */
export function pinName(spec: string): string {
  let i = 0;
  while (i < spec.length && (spec.charAt(i) === "!" || spec.charAt(i) === "^")) i++;
  return spec.substring(i);
}

export function isInverted(spec: string): boolean {
  return spec.indexOf("!") >= 0;
}

export function outputPin(spec: string): DigitalOutput {
  const pin = pinName(spec);
  const inverted = isInverted(spec);
  return { set: function (active: boolean) { digitalWrite(pin, active !== inverted ? 1 : 0); } };
}

export function inputPin(spec: string): DigitalInput {
  const pin = pinName(spec);
  const inverted = isInverted(spec);
  pinMode(pin, spec.indexOf("^") >= 0 ? "input_pullup" : "input");
  return {
    active: function () { return (digitalRead(pin) !== 0) !== inverted; },
    watch: function (fn: (active: boolean, timeS: number) => void, debounceMs: number) {
      setWatch(function (e) { fn(e.state !== inverted, e.time); }, pin, { repeat: true, edge: "both", debounce: debounceMs });
    },
  };
}
