// Shared option and record types for the Espruino emulator.
import type { Scheduler } from "../scheduler.ts";
import type { PinBus } from "../pins.ts";

export interface EspruinoTiming {
  /** Utility-timer tick in ns: digitalPulse and Stepper edge intervals are quantised (truncated) to it. */
  timerTickNs: number;
  /** Utility-timer tasks that can be pending at once (a Pico has 16 slots, 15 usable). */
  pulseQueueLength: number;
  /** False: the utility timer never runs its tasks (Espruino's Linux build): pulses never happen, the ring fills. */
  utilityTimer?: boolean;
  /** Whether the firmware build has the `Stepper` class (ESPR_USE_STEPPER_TIMER). */
  hasStepper: boolean;
  /** Latency between an event (timer due, edge, bytes in) and its JS callback running. */
  callbackLatencyUs: { typical: number; max: number };
  /** ADC resolution in bits (12 on STM32). */
  adcBits: number;
}

export type LinkPortName = "USB" | "Serial1";

export interface EspruinoOptions {
  clock: Scheduler;
  pins: PinBus;
  timing: EspruinoTiming;
  /** Directory standing in for the Storage flash area (one file per Storage file). */
  storageDir: string;
  /** The port the host talks to. */
  linkPort: LinkPortName;
  /** PRNG seed for callback latencies (default 1). */
  seed?: number;
  /** Variable pool size reported as `process.memory().total` (default 5100, a Pico). */
  variables?: number;
  /** Serial TX buffer in bytes before `.write` blocks (Pico: 128). */
  txBufferBytes?: number;
  /** Clock of the hardware PWM timers in Hz (STM32F401: 84 MHz). */
  pwmTimerClockHz?: number;
  /** How long a blocked call (full utility-timer queue) waits before "Timeout on ..." (default 100 ms). */
  waitTimeoutUs?: number;
  /** StorageFile chunk size in bytes (Pico: 4096 minus a 32-byte header). */
  storageFileChunkBytes?: number;
  /** Total flash bytes for Storage (default 1 MiB) — only used by getFree(). */
  storageBytes?: number;
  /** Whether the build has Graphics' 6x8 font (USE_FONT_6X8: ESP32 and Linux builds; default false, like a Pico). */
  hasFont6x8?: boolean;
  /** Modules `require` finds as if the Web IDE had uploaded them (modules.ts; default: all of them, i.e. SSD1306). */
  ideModules?: readonly string[];
}

export interface CapturedError {
  timeUs: number;
  /** What Espruino prints: `Uncaught Error: ...`. */
  text: string;
  error: unknown;
}

export interface ConsoleLine {
  timeUs: number;
  text: string;
  /** The console device it went to ("USB", "Serial1", "LoopbackA"). */
  device: string;
}
