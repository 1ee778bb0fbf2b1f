// A run cut by a board restart (power cut, reset): pull what the board had spilled to flash before it, close the folder
// as "interrupted" with what was kept, write the remaining steps as a recipe, and say how to go on.
import type { Recipe, Step } from "../recipes/recipe.ts";
import { planSteps, type StepInfo } from "../recipes/expand.ts";
import { recipeErrors } from "../recipes/validate.ts";
import type { SummaryRow } from "../report/summary.ts";
import type { Connection } from "./connection.ts";
import { nextSeqOf, pullRange } from "./pull-samples.ts";
import type { SampleSink } from "./sample-sink.ts";

/** The recipe file written into an interrupted run's folder: the step that was cut and every one after it. */
export const REMAINING_RECIPE = "remaining-steps.json";

/** What run.json records of the restart. */
export interface Interruption {
  bootCountBefore: number;
  bootCountAfter: number;
  detectedIso: string;
  /** Samples pulled after the restart from the spill files the board kept of the run's boot. */
  recoveredSamples: number;
  /** Why nothing (or not everything) could be recovered, if so. */
  recoveryNote: string | null;
  /** The last sample kept: seq, and seconds from the run's start. */
  lastSeq: number | null;
  lastSampleS: number | null;
  /** 1-based number of the step the last kept sample belongs to (the step that was cut), and how far into it. */
  cutStep: number | null;
  cutStepLabel: string | null;
  cutIntoStepS: number | null;
  /** The recipe of the remaining steps in the folder (REMAINING_RECIPE), if any step remained. */
  remainingRecipe: string | null;
}

export interface InterruptedResult { rows: SummaryRow[]; files: string[]; interruption: Interruption; message: string }

export interface CloseOptions {
  conn: Connection;
  run: SampleSink;
  recipe: Recipe;
  steps: readonly StepInfo[];
  /** The boot count the run was started under (run.json) and the board's now. */
  bootCountBefore: number;
  bootCountAfter: number;
  /** The port, for the commands the message suggests. */
  port: string;
  /** The recipe file the run came from, if known (for "a new run"). */
  recipeFile?: string;
}

/** The recipe of steps `from` (0-based, expanded: sweeps and repeats unrolled) to the end, as plain steps. */
export function remainingRecipe(recipe: Recipe, steps: readonly StepInfo[], from: number, why: string): Recipe {
  const planned = planSteps(recipe);
  const rest: Step[] = steps.slice(from).map((s) => {
    const p = planned[s.index % planned.length];
    return { label: s.label, precursorMlPerH: p.precursorMlPerH, antisolventMlPerH: p.antisolventMlPerH, durationS: p.durationS, rampS: p.rampS, settleS: p.settleS };
  });
  const { repeat: _repeat, $schema: _schema, ...rest0 } = recipe;
  return { ...rest0, description: `Steps ${from + 1}-${steps.length} of ${recipe.name}: ${why}. ${recipe.description}`, steps: rest };
}

const boots = (a: number, b: number) => `boot count ${a} → ${b}`;

/**
 * Pulls the samples the board kept of the run's boot (only the boot right before this one survives a restart), then
 * writes summary and plots from the folder's samples and marks run.json "interrupted" with what happened.
 */
export async function closeInterrupted(o: CloseOptions): Promise<InterruptedResult> {
  const { conn, run, steps } = o;
  const status = await conn.link.request("getStatus", {});
  const from = nextSeqOf(run);
  let recovered = 0;
  let note: string | null = null;
  if (((o.bootCountBefore + 1) & 0xffff) !== (o.bootCountAfter & 0xffff)) {
    note = `the board restarted more than once since the run (${boots(o.bootCountBefore, o.bootCountAfter)}); ` +
      `only the boot right before the present one keeps its spill files, so none of the run's unpulled samples are left`;
  } else if (from !== undefined && from < status.bootFirstSeq) {
    try {
      await pullRange(conn, run, from, status.bootFirstSeq, steps);
    } catch (e) {
      note = (e as Error).message;
    }
    recovered = (nextSeqOf(run) ?? from) - from;
  }
  const startS = run.meta.runStartBoardS;
  const lastMs = run.lastBoardMs;
  const lastSampleS = lastMs !== undefined && typeof startS === "number" ? lastMs / 1000 - startS : null;
  const inStep = lastSampleS === null ? 0 : steps.findIndex((s) => lastSampleS < s.endS);
  const cutIndex = inStep < 0 ? steps.length - 1 : inStep; // the step the last kept sample belongs to is run again whole
  const rest = remainingRecipe(o.recipe, steps, cutIndex, `left when the run in ${run.name} was interrupted by a board restart`);
  // Remaining steps that do not make a valid recipe on their own (never expected) are not offered: a new run it is.
  const remaining = recipeErrors(rest, REMAINING_RECIPE).length === 0 ? REMAINING_RECIPE : null;
  const remainingPath = remaining === null ? null : run.keep(remaining, `${JSON.stringify(rest, null, 2)}\n`);
  const cutStep = steps[cutIndex];
  const interruption: Interruption = {
    bootCountBefore: o.bootCountBefore, bootCountAfter: o.bootCountAfter, detectedIso: new Date().toISOString(),
    recoveredSamples: recovered, recoveryNote: note, lastSeq: run.lastSeq ?? null, lastSampleS,
    cutStep: lastSampleS === null ? null : cutIndex + 1, cutStepLabel: lastSampleS === null ? null : cutStep?.label ?? null,
    cutIntoStepS: lastSampleS === null || cutStep === undefined ? null : Math.round((lastSampleS - cutStep.startS) * 10) / 10,
    remainingRecipe: remaining,
  };
  run.update({ interruption });
  const { rows, files } = run.finish({ steps, endIso: new Date().toISOString(), status: "interrupted" });
  const kept = run.lastSeq === undefined ? "no samples" : `${run.lastSeq - (run.meta.firstSeq as number) + 1} samples`;
  const where = interruption.cutStep === null ? "before its first sample"
    : `in step ${interruption.cutStep}/${steps.length} "${interruption.cutStepLabel}", ${interruption.cutIntoStepS} s of ${cutStep.durationS} s`;
  const lines = [
    `the board restarted mid-run (${boots(o.bootCountBefore, o.bootCountAfter)}: a power cut or a reset); the program stopped with it ${where}.`,
    recovered > 0 ? `recovered ${recovered} samples it had spilled to flash before the restart; what it held only in RAM is lost.`
      : note !== null ? `nothing recovered: ${note}.` : "it had spilled nothing to flash that the folder lacked; what it held only in RAM is lost.",
    `${run.name} is closed as interrupted with ${kept}: summary.csv and the plots are written from them.`,
    "to continue, reload and prime the syringes (the recipe's loadedMl), then:",
    ...(remainingPath === null ? [] : [`  flowrig run ${remainingPath} --port ${o.port}    re-runs steps ${cutIndex + 1}-${steps.length} into a new folder`]),
    `  flowrig run ${o.recipeFile ?? "RECIPE"} --port ${o.port}    starts the whole recipe again`,
  ];
  return { rows, files, interruption, message: lines.join("\n") };
}
