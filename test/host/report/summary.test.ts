// Per-step statistics: the settling window and flagged samples are left out; summary.csv and the terminal table.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SUMMARY_HEADER, describeStep, formatSummaryTable, summarizeSteps, summaryCsv } from "../../../host/report/summary.ts";
import { TOLUENE_SWEEP, syntheticRun } from "./_fixtures.ts";

const step = describeStep({ label: "tol 5000", startS: 100, endS: 200, settleS: 20, precursorMlPerH: 60, antisolventMlPerH: 5000 });

test("describeStep fills ratio, Re (rig.md: 1659 at 5000+60 mL/h) and τ per metre", () => {
  assert.ok(Math.abs(step.reynolds - 1659) < 0.6, String(step.reynolds));
  assert.ok(Math.abs(step.residenceTimeS - 1.41) < 0.01);
  assert.ok(Math.abs(step.ratio - 5000 / 60) < 1e-9);
  assert.match(step.reynoldsAssumptions, /ID 1\.5875 mm, 20 °C, total flow 5060 mL\/h/);
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
  assert.match(lines[1], /^1,P60 T1000,0,120,30,60,1000,16\.667,341\.9,/);
  assert.match(lines[5], /,90,30,0,"ID 1\.5875 mm, 20 °C, total flow 5060 mL\/h \(both streams after the Y\)"$/);
  assert.ok(rows.every((r) => r.n === 90 && r.nSettling === 30 && r.nDropped === 0));
  assert.match(summaryCsv(summarizeSteps([step], [])), /\n1,tol 5000,100,200,20,60,5000,83\.333,1658\.5,1\.408,,,0,0,0,/);
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
