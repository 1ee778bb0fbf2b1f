// One pump's motion: follows a flow rate (with linear ramps) or a fixed move, queuing exact microsteps ahead of time.
import type { StepOutput } from "./hal.ts";
import { idiv } from "./int.ts";
import { StepAccumulator } from "./pump-math.ts";

/** Planning span, and how far ahead motion stays queued at least (a board adds its worst JS callback delay to it). */
export const SPAN_MS = 100;
export const HORIZON_MS = 300;
/**
 * Spans an output holds at most (4.8 s of motion; the planner keeps about HORIZON_MS / SPAN_MS queued): more means it
 * has stopped taking motion, and queueing on would use up the board's memory (about 3 variables a span). 16 was too
 * few for Espruino's Linux build under qemu, whose callbacks fell 1.6 s behind in a run (npm run conformance).
 */
export const MAX_QUEUED_SPANS = 48;
/** A planned motion still not out this long after its last span's end: the output's chain has died. */
export const OVERDUE_MS = 1000;

export class PumpMotion {
  output: StepOutput;
  accumulator: StepAccumulator;
  stepVolumePl: number;
  /** Plunger position in microsteps from empty when the output had emitted nothing. */
  origin: number;
  /** Microsteps queued so far (signed, > 0 infuses): the output's emitted() catches up with it. */
  planned: number;
  minPosition: number;
  maxPosition: number;
  plannedUntilMs: number;
  active: boolean;
  rampFrom: number;
  rampTo: number;
  rampStartMs: number;
  rampEndMs: number;
  /** A fixed move (prime, withdraw, jog) and its microsteps still to plan. */
  fixedMove: boolean;
  fixedLeft: number;
  /** Set when a travel limit cut motion short: -1 empty end, 1 full end. */
  limitHit: number;
  /** Set when the output refused motion (its queue full: it stopped taking what was planned). */
  outputStalled: boolean;
  /** Rate of the span planned last (µL/h). */
  rate: number;
  /** Fastest rate change allowed, µL/h per second (0 = any). */
  accelUlPerHPerS: number;

  /** How far ahead motion stays queued: HORIZON_MS plus the board's worst callback delay (a late tick drops no plan). */
  horizonMs: number;

  /** callbackMaxUs: the board's worst JS callback delay (profile.callbackLatencyUs.max). */
  constructor(output: StepOutput, callbackMaxUs?: number) {
    this.output = output;
    this.horizonMs = HORIZON_MS + (callbackMaxUs !== undefined && callbackMaxUs > 0 ? idiv(callbackMaxUs + 999, 1000) : 0);
    this.accumulator = new StepAccumulator();
    this.stepVolumePl = 1;
    this.origin = 0;
    this.planned = 0;
    this.minPosition = 0;
    this.maxPosition = 0;
    this.plannedUntilMs = 0;
    this.active = false;
    this.rampFrom = 0;
    this.rampTo = 0;
    this.rampStartMs = 0;
    this.rampEndMs = 0;
    this.fixedMove = false;
    this.fixedLeft = 0;
    this.limitHit = 0;
    this.outputStalled = false;
    this.rate = 0;
    this.accelUlPerHPerS = 0;
  }

  /** Step size and the travel the plunger may use, in microsteps from empty. */
  configure(stepVolumePl: number, minPosition: number, maxPosition: number): void {
    this.stepVolumePl = stepVolumePl;
    this.minPosition = minPosition;
    this.maxPosition = maxPosition;
  }

  /** Where the plunger really is (microsteps from empty). */
  position(): number {
    return this.origin - this.output.emitted();
  }

  /** Declares where the plunger is now (a freshly loaded syringe). */
  setPosition(position: number): void {
    this.origin = position + this.output.emitted();
  }

  /** Flow from now on (µL/h, > 0 infuses), reached by a linear ramp over rampMs from the rate in force. */
  setRate(rateUlPerH: number, nowMs: number, rampMs: number): void {
    this.rampFrom = this.active ? this.rateAt(nowMs) : 0;
    if (!this.active) this.start(nowMs);
    this.rampTo = rateUlPerH;
    this.rampStartMs = nowMs;
    let ramp = rampMs;
    if (this.accelUlPerHPerS !== 0) {
      const change = rateUlPerH > this.rampFrom ? rateUlPerH - this.rampFrom : this.rampFrom - rateUlPerH;
      const least = Math.ceil((change / this.accelUlPerHPerS) * 1000);
      if (least > ramp) ramp = least;
    }
    this.rampEndMs = nowMs + ramp;
    this.fixedMove = false;
  }

  /** A fixed move: `steps` microsteps (> 0 infuses) at `rateUlPerH`, then the pump stops by itself. */
  moveSteps(steps: number, rateUlPerH: number, nowMs: number): void {
    this.setRate(steps > 0 ? rateUlPerH : -rateUlPerH, nowMs, 0);
    this.fixedMove = true;
    this.fixedLeft = steps;
  }

  start(nowMs: number): void {
    this.active = true;
    this.limitHit = 0;
    this.outputStalled = false;
    this.planned = this.output.emitted();
    this.accumulator = new StepAccumulator();
    this.plannedUntilMs = nowMs; // a first span that starts a little late runs faster to end on time
    this.output.enable(true);
  }

  rateAt(ms: number): number {
    if (ms >= this.rampEndMs) return this.rampTo;
    if (ms <= this.rampStartMs) return this.rampFrom;
    return this.rampFrom + Math.round(((this.rampTo - this.rampFrom) * (ms - this.rampStartMs)) / (this.rampEndMs - this.rampStartMs));
  }

  /** True once a fixed move, a travel limit or finish() leaves nothing more to plan. */
  finishedPlanning(): boolean {
    return (this.fixedMove && this.fixedLeft === 0) || this.limitHit !== 0;
  }

  /** Plans nothing more: what is queued still runs out (a program's last steps land on time). */
  finish(): void {
    this.fixedMove = true;
    this.fixedLeft = 0;
  }

  /** Queues motion up to nowMs + horizonMs; call at least every HORIZON_MS (a tick late by the worst delay still is). */
  plan(nowMs: number): void {
    if (!this.active) return;
    if (this.plannedUntilMs < nowMs) this.plannedUntilMs = nowMs; // the JS loop stalled: carry on from now
    while (this.plannedUntilMs < nowMs + this.horizonMs && !this.finishedPlanning() && !this.outputStalled) {
      // Spans end on the planning grid and on every ramp start and end, so rate changes land exactly.
      let spanMs = SPAN_MS - (this.plannedUntilMs % SPAN_MS);
      if (this.rampStartMs > this.plannedUntilMs && this.rampStartMs - this.plannedUntilMs < spanMs) spanMs = this.rampStartMs - this.plannedUntilMs;
      if (this.rampEndMs > this.plannedUntilMs && this.rampEndMs - this.plannedUntilMs < spanMs) spanMs = this.rampEndMs - this.plannedUntilMs;
      this.rate = this.rateAt(this.plannedUntilMs + (spanMs >> 1));
      this.accumulator.setRate(this.rate, this.stepVolumePl);
      let steps = this.accumulator.advance(spanMs);
      if (this.fixedMove && ((this.fixedLeft > 0 && steps > this.fixedLeft) || (this.fixedLeft < 0 && steps < this.fixedLeft))) steps = this.fixedLeft;
      steps = this.clipToTravel(steps);
      if (steps !== 0 && !this.output.queue(steps, (this.plannedUntilMs + spanMs) / 1000)) {
        this.outputStalled = true;
        return;
      }
      if (this.fixedMove) this.fixedLeft -= steps;
      this.plannedUntilMs += spanMs;
      this.planned += steps;
    }
  }

  /** Cuts motion that would pass a travel limit (infusing lowers the position) and flags it. */
  clipToTravel(steps: number): number {
    const at = this.origin - this.planned;
    if (steps > 0 && at - steps < this.minPosition) {
      this.limitHit = -1;
      return at - this.minPosition > 0 ? at - this.minPosition : 0;
    }
    if (steps < 0 && at - steps > this.maxPosition) {
      this.limitHit = 1;
      return at - this.maxPosition < 0 ? at - this.maxPosition : 0;
    }
    return steps;
  }

  /** True when everything is planned but the output has not given it well after it was due (a dead timer chain). */
  overdue(nowMs: number): boolean {
    return this.active && this.finishedPlanning() && nowMs > this.plannedUntilMs + OVERDUE_MS && !this.idle();
  }

  /** True when nothing is queued or moving any more. */
  idle(): boolean {
    return this.output.queuedUs() === 0;
  }

  /** Stop at once and drop queued motion; the driver stays enabled until release(). */
  halt(): void {
    this.output.halt();
    this.active = false;
    this.fixedMove = false;
    this.rampFrom = 0;
    this.rampTo = 0;
    this.rate = 0;
  }

  release(): void {
    this.output.enable(false);
  }
}
