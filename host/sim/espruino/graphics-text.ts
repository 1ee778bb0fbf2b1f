// Text on a Graphics surface as Espruino 2v29 draws it: widths, metrics, the 4x6/6x8 bitmap fonts and the vector font.
import { idiv } from "./c-int.ts";
import { fillPoly16 } from "./graphics-poly.ts";
import {
  FONT_4X6_CHARS, FONT_4X6_FIRST, FONT_4X6_ROWS, FONT_6X8_CHARS, FONT_6X8_FIRST, FONT_6X8_ROWS, VF_CHAR_LENGTHS,
  VF_CHAR_POLYS, VF_CHAR_SPACING, VF_CHAR_WIDTH, VF_FIRST_CHAR, VF_LAST_CHAR, VF_OFFSET_Y, VF_POLY_LENGTHS,
  VF_POLY_VERTS, VF_SCALE,
} from "./fonts.ts";
import { FONT_4X6, FONT_6X8, FONT_VECTOR, fontInfo, type FontInfo } from "./font-size.ts";
import type { Surface } from "./graphics-surface.ts";

/** Packed glyph rows (groups of `bits` pixels, leftmost group in the low bits), as the C PACK_n_TO_m macros. */
function packRows(rows: readonly string[]): Uint32Array {
  return Uint32Array.from(rows, (r) => r.split(" ").reduce((acc, g, k) => acc + parseInt(g.replace(/X/g, "1").replace(/_/g, "0"), 2) * 2 ** (g.length * k), 0));
}

/** A bitmap font as bitmap_font_4x6.c and bitmap_font_6x8.c hold it: `perRow` glyphs side by side in each packed row. */
interface BitmapFont {
  glyphs: Uint32Array;
  first: number;
  count: number;
  perRow: number;
  /** Pixel columns of a glyph, and the advance (the columns after it are background). */
  columns: number;
  advance: number;
  rows: number;
  /** A character the font lacks, drawn solid: the blank box's right edge, in columns (as each C font has it). */
  missingRight: number;
}
const BITMAP_4X6: BitmapFont = {
  glyphs: packRows(FONT_4X6_ROWS), first: FONT_4X6_FIRST, count: FONT_4X6_CHARS, perRow: 5, columns: 3, advance: 4, rows: 6, missingRight: 2,
};
const BITMAP_6X8: BitmapFont = {
  glyphs: packRows(FONT_6X8_ROWS), first: FONT_6X8_FIRST, count: FONT_6X8_CHARS, perRow: 6, columns: 5, advance: 6, rows: 8, missingRight: 5,
};

/** Offsets of each vector polygon and each character's polygon list. */
const VF_POLY_START = (() => { const s = new Uint16Array(VF_POLY_LENGTHS.length); for (let i = 1; i < s.length; i++) s[i] = s[i - 1] + VF_POLY_LENGTHS[i - 1]; return s; })();
const VF_CHAR_START = (() => { const s = new Uint16Array(VF_CHAR_LENGTHS.length); for (let i = 1; i < s.length; i++) s[i] = s[i - 1] + VF_CHAR_LENGTHS[i - 1]; return s; })();

/** graphicsVectorCharWidth. */
export function vectorCharWidth(sizex: number, ch: number): number {
  if (ch < VF_FIRST_CHAR || ch > VF_LAST_CHAR) return Math.floor(sizex / 2);
  const c = ch - VF_FIRST_CHAR;
  let w = 0;
  for (let i = 0; i < VF_CHAR_LENGTHS[c]; i++) {
    const poly = VF_CHAR_POLYS[VF_CHAR_START[c] + i];
    for (let j = 0; j < VF_POLY_LENGTHS[poly]; j++) {
      const vx = VF_POLY_VERTS[VF_POLY_START[poly] + j] % VF_CHAR_WIDTH;
      if (vx > w) w = vx;
    }
  }
  return ((w + 1 + VF_CHAR_SPACING) * sizex * 16 / VF_SCALE + 7) >> 4;
}

/** Height of a line of text in the surface's font. */
export function fontHeight(s: Surface, info = fontInfo(s.fontSize)): number {
  if (info.font === FONT_VECTOR) return info.scaley;
  if (info.font === FONT_4X6) return 6 * info.scaley;
  if (info.font === FONT_6X8 && s.o.has6x8) return 8 * info.scaley;
  // Custom fonts: only reachable here after a failed setFont (fontSize 0xFFFF), which has no height child.
  return 0;
}

function charWidth(s: Surface, info: FontInfo, ch: number): number {
  if (info.font === FONT_VECTOR && ch < 256) return vectorCharWidth(info.scalex, ch);
  if (info.font === FONT_4X6 && ch < 256) return 4 * info.scalex;
  if (info.font === FONT_6X8 && s.o.has6x8 && ch < 256) return 6 * info.scalex;
  return 0;
}

/** _jswrap_graphics_stringMetrics: the whole string, or only the line starting at `lineStart`. */
export function stringMetrics(s: Surface, str: string, lineStart = -1): { width: number; height: number; lineHeight: number; unrenderable: boolean } {
  const info = fontInfo(s.fontSize);
  const fh = fontHeight(s, info);
  let width = 0;
  let height = fh;
  let maxWidth = 0;
  let unrenderable = false;
  for (let i = lineStart < 0 ? 0 : lineStart; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    if (ch === 10) {
      if (width > maxWidth) maxWidth = width;
      width = 0;
      height += fh;
      if (lineStart >= 0) break;
    } else if (ch !== 0) {
      const w = charWidth(s, info, ch);
      width += w;
      if (w === 0) unrenderable = true;
    }
  }
  return { width: width > maxWidth ? width : maxWidth, height, lineHeight: fh, unrenderable };
}

/** One character of a bitmap font at (x1, y1), scaled by sx × sy; solid fills its background too. */
function drawBitmapChar(s: Surface, f: BitmapFont, x1: number, y1: number, ch: number, sx: number, sy: number, solid: boolean): void {
  let idx = (ch & 255) - f.first;
  if (idx < 0 || idx >= f.count) {
    if (solid) s.fillRect(x1, y1, x1 + f.missingRight * sx, y1 + (f.rows - 1) * sy, s.bg);
    return;
  }
  const cidx = idx % f.perRow;
  idx = Math.floor(idx / f.perRow) * f.rows;
  const leftmost = 1 << (f.columns - 1);
  for (let y = 0; y < f.rows; y++) {
    let line = f.glyphs[idx + y] >>> (cidx * f.columns);
    const ly = y * sy + y1;
    for (let x = 0; x < f.columns; x++) {
      const pixel = (line & leftmost) !== 0;
      if (solid || pixel) s.fillRect(x1 + x * sx, ly, x1 + (x + 1) * sx - 1, ly + sy - 1, pixel ? s.fg : s.bg);
      line <<= 1;
    }
  }
  if (solid) s.fillRect(x1 + f.columns * sx, y1, x1 + f.advance * sx - 1, y1 + sy * f.rows - 1, s.bg);
}

/** vfGetCharFromPtr with graphicsFillPoly as the callback. */
function drawVectorChar(s: Surface, x1: number, y1: number, sx: number, sy: number, ch: number): void {
  if (ch < VF_FIRST_CHAR || ch > VF_LAST_CHAR) return;
  const c = ch - VF_FIRST_CHAR;
  x1 = (x1 << 4) - 8;
  y1 = (y1 << 4) - 8;
  for (let i = 0; i < VF_CHAR_LENGTHS[c]; i++) {
    const poly = VF_CHAR_POLYS[VF_CHAR_START[c] + i];
    const start = VF_POLY_START[poly];
    const verts: number[] = [];
    for (let j = 0; j < VF_POLY_LENGTHS[poly]; j++) {
      const v = VF_POLY_VERTS[start + j];
      const vx = v % VF_CHAR_WIDTH;
      const vy = Math.floor(v / VF_CHAR_WIDTH);
      verts.push((x1 + idiv(vx * sx * 16, VF_SCALE)) << 16 >> 16, (y1 + idiv((vy + VF_OFFSET_Y) * sy * 16, VF_SCALE)) << 16 >> 16);
    }
    fillPoly16(s, verts);
  }
}

/** jswrap_graphics_drawString. */
export function drawString(s: Surface, str: string, x: number, y: number, solid: boolean): void {
  const info = fontInfo(s.fontSize);
  const fh = fontHeight(s, info);
  const old = [s.swapXY, s.invertX, s.invertY] as const;
  if (s.fontRotate === 1) {
    s.swapXY = !s.swapXY; s.invertX = !s.invertX;
    const t = s.width - (x + 1); x = y; y = t;
  } else if (s.fontRotate === 2) {
    s.invertX = !s.invertX; s.invertY = !s.invertY;
    x = s.width - (x + 1); y = s.height - (y + 1);
  } else if (s.fontRotate === 3) {
    s.swapXY = !s.swapXY; s.invertY = !s.invertY;
    const t = s.height - (y + 1); y = x; x = t;
  }
  try {
    const startx = x;
    if (s.fontAlignX < 2) x = startx - idiv(stringMetrics(s, str, 0).width * (s.fontAlignX + 1), 2);
    if (s.fontAlignY < 2) y -= idiv(stringMetrics(s, str).height * (s.fontAlignY + 1), 2);
    let [minX, minY] = s.fromDevice(s.clip.x1, s.clip.y1);
    let [maxX, maxY] = s.fromDevice(s.clip.x2, s.clip.y2);
    if (maxX < minX) { const t = minX; minX = maxX; maxX = t; }
    if (maxY < minY) { const t = minY; minY = maxY; maxY = t; }
    for (let i = 0; i < str.length; i++) {
      const ch = str.charCodeAt(i);
      if (ch === 10) {
        x = startx;
        if (s.fontAlignX < 2) x = startx - idiv(stringMetrics(s, str, i + 1).width * (s.fontAlignX + 1), 2);
        y += fh;
        continue;
      }
      if (ch === 0) continue;
      if (info.font === FONT_VECTOR && ch < 256) {
        const w = vectorCharWidth(info.scalex, ch);
        if (x > minX - w && x < maxX && y > minY - fh && y <= maxY) {
          if (solid) s.fillRect(x, y, x + w - 1, y + fh - 1, s.bg);
          drawVectorChar(s, x, y, info.scalex, info.scaley, ch);
        }
        x += w;
      } else if (info.font === FONT_4X6 && ch < 256) {
        if (x > minX - 4 * info.scalex && x < maxX && y > minY - fh && y <= maxY) drawBitmapChar(s, BITMAP_4X6, x, y, ch, info.scalex, info.scaley, solid);
        x += 4 * info.scalex;
      } else if (info.font === FONT_6X8 && s.o.has6x8) {
        if (x > minX - 6 * info.scalex && x < maxX && y > minY - fh && y <= maxY) drawBitmapChar(s, BITMAP_6X8, x, y, ch, info.scalex, info.scaley, solid);
        x += 6 * info.scalex;
      }
      // Custom-font state without font data (after a failed setFont): characters have width 0, nothing drawn.
    }
  } finally {
    [s.swapXY, s.invertX, s.invertY] = old;
  }
}
