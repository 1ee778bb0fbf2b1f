// Espruino HAL: a pump's STEP/DIR/EN on the built-in Stepper class, stepping on the utility timer.
import { MAX_QUEUED_SPANS } from "../motion.ts";
import type { StepOutput } from "../hal.ts";
import { EspruinoDigitalOutput, parsePinSpec } from "./pin.ts";

declare const Stepper: any;
/** Espruino's Pin constructor: the Stepper reads its pins as integers, so a name string would be pin 0. */
declare function Pin(name: string): any;
declare function getTime(): number;

/** STEP low, high, low, … : two Stepper positions make one STEP pulse; all four pattern pins are STEP. */
const PATTERN = [0, 15, 0, 15, 0, 15, 0, 15];
/** Utility-timer spans shorter than this are merged into the next one (a move per span costs a JS callback). */
const MIN_SPAN_S = 0.002;
/**
 * Stepper positions one move may hold: the utility timer counts them in an int16_t (jstimer.h), so a longer move would
 * wrap and run the wrong way. Longer spans are split (two positions a step).
 */
const MAX_MOVE_STEPS = 16383;
/** A move's first STEP edge is immediate: keep STEP low at least this long after the previous move ended. */
const MIN_LOW_S = 0.00002;

/**
 * Spans of motion run back to back: each holds microsteps and the board time it must end at. A span
 * that starts late (JS callback latency) runs faster to end on time, so lateness never accumulates.
 */
export class StepperOutput implements StepOutput {
  stepper: any;
  dir: { set(active: boolean): void };
  en: { set(active: boolean): void };
  invertDir: boolean;
  direction: number;
  spanSteps: number[];
  spanEndS: number[];
  running: boolean;
  done: number;
  currentSteps: number;
  currentStartS: number;
  currentEndS: number;
  /** Board time when the last move was seen to end (after its last STEP edge). */
  endedS: number;

  constructor(stepPin: string, dirPin: string, enablePin: string) {
    const step = Pin(parsePinSpec(stepPin).name);
    this.stepper = new Stepper({ pins: [step, step, step, step], pattern: PATTERN, freq: 100 });
    this.dir = new EspruinoDigitalOutput(dirPin);
    this.en = new EspruinoDigitalOutput(enablePin); // starts released: nothing to move yet
    this.invertDir = false;
    this.direction = 0;
    this.spanSteps = [];
    this.spanEndS = [];
    this.running = false;
    this.done = 0;
    this.currentSteps = 0;
    this.currentStartS = 0;
    this.currentEndS = 0;
    this.endedS = -1;
  }

  enable(on: boolean): void {
    this.en.set(on);
  }

  setDirInverted(inverted: boolean): void {
    this.invertDir = inverted;
    this.direction = 0; // DIR is written again before the next step
  }

  queue(steps: number, untilS: number): boolean {
    if (this.spanSteps.length >= MAX_QUEUED_SPANS) return false;
    this.spanSteps.push(steps);
    this.spanEndS.push(untilS);
    if (!this.running) this.startNext();
    return true;
  }

  startNext(): void {
    const self = this;
    while (this.spanSteps.length > 0) {
      let steps = this.spanSteps[0];
      let endS = this.spanEndS[0];
      const now = getTime();
      const direction = steps > 0 ? 1 : steps < 0 ? -1 : 0;
      if (direction !== 0 && direction !== this.direction) {
        // DIR must settle before the first STEP edge: set it now, start at the next callback.
        this.direction = direction;
        this.dir.set((direction > 0) !== this.invertDir);
        this.running = true;
        setTimeout(function () { self.running = false; self.startNext(); }, 1);
        return;
      }
      if (now - this.endedS < MIN_LOW_S) {
        this.running = true;
        setTimeout(function () { self.running = false; self.startNext(); }, MIN_LOW_S * 1000);
        return;
      }
      this.spanSteps.shift();
      this.spanEndS.shift();
      if (steps === 0) continue;
      let magnitude = steps < 0 ? -steps : steps;
      const split = magnitude > MAX_MOVE_STEPS;
      if (split) {
        // The rest stays queued, due at the span's end; this part ends in proportion.
        const part = steps > 0 ? MAX_MOVE_STEPS : -MAX_MOVE_STEPS;
        this.spanSteps.unshift(steps - part);
        this.spanEndS.unshift(endS);
        endS = now + ((endS - now) * MAX_MOVE_STEPS) / magnitude;
        steps = part;
        magnitude = MAX_MOVE_STEPS;
      }
      const spanS = endS - now;
      if (!split && spanS < MIN_SPAN_S && this.spanSteps.length > 0 && (this.spanSteps[0] > 0) === (steps > 0)) {
        this.spanSteps[0] += steps; // too short to time: fold into the next span
        continue;
      }
      const freq = (2 * magnitude) / (spanS > 0.0005 ? spanS : 0.0005);
      this.running = true;
      this.currentSteps = steps;
      this.currentStartS = now;
      this.currentEndS = now + (2 * magnitude) / freq;
      this.stepper.moveTo(2 * steps, { relative: true, freq: freq }).then(function () { self.moveEnded(); });
      return;
    }
  }

  /** A move ended (finished or halted): count from the Stepper's own position, leave STEP low. */
  moveEnded(): void {
    const self = this;
    const position = this.stepper.getPosition();
    if (position % 2 !== 0) {
      // Halted with STEP high: one more pattern step brings it low (a falling edge is not a step).
      this.stepper.moveTo(position > this.done * 2 ? 1 : -1, { relative: true, freq: 1000 }).then(function () { self.moveEnded(); });
      return;
    }
    this.done = position / 2;
    this.endedS = getTime();
    this.currentSteps = 0;
    this.running = false;
    this.startNext();
  }

  emitted(): number {
    if (this.currentSteps === 0) return this.done;
    const span = this.currentEndS - this.currentStartS;
    let fraction = span > 0 ? (getTime() - this.currentStartS) / span : 1;
    if (fraction > 1) fraction = 1;
    return this.done + Math.floor(this.currentSteps * fraction);
  }

  queuedUs(): number {
    const last = this.spanEndS.length > 0 ? this.spanEndS[this.spanEndS.length - 1] : this.currentEndS;
    const left = last - getTime();
    return left > 0 ? Math.floor(left * 1e6) : 0;
  }

  halt(): void {
    this.spanSteps = [];
    this.spanEndS = [];
    if (this.currentSteps === 0) return;
    // The move may have ended on the timer with its end event not yet run: Stepper.stop then throws (jswrap_stepper.c,
    // "Stepper couldn't be stopped"), and moveEnded follows as for any ended move.
    try { this.stepper.stop(); } catch (e) { /* already ended */ }
  }
}
