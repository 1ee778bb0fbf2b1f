// Hand-written SVG building blocks for the run plots: nice ticks, linear scales, frame, axes, escaping.

export const WIDTH = 800;
export const HEIGHT = 500;
/** Plot area inside the 800×500 canvas. */
export const AREA = { left: 84, right: WIDTH - 24, top: 64, bottom: HEIGHT - 58 };
export const PALETTE = ["#1f5fa8", "#c4461b", "#2a8a4a", "#7b3fa0", "#a87b00", "#333333"];

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A coordinate with at most 2 decimals; refuses NaN/Infinity so no broken number ever reaches the file. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`non-finite coordinate ${value} in a plot`);
  const text = (Math.round(value * 100) / 100).toString();
  return text === "-0" ? "0" : text;
}

export interface Ticks { min: number; max: number; step: number; values: number[] }

/** Ticks at 1, 2 or 5 × 10ᵏ spanning [lo, hi] with about `target` intervals; the range is widened to whole ticks. */
export function niceTicks(lo: number, hi: number, target = 6): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) { const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1; lo -= pad; hi += pad; }
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const values: number[] = [];
  for (let k = 0; min + k * step <= max + step * 1e-9; k++) values.push(min + k * step);
  return { min, max, step, values };
}

/** A tick label with just the decimals the step needs (no 0.30000000000000004). */
export function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

export type Scale = (value: number) => number;

export function linear(domain: [number, number], range: [number, number]): Scale {
  const span = domain[1] - domain[0];
  return (v) => range[0] + (span === 0 ? 0.5 : (v - domain[0]) / span) * (range[1] - range[0]);
}

/** Opening of the document: size, white background, title and an optional subtitle. */
export function open(title: string, subtitle: string | undefined, defs = ""): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(title)}</title>`,
    defs === "" ? "" : `<defs>${defs}</defs>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text class="title" x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="17" font-weight="bold">${esc(title)}</text>`,
    subtitle === undefined ? "" : `<text class="subtitle" x="${WIDTH / 2}" y="42" text-anchor="middle" font-size="12" fill="#555">${esc(subtitle)}</text>`,
  ].filter((s) => s !== "").join("\n");
}

/** Frame, grid lines, ticks with labels, and the two axis titles (units in them). */
export function axes(x: Ticks, y: Ticks, xs: Scale, ys: Scale, xTitle: string, yTitle: string): string {
  const out: string[] = [`<g class="axes" font-size="12" fill="#222">`];
  for (const v of x.values) {
    const px = num(xs(v));
    out.push(`<line class="grid" x1="${px}" y1="${AREA.top}" x2="${px}" y2="${AREA.bottom}" stroke="#000" stroke-opacity="0.08"/>`);
    out.push(`<line class="xtick" x1="${px}" y1="${AREA.bottom}" x2="${px}" y2="${AREA.bottom + 5}" stroke="#222"/>`);
    out.push(`<text x="${px}" y="${AREA.bottom + 19}" text-anchor="middle">${tickLabel(v, x.step)}</text>`);
  }
  for (const v of y.values) {
    const py = num(ys(v));
    out.push(`<line class="grid" x1="${AREA.left}" y1="${py}" x2="${AREA.right}" y2="${py}" stroke="#000" stroke-opacity="0.08"/>`);
    out.push(`<line class="ytick" x1="${AREA.left - 5}" y1="${py}" x2="${AREA.left}" y2="${py}" stroke="#222"/>`);
    out.push(`<text x="${AREA.left - 8}" y="${num(ys(v) + 4)}" text-anchor="end">${tickLabel(v, y.step)}</text>`);
  }
  out.push(`<rect x="${AREA.left}" y="${AREA.top}" width="${AREA.right - AREA.left}" height="${AREA.bottom - AREA.top}" fill="none" stroke="#222"/>`);
  out.push(`<text class="xlabel" x="${(AREA.left + AREA.right) / 2}" y="${HEIGHT - 16}" text-anchor="middle" font-size="14">${esc(xTitle)}</text>`);
  const cy = (AREA.top + AREA.bottom) / 2;
  out.push(`<text class="ylabel" x="20" y="${cy}" text-anchor="middle" font-size="14" transform="rotate(-90 20 ${cy})">${esc(yTitle)}</text>`);
  out.push(`</g>`);
  return out.join("\n");
}

/** A row of legend entries (each an SVG symbol drawn at 0,0 and a text) right-aligned above the plot area. */
export function legend(entries: ReadonlyArray<{ symbol: string; text: string }>): string {
  const widths = entries.map((e) => 26 + e.text.length * 6.6);
  let x = AREA.right - widths.reduce((a, w) => a + w + 12, 0) + 12;
  const parts = entries.map((e, i) => {
    const g = `<g transform="translate(${num(x)} ${AREA.top - 9})">${e.symbol}<text x="22" y="4" font-size="11.5">${esc(e.text)}</text></g>`;
    x += widths[i] + 12;
    return g;
  });
  return `<g class="legend">${parts.join("")}</g>`;
}

export const PL_AXIS_TITLE = "PL (millionths of full scale)";
