// Espruino HAL: a pump's STEP on a hardware PWM timer (boards without Stepper), counted by time and self-correcting.
import type { StepOutput } from "../hal.ts";
import { EspruinoDigitalOutput, parsePinSpec } from "./pin.ts";

declare function analogWrite(pin: string, value: number, options?: object): void;
declare function digitalWrite(pin: string, value: number): void;
declare function getTime(): number;

/**
 * Each span runs the STEP pin as 50 % PWM at steps / span. The switch to the next span happens in a
 * JS callback, late by its latency; the steps the timer gave meanwhile are counted from the board
 * clock and taken off the next span, so the position follows the plan without drifting.
 */
export class PwmOutput implements StepOutput {
  step: string;
  dir: { set(active: boolean): void };
  en: { set(active: boolean): void };
  invertDir: boolean;
  direction: number;
  spanSteps: number[];
  spanEndS: number[];
  /** Steps given so far (fractional while a span runs), and what the plan asked for. */
  done: number;
  asked: number;
  freq: number;
  sign: number;
  startS: number;
  timer: any;

  constructor(stepPin: string, dirPin: string, enablePin: string) {
    this.step = parsePinSpec(stepPin).name;
    this.dir = new EspruinoDigitalOutput(dirPin);
    this.en = new EspruinoDigitalOutput(enablePin); // starts released: nothing to move yet
    this.invertDir = false;
    this.direction = 0;
    this.spanSteps = [];
    this.spanEndS = [];
    this.done = 0;
    this.asked = 0;
    this.freq = 0;
    this.sign = 0;
    this.startS = 0;
    this.timer = undefined;
    digitalWrite(this.step, 0);
  }

  enable(on: boolean): void {
    this.en.set(on);
  }

  setDirInverted(inverted: boolean): void {
    this.invertDir = inverted;
    this.direction = 0; // DIR is written again before the next step
  }

  queue(steps: number, untilS: number): void {
    this.spanSteps.push(steps);
    this.spanEndS.push(untilS);
    if (this.timer === undefined) this.next();
  }

  /** Closes the running span at the board time now, counting what the timer really gave. */
  settle(): void {
    if (this.freq !== 0) this.done += this.sign * this.freq * (getTime() - this.startS);
    this.freq = 0;
  }

  next(): void {
    const self = this;
    this.settle();
    this.timer = undefined;
    if (this.spanSteps.length === 0) { analogWrite(this.step, 0); digitalWrite(this.step, 0); return; }
    const endS = this.spanEndS.shift() as number;
    this.asked += this.spanSteps.shift() as number;
    const want = Math.round(this.asked - this.done);
    const now = getTime();
    const direction = want > 0 ? 1 : want < 0 ? -1 : 0;
    if (direction !== 0 && direction !== this.direction) {
      analogWrite(this.step, 0);
      this.direction = direction;
      this.dir.set((direction > 0) !== this.invertDir);
    }
    const spanS = endS - now;
    if (direction === 0 || spanS <= 0.001) {
      analogWrite(this.step, 0);
      this.timer = setTimeout(function () { self.next(); }, spanS > 0.001 ? spanS * 1000 : 1);
      return;
    }
    this.sign = direction;
    this.freq = (direction * want) / spanS;
    this.startS = getTime();
    analogWrite(this.step, 0.5, { freq: this.freq });
    this.timer = setTimeout(function () { self.next(); }, spanS * 1000);
  }

  emitted(): number {
    const running = this.freq !== 0 ? this.sign * this.freq * (getTime() - this.startS) : 0;
    return Math.floor(this.done + running);
  }

  queuedUs(): number {
    const last = this.spanEndS.length > 0 ? this.spanEndS[this.spanEndS.length - 1] : this.startS;
    const left = this.timer === undefined ? 0 : last - getTime();
    return left > 0 ? Math.floor(left * 1e6) : 0;
  }

  halt(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.settle();
    this.spanSteps = [];
    this.spanEndS = [];
    this.asked = this.done;
    analogWrite(this.step, 0);
    digitalWrite(this.step, 0);
  }
}
