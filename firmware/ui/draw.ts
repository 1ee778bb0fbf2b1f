// Draws the panel's text lines, highlighted row and PL trend into the one Graphics buffer; numbers formatted for it.
import { idiv } from "../int.ts";

/** What the UI draws with: the subset of Espruino's Graphics (with the SSD1306 module's flip) it uses. */
export interface Screen {
  clear(): any;
  setFont(name: string): any;
  setColor(c: number): any;
  drawString(text: string, x: number, y: number): any;
  fillRect(x1: number, y1: number, x2: number, y2: number): any;
  drawRect(x1: number, y1: number, x2: number, y2: number): any;
  drawLine(x1: number, y1: number, x2: number, y2: number): any;
  flip(): void;
}

export const ROW_PX = 7;
/** The trend box: the lower part of the screen, under at most five text rows. */
const TREND_TOP = 37;
const TREND_BOTTOM = 63;

/** The PL trend: a ring of the last samples (one a second while liquid moves). */
export interface Trend {
  values: Float32Array;
  /** Samples taken so far; the newest is at (count - 1) % length. */
  count: number;
}

export function draw(g: Screen, lines: string[], hilite: number, trend: Trend | undefined): void {
  g.clear();
  g.setFont("4x6");
  for (let i = 0; i < lines.length; i++) {
    const y = i * ROW_PX;
    g.setColor(1);
    if (i === hilite) {
      g.fillRect(0, y, 127, y + ROW_PX - 1);
      g.setColor(0);
    }
    g.drawString(lines[i], 2, y + 1);
  }
  g.setColor(1);
  if (trend !== undefined) drawTrend(g, trend);
  g.flip();
}

function drawTrend(g: Screen, t: Trend): void {
  g.drawRect(0, TREND_TOP, 127, TREND_BOTTOM);
  const n = t.values.length;
  const shown = t.count < n ? t.count : n;
  if (shown < 2) return;
  let lo = t.values[0];
  let hi = lo;
  for (let i = 0; i < shown; i++) {
    const v = t.values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  const first = t.count - shown;
  const dx = 124 / (n - 1);
  let px = 0;
  let py = 0;
  for (let k = 0; k < shown; k++) {
    const v = t.values[(first + k) % n];
    const x = 2 + Math.round(k * dx);
    const y = TREND_BOTTOM - 2 - Math.round(((v - lo) * (TREND_BOTTOM - TREND_TOP - 4)) / span);
    if (k > 0) g.drawLine(px, py, x, y);
    px = x;
    py = y;
  }
}

/** nL as mL with two decimals. */
export function mL(nl: number): string {
  return (nl / 1e6).toFixed(2);
}

/** µL/h as mL/h with two decimals. */
export function mLPerH(rate: number): string {
  return (rate / 1000).toFixed(2);
}

/** ms as m:ss. */
export function minutes(ms: number): string {
  const s = idiv(ms, 1000);
  const sec = s % 60;
  return idiv(s, 60) + (sec < 10 ? ":0" : ":") + sec;
}
