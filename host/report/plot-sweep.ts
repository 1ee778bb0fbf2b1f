// pl-vs-antisolvent.svg / pl-vs-precursor.svg: step mean ± SD against the swept flow (as the paper's Fig. 2a / 3a).
import type { SummaryRow } from "./summary.ts";
import { AREA, PALETTE, PL_AXIS_TITLE, axes, esc, legend, linear, niceTicks, num, open } from "./svg.ts";

export type SweptFlow = "antisolvent" | "precursor";

export interface SweepSeries {
  /** The flow held (nearly) constant along the series, mL/h. */
  heldMlPerH: number;
  points: SummaryRow[];
}

const flowOf = (r: SummaryRow, which: SweptFlow) => (which === "antisolvent" ? r.antisolventMlPerH : r.precursorMlPerH);
const other = (which: SweptFlow): SweptFlow => (which === "antisolvent" ? "precursor" : "antisolvent");
const key = (v: number) => Math.round(v * 1000);

/**
 * The sweeps of one flow in a run: steps with data and both flows > 0, grouped by the other flow; a group
 * is a sweep when it holds at least two different values of this flow. Empty when the run did not sweep it.
 */
export function sweepsOf(rows: readonly SummaryRow[], which: SweptFlow): SweepSeries[] {
  const groups = new Map<number, SummaryRow[]>();
  for (const r of rows) {
    if (r.plMean === undefined || !(r.precursorMlPerH > 0 && r.antisolventMlPerH > 0)) continue;
    const k = key(flowOf(r, other(which)));
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .filter(([, points]) => new Set(points.map((p) => key(flowOf(p, which)))).size >= 2)
    .sort((a, b) => a[0] - b[0])
    .map(([k, points]) => ({ heldMlPerH: k / 1000, points: [...points].sort((p, q) => flowOf(p, which) - flowOf(q, which) || p.step - q.step) }));
}

/** The plot, or undefined when the run did not sweep this flow. */
export function renderSweep(rows: readonly SummaryRow[], which: SweptFlow, title: string): string | undefined {
  const series = sweepsOf(rows, which);
  if (series.length === 0) return undefined;
  const all = series.flatMap((s) => s.points);
  const xsData = all.map((r) => flowOf(r, which));
  const span = Math.max(...xsData) - Math.min(...xsData);
  const x = niceTicks(Math.min(...xsData) - 0.05 * span, Math.max(...xsData) + 0.05 * span, 7);
  const y = niceTicks(Math.min(0, ...all.map((r) => (r.plMean as number) - (r.plSd ?? 0))), Math.max(1, ...all.map((r) => (r.plMean as number) + (r.plSd ?? 0))), 6);
  const xs = linear([x.min, x.max], [AREA.left, AREA.right]);
  const ys = linear([y.min, y.max], [AREA.bottom, AREA.top]);
  const res = all.map((r) => r.reynolds).filter((v): v is number => v !== null);
  const assumption = (all.find((r) => r.reynolds !== null)?.assumptions.match(/^ID [^,]+, [^,]+/) ?? [""])[0];
  const reynolds = res.length === 0 ? "no forward flow" : `Re ${Math.round(Math.min(...res))}–${Math.round(Math.max(...res))} (${assumption}, total flow)`;
  const subtitle = `mean ± SD of each step after settling; ${reynolds}`;
  const out = [open(title, subtitle), axes(x, y, xs, ys, `${which === "antisolvent" ? "antisolvent (toluene)" : "precursor (DMF)"} flow (mL/h)`, PL_AXIS_TITLE)];

  const held = other(which);
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const pts = s.points.map((r) => ({ r, px: xs(flowOf(r, which)), py: ys(r.plMean as number) }));
    out.push(`<g class="series" data-held="${s.heldMlPerH}" data-points="${pts.length}" stroke="${colour}" fill="${colour}">`);
    out.push(`<polyline points="${pts.map((p) => `${num(p.px)},${num(p.py)}`).join(" ")}" fill="none" stroke-width="1.5" stroke-opacity="0.6"/>`);
    for (const p of pts) {
      const sd = p.r.plSd ?? 0;
      const top = num(ys((p.r.plMean as number) + sd));
      const bottom = num(ys((p.r.plMean as number) - sd));
      const tip = `${p.r.label}: PL ${Math.round(p.r.plMean as number)} ± ${Math.round(sd)} (n ${p.r.n}), ${p.r.reynolds === null ? "no forward flow" : `Re ${Math.round(p.r.reynolds)}`}`;
      out.push(`<g class="point"><title>${esc(tip)}</title>`
        + `<line class="errorbar" x1="${num(p.px)}" y1="${top}" x2="${num(p.px)}" y2="${bottom}" stroke-width="1.5"/>`
        + `<line x1="${num(p.px - 5)}" y1="${top}" x2="${num(p.px + 5)}" y2="${top}" stroke-width="1.5"/>`
        + `<line x1="${num(p.px - 5)}" y1="${bottom}" x2="${num(p.px + 5)}" y2="${bottom}" stroke-width="1.5"/>`
        + `<circle class="marker" cx="${num(p.px)}" cy="${num(p.py)}" r="5" stroke="#ffffff" stroke-width="1"/></g>`);
    }
    out.push(`</g>`);
  });
  out.push(legend(series.map((s, i) => ({
    symbol: `<circle cx="8" cy="0" r="4.5" fill="${PALETTE[i % PALETTE.length]}"/>`,
    text: `${held} ${s.heldMlPerH} mL/h`,
  }))));
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
