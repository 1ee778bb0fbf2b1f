// Synthetic runs for the report tests: a toluene sweep and a precursor sweep, sampled at 1 Hz with seeded noise.
import { seededRandom } from "../../helpers/random.ts";
import { expandRecipe, type StepInfo } from "../../../host/recipes/expand.ts";
import type { Recipe, Step } from "../../../host/recipes/recipe.ts";
import type { StepSample } from "../../../host/report/summary.ts";

export interface SyntheticRun { steps: StepInfo[]; samples: StepSample[] }

/** The recipe's StepInfo for these steps (1/16" tube, `lengthMm` from the Y to the cell), as `run` hands them to the report. */
export function recipeSteps(steps: Step[], lengthMm = 1000): StepInfo[] {
  const recipe: Recipe = {
    name: "synthetic", description: "report tests",
    pumps: { precursor: { syringe: "BD 60 mL", loadedMl: 60 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 60 } },
    tube: { lengthMm }, steps,
  };
  return expandRecipe(recipe).steps;
}

/** Steps of `stepS` seconds (settle 30 s); the first 3 s of each step are flagged ramping; PL rises with the flow. */
export function syntheticRun(flows: Array<[number, number]>, o: { stepS?: number; seed?: number } = {}): SyntheticRun {
  const stepS = o.stepS ?? 120;
  const random = seededRandom(o.seed ?? 7);
  const steps = recipeSteps(flows.map(([precursor, antisolvent]) => ({
    label: `P${precursor} T${antisolvent}`, durationS: stepS, settleS: 30, precursorMlPerH: precursor, antisolventMlPerH: antisolvent,
  })), 500);
  const samples: StepSample[] = [];
  steps.forEach((s) => {
    const level = 200000 + 50 * s.antisolventMlPerH + 100 * s.precursorMlPerH;
    for (let t = s.startS; t < s.endS; t++) {
      samples.push({ timeS: t, pl: Math.round(level + (random() - 0.5) * 8000), flags: t - s.startS < 3 ? ["ramping"] : [] });
    }
  });
  return { steps, samples };
}

export const TOLUENE_SWEEP: Array<[number, number]> = [[60, 1000], [60, 2000], [60, 3000], [60, 4000], [60, 5000]];
export const PRECURSOR_SWEEP: Array<[number, number]> = [[10, 5000], [20, 5000], [30, 5000], [40, 5000], [50, 5000], [60, 5000]];
