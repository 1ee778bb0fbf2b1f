// Hardware PWM on a pin, turned into real digital edges in virtual time (a STEP pin driven by a timer).
import type { Level, PinBus } from "../pins.ts";
import type { Timer } from "../scheduler.ts";

/**
 * Phase model (STM32 general-purpose timer in PWM mode 1, up-counting, as Espruino's jshPinAnalogOutput in
 * targets/stm32/jshardware.c sets it up). The output is high while the counter is below the compare value:
 * each period starts with a rising edge and falls after duty × period.
 *
 * - A PWM write with a different frequency re-initialises the time base (TIM_TimeBaseInit issues an update
 *   event): the counter restarts at the call time and a new period begins right then. If the pin is already
 *   high (mid-pulse) it simply stays high, so that pulse and the new period's first pulse merge into one step.
 * - A PWM write with the same frequency leaves the counter running (Espruino only calls TIM_TimeBaseInit when
 *   ARR or PSC changes); the new duty is preloaded and applies from the next period.
 * - Duty 0 (or 1) stops the train: no further edges; with a frequency change the pin goes low (high) at once,
 *   at the same frequency from the next period start. A write with no frequency (freq ≤ 0, not finite) means the
 *   pin was taken off the timer (digitalWrite makes it a GPIO again): the edges stop and the pin keeps its level
 *   for the digital write that follows; the counter keeps running, so attaching again at the same frequency
 *   resumes its phase.
 *
 * Not modelled: the compare preload's one-period lag after a frequency change (the first period uses the new
 * duty here, the old compare value on silicon) and the sub-µs glitch while TIM_OCxInit rewrites the channel.
 */
export class PwmPin {
  /** Timer configuration (a PWM write with freq > 0 configures it; it stays until the next one). */
  private periodUs = 0;
  private freqHz = 0;
  private startUs = 0;
  private highUs = 0;
  /** Duty (as high time) preloaded for the next period. */
  private pendingHighUs: number | undefined;
  private attached = false;
  /** The one pending edge event: a period start (k) or the fall within period k. */
  private ev: Timer | undefined;
  /** Edges written since creation (both directions). */
  edges = 0;

  constructor(private readonly bus: PinBus, readonly pin: string) {
    bus.onPwm(pin, (duty, freqHz, t) => this.write(duty, freqHz, t));
  }

  /** True while the pin is on the timer with a duty that makes edges. */
  get running(): boolean { return this.ev !== undefined; }

  private cancel(): void {
    this.ev?.cancel();
    this.ev = undefined;
  }

  private out(level: Level): void {
    if (this.bus.level(this.pin) === level) return;
    this.edges++;
    this.bus.writeOutput(this.pin, level);
  }

  private write(duty: number, freqHz: number, t: number): void {
    if (!(freqHz > 0) || !Number.isFinite(freqHz)) {
      // detached: the pin is a GPIO again; whatever writes it next sets its level
      this.cancel();
      this.attached = false;
      return;
    }
    const d = Number.isFinite(duty) ? Math.min(1, Math.max(0, duty)) : 0;
    if (freqHz !== this.freqHz) {
      this.cancel();
      this.freqHz = freqHz;
      this.periodUs = 1e6 / freqHz;
      this.startUs = t;
      this.highUs = d * this.periodUs;
      this.pendingHighUs = undefined;
      this.attached = true;
      this.periodStart(0);
      return;
    }
    this.pendingHighUs = d * this.periodUs;
    if (this.attached && this.ev !== undefined) return; // the next period start applies it
    this.attached = true;
    this.cancel();
    // idle (constant level) or re-attached: show the running counter's output now, then follow it
    const k = Math.max(0, Math.floor((t - this.startUs) / this.periodUs));
    const phaseUs = t - this.startUs - k * this.periodUs;
    const high = phaseUs < this.highUs;
    this.out(high ? 1 : 0);
    if (high && this.highUs < this.periodUs) this.ev = this.bus.clock.at(this.startUs + k * this.periodUs + this.highUs, () => this.fall(k));
    else this.ev = this.bus.clock.at(this.startUs + (k + 1) * this.periodUs, () => this.periodStart(k + 1));
  }

  private periodStart(k: number): void {
    this.ev = undefined;
    if (this.pendingHighUs !== undefined) { this.highUs = this.pendingHighUs; this.pendingHighUs = undefined; }
    const h = this.highUs;
    if (h <= 0) { this.out(0); return; } // constant low until the next write
    this.out(1);
    if (h >= this.periodUs) return; // constant high until the next write
    this.ev = this.bus.clock.at(this.startUs + k * this.periodUs + h, () => this.fall(k));
  }

  private fall(k: number): void {
    this.out(0);
    this.ev = this.bus.clock.at(this.startUs + (k + 1) * this.periodUs, () => this.periodStart(k + 1));
  }
}

const attachedPins = new WeakMap<PinBus, Map<string, PwmPin>>();

/** Makes PWM on `pin` produce edges on the bus (once per bus and pin; later calls return the same model). */
export function attachPwmSteps(bus: PinBus, pin: string): PwmPin {
  let pins = attachedPins.get(bus);
  if (pins === undefined) { pins = new Map(); attachedPins.set(bus, pins); }
  let p = pins.get(pin);
  if (p === undefined) { p = new PwmPin(bus, pin); pins.set(pin, p); }
  return p;
}
