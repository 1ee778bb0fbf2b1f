// GPIO, ADC, PWM and digitalPulse (src/jswrap_io.c) on the PinBus.
import type { Level, PinBus } from "../pins.ts";
import type { Runtime } from "./runtime.ts";
import type { UtilityTimer } from "./utiltimer.ts";

const PIN_NAME = /^(?:[A-H]\d{1,2}|D\d{1,2})$/;

export class GpioApi {
  private readonly modes = new Map<string, string>();

  constructor(
    private readonly rt: Runtime,
    private readonly bus: PinBus,
    private readonly timer: UtilityTimer,
    private readonly adcBits: number,
    private readonly pwmTimerClockHz: number,
  ) {}

  /** Espruino accepts Pin objects and pin-name strings ("B3"); anything else is an invalid pin. */
  pinName(pin: unknown): string {
    const name = pin === undefined || pin === null ? "" : String(pin);
    if (!PIN_NAME.test(name)) throw this.rt.newError("Error", `Invalid pin: ${JSON.stringify(name)}`);
    return name;
  }

  /** The pin with this index in the chip's pin table (STM32 order: A0…A15, B0…B15, …), as built-ins that take an integer see it. */
  pinAtIndex(index: number): string {
    const port = "ABCDEFGH".charAt(index >> 4);
    if (index < 0 || port === "") throw this.rt.newError("Error", `Invalid pin: ${index}`);
    return `${port}${index & 15}`;
  }

  /** digitalWrite(pin|pins[], value): for arrays the last pin is the LSB and is written first; a boolean sets all. */
  digitalWrite(pin: unknown, value: unknown): void {
    if (Array.isArray(pin)) {
      const names = pin.map((p) => this.pinName(p));
      const bits = typeof value === "boolean" ? (value ? 0xffffffff : 0) : Number(value) | 0;
      for (let i = names.length - 1, bit = 0; i >= 0; i--, bit++) this.write(names[i], ((bits >>> bit) & 1) as Level);
      return;
    }
    this.write(this.pinName(pin), value ? 1 : 0);
  }

  digitalRead(pin: unknown): number {
    if (Array.isArray(pin)) {
      let v = 0;
      for (const p of pin) v = (v << 1) | this.bus.level(this.pinName(p));
      return v;
    }
    return this.bus.level(this.pinName(pin));
  }

  pinMode(pin: unknown, mode: unknown): void {
    const name = this.pinName(pin);
    if (mode === undefined || mode === "auto") this.modes.delete(name);
    else this.modes.set(name, String(mode));
  }

  getPinMode(pin: unknown): string {
    return this.modes.get(this.pinName(pin)) ?? "input";
  }

  /** analogRead: the PinBus value clamped to 0..1 and quantised to the ADC's resolution. */
  analogRead(pin: unknown): number {
    // A build without an ADC (Espruino's Linux build) prints an error and reads 0, as the real one does (jshPinAnalog).
    if (this.adcBits === 0) { this.rt.print("ERROR: Analog is not supported on this device."); return 0; }
    const raw = this.bus.analogValue(this.pinName(pin));
    const full = 2 ** this.adcBits;
    const v = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
    return Math.min(full - 1, Math.floor(v * full)) / (full - 1);
  }

  /**
   * analogWrite on an STM32 hardware timer: ticks = clock/freq, prescaler = ticks>>16, ARR = ticks/(prescaler+1);
   * the PWM runs at clock/((prescaler+1)(ARR+1)) with duty floor(value*ARR)/(ARR+1). No freq → ARR 0xFFFF, prescaler 0.
   */
  analogWrite(pin: unknown, value: unknown, opts: unknown): void {
    const name = this.pinName(pin);
    const duty = Math.min(1, Math.max(0, Number(value) || 0));
    const freq = opts !== null && typeof opts === "object" ? Number((opts as { freq?: unknown }).freq) : 0;
    let prescale = 0;
    let arr = 0xffff;
    if (Number.isFinite(freq) && freq > 0) {
      const ticks = Math.floor(this.pwmTimerClockHz / freq);
      prescale = Math.min(0xffff, ticks >>> 16);
      arr = Math.min(0xffff, Math.floor(ticks / (prescale + 1)));
    }
    const actualFreq = this.pwmTimerClockHz / ((prescale + 1) * (arr + 1));
    this.modes.set(name, "af_output");
    this.bus.writePwm(name, Math.floor(duty * arr) / (arr + 1), actualFreq);
  }

  /**
   * digitalPulse (jswrap_io.c): if the pin has no pending utility-timer task the first edge is set now, otherwise
   * the new pulses follow the last pending one. Each time is added to a running total truncated to timer ticks; each
   * toggle takes a queue slot and blocks while the queue is full. A time of 0 waits until the queue is empty.
   */
  digitalPulse(pin: unknown, valueIn: unknown, times: unknown): void {
    const name = this.pinName(pin);
    let value = Boolean(valueIn);
    const last = this.timer.lastTaskTimeForPin(name);
    let atUs = last ?? this.rt.clock.nowUs();
    if (last === undefined) this.write(name, value ? 1 : 0);
    if (typeof times === "number" || (typeof times === "string" && times.trim() !== "" && !isNaN(Number(times)))) {
      const ms = Number(times);
      if (ms < 0 || Number.isNaN(ms)) throw this.rt.newError("Error", "Pulse Time is less than 0 or not a number");
      if (ms > 0) this.timer.setPinAt(name, (atUs += this.timer.durationUs(ms)), value ? 0 : 1);
      else this.timer.waitEmpty();
      return;
    }
    if (!Array.isArray(times) && !ArrayBuffer.isView(times)) {
      throw this.rt.newError("Error", `Expecting Number or Array, got ${typeof times}`);
    }
    for (const t of times as ArrayLike<number> & Iterable<number>) {
      const ms = Number(t);
      if (!Number.isNaN(ms) && ms > 0) this.timer.setPinAt(name, (atUs += this.timer.durationUs(ms)), value ? 0 : 1);
      value = !value;
    }
  }

  private write(name: string, level: Level): void {
    if (this.modes.get(name) === "af_output") {
      // jshPinOutput makes the pin a GPIO again: it leaves the timer (freq 0 on the bus = detached from PWM)
      this.modes.set(name, "output");
      this.bus.writePwm(name, 0, 0);
    }
    this.bus.writeOutput(name, level);
  }
}
