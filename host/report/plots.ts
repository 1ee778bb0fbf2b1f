// Writes a run's SVG plots: pl-time.svg always, pl-vs-antisolvent.svg / pl-vs-precursor.svg when that flow was swept.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderSweep } from "./plot-sweep.ts";
import { renderPlTime } from "./plot-time.ts";
import type { StepSample, SummaryRow } from "./summary.ts";

export { renderPlTime, timeUnit } from "./plot-time.ts";
export { renderSweep, sweepsOf, type SweptFlow, type SweepSeries } from "./plot-sweep.ts";

/** Renders and writes the plots into `dir`; returns the file names written (deterministic for the same input). */
export function writePlots(dir: string, rows: readonly SummaryRow[], samples: readonly StepSample[], runName: string): string[] {
  const files: Array<[string, string | undefined]> = [
    ["pl-time.svg", renderPlTime(rows, samples, `${runName}: PL over time`)],
    ["pl-vs-antisolvent.svg", renderSweep(rows, "antisolvent", `${runName}: PL vs antisolvent flow`)],
    ["pl-vs-precursor.svg", renderSweep(rows, "precursor", `${runName}: PL vs precursor flow`)],
  ];
  const written: string[] = [];
  for (const [name, svg] of files) {
    if (svg === undefined) { rmSync(join(dir, name), { force: true }); continue; } // no stale plot from an earlier finish
    writeFileSync(join(dir, name), svg);
    written.push(name);
  }
  return written;
}
