// PL sensor: LED on/off synchronous detection on a mains-locked read grid, one ADC read per JS callback.
// In a window a callback every `tick` ms (≥ 20 ms: ≤ 50/s) reads the ADC, then flips the LED, so each read's LED
// state is known exactly. The grid is fixed to the window start (no latency build-up). tick = a whole number of
// ripple periods (10 ms for 50 Hz mains, 25/3 ms for 60 Hz) makes every read see the same ripple value, which
// cancels in on − off; with a 10 ms tick, 5 pairs also sample 120 Hz ripple at 5 even phases. Off reads weigh
// ½,1,…,1,½ (linear drift cancels). Callback lateness spoils the aliasing: late reads (> 1.5 ms past the usual)
// are set aside, and a pooled slope of reading on lateness is removed. LED-steady windows (unsynced, dark)
// step tick + 2 ms so 5/25 reads average 100/120 Hz ripple. Between windows: no callbacks, LED off.
import { SAMPLE_SATURATED, SAMPLE_UNSYNCED } from "../protocol/generated.ts";
import type { AnalogInput, Clock, DigitalOutput, Timers } from "./hal.ts";

/** What the app passes in: the HAL parts and the runtime's timers. */
export interface PlSensorOptions {
  adc: AnalogInput;
  led: DigitalOutput;
  clock: Clock;
  timers: Timers;
  /** A finished sample: mid-window board time (ms, wraps at 2^32), PL and dark in 1e-6 FS, SAMPLE_* flags. */
  onSample?: (timeMs: number, pl: number, dark: number, flags: number) => void;
  /** ADC resolution in bits (default 12); saturated = a read within 1 LSB of full scale. */
  adcBits?: number;
  /** Shortest read spacing in ms (default 20: at most 50 callbacks/s while measuring). */
  minTickMs?: number;
}

/** The sensor's configuration keys (protocol keys 16–20). */
export interface PlConfig {
  ledHz: number;
  samplePeriodMs: number;
  sampleWindowMs: number;
  /** 1: PL = LED on − LED off; 0: LED steady on, PL = on − darkUfs (flag unsynced). */
  synchronous: number;
  darkUfs: number;
}

const MODE_IDLE = -1;
const MODE_SYNC = 0;
const MODE_UNSYNC = 1;
const MODE_DARK = 2;
const STAGGER_MS = 2;
/** Least time between reads (the LED settles in ~50 µs). */
const MIN_GAP_MS = 1;
/** Dark calibration lasts at least this: 50 reads at 22 ms, a whole number of 25-read ripple cycles. */
const DARK_MIN_MS = 1100;
/** Lateness beyond the running mean at which a read is set aside (ripple is far from linear over it). */
const LATE_LIMIT_MS = 1.5;
/** Fewest on/off pairs for which lateness is handled (fewer: plain on − off). */
const LATENESS_MIN_PAIRS = 5;

/** x rounded to the nearest whole multiple of unit (ties go down), at least unit. */
function roundTo(x: number, unit: number): number {
  const n = Math.ceil(x / unit - 0.5) * unit;
  return n < unit ? unit : n;
}

/** Reads in an LED-steady window: multiples of 25 (both mains) or 5 (50 Hz) reads average the ripple. */
function steadyReads(windowMs: number, tickMs: number): number {
  const x = windowMs / tickMs;
  return roundTo(x, x >= 25 ? 25 : x >= 5 ? 5 : 1);
}

/**
 * The sensor's timer callbacks, made where the only thing in scope is the sensor: on Espruino a closure keeps its whole
 * scope, and made in the constructor they would hold its options object for ever.
 */
function bindCallbacks(s: PlSensor): void {
  s.tickFn = function () { s.tick(); };
  s.windowFn = function () { s.beginWindow(s.synchronous !== 0 ? MODE_SYNC : MODE_UNSYNC, s.nextWindowS); };
  s.darkFn = function () { s.beginWindow(MODE_DARK, s.clock.nowS()); };
}

export class PlSensor {
  adc: AnalogInput; led: DigitalOutput; clock: Clock;
  timers: Timers;
  onSample: (timeMs: number, pl: number, dark: number, flags: number) => void;
  fullCounts: number; minTickMs: number;
  ledHz: number; samplePeriodMs: number; sampleWindowMs: number; synchronous: number; darkUfs: number;
  sampling: boolean; mode: number; timer: any; darkDone: ((darkUfs: number) => void) | undefined;
  /** Read index in the window, its last index, read spacing, grid start (s), next window's start (s). */
  k: number; last: number; tickMs: number; startS: number; nextWindowS: number;
  /** Σw, Σw·x, Σw·e, Σw·x·e, Σw·e² of reads x (LSBs) and lateness e (ms): on at 0, off at 5; late reads +10. */
  acc: Float64Array;
  sampleFlags: number; lateMeanMs: number;
  /** JS callbacks run so far (CPU accounting). */
  callbacks: number;
  tickFn: () => void; windowFn: () => void; darkFn: () => void;

  constructor(o: PlSensorOptions) {
    this.adc = o.adc; this.led = o.led; this.clock = o.clock; this.timers = o.timers;
    this.onSample = o.onSample !== undefined ? o.onSample : function () {};
    this.fullCounts = Math.pow(2, o.adcBits !== undefined ? o.adcBits : 12) - 1;
    this.minTickMs = o.minTickMs !== undefined ? o.minTickMs : 20;
    this.ledHz = 200; this.samplePeriodMs = 1000; this.sampleWindowMs = 500; this.synchronous = 1; this.darkUfs = 0;
    this.sampling = false; this.mode = MODE_IDLE; this.timer = undefined; this.darkDone = undefined;
    this.k = 0; this.last = 0; this.tickMs = 0; this.startS = 0; this.nextWindowS = 0;
    this.acc = new Float64Array(20);
    this.sampleFlags = 0; this.lateMeanMs = 0; this.callbacks = 0;
    this.tickFn = this.windowFn = this.darkFn = function () {};
    bindCallbacks(this);
    this.led.set(false);
  }

  /** New settings; a window already running finishes with the old ones. */
  configure(c: PlConfig): void {
    if (!(c.ledHz >= 1) || !(c.samplePeriodMs >= 1) || !(c.sampleWindowMs >= 1)) {
      throw new Error("sensor config needs ledHz >= 1 Hz, samplePeriodMs >= 1 ms, sampleWindowMs >= 1 ms");
    }
    this.ledHz = c.ledHz; this.samplePeriodMs = c.samplePeriodMs; this.sampleWindowMs = c.sampleWindowMs;
    this.synchronous = c.synchronous; this.darkUfs = c.darkUfs;
  }

  /** LED half-period = synchronous read spacing: 500/ledHz ms if ≥ minTickMs and a whole number of 120 Hz periods
   *  (ledHz 20: 25 ms, 60 Hz mains), else rounded up to 10 ms (ledHz 25–200: 20 ms; 10: 50 ms, both mains). */
  syncTickMs(): number {
    const half = 500 / this.ledHz;
    const sixty = Math.round(half * 0.12) / 0.12;
    if (half >= this.minTickMs && Math.abs(half - sixty) < 0.001 * half) return sixty;
    const t = Math.ceil(half / 10 - 1e-9) * 10;
    return t > this.minTickMs ? t : this.minTickMs;
  }

  /** On/off pairs in a synchronous window: a multiple of 5 from 5 up, shortened to end a tick before the period. */
  syncPairs(): number {
    const tick = this.syncTickMs();
    const x = this.sampleWindowMs / (2 * tick);
    const pairs = roundTo(x, x >= 5 ? 5 : 1);
    const pairsInPeriod = (this.samplePeriodMs - tick) / (2 * tick); // tick has fractions (25/3 ms at 60 Hz): a float
    const fit = Math.floor(pairsInPeriod);
    return pairs <= fit || fit < 1 ? pairs : fit;
  }

  /** Sample every samplePeriodMs from now until stop(). */
  start(): void {
    this.stop();
    this.sampling = true;
    this.nextWindowS = this.clock.nowS();
    this.timer = this.timers.after(this.windowFn, 0);
  }

  /** Stop sampling (a window in progress is dropped); the LED goes off. */
  stop(): void {
    this.sampling = false;
    this.abort();
  }

  /** Measure with the LED off (a window in progress is dropped), hand back darkUfs; periodic sampling resumes. */
  darkCalibrate(done: (darkUfs: number) => void): void {
    this.abort();
    this.darkDone = done;
    this.timer = this.timers.after(this.darkFn, MIN_GAP_MS);
  }

  abort(): void {
    if (this.timer !== undefined) this.timers.cancel(this.timer);
    this.timer = undefined;
    this.mode = MODE_IDLE;
    this.led.set(false);
  }

  beginWindow(mode: number, startS: number): void {
    this.mode = mode; this.startS = startS; this.k = 0; this.sampleFlags = 0;
    for (let i = 0; i < 20; i++) this.acc[i] = 0;
    this.tickMs = this.syncTickMs();
    if (mode === MODE_SYNC) {
      this.last = 2 * this.syncPairs();
    } else {
      this.tickMs += STAGGER_MS;
      const reads = steadyReads(mode === MODE_DARK && this.sampleWindowMs < DARK_MIN_MS ? DARK_MIN_MS : this.sampleWindowMs, this.tickMs);
      const readsInPeriod = this.samplePeriodMs / this.tickMs; // tickMs has fractions: a float
      const fit = Math.floor(readsInPeriod) - 1;
      this.last = mode === MODE_DARK ? reads - 1 : reads <= fit || fit < 1 ? reads : fit;
    }
    this.tick();
  }

  /** One callback: read, then set the LED for the next read; the last read finishes the window. */
  tick(): void {
    this.callbacks++;
    const code = Math.round(this.adc.read() * this.fullCounts);
    const k = this.k;
    const last = this.last;
    const lateMs = (this.clock.nowS() - this.startS) * 1000 - k * this.tickMs;
    if (code >= this.fullCounts - 1) this.sampleFlags = this.sampleFlags | SAMPLE_SATURATED;
    let g = 5;
    let w = 1;
    if (this.mode === MODE_SYNC) {
      if (k % 2 === 1) g = 0;
      if (k % 2 === 1 || (k !== 0 && k !== last)) w = 2;
      if (last >= 2 * LATENESS_MIN_PAIRS && lateMs > this.lateMeanMs + LATE_LIMIT_MS) g += 10;
      this.lateMeanMs += (lateMs - this.lateMeanMs) / 16;
      this.led.set(k % 2 === 0 && k < last);
    } else if (this.mode === MODE_UNSYNC) {
      g = 0;
      if (k === 0) w = 0;
      this.led.set(k < last);
    }
    const acc = this.acc;
    acc[g] += w; acc[g + 1] += w * code; acc[g + 2] += w * lateMs;
    acc[g + 3] += w * code * lateMs; acc[g + 4] += w * lateMs * lateMs;
    if (k === last) {
      this.timer = undefined;
      this.finish();
      return;
    }
    this.k = k + 1;
    const delayMs = this.tickMs - lateMs;
    this.timer = this.timers.after(this.tickFn, delayMs > MIN_GAP_MS ? delayMs : MIN_GAP_MS);
  }

  /** On − off in LSBs, less the pooled within-group slope of reading on lateness × the groups' lateness difference. */
  syncDifference(): number {
    const a = this.acc;
    if (a[0] === 0 || a[5] === 0) for (let i = 0; i < 10; i++) a[i] += a[i + 10];
    const diff = a[1] / a[0] - a[6] / a[5];
    const lateDiff = a[2] / a[0] - a[7] / a[5];
    const sxe = a[3] - (a[1] * a[2]) / a[0] + a[8] - (a[6] * a[7]) / a[5];
    const see = a[4] - (a[2] * a[2]) / a[0] + a[9] - (a[7] * a[7]) / a[5];
    return this.last >= 2 * LATENESS_MIN_PAIRS && see > 1e-6 ? diff - (sxe / see) * lateDiff : diff;
  }

  finish(): void {
    const mode = this.mode;
    const a = this.acc;
    const toUfs = 1000000 / this.fullCounts;
    const timeMs = Math.floor(this.startS * 1000 + (this.last * this.tickMs) / 2) % 4294967296;
    this.mode = MODE_IDLE;
    if (mode === MODE_SYNC) {
      const dark = Math.round(((a[6] + a[16]) / (a[5] + a[15])) * toUfs);
      this.onSample(timeMs, Math.round(this.syncDifference() * toUfs), dark, this.sampleFlags);
    } else if (mode === MODE_UNSYNC) {
      this.onSample(timeMs, Math.round((a[1] / a[0]) * toUfs) - this.darkUfs, this.darkUfs, this.sampleFlags | SAMPLE_UNSYNCED);
    } else {
      this.darkUfs = Math.round((a[6] / a[5]) * toUfs);
      const done = this.darkDone;
      this.darkDone = undefined;
      if (done !== undefined) done(this.darkUfs);
    }
    if (this.sampling && this.mode === MODE_IDLE && this.timer === undefined) this.nextWindow();
  }

  /** Schedule the next window on the period grid (a slot not yet begun is kept), skipping slots already past. */
  nextWindow(): void {
    const nowS = this.clock.nowS();
    const periodS = this.samplePeriodMs / 1000;
    let next = this.nextWindowS;
    if (next <= nowS) next += periodS;
    if (next < nowS) next += Math.ceil((nowS - next) / periodS) * periodS;
    this.nextWindowS = next;
    this.timer = this.timers.after(this.windowFn, (next - nowS) * 1000);
  }
}
