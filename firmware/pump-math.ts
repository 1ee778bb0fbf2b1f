// Pump arithmetic: volume per microstep, and an exact rate-to-steps accumulator in 32-bit integers.
import { idiv } from "./int.ts";

/** Volume of one microstep in picolitres (rounded): π/4 · D² · lead / (steps per rev · microsteps). */
export function stepVolumePl(innerDiameterUm: number, leadUm: number, stepsPerRev: number, microsteps: number): number {
  const diameterMm = innerDiameterUm / 1000;
  const volumeUl = (Math.PI / 4) * diameterMm * diameterMm * (leadUm / 1000) / (stepsPerRev * microsteps);
  return Math.round(volumeUl * 1e6);
}

/**
 * value × ppm / 1 000 000, rounded half up, in integers exact in 32 bits: value < 2³¹, ppm within ±131 071 of 10⁶
 * (the calibration factor). value = a·10⁶ + b1·10³ + b0, so value·d/10⁶ = a·d + b1·d/10³ + b0·d/10⁶ with d = ppm − 10⁶.
 */
export function scalePpm(value: number, ppm: number): number {
  const d = ppm - 1000000;
  const a = idiv(value, 1000000);
  const b = value - a * 1000000;
  const b1 = idiv(b, 1000);
  const b0 = b - b1 * 1000;
  const q = idiv(b1 * d, 1000);
  const r = b1 * d - q * 1000;
  return value + a * d + q + idiv(r * 1000 + b0 * d + 500000, 1000000);
}

/**
 * Turns a rate (µL/h) and elapsed whole milliseconds into whole microsteps, carrying the remainder,
 * so the position never drifts from rate × time. Steps per ms = 5·rate / (18·stepVolumePl):
 * the whole part is counted directly, the fractional part accumulates as a numerator below
 * `denominator`. Every value stays below 2³¹ for rates ≤ 20 000 000 µL/h, step volumes
 * ≤ 100 000 000 pL and ticks ≤ 85 ms.
 */
export class StepAccumulator {
  denominator: number;
  wholePerMs: number;
  fractionPerMs: number;
  numerator: number;
  direction: number;

  constructor() {
    this.denominator = 1;
    this.wholePerMs = 0;
    this.fractionPerMs = 0;
    this.numerator = 0;
    this.direction = 1;
  }

  /** Sets the rate; the carried fraction is kept (scaled) so a rate change loses no partial step. */
  setRate(rateUlPerH: number, volumePerStepPl: number): void {
    const magnitude = rateUlPerH < 0 ? -rateUlPerH : rateUlPerH;
    const perMs = 5 * magnitude;
    const denominator = 18 * volumePerStepPl;
    const direction = rateUlPerH < 0 ? -1 : 1;
    if (direction !== this.direction || denominator !== this.denominator) {
      // A new step size or a reversal: the carried fraction no longer applies to the same steps.
      this.numerator = 0;
    }
    this.denominator = denominator;
    this.direction = direction;
    this.wholePerMs = idiv(perMs, denominator);
    this.fractionPerMs = perMs - this.wholePerMs * denominator;
  }

  /** Microsteps due over `ms` whole milliseconds (signed: negative withdraws). ms ≤ 85. */
  advance(ms: number): number {
    this.numerator += this.fractionPerMs * ms;
    const carry = idiv(this.numerator, this.denominator);
    this.numerator -= carry * this.denominator;
    return this.direction * (this.wholePerMs * ms + carry);
  }

  /** Microsteps per second at the current rate, for a hardware step timer (not rounded). */
  stepsPerSecond(): number {
    return (1000 * (this.wholePerMs * this.denominator + this.fractionPerMs)) / this.denominator;
  }
}
