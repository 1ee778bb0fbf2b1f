// Per-step PL statistics after the settling window: summary.csv and an aligned terminal table.
import { writeFileSync } from "node:fs";
import { DEFAULT_TEMPERATURE_C, DEFAULT_TUBE_INNER_DIAMETER_MM, flowReport, residenceTimeS } from "../domain/flow-physics.ts";
import { csvField, csvNumber } from "./csv.ts";

/** One step of a run, times in s from the run's start. */
export interface StepInfo {
  label: string;
  startS: number;
  endS: number;
  /** Samples before startS + settleS are the settling window (transport delay, ramp) and are not counted. */
  settleS: number;
  precursorMlPerH: number;
  antisolventMlPerH: number;
  /** Antisolvent : precursor flow ratio (Infinity without precursor). */
  ratio: number;
  reynolds: number;
  /** Y-junction to flow cell, s. */
  residenceTimeS: number;
  /** Tube ID, temperature, which flow: what Re was computed for. */
  reynoldsAssumptions: string;
}

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

/** A StepInfo with ratio, Re (total flow, DMF + toluene) and residence time filled in from flow-physics. */
export function describeStep(o: {
  label: string; startS: number; endS: number; settleS: number; precursorMlPerH: number; antisolventMlPerH: number;
  innerDiameterMm?: number; lengthMm?: number; temperatureC?: number;
}): StepInfo {
  const innerDiameterMm = o.innerDiameterMm ?? DEFAULT_TUBE_INNER_DIAMETER_MM;
  const total = o.precursorMlPerH + o.antisolventMlPerH;
  const ratio = o.precursorMlPerH > 0 ? o.antisolventMlPerH / o.precursorMlPerH : Infinity;
  const base = { label: o.label, startS: o.startS, endS: o.endS, settleS: o.settleS, precursorMlPerH: o.precursorMlPerH, antisolventMlPerH: o.antisolventMlPerH, ratio };
  if (!(total > 0)) return { ...base, reynolds: 0, residenceTimeS: Infinity, reynoldsAssumptions: "no flow" };
  const flow = flowReport({ precursorMlPerH: o.precursorMlPerH, antisolventMlPerH: o.antisolventMlPerH, innerDiameterMm, temperatureC: o.temperatureC ?? DEFAULT_TEMPERATURE_C });
  return {
    ...base,
    reynolds: flow.reynolds,
    residenceTimeS: residenceTimeS({ innerDiameterMm, lengthMm: o.lengthMm ?? 1000, flowMlPerH: total }),
    reynoldsAssumptions: flow.assumptions,
  };
}

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

export const SUMMARY_HEADER = "step,label,start_s,end_s,settle_s,precursor_ml_h,antisolvent_ml_h,ratio_antisolvent_to_precursor,"
  + "re,residence_time_s,pl_mean,pl_sd,n,n_settling,n_dropped,re_assumptions";

/** summary.csv text; PL in the samples' unit (millionths of full scale). */
export function summaryCsv(rows: readonly SummaryRow[]): string {
  const lines = rows.map((r) => [
    String(r.step), csvField(r.label), csvNumber(r.startS, 3), csvNumber(r.endS, 3), csvNumber(r.settleS, 3),
    csvNumber(r.precursorMlPerH, 3), csvNumber(r.antisolventMlPerH, 3), csvNumber(r.ratio, 3), csvNumber(r.reynolds, 1),
    csvNumber(r.residenceTimeS, 3), csvNumber(r.plMean, 1), csvNumber(r.plSd, 1), String(r.n), String(r.nSettling),
    String(r.nDropped), csvField(r.reynoldsAssumptions),
  ].join(","));
  return [SUMMARY_HEADER, ...lines].join("\n") + "\n";
}

export function writeSummaryCsv(file: string, rows: readonly SummaryRow[]): void {
  writeFileSync(file, summaryCsv(rows));
}

/** Aligned columns for the terminal (numbers right-aligned), then the Re assumptions. */
export function formatSummaryTable(rows: readonly SummaryRow[]): string {
  const dash = (v: string) => (v === "" ? "—" : v);
  const header = ["#", "step", "time s", "settle s", "precursor mL/h", "antisolvent mL/h", "ratio", "Re", "τ s", "PL mean", "PL SD", "n", "dropped"];
  const body = rows.map((r) => [
    String(r.step), r.label, `${csvNumber(r.startS, 1)}–${csvNumber(r.endS, 1)}`, csvNumber(r.settleS, 1),
    csvNumber(r.precursorMlPerH, 3), csvNumber(r.antisolventMlPerH, 3), dash(csvNumber(r.ratio, 1)), csvNumber(r.reynolds, 0),
    dash(csvNumber(r.residenceTimeS, 2)), dash(csvNumber(r.plMean, 0)), dash(csvNumber(r.plSd, 0)), String(r.n), String(r.nDropped),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const left = new Set([1]);
  const fmt = (cells: string[]) => cells.map((v, c) => (left.has(c) ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ").trimEnd();
  const lines = [fmt(header), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(fmt)];
  const assumptions = [...new Set(rows.map((r) => r.reynoldsAssumptions.replace(/, total flow .*$/, ", total flow")))];
  lines.push(`PL in millionths of full scale, mean ± SD (n − 1) after settling; ramping/saturated samples dropped.`);
  lines.push(`Re for ${assumptions.join("; ")}.`);
  return lines.join("\n") + "\n";
}
