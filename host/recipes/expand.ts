// Expands a recipe into the board's program segments (µL/h, ms) and per-step facts: flows, mixing, Re, residence time, settle, timing.
import type { Segment } from "../client/programs.ts";
import { DEFAULT_TEMPERATURE_C, DEFAULT_TUBE_INNER_DIAMETER_MM, flowReport, residenceTimeS } from "../domain/flow-physics.ts";
import type { Recipe, Step, Sweep, Tube } from "./recipe.ts";

/** Settle rule for "auto": ramp + max(SETTLE_MIN_S, SETTLE_TAU_FACTOR × τ), rounded up to 0.1 s (recipes/README.md). */
export const SETTLE_TAU_FACTOR = 3;
export const SETTLE_MIN_S = 5;

/** One step of one pass through `steps`, with the JSON path each value came from (for error messages). */
export interface PlannedStep {
  label: string;
  precursorMlPerH: number;
  antisolventMlPerH: number;
  durationS: number;
  rampS: number;
  settleS: number | "auto";
  at: { entry: string; precursorMlPerH: string; antisolventMlPerH: string; durationS: string; rampS: string; settleS: string };
}

export const isSweep = (entry: Step | Sweep): entry is Sweep => "sweep" in entry;

/** The recipe's entries with sweeps expanded, once (repeat not applied). */
export function planSteps(recipe: Recipe): PlannedStep[] {
  const out: PlannedStep[] = [];
  recipe.steps.forEach((entry, i) => {
    const entryPath = `steps[${i}]`;
    const common = {
      durationS: entry.durationS, rampS: entry.rampS ?? 0, settleS: entry.settleS ?? "auto",
    } as const;
    const paths = { entry: entryPath, durationS: `${entryPath}.durationS`, rampS: `${entryPath}.rampS`, settleS: `${entryPath}.settleS` };
    if (!isSweep(entry)) {
      out.push({
        label: entry.label ?? `step ${out.length + 1}`, precursorMlPerH: entry.precursorMlPerH, antisolventMlPerH: entry.antisolventMlPerH,
        ...common, at: { ...paths, precursorMlPerH: `${entryPath}.precursorMlPerH`, antisolventMlPerH: `${entryPath}.antisolventMlPerH` },
      });
      return;
    }
    const other = entry.sweep === "antisolventMlPerH" ? "precursorMlPerH" : "antisolventMlPerH";
    const prefix = entry.label ?? (entry.sweep === "antisolventMlPerH" ? "antisolvent" : "precursor");
    entry.values.forEach((value, k) => {
      const flows = { [entry.sweep]: value, [other]: entry.fixed[other] ?? 0 } as Record<typeof other, number>;
      out.push({
        label: `${prefix} ${value} mL/h`, precursorMlPerH: flows.precursorMlPerH, antisolventMlPerH: flows.antisolventMlPerH, ...common,
        at: { ...paths, [entry.sweep]: `${entryPath}.values[${k}]`, [other]: `${entryPath}.fixed.${other}` } as PlannedStep["at"],
      });
    });
  });
  return out;
}

/** What the flows of one step mean in the recipe's tube: computed once here, read by the report as they are. */
export interface StepFlow {
  totalMlPerH: number;
  /** Precursor volume fraction Qp / (Qp + Qt); null without forward flow (nothing mixes). */
  precursorFraction: number | null;
  /** Antisolvent : precursor flow ratio Qt / Qp; null without forward flow or without precursor. */
  antisolventToPrecursor: number | null;
  /** Reynolds number of the total flow (DMF + toluene); null without forward flow. */
  reynolds: number | null;
  laminar: boolean | null;
  /** Mean residence time τ from the Y to the flow cell; the laminar centreline arrives first, at τ/2. null without forward flow. */
  residenceTimeS: number | null;
  firstArrivalS: number | null;
  /** Tube ID, temperature, which flow and tube length Re and τ were computed for (or why there are none). */
  assumptions: string;
}

/** Flow facts of one operating point in the recipe's tube; null where nothing flows forward past the Y (never NaN or Infinity). */
export function flowFacts(tube: Tube, precursorMlPerH: number, antisolventMlPerH: number): StepFlow {
  const innerDiameterMm = tube.innerDiameterMm ?? DEFAULT_TUBE_INNER_DIAMETER_MM;
  const temperatureC = tube.temperatureC ?? DEFAULT_TEMPERATURE_C;
  const totalMlPerH = precursorMlPerH + antisolventMlPerH;
  if (precursorMlPerH < 0 || antisolventMlPerH < 0 || !(totalMlPerH > 0)) {
    return { totalMlPerH, precursorFraction: null, antisolventToPrecursor: null, reynolds: null, laminar: null, residenceTimeS: null,
      firstArrivalS: null, assumptions: `no forward flow past the Y (${precursorMlPerH} + ${antisolventMlPerH} mL/h): nothing is transported` };
  }
  const report = flowReport({ precursorMlPerH, antisolventMlPerH, innerDiameterMm, temperatureC });
  const tauS = residenceTimeS({ innerDiameterMm, lengthMm: tube.lengthMm, flowMlPerH: totalMlPerH });
  return {
    totalMlPerH, precursorFraction: report.precursorVolumeFraction,
    antisolventToPrecursor: precursorMlPerH > 0 ? antisolventMlPerH / precursorMlPerH : null,
    reynolds: report.reynolds, laminar: report.laminar, residenceTimeS: tauS, firstArrivalS: tauS / 2,
    assumptions: `${report.assumptions}; tube ${tube.lengthMm} mm Y to flow cell`,
  };
}

/** Settle time in s and how it was found: the given number, or "auto" = ramp + max(5 s, 3 τ), rounded up to 0.1 s. */
export function settleTime(step: PlannedStep, residenceTime: number | null): { settleS: number; rule: string } {
  if (step.settleS !== "auto") return { settleS: step.settleS, rule: "given" };
  const transportS = residenceTime === null ? SETTLE_MIN_S : Math.max(SETTLE_MIN_S, SETTLE_TAU_FACTOR * residenceTime);
  const settleS = Math.ceil((step.rampS + transportS) * 10 - 1e-9) / 10;
  const tau = residenceTime === null ? "no forward flow" : `${SETTLE_TAU_FACTOR} × τ ${residenceTime.toFixed(2)} s`;
  return { settleS, rule: `auto: ramp ${step.rampS} s + max(${SETTLE_MIN_S} s, ${tau})` };
}

/** One program segment as the chemist sees it (the recipe's steps and the run's summary rows are these). Times in s from the start of the run. */
export interface StepInfo extends StepFlow {
  /** 0-based position in the program; tag = index + 1. */
  index: number;
  tag: number;
  /** 1-based pass through `steps` (repeat). */
  repetition: number;
  label: string;
  /** JSON path of the recipe entry it came from, e.g. "steps[1]". */
  source: string;
  precursorMlPerH: number;
  antisolventMlPerH: number;
  durationS: number;
  rampS: number;
  /** Samples before startS + settleS are the settling window (transport delay, ramp) and are not counted. */
  settleS: number;
  settleRule: string;
  startS: number;
  /** When the step's samples start counting (startS + settleS). */
  sampleFromS: number;
  endS: number;
}

/** mL/h → µL/h and s → ms, exact for whole µL/h and whole ms (validateRecipe refuses anything finer). */
export const toUlPerH = (mlPerH: number) => Math.round(mlPerH * 1000);
export const toMs = (s: number) => Math.round(s * 1000);

/** The board program (one segment per step, tag = index + 1) and what each step is, in run order. */
export function expandRecipe(recipe: Recipe): { segments: Segment[]; steps: StepInfo[] } {
  const planned = planSteps(recipe);
  const segments: Segment[] = [];
  const steps: StepInfo[] = [];
  let startMs = 0;
  for (let repetition = 1; repetition <= (recipe.repeat ?? 1); repetition++) {
    for (const step of planned) {
      const index = segments.length;
      const durationMs = toMs(step.durationS);
      const rampMs = toMs(step.rampS);
      segments.push({ durationMs, rateA: toUlPerH(step.precursorMlPerH), rateB: toUlPerH(step.antisolventMlPerH), rampMs, tag: index + 1 });
      const facts = flowFacts(recipe.tube, step.precursorMlPerH, step.antisolventMlPerH);
      const settle = settleTime(step, facts.residenceTimeS);
      steps.push({
        index, tag: index + 1, repetition, label: step.label, source: step.at.entry,
        precursorMlPerH: step.precursorMlPerH, antisolventMlPerH: step.antisolventMlPerH, ...facts,
        durationS: durationMs / 1000, rampS: rampMs / 1000, settleS: settle.settleS, settleRule: settle.rule,
        startS: startMs / 1000, sampleFromS: (startMs + toMs(settle.settleS)) / 1000, endS: (startMs + durationMs) / 1000,
      });
      startMs += durationMs;
    }
  }
  return { segments, steps };
}
