// Volume budget: per pump, the liquid a recipe draws (ramps included) against what is loaded; where and when a syringe runs out.
import { expandRecipe, type StepInfo } from "./expand.ts";
import { PUMP_ROLES, resolvePumps, type PumpRole } from "./pumps.ts";
import type { Recipe } from "./recipe.ts";

/** Where the syringe first runs dry (or overfills while withdrawing). */
export interface Shortfall {
  /** 0-based step index and its tag (step number shown to the chemist). */
  index: number;
  tag: number;
  label: string;
  /** The pump's flow in that step, mL/h. */
  flowMlPerH: number;
  /** Run time at which it happens, s. */
  atS: number;
  /** How much more liquid (or room) the whole run needs than there is, mL. */
  shortMl: number;
}

export interface PumpBudget {
  pump: PumpRole;
  /** Largest net volume drawn from the syringe at any moment of the run, mL (withdrawals give liquid back). */
  neededMl: number;
  loadedMl: number;
  /** loaded − reserve: what the pump may push out before the plunger stops. */
  usableMl: number;
  capacityMl: number;
  ok: boolean;
  runsOut?: Shortfall;
  overfills?: Shortfall;
  message: string;
}

export interface VolumeBudget { ok: boolean; pumps: Record<PumpRole, PumpBudget>; messages: string[] }

/** "43 s", "1 min 12 s", "2 h 5 min", "7 d 0 h". */
export function formatDuration(s: number): string {
  if (s < 59.95) return `${Number(s.toFixed(1))} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  if (whole < 86400) return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
  return `${Math.floor(whole / 86400)} d ${Math.floor((whole % 86400) / 3600)} h`;
}

const ml = (v: number) => `${Number(v.toFixed(1))} mL`;

/** Smallest t in [0, span] with v0 + r0·t + k·t²/2 = limit (mL, mL/s, mL/s²), or undefined. */
function reach(v0: number, r0: number, k: number, span: number, limit: number): number | undefined {
  const c = v0 - (limit + 1e-9); // crossing = going above the limit, not touching it
  if (c >= 0) return 0;
  const roots = Math.abs(k) < 1e-15 ? (r0 > 0 ? [-c / r0] : []) : (() => {
    const disc = r0 * r0 - 2 * k * c;
    return disc < 0 ? [] : [(-r0 - Math.sqrt(disc)) / k, (-r0 + Math.sqrt(disc)) / k];
  })();
  const inside = roots.filter((t) => t >= 0 && t <= span + 1e-9).sort((a, b) => a - b);
  return inside[0];
}

/**
 * Follows the volume drawn (flows in mL/h, signed) through the steps, each ramping linearly from the previous
 * step's flow (the first from rest). Returns the peak draw and where it first passes `limit`.
 */
function follow(steps: StepInfo[], flows: number[], limit: number): { peakMl: number; cross?: { i: number; atS: number } } {
  let drawn = 0;
  let previous = 0;
  let peakMl = 0;
  let cross: { i: number; atS: number } | undefined;
  steps.forEach((step, i) => {
    const r1 = flows[i] / 3600;
    const r0 = previous / 3600;
    const pieces = [
      { from: step.startS, span: step.rampS, r: r0, k: step.rampS > 0 ? (r1 - r0) / step.rampS : 0 },
      { from: step.startS + step.rampS, span: step.durationS - step.rampS, r: r1, k: 0 },
    ];
    for (const p of pieces) {
      if (cross === undefined) {
        const t = reach(drawn, p.r, p.k, p.span, limit);
        if (t !== undefined) cross = { i, atS: p.from + t };
      }
      const end = drawn + p.r * p.span + (p.k * p.span * p.span) / 2;
      const tPeak = p.k !== 0 ? -p.r / p.k : -1; // extremum inside a ramp
      const mid = tPeak > 0 && tPeak < p.span ? drawn + p.r * tPeak + (p.k * tPeak * tPeak) / 2 : drawn;
      peakMl = Math.max(peakMl, end, mid);
      drawn = end;
    }
    previous = flows[i];
  });
  return { peakMl, cross };
}

/** The budget of each pump; `loaded` overrides the recipe's loadedMl (e.g. the volumes the board reports). */
export function volumeBudget(recipe: Recipe, loaded: Partial<Record<PumpRole, number>> = {}): VolumeBudget {
  const { steps } = expandRecipe(recipe);
  const pumps = resolvePumps(recipe);
  const result = {} as Record<PumpRole, PumpBudget>;
  for (const role of PUMP_ROLES) {
    const p = pumps[role];
    const loadedMl = loaded[role] ?? p.loadedMl;
    const usableMl = Math.max(0, loadedMl - p.reserveMl);
    const flows = steps.map((s) => (role === "precursor" ? s.precursorMlPerH : s.antisolventMlPerH));
    const out = follow(steps, flows, usableMl);
    const back = follow(steps, flows.map((f) => -f), p.capacityMl - loadedMl);
    const budget: PumpBudget = { pump: role, neededMl: out.peakMl, loadedMl, usableMl, capacityMl: p.capacityMl, ok: true, message: "" };
    const shortfall = (cross: { i: number; atS: number }, shortMl: number): Shortfall => ({
      index: cross.i, tag: steps[cross.i].tag, label: steps[cross.i].label, flowMlPerH: flows[cross.i], atS: cross.atS, shortMl,
    });
    const problems: string[] = [];
    if (out.cross !== undefined && out.peakMl > usableMl + 1e-9) {
      const s = (budget.runsOut = shortfall(out.cross, out.peakMl - usableMl));
      problems.push(`${role} runs out during step ${s.tag} (${s.flowMlPerH} mL/h) at ${formatDuration(s.atS)}: ${ml(s.shortMl)} short; refill or use a larger syringe`);
    }
    if (back.cross !== undefined && back.peakMl > p.capacityMl - loadedMl + 1e-9) {
      const s = (budget.overfills = shortfall(back.cross, back.peakMl - (p.capacityMl - loadedMl)));
      problems.push(`${role} overfills during step ${s.tag} (${s.flowMlPerH} mL/h) at ${formatDuration(s.atS)}: ${ml(s.shortMl)} too much; load less or withdraw less`);
    }
    budget.ok = problems.length === 0;
    budget.message = budget.ok
      ? `${role}: needs ${ml(out.peakMl)} of ${ml(loadedMl)} loaded (${ml(usableMl)} usable, ${p.syringeLabel}): ${ml(usableMl - out.peakMl)} spare`
      : problems.join("; ");
    result[role] = budget;
  }
  return { ok: result.precursor.ok && result.antisolvent.ok, pumps: result, messages: PUMP_ROLES.map((r) => result[r].message) };
}
