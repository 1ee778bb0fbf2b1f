// Hardware abstraction: the few small interfaces controller code uses; each runtime implements them in its folder.
/** One pump's STEP/DIR/ENABLE outputs, driven by a hardware-timed mechanism. */
export interface StepOutput {
  /** Energise (true) or release (false) the driver. */
  enable(on: boolean): void;
  /** When true, DIR low means infuse (the motor is wired the other way round). */
  setDirInverted(inverted: boolean): void;
  /**
   * Emit `steps` microsteps (signed: > 0 infuses) evenly, starting when the motion already queued
   * ends (or now when idle) and finishing at board time `untilS`. Never one JS call per step.
   * Returns false, queueing nothing, when the output holds as much as it may (it has stopped taking motion: a stalled
   * timer or callback chain); the caller stops the pump rather than let the queue eat the memory.
   */
  queue(steps: number, untilS: number): boolean;
  /** Microsteps emitted so far, signed running total (what the plunger has really been given). */
  emitted(): number;
  /** Microseconds of queued motion not yet emitted. */
  queuedUs(): number;
  /** Stop at once and drop the queue. */
  halt(): void;
}

/** A digital input such as an endstop or a button; `active` already applies the profile's inversion. */
export interface DigitalInput {
  active(): boolean;
  /**
   * Calls fn on every change with `tag` and the edge's board time in seconds. The tag lets one handler serve many
   * inputs (on Espruino every closure keeps a scope alive: one shared handler costs less than one per input).
   */
  watch(fn: (tag: number, active: boolean, timeS: number) => void, tag: number, debounceMs: number): void;
}

export interface DigitalOutput {
  /** Sets the logical level (the profile's inversion applied). */
  set(active: boolean): void;
}

/** An ADC input; reads 0..1 of full scale. */
export interface AnalogInput {
  read(): number;
}

/** Flash storage of named files (Espruino's Storage). */
export interface Store {
  read(name: string): string | undefined;
  /** Writes a whole file; false if the flash refused it. */
  write(name: string, data: string): boolean;
  erase(name: string): void;
  /** Appends to a log file (created when missing); false if it failed. */
  append(name: string, data: string): boolean;
  list(prefix: string): string[];
  /** Bytes of flash still free. */
  free(): number;
}

/** Board time. */
export interface Clock {
  /** Seconds since boot (µs resolution). */
  nowS(): number;
}

/** Timers: one-shot and repeating callbacks (Espruino's setTimeout/setInterval; NodeMCU's tmr). ms may have fractions. */
export interface Timers {
  after(fn: () => void, ms: number): any;
  every(fn: () => void, ms: number): any;
  cancel(handle: any): void;
}
