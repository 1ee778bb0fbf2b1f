// Espruino HAL: a pump's STEP on a hardware PWM timer (boards without Stepper), counted by time and self-correcting.
import { MAX_QUEUED_SPANS } from "../motion.ts";
import type { StepOutput } from "../hal.ts";
import { EspruinoDigitalOutput, parsePinSpec } from "./pin.ts";

declare function analogWrite(pin: string, value: number, options?: object): void;
declare function digitalWrite(pin: string, value: number): void;
declare function getTime(): number;
declare function digitalPulse(pin: string, value: number, times: number[]): void;

/** DIR set-up and driver wake (A4988 1 ms, DRV8825 1.7 ms) before the first STEP edge after a change. */
const SETTLE_S = 0.002;
/** A new span whose rate is this close to the running train's keeps the train (the timer is not rewritten). */
const SAME_FREQ = 0.001;
/** Worst JS callback delay assumed when the board's is not given (the slowest profile, ESP32: 50 ms). */
const CALLBACK_MAX_US = 50000;
/** Utility-timer entries (pin toggles) one tail keeps pending at most (one call to digitalPulse adds no more). */
const TAIL_ENTRIES = 12;
/** Entries all pumps' tails together keep pending at most: of the 15 the ring of 16 can hold, one stays free for other timed tasks. */
const TAILS_ENTRIES = 14;
/** Shortest STEP high or low time a tail writes (drivers need 1–1.9 µs; the utility timer's tick is ~1 µs). */
const MIN_PULSE_S = 0.00002;

/** Every output, so that tails share the utility timer's queue. */
const outputs: PwmOutput[] = [];

/**
 * Each span runs the STEP pin as 50 % PWM at steps / span. Writing a new frequency restarts the timer's
 * counter, so a train gives a rising edge (a step) at its start and every period after; if the pin is
 * still high from the previous train, that first pulse merges with it and is no step. Steps are counted
 * as those whole edges from the board clock, so the count is what the driver really got. The switch to
 * the next span happens in a JS callback, late by its latency; the next span's rate takes the steps
 * given meanwhile off, so the position follows the plan without drifting.
 *
 * The motion's end (a span with nothing queued after it) cannot wait for a late callback: the train would
 * run on by latency × rate. There the train is stopped at least the worst callback delay before its last
 * step, and the steps still owed are written as a "tail" of utility-timer pulses (digitalPulse), in chunks
 * of at most TAIL_ENTRIES toggles (all pumps' tails together TAILS_ENTRIES) chained from JS, continuing
 * the train's phase; each is counted at its rising edge, so the count stays exact.
 */
export class PwmOutput implements StepOutput {
  step: string;
  dir: { set(active: boolean): void };
  en: { set(active: boolean): void };
  invertDir: boolean;
  direction: number;
  enabled: boolean;
  /** Board time before which no STEP edge may start (DIR set-up, driver wake). */
  readyS: number;
  spanSteps: number[];
  spanEndS: number[];
  /** Steps of finished trains (signed), and what the plan asked for. */
  done: number;
  asked: number;
  /** The running train: requested frequency (0 = stopped), sign, start, and whether its first edge merged. */
  freq: number;
  sign: number;
  startS: number;
  merged: boolean;
  /** End of the span being run (board time). */
  endS: number;
  /** Frequency the timer was last set to (0: Espruino's default, after analogWrite(pin, 0)). */
  timerFreq: number;
  /** STEP held high by a stop that came early in a pulse; a timeout takes it low. */
  held: boolean;
  holds: number;
  timer: any;
  /** The train of a motion's last span stops this long before its last step (worst callback delay + 2 ms). */
  leadS: number;
  /** Tail: pulses still to hand to the utility timer, their direction and period. */
  tailLeft: number;
  tailSign: number;
  tailP: number;
  /** Board times of the tail's queued rising edges not yet counted, and of all its toggles still pending. */
  riseS: number[];
  toggleS: number[];
  /** Board time of the tail's last queued toggle (STEP low from then on). */
  tailLastS: number;
  /** Whether the motion's end is written as a tail of utility-timer pulses. */
  tails: boolean;
  /** The span being run was reached late (its callback came after the previous span's end): the train catches up. */
  behind: boolean;

  /**
   * callbackMaxUs: the board's worst JS callback delay (profile.callbackLatencyUs.max); tails: whether the utility timer
   * runs (profile.utilityTimer). Without it the motion's end is no tail but the train stopped from JS, late by a callback.
   */
  constructor(stepPin: string, dirPin: string, enablePin: string, callbackMaxUs?: number, tails?: boolean) {
    this.step = parsePinSpec(stepPin).name;
    this.dir = new EspruinoDigitalOutput(dirPin);
    this.en = new EspruinoDigitalOutput(enablePin); // starts released: nothing to move yet
    this.invertDir = false;
    this.direction = 0;
    this.enabled = false;
    this.readyS = 0;
    this.spanSteps = [];
    this.spanEndS = [];
    this.done = 0;
    this.asked = 0;
    this.freq = 0;
    this.sign = 0;
    this.startS = 0;
    this.merged = false;
    this.endS = 0;
    this.timerFreq = 0;
    this.held = false;
    this.holds = 0;
    this.timer = undefined;
    this.leadS = (callbackMaxUs !== undefined && callbackMaxUs > 0 ? callbackMaxUs : CALLBACK_MAX_US) / 1e6 + 0.002;
    this.tailLeft = 0;
    this.tailSign = 0;
    this.tailP = 0;
    this.riseS = [];
    this.toggleS = [];
    this.tailLastS = 0;
    this.tails = tails !== false;
    this.behind = false;
    outputs.push(this);
    digitalWrite(this.step, 0);
  }

  enable(on: boolean): void {
    if (!on && this.riseS.length > 0) {
      // tail pulses still to come reach a disabled driver: they are no steps
      this.countTail(getTime());
      this.asked -= this.tailSign * this.riseS.length;
      this.riseS = [];
    }
    if (on && !this.enabled) this.readyS = getTime() + SETTLE_S;
    this.enabled = on;
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
    if (this.timer === undefined) {
      this.endS = getTime(); // starting afresh: not behind
      this.next();
    }
    return true;
  }

  /** Rising edges the running train has given by board time t (edges at start + k / freq, k ≥ 0). */
  pulses(t: number): number {
    if (this.freq === 0) return 0;
    const x = this.freq * (t - this.startS);
    return (x > 0 ? Math.floor(x) : 0) + (this.merged ? 0 : 1);
  }

  /** Whether the running train's output is high at board time t (in the first half of a period). */
  high(t: number): boolean {
    if (this.freq === 0) return false;
    const x = this.freq * (t - this.startS);
    return x - Math.floor(x) < 0.5;
  }

  /**
   * Time to wait before rewriting the timer when the running train is within a guard band of a falling
   * edge (phaseGuard, at least 20 µs, at most 20 % of a period), else 0. Rewritten there, a restart would give a
   * rising edge right after the fall (a low pulse the driver may miss) or, with callback timing jitter,
   * merge or not differently from what is counted.
   */
  fallingEdgeWait(t: number): number {
    if (this.freq === 0) return 0;
    const periodS = 1 / this.freq;
    const x = this.freq * (t - this.startS);
    let guardS = this.phaseGuard(x) * periodS;
    if (guardS < 0.00002) guardS = 0.00002;
    if (guardS > 0.2 * periodS) guardS = 0.2 * periodS;
    const fromFallS = (x - Math.floor(x) - 0.5) * periodS;
    return fromFallS > -guardS && fromFallS < guardS ? guardS - fromFallS : 0;
  }

  /**
   * How far (in periods) the train's phase as reckoned from the board clock may be off after x periods: the
   * timer runs at its clock divided by a whole number of ticks, up to about 2e-4 slower than asked.
   */
  phaseGuard(x: number): number {
    return 0.02 + 0.0002 * x;
  }

  /**
   * Ends the running train at the board time now, counting what it gave; STEP goes low. A pulse that has
   * only just begun is not cut short (the driver might miss it though it is counted): STEP is held high
   * as a GPIO and taken low a millisecond later.
   */
  stopTrain(): void {
    const self = this;
    let hold = false;
    if (this.freq !== 0) {
      const now = getTime();
      const x = this.freq * (now - this.startS);
      const u = x - Math.floor(x);
      // Within the phase guard of a rising edge it is unsure which side of it the timer is: either it has
      // risen, or holding STEP high gives that rising edge now; one more step either way.
      const rising = u > 1 - this.phaseGuard(x);
      hold = rising || u < 0.25;
      this.done += this.sign * (this.pulses(now) + (rising ? 1 : 0));
      this.freq = 0;
    }
    if (hold) {
      digitalWrite(this.step, 1);
      this.held = true;
      const hold = ++this.holds;
      setTimeout(function () { if (self.held && self.holds === hold) self.release(); }, 1);
    } else if (!this.held) this.release();
  }

  /** STEP low, the timer back to its default (so the next train's frequency always restarts it). */
  release(): void {
    this.held = false;
    // tail pulses still pending: STEP is a GPIO the utility timer drives (and leaves low); the timer is not touched
    if (this.tailLastS > getTime()) return;
    this.timerFreq = 0;
    analogWrite(this.step, 0);
    digitalWrite(this.step, 0);
  }

  next(): void {
    this.timer = undefined;
    if (this.spanSteps.length === 0) { this.stopTrain(); return; }
    // A busy JS loop makes every callback late: spans already due are folded into the first one still ahead, so one
    // late callback catches up on all of them instead of the queue growing by a span per late callback.
    const now = getTime();
    this.behind = now - this.endS > 0.002; // the previous span ended a while ago: this callback came late
    while (this.spanSteps.length > 1 && this.spanEndS[0] <= now) {
      this.asked += this.spanSteps.shift() as number;
      this.spanEndS.shift();
    }
    const endS = this.spanEndS.shift() as number;
    this.asked += this.spanSteps.shift() as number;
    this.run(endS);
  }

  /** Runs STEP so that the steps asked so far are given by board time endS. */
  run(endS: number): void {
    const self = this;
    const now = getTime();
    this.endS = endS;
    if (this.tailLastS > now) {
      // a halted tail's pulses are still on the utility timer: DIR and the timer wait until they are out
      this.timer = setTimeout(function () { self.timer = undefined; self.run(endS); }, (this.tailLastS - now) * 1000 + 0.1);
      return;
    }
    this.countTail(now);
    const want = Math.round(this.asked - this.done - this.sign * this.pulses(now));
    const direction = want > 0 ? 1 : want < 0 ? -1 : 0;
    if (direction !== 0 && direction !== this.direction) {
      this.stopTrain();
      this.direction = direction;
      this.dir.set((direction > 0) !== this.invertDir);
      if (this.readyS < now + SETTLE_S) this.readyS = now + SETTLE_S;
    }
    const spanS = endS - now;
    // nothing queued after this span: the motion ends with it (more may still be queued before its tail starts)
    const last = this.tails && this.spanSteps.length === 0;
    if (direction !== 0 && now < this.readyS && (last || spanS > this.readyS - now + 0.001)) {
      // DIR or ENABLE just changed: start the train once the driver is ready
      this.stopTrain();
      this.timer = setTimeout(function () { self.timer = undefined; self.run(endS); }, (this.readyS - now) * 1000);
      return;
    }
    if (last && direction !== 0 && (spanS <= 0.001 || spanS - spanS / (direction * want) <= this.leadS)) {
      // the last steps are nearer than a callback can be late: all of them by the utility timer
      this.startTail(endS);
      return;
    }
    // Behind (this callback came late): the steps owed are spread over at least a callback's worst delay, so the next late
    // callback overruns by a fraction of them, not by its delay × a catch-up rate for a nearly over span, and a last span
    // reached late still gives what it owes instead of being dropped.
    const catchUp = this.behind && spanS < this.leadS;
    if (direction === 0 || (spanS <= 0.001 && !catchUp) || now < this.readyS) {
      this.stopTrain();
      this.timer = setTimeout(function () { self.next(); }, spanS > 0.001 ? spanS * 1000 : 1);
      return;
    }
    const runS = catchUp ? this.leadS : spanS;
    const freq = (direction * want) / runS;
    const running = this.freq;
    // the last span's train restarts (its phase, reckoned from the board clock, stays sure until the tail)
    const restart = last && running !== 0 && this.phaseGuard(running * (now - this.startS)) > 0.03;
    if (running === 0 || restart || freq > running * (1 + SAME_FREQ) || freq < running * (1 - SAME_FREQ)) {
      const waitS = this.fallingEdgeWait(now);
      if (waitS > 0) {
        // just at a falling edge: a restart now could cut the low pulse short (or merge or not): a moment later
        this.timer = setTimeout(function () { self.timer = undefined; self.run(endS); }, waitS * 1000);
        return;
      }
      // a new frequency: the timer restarts now; a pulse still high merges with the first
      let f = freq;
      const tf = this.timerFreq;
      // the timer still at (about) this frequency would not restart: keep clear of it
      if ((running === 0 || restart) && tf !== 0 && f < tf * (1 + 2 * SAME_FREQ) && f > tf * (1 - 2 * SAME_FREQ)) f = tf * (1 + 3 * SAME_FREQ);
      const merged = this.held || this.high(now);
      this.done += this.sign * this.pulses(now);
      this.held = false;
      this.sign = direction;
      this.freq = f;
      this.timerFreq = f;
      this.startS = now;
      this.merged = merged;
      analogWrite(this.step, 0.5, { freq: f });
    }
    if (!last) {
      this.timer = setTimeout(function () { self.next(); }, runS * 1000);
      return;
    }
    // the train's last step owed is edge number `owed` (edges at startS + k / freq, k ≥ 0, the first one merged or not)
    const owed = this.sign * (this.asked - this.done);
    const lastEdgeS = this.startS + (owed - (this.merged ? 0 : 1)) / this.freq;
    const tailAtS = lastEdgeS - this.leadS;
    this.timer = setTimeout(function () { self.timer = undefined; self.tailCheck(endS); }, tailAtS > now ? (tailAtS - now) * 1000 : 0);
  }

  /** A callback's worth before the last span's last step: more motion queued meanwhile, or the tail. */
  tailCheck(endS: number): void {
    const self = this;
    if (this.spanSteps.length === 0) { this.startTail(endS); return; }
    const leftS = endS - getTime();
    if (leftS > 0) this.timer = setTimeout(function () { self.next(); }, leftS * 1000);
    else this.next();
  }

  /**
   * Stops the train (if any) at a known phase and gives the steps still owed by endS as utility-timer pulses.
   * The train's phase u (periods since its last rising edge) decides how it ends, with a guard band g for the
   * timer's frequency error: u < ½ − g or u ≥ 1 − g: the pin is (or is just going) high, that edge is counted
   * and the pulse is held on as a GPIO; otherwise it is (or may as well be) low, and goes low now.
   */
  startTail(endS: number): void {
    const now = getTime();
    /** The pin is high now (a counted pulse), and the rise the owed steps follow (a period apart). */
    let high = false;
    let prevRiseS = now;
    const trainP = this.freq !== 0 ? 1 / this.freq : 0;
    if (this.freq !== 0) {
      const periodS = 1 / this.freq;
      const x = this.freq * (now - this.startS);
      const u = x - Math.floor(x);
      let g = this.phaseGuard(x);
      if (g * periodS < 0.00002) g = 0.00002 / periodS;
      if (g > 0.2) g = 0.2;
      let counted = this.pulses(now);
      prevRiseS = this.startS + Math.floor(x) * periodS;
      if (u >= 1 - g) {
        // at a rising edge: risen or not, holding the pin high makes it one step
        counted++;
        prevRiseS += periodS;
        high = true;
      } else high = u < 0.5 - g;
      this.done += this.sign * counted;
      this.tailSign = this.sign;
    } else {
      this.tailSign = this.direction;
      high = this.held; // a held pulse was counted when it was held
    }
    this.freq = 0;
    this.held = false;
    let k = this.tailSign * (this.asked - this.done);
    if (k < 0) k = 0; // a late callback let the train give more: nothing more to give
    this.tailLeft = k;
    // k steps evenly up to endS, the last a period before it (as a train would): after a rise, k + 1 periods
    const fresh = prevRiseS === now && !high;
    let p = k > 0 ? (endS - prevRiseS) / (fresh ? k : k + 1) : 0;
    if (endS - now < 0.001) p = trainP > 0 ? trainP : 0.001; // late: the train's pace (or 1 kHz), not a burst
    if (p < 2 * MIN_PULSE_S) p = 2 * MIN_PULSE_S;
    this.tailP = p;
    this.riseS = [];
    this.toggleS = [];
    this.tailLastS = now;
    if (high) {
      // the pulse going on (counted) is held as a GPIO to its high time, then the owed steps follow
      let holdS = prevRiseS + this.highS() - now;
      if (holdS < MIN_PULSE_S) holdS = MIN_PULSE_S;
      this.tailLastS = now + holdS;
      this.toggleS.push(this.tailLastS);
      const times = [holdS * 1000];
      this.addPulses(times, this.tailBudget(now) - 1, 0);
      digitalPulse(this.step, 1, times);
    } else if (k > 0) {
      let waitS = fresh ? MIN_PULSE_S : prevRiseS + p - now;
      if (waitS < MIN_PULSE_S) waitS = MIN_PULSE_S;
      const times: number[] = [];
      this.addPulses(times, this.tailBudget(now), waitS);
      digitalPulse(this.step, 0, times); // off the timer: low now, the first rise after waitS
    } else {
      digitalWrite(this.step, 0); // off the timer, low
    }
    this.chain();
  }

  /** STEP high time of the tail's pulses: half the period, at least MIN_PULSE_S (the low time likewise). */
  highS(): number {
    const h = this.tailP / 2;
    return h > MIN_PULSE_S ? h : MIN_PULSE_S;
  }

  /**
   * Appends up to room/2 of the tail's pulses (low then high each; the first low lasts firstLowS if > 0) to
   * `times` (ms), after the last toggle queued, and records their edges.
   */
  addPulses(times: number[], room: number, firstLowS: number): void {
    const h = this.highS();
    let l = this.tailP - h;
    if (l < MIN_PULSE_S) l = MIN_PULSE_S;
    let t = this.tailLastS;
    let n = room > 1 ? room >> 1 : 0;
    if (n > this.tailLeft) n = this.tailLeft;
    for (let i = 0; i < n; i++) {
      const lowS = i === 0 && firstLowS > 0 ? firstLowS : l;
      times.push(lowS * 1000, h * 1000);
      t += lowS;
      this.riseS.push(t);
      this.toggleS.push(t);
      t += h;
      this.toggleS.push(t);
    }
    this.tailLastS = t;
    this.tailLeft -= n;
  }

  /** Utility-timer entries this tail may have pending now: its share, less what the other tails hold. */
  tailBudget(now: number): number {
    let free = TAILS_ENTRIES;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      if (o === this) continue;
      for (let j = 0; j < o.toggleS.length; j++) if (o.toggleS[j] > now) free--;
    }
    return free < TAIL_ENTRIES ? free : TAIL_ENTRIES;
  }

  /** Next tail callback: once there is room for two more pulses, or after the tail's last toggle. */
  chain(): void {
    const self = this;
    const now = getTime();
    const n = this.toggleS.length;
    let atS = this.tailLastS;
    if (this.tailLeft > 0) {
      let keep = this.tailBudget(now) - 4;
      if (keep < 0) keep = 0;
      atS = n > keep ? this.toggleS[n - keep - 1] : n > 0 ? now : now + this.tailP; // the other tail holds the queue: a moment later
    }
    this.timer = setTimeout(function () { self.timer = undefined; self.tailMore(); }, atS > now ? (atS - now) * 1000 : 0);
  }

  /** Chained tail callback: queue more pulses, or (all given) go on with the next span or stop. */
  tailMore(): void {
    const now = getTime();
    this.countTail(now);
    if (this.tailLeft > 0) {
      const base = this.tailLastS > now ? this.tailLastS : now;
      // no toggle pending (a late callback): the pin is low; the next rise after a low time from now
      let gapS = this.tailP - this.highS();
      if (gapS < MIN_PULSE_S) gapS = MIN_PULSE_S;
      this.tailLastS = base;
      const times: number[] = [];
      this.addPulses(times, this.tailBudget(now) - this.toggleS.length, gapS);
      if (times.length > 0) digitalPulse(this.step, 0, times);
      this.chain();
      return;
    }
    if (this.tailLastS > now) { this.chain(); return; }
    this.next();
  }

  /** Tail pulses whose rising edge has passed are counted into done; passed toggles are dropped. */
  countTail(now: number): void {
    while (this.riseS.length > 0 && this.riseS[0] <= now) {
      this.done += this.tailSign;
      this.riseS.shift();
    }
    while (this.toggleS.length > 0 && this.toggleS[0] <= now) this.toggleS.shift();
  }

  emitted(): number {
    const now = getTime();
    let n = this.done + this.sign * this.pulses(now);
    for (let i = 0; i < this.riseS.length; i++) if (this.riseS[i] <= now) n += this.tailSign;
    return n;
  }

  queuedUs(): number {
    if (this.timer === undefined) return 0;
    let last = this.spanEndS.length > 0 ? this.spanEndS[this.spanEndS.length - 1] : this.endS;
    if (this.tailLastS > last) last = this.tailLastS;
    const left = last - getTime();
    return left > 0 ? Math.floor(left * 1e6) : 1; // a callback still due: not idle yet
  }

  halt(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopTrain();
    this.spanSteps = [];
    this.spanEndS = [];
    // pulses already on the utility timer cannot be taken back: they still happen and are counted
    this.countTail(getTime());
    this.tailLeft = 0;
    this.asked = this.done + this.tailSign * this.riseS.length;
  }
}
