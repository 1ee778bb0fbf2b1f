// The PL sensor (OPT101-like) as an analog source: dark offset + LED-excited PL + ambient light + noise, clamped.
import { seededRandom } from "../random.ts";
import type { Level, PinBus } from "../pins.ts";

export interface PhotodiodeOptions {
  bus: PinBus;
  /** Analog input the sensor drives. */
  photodiodePin: string;
  /** LED output; "!pin" or ledInverted = LED on when the pin is low. */
  ledPin: string;
  ledInverted?: boolean;
  /** Relative PL at the cell (1 = reference steady state). */
  plAt: (timeUs: number) => number;
  fullScaleV?: number;
  darkV?: number;
  /** Output for PL_rel = 1 with the LED fully on. */
  signalAtReferenceV?: number;
  /** Excitation light leaking through the emission filter (LED-on only, present even with no product). */
  ledLeakV?: number;
  /** OPT101 response (1 / (2π · 14 kHz) ≈ 11.4 µs) to LED switching. */
  responseUs?: number;
  ambientV?: number;
  /** Mains frequency; lamps flicker in intensity at twice it (full-wave). */
  mainsHz?: number;
  /** Peak ripple as a fraction of ambientV. */
  flickerDepth?: number;
  daylightDriftV?: number;
  daylightPeriodS?: number;
  /** White noise, held for noiseCorrelationUs (≈ 1 / (2 · bandwidth)). */
  noiseRmsV?: number;
  noiseCorrelationUs?: number;
  seed?: number;
}

export const PHOTODIODE_DEFAULTS = {
  fullScaleV: 3.3, darkV: 0.0075, signalAtReferenceV: 1.4, ledLeakV: 0.01, responseUs: 11.4,
  ambientV: 0.25, mainsHz: 50, flickerDepth: 0.4, daylightDriftV: 0.15, daylightPeriodS: 1800,
  noiseRmsV: 0.04, noiseCorrelationUs: 36, seed: 1,
};

export interface PhotodiodeReading {
  darkV: number; plV: number; leakV: number; ambientV: number; noiseV: number;
  excitation: number; volts: number; fraction: number;
}


/** Uniform (0, 1) from (seed, index): counter-based, so noise depends on time only, not on who reads when. */
function hashUniform(seed: number, index: number, lane: number): number {
  const lo = index % 4294967296;
  const hi = Math.floor(index / 4294967296);
  const next = seededRandom((seed ^ Math.imul(lo >>> 0, 0x9e3779b1) ^ Math.imul(hi + lane * 0x85ebca6b, 0xc2b2ae35)) >>> 0);
  next();
  return (next() * 4294967295 + 0.5) / 4294967296;
}

export class Photodiode {
  readonly o: typeof PHOTODIODE_DEFAULTS;
  private readonly bus: PinBus;
  private readonly ledPin: string;
  private readonly ledInverted: boolean;
  private readonly plAt: (timeUs: number) => number;
  private readonly phases: number[];
  private ledOn = false;
  private edgeUs = -Infinity;
  private excitationAtEdge = 0;
  private pwm: { duty: number; freqHz: number; startUs: number } | undefined;

  constructor(o: PhotodiodeOptions) {
    this.o = { ...PHOTODIODE_DEFAULTS };
    for (const k of Object.keys(PHOTODIODE_DEFAULTS) as (keyof typeof PHOTODIODE_DEFAULTS)[]) {
      const v = o[k];
      if (v !== undefined) {
        if (!Number.isFinite(v)) throw new RangeError(`photodiode ${k} must be a finite number, got ${v}`);
        this.o[k] = v;
      }
    }
    this.bus = o.bus;
    this.ledPin = o.ledPin.replace(/^!/, "");
    this.ledInverted = o.ledPin.startsWith("!") !== (o.ledInverted === true);
    this.plAt = o.plAt;
    const rnd = seededRandom(this.o.seed ^ 0x5eed);
    this.phases = [rnd(), rnd(), rnd()].map((u) => u * 2 * Math.PI);
    this.ledOn = this.logicalLed(this.bus.level(this.ledPin));
    this.excitationAtEdge = this.ledOn ? 1 : 0;
    this.bus.onOutput(this.ledPin, (level, t) => {
      const on = this.logicalLed(level);
      if (on === this.ledOn && this.pwm === undefined) return;
      this.excitationAtEdge = this.excitationAt(t);
      this.pwm = undefined;
      this.ledOn = on;
      this.edgeUs = t;
    });
    this.bus.onPwm(this.ledPin, (duty, freqHz, t) => {
      this.excitationAtEdge = this.excitationAt(t);
      this.edgeUs = t;
      this.pwm = { duty: this.ledInverted ? 1 - duty : duty, freqHz, startUs: t };
    });
    this.bus.setAnalogSource(o.photodiodePin, (t) => this.valueAt(t));
  }

  /** LED excitation 0..1 as the detector sees it (first-order response; fast PWM averages to its duty). */
  excitationAt(timeUs: number): number {
    const p = this.pwm;
    if (p !== undefined) {
      if (p.freqHz * this.o.responseUs * 1e-6 * 2 * Math.PI > 0.2 || p.freqHz <= 0) return Math.min(1, Math.max(0, p.duty));
      const phase = (((timeUs - p.startUs) * 1e-6 * p.freqHz) % 1 + 1) % 1;
      return phase < p.duty ? 1 : 0;
    }
    const target = this.ledOn ? 1 : 0;
    const sinceEdgeUs = timeUs - this.edgeUs;
    if (this.o.responseUs <= 0 || sinceEdgeUs > 40 * this.o.responseUs) return target;
    return target + (this.excitationAtEdge - target) * Math.exp(-sinceEdgeUs / this.o.responseUs);
  }

  ambientAt(timeUs: number): number {
    const o = this.o;
    const tS = timeUs * 1e-6;
    const flicker = o.flickerDepth * Math.cos(2 * Math.PI * 2 * o.mainsHz * tS + this.phases[0]);
    const drift = o.daylightDriftV * (0.6 * Math.sin(2 * Math.PI * tS / o.daylightPeriodS + this.phases[1])
      + 0.4 * Math.sin(2 * Math.PI * tS / (3.7 * o.daylightPeriodS) + this.phases[2]));
    return Math.max(0, o.ambientV * (1 + flicker) + drift);
  }

  noiseAt(timeUs: number): number {
    const index = Math.floor(timeUs / Math.max(1e-3, this.o.noiseCorrelationUs));
    const u1 = hashUniform(this.o.seed, index, 0);
    const u2 = hashUniform(this.o.seed, index, 1);
    return this.o.noiseRmsV * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  readingAt(timeUs: number): PhotodiodeReading {
    const o = this.o;
    const excitation = this.excitationAt(timeUs);
    const plV = excitation > 0 ? excitation * Math.max(0, this.plAt(timeUs)) * o.signalAtReferenceV : 0;
    const leakV = excitation * o.ledLeakV;
    const ambientV = this.ambientAt(timeUs);
    const noiseV = this.noiseAt(timeUs);
    const volts = o.darkV + plV + leakV + ambientV + noiseV;
    return { darkV: o.darkV, plV, leakV, ambientV, noiseV, excitation, volts, fraction: Math.min(1, Math.max(0, volts / o.fullScaleV)) };
  }

  /** The analog source: fraction 0..1 of ADC full scale, clamped (saturation). */
  valueAt(timeUs: number): number {
    return this.readingAt(timeUs).fraction;
  }

  private logicalLed(level: Level): boolean {
    return (level === 1) !== this.ledInverted;
  }
}
