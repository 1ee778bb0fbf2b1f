// Protocol commands that move liquid or change the run state: checked at the boundary, then handed to the controller.
import {
  CFG_MAX_RATE_UL_PER_H, ERR_BAD_ARGUMENT, ERR_WRONG_STATE, MSG_ERROR, MSG_OK, MSG_PUMP_STATUS,
  PUMP_ENABLED, PUMP_MOVING, PUMP_WITHDRAWING, STATE_FAULT, STATE_IDLE, STATE_MANUAL, STATE_PAUSED, STATE_RUNNING,
  CFG_CAPACITY_UL, CFG_SYRINGE, PUMP_LOW_VOLUME, PUMP_MAX_ENDSTOP, PUMP_MIN_ENDSTOP,
} from "../protocol/generated.ts";
import type { Config } from "./config.ts";
import type { Controller } from "./controller.ts";
import { idiv } from "./int.ts";
import { volumeNl } from "./pump-config.ts";

export function badArgument(field: number, limit: number): any[] {
  return [MSG_ERROR, [ERR_BAD_ARGUMENT, field, limit]];
}

export function wrongState(state: number): any[] {
  return [MSG_ERROR, [ERR_WRONG_STATE, 255, state]];
}

export const OK: any[] = [MSG_OK, []];

/** True when nothing runs: a new run, flow or move may start. */
export function canStart(state: number): boolean {
  return state !== STATE_RUNNING && state !== STATE_PAUSED && state !== STATE_FAULT;
}

/** Checks a signed flow against pump `pump`'s limit; an error reply naming `field`, or undefined. */
export function checkRate(config: Config, pump: number, rate: number, field: number): any[] | undefined {
  const max = config.value(CFG_MAX_RATE_UL_PER_H, pump);
  if (rate > max) return badArgument(field, max);
  if (rate < -max) return badArgument(field, -max);
  return undefined;
}

export function setFlow(c: Controller, config: Config, rateA: number, rateB: number): any[] {
  if (!canStart(c.state) && c.state !== STATE_MANUAL) return wrongState(c.state);
  const bad = checkRate(config, 0, rateA, 0) || checkRate(config, 1, rateB, 1);
  if (bad !== undefined) return bad;
  c.setFlow(rateA, rateB);
  return OK;
}

/**
 * Prime (> 0) or withdraw (< 0) a volume, or jog microsteps: one pump, within its travel. A refusal
 * gives the travel left in the field's unit: `unitPerStep` of them per microstep (nL, or 1 for jog).
 */
export function move(c: Controller, config: Config, pump: number, steps: number, rate: number, unitPerStep: number): any[] {
  const amountField = 1;
  if (pump > 1) return badArgument(0, 1);
  if (!canStart(c.state)) return wrongState(c.state);
  const max = config.value(CFG_MAX_RATE_UL_PER_H, pump);
  if (rate < 1) return badArgument(2, 1);
  if (rate > max) return badArgument(2, max);
  if (steps === 0) return badArgument(amountField, steps);
  const m = c.motions[pump];
  const at = m.position();
  if (steps > 0 && at - steps < m.minPosition) return badArgument(amountField, Math.floor((at - m.minPosition) * unitPerStep));
  if (steps < 0 && at - steps > m.maxPosition) return badArgument(amountField, Math.ceil((at - m.maxPosition) * unitPerStep));
  c.moveSteps(pump, steps, rate);
  return OK;
}

export function setVolume(c: Controller, config: Config, pump: number, volume: number): any[] {
  if (pump > 1) return badArgument(0, 1);
  if (c.motions[pump].active) return wrongState(c.state);
  const capacityNl = config.value(CFG_CAPACITY_UL, pump) * 1000;
  if (volume > capacityNl) return badArgument(1, capacityNl);
  const m = c.motions[pump];
  m.setPosition(idiv(volume * 1000, m.stepVolumePl));
  return pumpStatus(c, config, pump);
}

export function pumpStatus(c: Controller, config: Config, pump: number): any[] {
  if (pump > 1) return badArgument(0, 1);
  const m = c.motions[pump];
  const now = c.nowMs();
  const rate = m.active ? m.rateAt(now) : 0;
  let flags = 0;
  if (m.active) flags = flags | PUMP_ENABLED;
  if (rate !== 0) flags = flags | PUMP_MOVING;
  if (rate < 0) flags = flags | PUMP_WITHDRAWING;
  const ends = c.endstops;
  if (ends[pump * 2] !== undefined && ends[pump * 2].active()) flags = flags | PUMP_MIN_ENDSTOP;
  if (ends[pump * 2 + 1] !== undefined && ends[pump * 2 + 1].active()) flags = flags | PUMP_MAX_ENDSTOP;
  const left = volumeNl(m);
  const reserveNl = idiv(m.minPosition * m.stepVolumePl, 1000);
  if (left < 2 * reserveNl) flags = flags | PUMP_LOW_VOLUME;
  const delivered = Math.round(((m.output.emitted() - c.emittedAtRunStart[pump]) * m.stepVolumePl) / 1000);
  return [MSG_PUMP_STATUS, [pump, flags, rate, m.position(), left, delivered, config.value(CFG_SYRINGE, pump), m.stepVolumePl]];
}

/** pause / resume / stop / estop / clearFault, each only where it makes sense. */
export function runControl(c: Controller, what: string): any[] {
  if (what === "estop") { c.estop(); return OK; }
  if (what === "pause") { if (c.state !== STATE_RUNNING) return wrongState(c.state); c.pause(); return OK; }
  if (what === "resume") { if (c.state !== STATE_PAUSED) return wrongState(c.state); c.resume(); return OK; }
  if (what === "clearFault") { if (c.state !== STATE_FAULT) return wrongState(c.state); c.clearFault(); return OK; }
  if (c.state !== STATE_RUNNING && c.state !== STATE_PAUSED && c.state !== STATE_MANUAL) {
    if (c.state === STATE_IDLE) return OK; // stopping what is stopped is no error
    return wrongState(c.state);
  }
  c.stop();
  return OK;
}
