// Y-junction + tube: flow history from the pumps' real steps, transport delay and laminar dispersion to the flow cell.
import { DEFAULT_TEMPERATURE_C, DEFAULT_TUBE_INNER_DIAMETER_MM, flowReport, tubeVolumeMlPerM } from "../../domain/flow-physics.ts";
import { Float64Series } from "./series.ts";

export type Stream = "precursor" | "antisolvent";
/** A per-volume property of the product, fixed at the junction by the flows that made it (e.g. fraction × QY). */
export type Tracer = (precursorUlPerH: number, antisolventUlPerH: number) => number;

export interface FluidicsOptions {
  tubeInnerDiameterMm?: number;
  /** Y-junction to flow cell. */
  tubeLengthMm?: number;
  temperatureC?: number;
  /** "laminar": segregated Poiseuille flow, first arrival at τ/2 (default); "plug": everything arrives at τ. */
  dispersion?: "laminar" | "plug";
  /** Syringe/tubing compliance: each step's volume leaves into the junction as an exponential of this time constant. */
  complianceTauUs?: number;
  /** History resolution; a bin should hold much less than the tube volume. */
  binUs?: number;
  /** The laminar tail is cut (and renormalised) after this many tube volumes (default 5: 99 % of the liquid). */
  tailTubeVolumes?: number;
  tracer?: Tracer;
}

export interface CellState {
  /** Volume fraction of precursor solution in the liquid at the cell. */
  precursorFraction: number;
  /** Volume-weighted mean junction flows of the liquid at the cell (what made it). */
  precursorUlPerH: number;
  antisolventUlPerH: number;
  /** Volume-weighted mean of the tracer over the liquid at the cell (0 for the initial fill). */
  tracer: number;
  /** Part of the cell's liquid that is still the initial fill (pure antisolvent, no product). */
  fillFraction: number;
  /** Mean time since the cell's pumped liquid passed the junction (NaN while only fill is there). */
  ageUs: number;
}

const NL_PER_US_TO_UL_PER_H = 3.6e6;

/**
 * Model. Pump steps (infusion only; withdrawal refills from the reservoir through a check valve, never back
 * through the Y) pass a first-order compliance filter, then are binned in time (binUs). Positions are tracked
 * in volume coordinate: V(t) = volume pumped into the tube so far. Liquid that entered when V was v has been
 * displaced by u = V(t) − v. For segregated laminar (Poiseuille) flow the volume fraction of the cell's liquid
 * with displacement > u is F(u) = 1 − (V_tube / 2u)² for u ≥ V_tube/2 (first arrival at V_tube/2, i.e. τ/2;
 * mean u = V_tube, i.e. τ). Radial diffusion (R²/D ≈ 600 s) is much slower than τ, so this convective limit
 * holds and is exact for any time-varying total flow. Liquid older than the tube (u > V) is the initial fill.
 */
export class Fluidics {
  readonly innerDiameterMm: number;
  readonly lengthMm: number;
  readonly temperatureC: number;
  readonly tubeVolumeNl: number;
  readonly dispersion: "laminar" | "plug";
  private readonly complianceTauUs: number;
  private readonly binUs: number;
  private readonly tailUNl: number;
  private readonly tailNorm: number;
  private readonly tracer: Tracer;
  private flowNlPerUs = [0, 0];
  private stateUs = 0;
  private openBinStartUs = 0;
  private openNl = [0, 0];
  private binStartUs = new Float64Series();
  private binCumNl = new Float64Series();
  private binPrecursorNl = new Float64Series();
  private binAntisolventNl = new Float64Series();
  private binTracer = new Float64Series();
  private cache: { key: string; state: CellState } | undefined;

  constructor(o: FluidicsOptions = {}) {
    this.innerDiameterMm = o.tubeInnerDiameterMm ?? DEFAULT_TUBE_INNER_DIAMETER_MM;
    this.lengthMm = o.tubeLengthMm ?? 1000;
    this.temperatureC = o.temperatureC ?? DEFAULT_TEMPERATURE_C;
    this.dispersion = o.dispersion ?? "laminar";
    this.complianceTauUs = o.complianceTauUs ?? 200e3;
    this.binUs = o.binUs ?? 20e3;
    if (!(this.innerDiameterMm > 0 && this.lengthMm > 0)) throw new RangeError(`tube ${this.innerDiameterMm} mm ID × ${this.lengthMm} mm: both must be > 0`);
    if (!(this.complianceTauUs > 0 && this.binUs > 0)) throw new RangeError("complianceTauUs and binUs must be > 0");
    this.tubeVolumeNl = tubeVolumeMlPerM(this.innerDiameterMm) * (this.lengthMm / 1000) * 1e6;
    this.tailUNl = Math.max(2, o.tailTubeVolumes ?? 5) * this.tubeVolumeNl;
    this.tailNorm = 1 - (this.tubeVolumeNl / (2 * this.tailUNl)) ** 2;
    this.tracer = o.tracer ?? (() => 0);
  }

  /** A pump step arriving at the junction (volumeNl ≤ 0 is ignored: see the model note). */
  addStep(stream: Stream, timeUs: number, volumeNl: number): void {
    this.advanceTo(timeUs);
    if (volumeNl > 0) this.flowNlPerUs[stream === "precursor" ? 0 : 1] += volumeNl / this.complianceTauUs;
  }

  /** Compliance-filtered flows entering the tube now. */
  junctionFlowUlPerH(timeUs: number): { precursor: number; antisolvent: number } {
    this.advanceTo(timeUs);
    return { precursor: this.flowNlPerUs[0] * NL_PER_US_TO_UL_PER_H, antisolvent: this.flowNlPerUs[1] * NL_PER_US_TO_UL_PER_H };
  }

  /** Mean residence time τ = V_tube / Q_total at the current flow (Infinity when stopped). */
  residenceTimeUs(timeUs: number): number {
    const f = this.junctionFlowUlPerH(timeUs);
    const totalNlPerUs = (f.precursor + f.antisolvent) / NL_PER_US_TO_UL_PER_H;
    return totalNlPerUs > 0 ? this.tubeVolumeNl / totalNlPerUs : Infinity;
  }

  /** Reynolds number at the current junction flows (DMF precursor + toluene), NaN when stopped. */
  reynoldsAt(timeUs: number): number {
    const f = this.junctionFlowUlPerH(timeUs);
    if (!(f.precursor + f.antisolvent > 0)) return NaN;
    return flowReport({ precursorMlPerH: f.precursor / 1000, antisolventMlPerH: f.antisolvent / 1000, innerDiameterMm: this.innerDiameterMm, temperatureC: this.temperatureC }).reynolds;
  }

  /** Total volume that has entered the tube. */
  pumpedNl(timeUs: number): number {
    this.advanceTo(timeUs);
    return this.closedCumNl() + this.openNl[0] + this.openNl[1];
  }

  /** What the flow cell holds at timeUs (cached per history bin). */
  atCell(timeUs: number): CellState {
    const pumped = this.pumpedNl(timeUs);
    const key = `${this.binCumNl.length}:${this.openBinStartUs}`;
    if (this.cache !== undefined && this.cache.key === key) return this.cache.state;
    const state = this.computeCell(pumped, timeUs);
    this.cache = { key, state };
    return state;
  }

  /** Fraction of the cell's liquid displaced by more than uNl since the junction (truncated, renormalised). */
  private survival(uNl: number): number {
    const u = uNl < this.tailUNl ? uNl : this.tailUNl;
    if (this.dispersion === "plug") return u >= this.tubeVolumeNl ? 1 : 0;
    if (u < this.tubeVolumeNl / 2) return 0;
    const r = this.tubeVolumeNl / (2 * u);
    return (1 - r * r) / this.tailNorm;
  }

  private computeCell(pumpedNl: number, timeUs: number): CellState {
    const firstU = this.dispersion === "plug" ? this.tubeVolumeNl : this.tubeVolumeNl / 2;
    let k = Math.min(this.binCumNl.upperBound(pumpedNl - firstU), this.binCumNl.length - 1);
    let wSum = 0, fraction = 0, qp = 0, qt = 0, tracer = 0, entryUs = 0;
    for (; k >= 0; k--) {
      const endNl = this.binCumNl.get(k);
      if (pumpedNl - endNl >= this.tailUNl) break;
      const startNl = k === 0 ? 0 : this.binCumNl.get(k - 1);
      const w = this.survival(pumpedNl - startNl) - this.survival(pumpedNl - endNl);
      if (w <= 0) continue;
      const p = this.binPrecursorNl.get(k);
      const a = this.binAntisolventNl.get(k);
      wSum += w;
      fraction += w * p / (p + a);
      qp += w * p / this.binUs;
      qt += w * a / this.binUs;
      tracer += w * this.binTracer.get(k);
      entryUs += w * (this.binStartUs.get(k) + this.binUs / 2);
    }
    return {
      precursorFraction: fraction,
      precursorUlPerH: qp * NL_PER_US_TO_UL_PER_H,
      antisolventUlPerH: qt * NL_PER_US_TO_UL_PER_H,
      tracer,
      fillFraction: 1 - this.survival(pumpedNl),
      ageUs: wSum > 0 ? timeUs - entryUs / wSum : NaN,
    };
  }

  private closedCumNl(): number {
    return this.binCumNl.length === 0 ? 0 : this.binCumNl.last();
  }

  /** Integrate the compliance-filtered flows up to timeUs, closing full bins on the way. */
  private advanceTo(timeUs: number): void {
    if (timeUs < this.stateUs) throw new RangeError(`fluidics: time went backwards (${timeUs} µs after ${this.stateUs} µs); it only moves forward`);
    for (;;) {
      const idle = this.flowNlPerUs[0] === 0 && this.flowNlPerUs[1] === 0 && this.openNl[0] === 0 && this.openNl[1] === 0;
      if (idle) this.openBinStartUs = Math.max(this.openBinStartUs, Math.floor(timeUs / this.binUs) * this.binUs);
      const binEndUs = this.openBinStartUs + this.binUs;
      if (binEndUs > timeUs) break;
      this.integrate(binEndUs);
      this.closeBin();
    }
    this.integrate(timeUs);
  }

  private integrate(toUs: number): void {
    const dt = toUs - this.stateUs;
    if (dt <= 0) return;
    const decay = Math.exp(-dt / this.complianceTauUs);
    for (let s = 0; s < 2; s++) {
      const q = this.flowNlPerUs[s];
      if (q === 0) continue;
      this.openNl[s] += q * this.complianceTauUs * (1 - decay);
      this.flowNlPerUs[s] = q * decay * this.complianceTauUs < 1e-9 ? 0 : q * decay;
    }
    this.stateUs = toUs;
  }

  private closeBin(): void {
    const [p, a] = this.openNl;
    if (p + a > 1e-9) {
      this.binStartUs.push(this.openBinStartUs);
      this.binCumNl.push(this.closedCumNl() + p + a);
      this.binPrecursorNl.push(p);
      this.binAntisolventNl.push(a);
      this.binTracer.push(this.tracer((p / this.binUs) * NL_PER_US_TO_UL_PER_H, (a / this.binUs) * NL_PER_US_TO_UL_PER_H));
    }
    this.openNl = [0, 0];
    this.openBinStartUs += this.binUs;
  }
}
