// Per-step statistics: the settling window and flagged samples are left out; summary.csv and the terminal table.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SUMMARY_HEADER, formatSummaryTable, summarizeSteps, summaryCsv } from "../../../host/report/summary.ts";
import { TOLUENE_SWEEP, recipeSteps, syntheticRun } from "./_fixtures.ts";

/** A 100 s step at 60 + 5000 mL/h after a first one of 100 s, settle 20 s, 1 m of 1/16" tube. */
const step = recipeSteps([
  { precursorMlPerH: 60, antisolventMlPerH: 5000, durationS: 100 },
  { label: "tol 5000", precursorMlPerH: 60, antisolventMlPerH: 5000, durationS: 100, settleS: 20 },
])[1];

test("the report's step is the recipe's: both ratios named, Re (rig.md: 1659 at 5000+60 mL/h) and τ in its tube", () => {
  assert.equal([step.startS, step.endS, step.settleS], [100, 200, 20]);
  assert.ok(Math.abs(step.reynolds! - 1659) < 0.6, String(step.reynolds));
  assert.ok(Math.abs(step.residenceTimeS! - 1.41) < 0.01);
  assert.ok(Math.abs(step.antisolventToPrecursor! - 5000 / 60) < 1e-9);
  assert.ok(Math.abs(step.precursorFraction! - 60 / 5060) < 1e-12);
  assert.match(step.assumptions, /ID 1\.5875 mm, 20 °C, total flow 5060 mL\/h/);
});

test("stats: settling samples not counted, ramping/saturated dropped, mean/SD(n−1)/n over the rest", () => {
  const samples = [
    { timeS: 99, pl: 9e6, flags: [] },                 // before the step
    { timeS: 100, pl: 5, flags: ["ramping"] },          // settling
    { timeS: 119.9, pl: 7, flags: [] },                 // settling
    { timeS: 120, pl: 10, flags: [] },
    { timeS: 150, pl: 14, flags: ["unsynced"] },        // kept: unsynced is not a drop flag
    { timeS: 160, pl: 999, flags: ["saturated"] },
    { timeS: 170, pl: 998, flags: ["ramping", "manual"] },
    { timeS: 199.5, pl: 12, flags: [] },
    { timeS: 200, pl: 1e6, flags: [] },                 // next step
  ];
  const [row] = summarizeSteps([step], samples);
  assert.is(row.n, 3);
  assert.is(row.nSettling, 2);
  assert.is(row.nDropped, 2);
  assert.is(row.plMean, 12);
  assert.is(row.plSd, 2);
  const [empty] = summarizeSteps([step], samples.slice(0, 3));
  assert.is(empty.n, 0);
  assert.is(empty.plMean, undefined);
  assert.is(empty.plSd, undefined);
});

test("summary.csv: one row per step, Re assumptions in a column, empty cells for no data", () => {
  const run = syntheticRun(TOLUENE_SWEEP);
  const rows = summarizeSteps(run.steps, run.samples);
  const lines = summaryCsv(rows).trimEnd().split("\n");
  assert.is(lines[0], SUMMARY_HEADER);
  assert.is(lines.length, 6);
  assert.match(lines[1], /^1,P60 T1000,0,120,30,60,1000,0\.0566,16\.667,341\.9,/);
  assert.match(lines[5], /,90,30,0,"ID 1\.5875 mm, 20 °C, total flow 5060 mL\/h \(both streams after the Y\); tube 500 mm Y to flow cell"$/);
  assert.ok(rows.every((r) => r.n === 90 && r.nSettling === 30 && r.nDropped === 0));
  assert.match(summaryCsv(summarizeSteps([step], [])), /\n1,tol 5000,100,200,20,60,5000,0\.0119,83\.333,1658\.5,1\.408,,,0,0,0,/);
});

test("no forward flow, or no precursor: empty cells and JSON nulls, never NaN or Infinity", () => {
  const steps = recipeSteps([
    { label: "rest", precursorMlPerH: 0, antisolventMlPerH: 0, durationS: 60, settleS: 5 },
    { label: "toluene only", precursorMlPerH: 0, antisolventMlPerH: 1000, durationS: 60, settleS: 5 },
  ]);
  assert.equal([steps[0].precursorFraction, steps[0].antisolventToPrecursor, steps[0].reynolds, steps[0].residenceTimeS], [null, null, null, null]);
  assert.is(steps[1].precursorFraction, 0);
  assert.is(steps[1].antisolventToPrecursor, null);
  assert.ok(steps[1].reynolds! > 0);
  const rows = summarizeSteps(steps, []);
  const csv = summaryCsv(rows);
  assert.not.match(csv, /NaN|Infinity/);
  const [rest, toluene] = csv.trimEnd().split("\n").slice(1);
  assert.match(rest, /^1,rest,0,60,5,0,0,,,,,,,0,0,0,no forward flow past the Y/);
  assert.match(toluene, /^2,toluene only,60,120,5,0,1000,0,,\d+\.\d,\d/);
  assert.not.match(JSON.stringify(rows), /NaN|Infinity/);
  assert.equal(JSON.parse(JSON.stringify(rows))[0].reynolds, null);
  assert.match(formatSummaryTable(rows), /Re for ID 1\.5875 mm, 20 °C, total flow\./);
  assert.match(formatSummaryTable(rows.slice(0, 1)), /No step has forward flow: no Re or τ\./);
});

test("the terminal table has aligned columns", () => {
  const run = syntheticRun(TOLUENE_SWEEP);
  const table = formatSummaryTable(summarizeSteps(run.steps, run.samples));
  const lines = table.trimEnd().split("\n");
  const grid = lines.slice(0, 7);
  assert.ok(grid.every((l) => l.length === grid[0].length), table);
  assert.match(lines[0], /PL mean/);
  assert.match(table, /Re for ID 1\.5875 mm, 20 °C, total flow\./);
});

test.run();
