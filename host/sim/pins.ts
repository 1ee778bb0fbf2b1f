// The simulated board's pins: what firmware writes, what the rig's physics reads and drives back.
import type { Scheduler } from "./scheduler.ts";

export type Level = 0 | 1;
export type DigitalListener = (level: Level, timeUs: number) => void;
export type AnalogSource = (timeUs: number) => number;
export type PwmListener = (duty: number, freqHz: number, timeUs: number) => void;

/**
 * One bus per simulated board. Pin names are the board's own ("B3", "A5", "D12").
 * Outputs are set by the runtime emulator (digitalWrite, Stepper, digitalPulse, analogWrite);
 * inputs are driven by the rig's physics or the test (endstops, buttons); analog inputs read a source.
 */
export class PinBus {
  private levels = new Map<string, Level>();
  private outputListeners = new Map<string, DigitalListener[]>();
  private inputListeners = new Map<string, DigitalListener[]>();
  private analogSources = new Map<string, AnalogSource>();
  private pwmListeners = new Map<string, PwmListener[]>();

  constructor(readonly clock: Scheduler) {}

  level(pin: string): Level {
    return this.levels.get(pin) ?? 0;
  }

  /** Called by the runtime emulator when firmware drives an output. Listeners hear every change. */
  writeOutput(pin: string, level: Level): void {
    const was = this.levels.get(pin);
    this.levels.set(pin, level);
    if (was === level) return;
    for (const fn of this.outputListeners.get(pin) ?? []) fn(level, this.clock.nowUs());
  }

  /** Called by physics or a test to drive an input (endstop switch, button). The runtime's setWatch hears it. */
  driveInput(pin: string, level: Level): void {
    const was = this.levels.get(pin);
    this.levels.set(pin, level);
    if (was === level) return;
    for (const fn of this.inputListeners.get(pin) ?? []) fn(level, this.clock.nowUs());
  }

  onOutput(pin: string, fn: DigitalListener): void {
    push(this.outputListeners, pin, fn);
  }

  onInput(pin: string, fn: DigitalListener): void {
    push(this.inputListeners, pin, fn);
  }

  setAnalogSource(pin: string, source: AnalogSource): void {
    this.analogSources.set(pin, source);
  }

  /** Raw analog value 0..1 (unquantised, unclamped); the runtime applies the ADC's resolution and range. */
  analogValue(pin: string): number {
    const src = this.analogSources.get(pin);
    return src === undefined ? 0 : src(this.clock.nowUs());
  }

  writePwm(pin: string, duty: number, freqHz: number): void {
    for (const fn of this.pwmListeners.get(pin) ?? []) fn(duty, freqHz, this.clock.nowUs());
  }

  onPwm(pin: string, fn: PwmListener): void {
    push(this.pwmListeners, pin, fn);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
