// Applies a pump's configuration to its motion: step volume, travel limits, DIR inversion, acceleration.
import {
  CFG_ACCEL_UL_PER_H_PER_S, CFG_CAL_FACTOR_PPM, CFG_CAPACITY_UL, CFG_INNER_DIAMETER_UM, CFG_INVERT_DIR, CFG_LEAD_UM, CFG_MICROSTEPS,
  CFG_RESERVE_UL, CFG_STEPS_PER_REV,
} from "../protocol/generated.ts";
import type { Config } from "./config.ts";
import type { PumpMotion } from "./motion.ts";
import { scalePpm, stepVolumePl } from "./pump-math.ts";
import { idiv } from "./int.ts";

/** Re-derives the pump's mechanics from the configuration (the step volume as calibrated); the liquid in the syringe stays what it was. */
export function applyPumpConfig(config: Config, pump: number, motion: PumpMotion): void {
  const pl = scalePpm(stepVolumePl(config.value(CFG_INNER_DIAMETER_UM, pump), config.value(CFG_LEAD_UM, pump),
    config.value(CFG_STEPS_PER_REV, pump), config.value(CFG_MICROSTEPS, pump)), config.value(CFG_CAL_FACTOR_PPM, pump));
  const volumePl = motion.position() * motion.stepVolumePl;
  const maxPosition = idiv(config.value(CFG_CAPACITY_UL, pump) * 1e6, pl);
  const minPosition = Math.ceil((config.value(CFG_RESERVE_UL, pump) * 1e6) / pl);
  motion.configure(pl, minPosition, maxPosition);
  motion.setPosition(Math.round(volumePl / pl));
  motion.output.setDirInverted(config.value(CFG_INVERT_DIR, pump) !== 0);
  motion.accelUlPerHPerS = config.value(CFG_ACCEL_UL_PER_H_PER_S, pump);
}

/** Liquid left in the syringe, in nL. */
export function volumeNl(motion: PumpMotion): number {
  return idiv(motion.position() * motion.stepVolumePl, 1000);
}
