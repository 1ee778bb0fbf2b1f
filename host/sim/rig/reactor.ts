// The product's photoluminescence as a function of the flows that made it (PLQY, dilution, inner filter, ageing).
import type { CellState, Tracer } from "./fluidics.ts";

/**
 * Equations (flows in mL/h; Qp precursor, Qt toluene antisolvent):
 *   QY(Qp, Qt)  = qyMax · (1 − exp(−Qt / tolueneScaleMlPerH)) · max(0, 1 + precursorSlopePerMlPerH · (Qp − QpRef))
 *                 defaults: 35 % at 1000/60, 60 % at 5000/60 (monotonic, saturating); ±3 % over Qp 10…60 (flat)
 *   c           = Qp / (Qp + Qt)                           precursor (= product) volume fraction, set at the Y
 *   A           = absorbanceAtReference · c / c_ref        absorbance of the cell at the 365 nm excitation
 *   PL          = QY · (1 − 10^−A)                          absorbed excitation × QY; for A ≪ 1 this is ∝ QY · c
 *   PL_rel      = PL / PL(reference 5000/60) · 2^(−t / halfLife)   (1 at the paper's optimum; optional ageing)
 * No product when either flow is zero (c = 0 or QY = 0). The cell holds a mixture of liquids made at different
 * flows: the fluidics average c and c·QY over it, so A uses the mean concentration and QY is concentration-weighted.
 */
export interface ReactorOptions {
  qyMax?: number;
  tolueneScaleMlPerH?: number;
  precursorSlopePerMlPerH?: number;
  referencePrecursorMlPerH?: number;
  referenceAntisolventMlPerH?: number;
  /** Set ≪ 1 (e.g. 1e-6) for the purely linear PL ∝ QY · c model. */
  absorbanceAtReference?: number;
  /** Product/lamp ageing: PL halves every halfLifeH hours of virtual time (Infinity = none). */
  halfLifeH?: number;
}

export const REACTOR_DEFAULTS: Required<ReactorOptions> = {
  qyMax: 0.6085,
  tolueneScaleMlPerH: 1170,
  precursorSlopePerMlPerH: 0.0006,
  referencePrecursorMlPerH: 60,
  referenceAntisolventMlPerH: 5000,
  absorbanceAtReference: 0.3,
  halfLifeH: Infinity,
};

export class Reactor {
  readonly options: Required<ReactorOptions>;
  private readonly referenceFraction: number;
  private readonly referencePl: number;

  constructor(o: ReactorOptions = {}) {
    this.options = { ...REACTOR_DEFAULTS, ...o };
    const r = this.options;
    if (!(r.referencePrecursorMlPerH > 0 && r.referenceAntisolventMlPerH > 0)) throw new RangeError("reference flows must be > 0 mL/h");
    this.referenceFraction = this.precursorFraction(r.referencePrecursorMlPerH, r.referenceAntisolventMlPerH);
    this.referencePl = this.quantumYield(r.referencePrecursorMlPerH, r.referenceAntisolventMlPerH) * this.absorbed(this.referenceFraction);
  }

  /** Photoluminescence quantum yield (0..1) of product made at these flows. */
  quantumYield(precursorMlPerH: number, antisolventMlPerH: number): number {
    const r = this.options;
    if (!(precursorMlPerH > 0 && antisolventMlPerH > 0)) return 0;
    const mixing = 1 - Math.exp(-antisolventMlPerH / r.tolueneScaleMlPerH);
    const precursorEffect = Math.max(0, 1 + r.precursorSlopePerMlPerH * (precursorMlPerH - r.referencePrecursorMlPerH));
    return r.qyMax * mixing * precursorEffect;
  }

  precursorFraction(precursorMlPerH: number, antisolventMlPerH: number): number {
    const total = precursorMlPerH + antisolventMlPerH;
    return precursorMlPerH > 0 && total > 0 ? precursorMlPerH / total : 0;
  }

  absorbance(precursorFraction: number): number {
    return this.options.absorbanceAtReference * precursorFraction / this.referenceFraction;
  }

  /** For the fluidics: c · QY of liquid made at these junction flows (µL/h in, as the fluidics bins them). */
  readonly tracer: Tracer = (precursorUlPerH, antisolventUlPerH) => {
    const qp = precursorUlPerH / 1000;
    const qt = antisolventUlPerH / 1000;
    return this.precursorFraction(qp, qt) * this.quantumYield(qp, qt);
  };

  /** Relative PL (1 = steady reference) of the cell's contents; the tracer must be this reactor's `tracer`. */
  plFromCell(cell: Pick<CellState, "precursorFraction" | "tracer">, timeUs: number): number {
    const c = cell.precursorFraction;
    if (!(c > 0) || !(cell.tracer > 0)) return 0;
    const meanQy = cell.tracer / c;
    return (meanQy * this.absorbed(c) / this.referencePl) * this.ageing(timeUs);
  }

  /** Relative PL at steady state for constant flows (no transport, no ageing). */
  steadyPl(precursorMlPerH: number, antisolventMlPerH: number): number {
    const c = this.precursorFraction(precursorMlPerH, antisolventMlPerH);
    return this.quantumYield(precursorMlPerH, antisolventMlPerH) * this.absorbed(c) / this.referencePl;
  }

  private absorbed(precursorFraction: number): number {
    return 1 - Math.pow(10, -this.absorbance(precursorFraction));
  }

  private ageing(timeUs: number): number {
    const h = this.options.halfLifeH;
    return Number.isFinite(h) ? Math.pow(2, -(timeUs / 3.6e9) / h) : 1;
  }
}
