// Filled polygons with vertices in 1/16 pixel (graphicsFillPoly, graphics.c 2v29): what fillPoly and the vector font draw.
import { idiv } from "./c-int.ts";
import type { Surface } from "./graphics-surface.ts";

/** Surface coordinates in 1/16 pixel → device coordinates (rotation applied). */
function toDevice16(surface: Surface, x: number, y: number): [number, number] {
  if (surface.swapXY) { const t = x; x = y; y = t; }
  if (surface.invertX) x = (surface.width - 1) * 16 - x;
  if (surface.invertY) y = (surface.height - 1) * 16 - y;
  return [x, y];
}

/** graphicsFillPoly: vertices in 1/16 pixel, as `short`s. */
export function fillPoly16(surface: Surface, vertsIn: number[]): void {
  const n = vertsIn.length >> 1;
  const vx = new Int16Array(n);
  const vy = new Int16Array(n);
  let miny = surface.height - 1;
  let maxy = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = toDevice16(surface, vertsIn[2 * i], vertsIn[2 * i + 1]);
    vx[i] = x;
    vy[i] = y;
    const yy = vy[i] >> 4;
    if (yy < miny) miny = yy;
    if (yy > maxy) maxy = yy;
  }
  if (miny < surface.clip.y1) miny = surface.clip.y1;
  if (maxy > surface.clip.y2) maxy = surface.clip.y2;
  const MAX_CROSSES = 64;
  const cross = new Int16Array(MAX_CROSSES);
  const slopes = new Uint8Array(MAX_CROSSES);
  for (let y = miny << 4; y <= maxy << 4; y += 16) {
    const yl = y >> 4;
    let crosscnt = 0;
    let j = n - 1;
    for (let i = 0; i < n; i++) {
      if ((vy[i] <= y && vy[j] > y) || (vy[j] <= y && vy[i] > y)) {
        if (crosscnt < MAX_CROSSES) {
          const l = vy[j] - vy[i];
          if (l) {
            cross[crosscnt] = vx[i] + idiv((y - vy[i]) * (vx[j] - vx[i]), l);
            slopes[crosscnt] = l > 1 ? 1 : 0;
            crosscnt++;
          }
        }
      }
      j = i;
    }
    for (let i = 0; i < crosscnt - 1;) {
      if (cross[i] > cross[i + 1]) {
        let t = cross[i]; cross[i] = cross[i + 1]; cross[i + 1] = t;
        t = slopes[i]; slopes[i] = slopes[i + 1]; slopes[i + 1] = t;
        if (i) i--;
      } else i++;
    }
    let x = 0;
    let s = 0;
    for (let i = 0; i < crosscnt; i++) {
      if (s === 0) x = cross[i];
      if (slopes[i]) s++; else s--;
      if (!s || i === crosscnt - 1) {
        const x1 = (x + 15) >> 4;
        const x2 = (cross[i] + 15) >> 4;
        if (x2 > x1) surface.fillRectDevice(x1, yl, x2 - 1, yl, surface.fg);
      }
    }
  }
}
