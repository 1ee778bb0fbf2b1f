// The SVG plots: structure (bands, markers, axis labels), sweeps detected from the steps, no NaN, deterministic.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderPlTime, renderSweep, sweepsOf } from "../../../host/report/plots.ts";
import { summarizeSteps } from "../../../host/report/summary.ts";
import { niceTicks, tickLabel } from "../../../host/report/svg.ts";
import { PRECURSOR_SWEEP, TOLUENE_SWEEP, syntheticRun } from "./_fixtures.ts";

const count = (svg: string, re: RegExp) => (svg.match(new RegExp(re.source, "g")) ?? []).length;
const balanced = (svg: string) => count(svg, /<g[ >]/) === count(svg, /<\/g>/) && count(svg, /<svg /) === 1 && svg.trimEnd().endsWith("</svg>");

function rowsOf(flows: Array<[number, number]>) {
  const run = syntheticRun(flows);
  return { rows: summarizeSteps(run.steps, run.samples), samples: run.samples };
}

test("nice ticks: 1-2-5 steps covering the range, labels without float noise", () => {
  assert.equal(niceTicks(0, 600, 8).values, [0, 100, 200, 300, 400, 500, 600]);
  assert.equal(niceTicks(1000, 5000, 7), { min: 1000, max: 5000, step: 1000, values: [1000, 2000, 3000, 4000, 5000] });
  const t = niceTicks(0.1, 0.7, 6);
  assert.equal(t.values.map((v) => tickLabel(v, t.step)), ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"]);
});

test("pl-time.svg: a shaded band, a hatched settling window and a label per step, a mean line per step", () => {
  const { rows, samples } = rowsOf(TOLUENE_SWEEP);
  const svg = renderPlTime(rows, samples, "sweep: PL over time");
  assert.ok(balanced(svg));
  assert.not.match(svg, /NaN|Infinity|undefined/);
  assert.match(svg, /width="800" height="500"/);
  assert.is(count(svg, /class="band"/), 5);
  assert.is(count(svg, /class="settling"/), 5);
  assert.is(count(svg, /class="step-label"/), 5);
  assert.match(svg, />P60 T3000</);
  assert.match(svg, /class="step-means" data-n="5"/);
  assert.match(svg, /class="pl-line" data-points="600"/);
  assert.match(svg, /class="flagged" data-n="15"/);
  assert.match(svg, /time since run start \(s\)/);
  assert.match(svg, /PL \(millionths of full scale\)/);
  assert.match(svg, /class="title"[^>]*>sweep: PL over time</);
  assert.ok(count(svg, /class="xtick"/) >= 4 && count(svg, /class="ytick"/) >= 4);
  assert.is(renderPlTime(rows, samples, "sweep: PL over time"), svg);
});

test("pl-time.svg: a long run switches to minutes/hours and thins the line to the pixels", () => {
  const run = syntheticRun(TOLUENE_SWEEP, { stepS: 20000 });
  const svg = renderPlTime(summarizeSteps(run.steps, run.samples), run.samples, "long");
  const points = Number(/data-points="(\d+)"/.exec(svg)?.[1]);
  assert.ok(points > 0 && points <= 4 * 692, String(points));
  assert.match(svg, /time since run start \(h\)/);
  assert.not.match(svg, /NaN/);
});

test("pl-vs-antisolvent.svg: one marker with an error bar per step of a toluene sweep; no precursor plot", () => {
  const { rows } = rowsOf(TOLUENE_SWEEP);
  const svg = renderSweep(rows, "antisolvent", "PL vs antisolvent") as string;
  assert.ok(svg !== undefined && balanced(svg));
  assert.is(count(svg, /class="marker"/), 5);
  assert.is(count(svg, /class="errorbar"/), 5);
  assert.match(svg, /antisolvent \(toluene\) flow \(mL\/h\)/);
  assert.match(svg, /Re 342–1659 \(ID 1\.5875 mm, 20 °C, total flow\)/);
  assert.match(svg, />precursor 60 mL\/h</);
  assert.not.match(svg, /NaN|Infinity|undefined/);
  assert.is(renderSweep(rows, "precursor", "PL vs precursor"), undefined);
});

test("pl-vs-precursor.svg for a precursor sweep; markers ordered by flow", () => {
  const { rows } = rowsOf([...PRECURSOR_SWEEP].reverse());
  const svg = renderSweep(rows, "precursor", "PL vs precursor") as string;
  assert.is(count(svg, /class="marker"/), 6);
  assert.match(svg, /precursor \(DMF\) flow \(mL\/h\)/);
  const xs = [...svg.matchAll(/class="marker" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(xs, [...xs].sort((a, b) => a - b));
  assert.is(renderSweep(rows, "antisolvent", "x"), undefined);
});

test("both sweeps in one run: each plot holds its own series; blanks and steps without data are left out", () => {
  const flows: Array<[number, number]> = [[0, 5000], ...TOLUENE_SWEEP, ...PRECURSOR_SWEEP.slice(0, 5)];
  const { rows } = rowsOf(flows);
  assert.equal(sweepsOf(rows, "antisolvent").map((s) => [s.heldMlPerH, s.points.length]), [[60, 5]]);
  assert.equal(sweepsOf(rows, "precursor").map((s) => [s.heldMlPerH, s.points.length]), [[5000, 6]]);
  const noData = rows.map((r) => ({ ...r, n: 0, plMean: undefined, plSd: undefined }));
  assert.is(renderSweep(noData, "antisolvent", "x"), undefined);
});

test.run();
