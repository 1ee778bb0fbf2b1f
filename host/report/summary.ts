// Per-step PL statistics after the settling window over the recipe's StepInfo: summary.csv text and an aligned terminal table.
import type { StepInfo } from "../recipes/expand.ts";
import { csvField, csvNumber } from "./csv.ts";

/** A sample for the statistics: time from the run's start, PL, flag names. */
export interface StepSample { timeS: number; pl: number; flags: readonly string[] }

export interface SummaryRow extends StepInfo {
  step: number;
  /** Mean and sample standard deviation (n − 1) of PL; undefined when n = 0 (SD also when n = 1). */
  plMean: number | undefined;
  plSd: number | undefined;
  n: number;
  /** Samples inside the settling window. */
  nSettling: number;
  /** Samples after settling dropped for being flagged ramping or saturated. */
  nDropped: number;
}

/** Flags that make a sample unusable for the statistics. */
export const DROP_FLAGS: readonly string[] = ["ramping", "saturated"];

/**
 * The stats rule: a sample belongs to a step when startS ≤ t < endS; those with t < startS + settleS are settling
 * and not counted; of the rest, samples flagged ramping or saturated are dropped; PL mean, SD (n − 1) and n
 * are over what remains.
 */
export function summarizeSteps(steps: readonly StepInfo[], samples: readonly StepSample[]): SummaryRow[] {
  return steps.map((s, i) => {
    const values: number[] = [];
    let nSettling = 0;
    let nDropped = 0;
    for (const x of samples) {
      if (!(x.timeS >= s.startS && x.timeS < s.endS)) continue;
      if (x.timeS < s.startS + s.settleS) nSettling++;
      else if (x.flags.some((f) => DROP_FLAGS.includes(f))) nDropped++;
      else values.push(x.pl);
    }
    const n = values.length;
    const plMean = n > 0 ? values.reduce((a, v) => a + v, 0) / n : undefined;
    const plSd = n > 1 && plMean !== undefined ? Math.sqrt(values.reduce((a, v) => a + (v - plMean) ** 2, 0) / (n - 1)) : undefined;
    return { ...s, step: i + 1, plMean, plSd, n, nSettling, nDropped };
  });
}

export const SUMMARY_HEADER = "step,label,start_s,end_s,settle_s,precursor_ml_h,antisolvent_ml_h,precursor_fraction,"
  + "antisolvent_to_precursor,re,residence_time_s,pl_mean,pl_sd,n,n_settling,n_dropped,re_assumptions";

/** A number or an empty cell: null (no forward flow, no precursor) is never written as NaN or Infinity. */
const cell = (value: number | null, decimals: number) => csvNumber(value ?? undefined, decimals);

/** summary.csv text; PL in the samples' unit (millionths of full scale). */
export function summaryCsv(rows: readonly SummaryRow[]): string {
  const lines = rows.map((r) => [
    String(r.step), csvField(r.label), csvNumber(r.startS, 3), csvNumber(r.endS, 3), csvNumber(r.settleS, 3),
    csvNumber(r.precursorMlPerH, 3), csvNumber(r.antisolventMlPerH, 3), cell(r.precursorFraction, 4),
    cell(r.antisolventToPrecursor, 3), cell(r.reynolds, 1), cell(r.residenceTimeS, 3), csvNumber(r.plMean, 1), csvNumber(r.plSd, 1),
    String(r.n), String(r.nSettling), String(r.nDropped), csvField(r.assumptions),
  ].join(","));
  return [SUMMARY_HEADER, ...lines].join("\n") + "\n";
}

/** Aligned columns for the terminal (numbers right-aligned), then the Re assumptions. */
export function formatSummaryTable(rows: readonly SummaryRow[]): string {
  const dash = (v: string) => (v === "" ? "—" : v);
  const header = ["#", "step", "time s", "settle s", "precursor mL/h", "antisolvent mL/h", "Qt/Qp", "Re", "τ s", "PL mean", "PL SD", "n", "dropped"];
  const body = rows.map((r) => [
    String(r.step), r.label, `${csvNumber(r.startS, 1)}–${csvNumber(r.endS, 1)}`, csvNumber(r.settleS, 1),
    csvNumber(r.precursorMlPerH, 3), csvNumber(r.antisolventMlPerH, 3), dash(cell(r.antisolventToPrecursor, 1)), dash(cell(r.reynolds, 0)),
    dash(cell(r.residenceTimeS, 2)), dash(csvNumber(r.plMean, 0)), dash(csvNumber(r.plSd, 0)), String(r.n), String(r.nDropped),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const left = new Set([1]);
  const fmt = (cells: string[]) => cells.map((v, c) => (left.has(c) ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ").trimEnd();
  const lines = [fmt(header), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(fmt)];
  const flowing = rows.filter((r) => r.reynolds !== null);
  const assumptions = [...new Set(flowing.map((r) => r.assumptions.replace(/, total flow .*$/, ", total flow")))];
  lines.push(`PL in millionths of full scale, mean ± SD (n − 1) after settling; ramping/saturated samples dropped.`);
  lines.push(flowing.length > 0 ? `Re for ${assumptions.join("; ")}.` : "No step has forward flow: no Re or τ.");
  return lines.join("\n") + "\n";
}
