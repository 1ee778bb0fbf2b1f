// pl-time.svg: PL over the whole run, steps shaded with their labels, settling windows hatched, step means drawn.
import { DROP_FLAGS, type StepSample, type SummaryRow } from "./summary.ts";
import { AREA, PALETTE, PL_AXIS_TITLE, axes, esc, legend, linear, niceTicks, num, open } from "./svg.ts";

/** Most flagged-sample markers drawn; beyond it every k-th is drawn (the count is in data-n). */
const MAX_MARKERS = 1500;

/** Seconds, minutes or hours, whichever keeps the axis numbers readable. */
export function timeUnit(spanS: number): { name: string; seconds: number } {
  if (spanS <= 600) return { name: "s", seconds: 1 };
  if (spanS <= 600 * 60) return { name: "min", seconds: 60 };
  return { name: "h", seconds: 3600 };
}

/** Splits at gaps longer than 5× the median sample spacing (a pause, a lost stretch), so no line bridges them. */
function runsOf(samples: readonly StepSample[]): StepSample[][] {
  const gaps = samples.slice(1).map((s, i) => s.timeS - samples[i].timeS).sort((a, b) => a - b);
  const limit = gaps.length > 0 ? 5 * gaps[Math.floor(gaps.length / 2)] : Infinity;
  const runs: StepSample[][] = [];
  samples.forEach((s, i) => {
    if (i === 0 || (limit > 0 && s.timeS - samples[i - 1].timeS > limit)) runs.push([]);
    runs[runs.length - 1].push(s);
  });
  return runs;
}

/** Keeps first, lowest, highest and last sample of every pixel column when there are more samples than pixels. */
function decimate(run: StepSample[], column: (s: StepSample) => number, limit: number): StepSample[] {
  if (run.length <= limit) return run;
  const kept: StepSample[] = [];
  let i = 0;
  while (i < run.length) {
    const c = column(run[i]);
    let j = i;
    let lo = i;
    let hi = i;
    while (j + 1 < run.length && column(run[j + 1]) === c) {
      j++;
      if (run[j].pl < run[lo].pl) lo = j;
      if (run[j].pl > run[hi].pl) hi = j;
    }
    for (const k of [...new Set([i, lo, hi, j])].sort((a, b) => a - b)) kept.push(run[k]);
    i = j + 1;
  }
  return kept;
}

export function renderPlTime(rows: readonly SummaryRow[], samplesIn: readonly StepSample[], title: string): string {
  const samples = [...samplesIn].sort((a, b) => a.timeS - b.timeS);
  const t0 = Math.min(0, samples.length > 0 ? samples[0].timeS : 0);
  const t1 = Math.max(...rows.map((r) => r.endS), samples.length > 0 ? samples[samples.length - 1].timeS : 0, t0 + 1);
  const unit = timeUnit(t1 - t0);
  const x = niceTicks(t0 / unit.seconds, t1 / unit.seconds, 8);
  const plValues = samples.map((s) => s.pl);
  const y = niceTicks(Math.min(0, ...plValues), Math.max(1, ...plValues), 6);
  const xs = (tS: number) => linear([x.min, x.max], [AREA.left, AREA.right])(tS / unit.seconds);
  const ys = linear([y.min, y.max], [AREA.bottom, AREA.top]);
  const defs = `<clipPath id="area"><rect x="${AREA.left}" y="${AREA.top}" width="${AREA.right - AREA.left}" height="${AREA.bottom - AREA.top}"/></clipPath>`
    + `<pattern id="settling" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`
    + `<rect width="7" height="7" fill="#ffffff" fill-opacity="0.6"/><line x1="0" y1="0" x2="0" y2="7" stroke="#7d8798" stroke-width="1.6" stroke-opacity="0.55"/></pattern>`;
  const out = [open(title, `${rows.length} steps, ${samples.length} samples`, defs)];

  out.push(`<g class="steps" clip-path="url(#area)">`);
  rows.forEach((r, i) => {
    const a = xs(r.startS);
    const b = xs(r.endS);
    const settleEnd = Math.min(xs(r.startS + r.settleS), b);
    const tip = `${r.label}: precursor ${r.precursorMlPerH} mL/h, antisolvent ${r.antisolventMlPerH} mL/h, settle ${r.settleS} s`;
    out.push(`<g class="step"><title>${esc(tip)}</title>`
      + `<rect class="band" x="${num(a)}" y="${AREA.top}" width="${num(b - a)}" height="${AREA.bottom - AREA.top}" fill="${i % 2 === 0 ? "#dfe8f5" : "#f3f6fa"}"/>`
      + `<rect class="settling" x="${num(a)}" y="${AREA.top}" width="${num(Math.max(0, settleEnd - a))}" height="${AREA.bottom - AREA.top}" fill="url(#settling)"/>`);
    const text = [r.label, String(r.step)].find((t) => t.length * 6.4 + 6 <= b - a);
    if (text !== undefined) out.push(`<text class="step-label" x="${num((a + b) / 2)}" y="${AREA.top + 15}" text-anchor="middle" font-size="11.5" fill="#333">${esc(text)}</text>`);
    out.push(`</g>`);
  });
  out.push(`</g>`);
  out.push(axes(x, y, (v) => linear([x.min, x.max], [AREA.left, AREA.right])(v), ys, `time since run start (${unit.name})`, PL_AXIS_TITLE));

  const means = rows.filter((r) => r.plMean !== undefined).map((r) => {
    const a = num(xs(Math.min(r.startS + r.settleS, r.endS)));
    const m = r.plMean as number;
    const sd = r.plSd ?? 0;
    return `<rect x="${a}" y="${num(ys(m + sd))}" width="${num(xs(r.endS) - xs(Math.min(r.startS + r.settleS, r.endS)))}" height="${num(ys(m - sd) - ys(m + sd))}" fill="${PALETTE[1]}" fill-opacity="0.15"/>`
      + `<line x1="${a}" y1="${num(ys(m))}" x2="${num(xs(r.endS))}" y2="${num(ys(m))}" stroke="${PALETTE[1]}" stroke-width="2"/>`;
  });
  out.push(`<g class="step-means" data-n="${means.length}" clip-path="url(#area)">${means.join("")}</g>`);

  const column = (s: StepSample) => Math.floor(xs(s.timeS));
  const path: string[] = [];
  let points = 0;
  for (const run of runsOf(samples)) {
    const kept = decimate(run, column, 2 * (AREA.right - AREA.left));
    points += kept.length;
    path.push(kept.map((s, k) => `${k === 0 ? "M" : "L"}${num(xs(s.timeS))} ${num(ys(s.pl))}`).join(""));
  }
  out.push(`<path class="pl-line" data-points="${points}" d="${path.join("")}" fill="none" stroke="${PALETTE[0]}" stroke-width="1.3" stroke-linejoin="round" clip-path="url(#area)"/>`);

  const flagged = samples.filter((s) => s.flags.some((f) => DROP_FLAGS.includes(f)));
  const stride = Math.max(1, Math.ceil(flagged.length / MAX_MARKERS));
  const marks = flagged.filter((_, i) => i % stride === 0).map((s) => `<circle cx="${num(xs(s.timeS))}" cy="${num(ys(s.pl))}" r="2.2"/>`);
  out.push(`<g class="flagged" data-n="${flagged.length}" fill="#e08a00" clip-path="url(#area)">${marks.join("")}</g>`);

  out.push(legend([
    { symbol: `<line x1="0" y1="0" x2="16" y2="0" stroke="${PALETTE[0]}" stroke-width="1.5"/>`, text: "PL" },
    { symbol: `<circle cx="8" cy="0" r="3" fill="#e08a00"/>`, text: "ramping/saturated (not counted)" },
    { symbol: `<rect x="0" y="-6" width="16" height="12" fill="url(#settling)" stroke="#999"/>`, text: "settling" },
    { symbol: `<line x1="0" y1="0" x2="16" y2="0" stroke="${PALETTE[1]}" stroke-width="2"/>`, text: "step mean ± SD" },
  ]));
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
