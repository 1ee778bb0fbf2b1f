// The built-in Stepper class (src/jswrap_stepper.c): a 4-pin pattern stepped by one utility-timer task per move.
import type { Level, PinBus } from "../pins.ts";
import type { Runtime } from "./runtime.ts";
import type { GpioApi } from "./io.ts";
import type { UtilityTimer } from "./utiltimer.ts";

/** jswrap_stepper_moveTo's built-in pattern bytes 0x12,0x48 as nibbles by pIndex (the docs' 1,2,4,8 differs). */
const DEFAULT_NIBBLES = [2, 1, 8, 4, 2, 1, 8, 4];

type Obj = Record<string, unknown>;

interface Move {
  resolve: () => void;
  /** The utility-timer task's signed remaining steps. */
  step: { steps: number };
  finished: boolean;
}

export class StepperApi {
  private readonly moves = new WeakMap<object, Move>();
  private readonly live = new Set<Obj>();

  constructor(
    private readonly rt: Runtime,
    private readonly bus: PinBus,
    private readonly gpio: GpioApi,
    private readonly timer: UtilityTimer,
    private readonly newPromise: (executor: (resolve: () => void) => void) => unknown,
    private readonly resolved: () => unknown,
  ) {}

  init(self: Obj, options: unknown): void {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw this.rt.newError("Error", `Expecting options to be an Object, not ${typeof options}`);
    }
    const o = options as Obj;
    if (!Array.isArray(o.pins) || o.pins.length !== 4) throw this.rt.newError("Error", "'pins' must be a 4 element array");
    self.pins = o.pins;
    self.pos = 0;
    self.freq = o.freq === undefined ? 100 : Number(o.freq);
    const off = Number(o.offpattern ?? 0) | 0;
    if (off !== 0) self.offpattern = off;
    if (o.pattern !== undefined) {
      self.pattern = o.pattern;
      if (this.nibbles(self) === undefined) throw this.rt.newError("Error", "'pattern' isn't valid 4/8 element array");
    }
    this.pins(self);
  }

  moveTo(self: Obj, position: unknown, options: unknown): unknown {
    if (self.running === true) throw this.rt.newError("Error", "Stepper is already running");
    const o = options !== null && typeof options === "object" ? (options as Obj) : undefined;
    if (o === undefined && options !== undefined) {
      throw this.rt.newError("Error", `Expecting options to be undefined or an Object, not ${typeof options}`);
    }
    const currentPos = Number(self.pos) | 0;
    const direction = o?.relative ? Number(position) | 0 : (Number(position) | 0) - currentPos;
    if (direction === 0) return this.resolved();
    const optFreq = Number(o?.freq);
    const freq = Number.isFinite(optFreq) ? optFreq : Number(self.freq);
    if (!(freq >= 0.001)) throw this.rt.newError("Error", "Frequency must be above 0.001Hz");
    const pins = this.pins(self);
    const nibbles = this.nibbles(self) ?? DEFAULT_NIBBLES;
    let resolve: () => void = () => {};
    const promise = this.newPromise((r) => { resolve = r; });
    // jstimer.h keeps the count in an int16_t (task->data.step.steps = direction): a longer move wraps, and may even run
    // the other way or not at all, while `_direction` (added to the position at the end) keeps the whole number.
    const steps = (direction << 16) >> 16;
    const step = { pins, steps, pIndex: currentPos & 7, nibbles, intervalUs: this.timer.durationUs(1000 / freq) };
    const move: Move = { resolve, step, finished: false };
    this.timer.startSteps(step, () => this.onTaskFinished(self, move));
    self.running = true;
    self._direction = direction;
    self._turnOff = Boolean(o?.turnOff);
    this.moves.set(self, move);
    this.live.add(self);
    return promise;
  }

  stop(self: Obj, options: unknown): void {
    if (self.running !== true) throw this.rt.newError("Error", "Stepper is not running");
    if (options !== null && typeof options === "object" && (options as Obj).turnOff) self._turnOff = true;
    const move = this.moves.get(self);
    if (move === undefined || move.finished) throw this.rt.newError("Error", "Stepper couldn't be stopped");
    self._direction = (Number(self._direction) | 0) - move.step.steps;
    this.timer.stopPinTask(this.pins(self)[0]);
  }

  roots(): unknown[] {
    return [...this.live];
  }

  clear(): void {
    this.live.clear();
  }

  /** EVC_TIMER_FINISHED → jswrap_stepper_eventHandler, run from the idle loop. */
  private onTaskFinished(self: Obj, move: Move): void {
    move.finished = true;
    this.rt.atIdle(this.rt.clock.nowUs(), () => {
      self.pos = (Number(self.pos) | 0) + (Number(self._direction) | 0);
      delete self._direction;
      if (self._turnOff === true) {
        const off = Number(self.offpattern ?? 0) | 0;
        this.pins(self).forEach((pin, i) => this.bus.writeOutput(pin, ((off >> i) & 1) as Level));
      }
      delete self._turnOff;
      self.running = false;
      this.live.delete(self);
      this.moves.delete(self);
      move.resolve();
    });
  }

  /**
   * jswrap_stepper.c reads each pin with jsvGetIntegerAndUnLock: a Pin object or a number is a pin, but a string is
   * converted as a number ("B3" → NaN → pin 0, the chip's first pin) with no error, as on a real board.
   */
  private pins(self: Obj): string[] {
    const pins = self.pins as unknown[];
    try {
      return pins.map((p) => typeof p === "string" || typeof p === "number" ? this.gpio.pinAtIndex(integerOf(p)) : this.gpio.pinName(p));
    } catch {
      throw this.rt.newError("Error", "Not all pins are valid");
    }
  }

  /** A 4- or 8-element pattern of 0..15 as 8 nibbles (a 4-element one repeats), or undefined if invalid. */
  private nibbles(self: Obj): number[] | undefined {
    const p = self.pattern;
    if (!Array.isArray(p) || (p.length !== 4 && p.length !== 8)) return undefined;
    const n = p.map((v) => Number(v) | 0);
    if (n.some((v) => v < 0 || v > 15)) return undefined;
    return n.length === 4 ? [...n, ...n] : n;
  }
}

/** jsvGetInteger: a number truncated, a string parsed as a number, NaN → 0. */
function integerOf(v: string | number): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}
