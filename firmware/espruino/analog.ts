// Espruino HAL: the ADC input on a pin written as in board profiles.
import type { AnalogInput } from "../hal.ts";
import { parsePinSpec } from "./pin.ts";

declare function analogRead(pin: string): number;

/** analogRead on one pin: 0..1 of full scale. Modifiers are ignored (an ADC input has no inversion or pull-up). */
export class EspruinoAnalogInput implements AnalogInput {
  pin: string;

  constructor(spec: string) {
    this.pin = parsePinSpec(spec).name;
  }

  read(): number {
    return analogRead(this.pin);
  }
}
