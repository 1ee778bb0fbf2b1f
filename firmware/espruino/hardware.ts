// Espruino HAL assembly: the board profile's wiring turned into the controller's inputs and outputs.
import type { FirmwareProfile } from "../../boards/firmware-profile.ts";
import type { DigitalInput, StepOutput } from "../hal.ts";
import { EspruinoDigitalInput } from "./pin.ts";
import { PwmOutput } from "./pwm-output.ts";
import { StepperOutput } from "./stepper-output.ts";

export interface Hardware {
  outputs: StepOutput[];
  /** Endstops per pump: [A min, A max, B min, B max]. */
  endstops: DigitalInput[];
  /** The driver stall outputs (TMC2209 DIAG) the profile wires, and the pump of each. */
  stalls: DigitalInput[];
  stallPumps: number[];
}

/** Step outputs use the built-in Stepper where the profile says the build has it, else a hardware PWM timer. */
export function createHardware(profile: FirmwareProfile): Hardware {
  const outputs: StepOutput[] = [];
  const endstops: DigitalInput[] = [];
  const stalls: DigitalInput[] = [];
  const stallPumps: number[] = [];
  for (let i = 0; i < profile.pumps.length; i++) {
    const p = profile.pumps[i];
    outputs.push(FLOWRIG_HAS_STEPPER
      ? new StepperOutput(p.step, p.dir, p.enable)
      : new PwmOutput(p.step, p.dir, p.enable, profile.callbackLatencyUs.max, profile.utilityTimer));
    endstops.push(new EspruinoDigitalInput(p.minEndstop));
    endstops.push(new EspruinoDigitalInput(p.maxEndstop));
    if (p.diag !== undefined) {
      stalls.push(new EspruinoDigitalInput(p.diag));
      stallPumps.push(i);
    }
  }
  return { outputs: outputs, endstops: endstops, stalls: stalls, stallPumps: stallPumps };
}
