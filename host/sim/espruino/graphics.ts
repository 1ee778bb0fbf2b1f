// Graphics on an ArrayBuffer, ported from Espruino 2v29 (libs/graphics/jswrap_graphics.c, graphics.c,
// lcd_arraybuffer.c, bitmap_font_4x6.c, bitmap_font_6x8.c, vector_font.c): same pixel layout, same integer maths,
// same fonts, so a buffer drawn here is byte-for-byte the buffer a board would send to its display.
//
// Covered: createArrayBuffer (bpp 1..32, msb — default true since 2v25 —, vertical_byte, zigzag, interleavex,
// buffer), clear/reset, setColor/setBgColor/getColor/getBgColor/toColor (numbers, r,g,b floats, "#rgb"/"#rrggbb"),
// setPixel/getPixel, drawLine, drawRect/fillRect/clearRect (also {x,y,x2,y2}|{x,y,w,h}), drawCircle/fillCircle,
// drawEllipse/fillEllipse, drawPoly/fillPoly, moveTo/lineTo, setRotation, setClipRect, getModified, setFont
// ("4x6", "4x6:2", "6x8" where built in, "Vector", "Vector:12", "Vector12", font-module setters), setFontBitmap,
// setFontVector, setFontAlign (with rotation), getFont/getFonts/getFontHeight, stringWidth, stringMetrics, drawString
// (multi-line, alignment, solid background).
// Not covered (throws "… is not a function" as a missing method would): drawImage/asImage/scroll/blit/dump/asBMP,
// wrapString, setFontCustom/PBF fonts, anti-aliased variants, rounded rects ({r}), paletted 4/8-bit colour lookup
// (Linux builds), inline images in strings (a "\0" in a string is skipped).
import {
  FONT_4X6_CHARS, FONT_4X6_FIRST, FONT_4X6_ROWS, FONT_6X8_CHARS, FONT_6X8_FIRST, FONT_6X8_ROWS, VF_CHAR_LENGTHS,
  VF_CHAR_POLYS, VF_CHAR_SPACING, VF_CHAR_WIDTH, VF_FIRST_CHAR, VF_LAST_CHAR, VF_OFFSET_Y, VF_POLY_LENGTHS,
  VF_POLY_VERTS, VF_SCALE,
} from "./fonts.ts";
import type { Runtime } from "./runtime.ts";

// graphics.h font-size encoding: bits 13..15 the font, bits 0..12 the scale (or x | y<<6 | 4096).
const FONT_MASK = 7 << 13;
const FONT_VECTOR = 0;
const FONT_4X6 = 1 << 13;
const FONT_6X8 = 2 << 13;
const FONT_CUSTOM_BIT = 4 << 13;
const SCALE_MASK = 8191;
const SCALE_X_Y = 4096;
const SCALE_Y_SHIFT = 6;
const SCALE_X_MASK = 63;
const SCALE_Y_MASK = 63 << SCALE_Y_SHIFT;

/** C `int` division (truncates towards zero). */
const idiv = (a: number, b: number): number => Math.trunc(a / b);
/** jsvGetInteger: numbers truncate, NaN/undefined/objects give 0, numeric strings parse. */
export function toInt(v: unknown): number {
  const n = typeof v === "boolean" ? Number(v) : typeof v === "number" ? v : typeof v === "string" ? parseInt(v, 10) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) | 0 : 0;
}
/** Packed glyph rows (groups of `bits` pixels, leftmost group in the low bits), as the C PACK_n_TO_m macros. */
function packRows(rows: readonly string[]): Uint32Array {
  return Uint32Array.from(rows, (r) => r.split(" ").reduce((acc, g, k) => acc + parseInt(g.replace(/X/g, "1").replace(/_/g, "0"), 2) * 2 ** (g.length * k), 0));
}
const GLYPHS_4X6 = packRows(FONT_4X6_ROWS);
const GLYPHS_6X8 = packRows(FONT_6X8_ROWS);
/** Offsets of each vector polygon and each character's polygon list. */
const VF_POLY_START = (() => { const s = new Uint16Array(VF_POLY_LENGTHS.length); for (let i = 1; i < s.length; i++) s[i] = s[i - 1] + VF_POLY_LENGTHS[i - 1]; return s; })();
const VF_CHAR_START = (() => { const s = new Uint16Array(VF_CHAR_LENGTHS.length); for (let i = 1; i < s.length; i++) s[i] = s[i - 1] + VF_CHAR_LENGTHS[i - 1]; return s; })();

export interface SurfaceOptions {
  width: number;
  height: number;
  bpp: number;
  /** Pixels MSB-first within a byte (and big-endian for bpp > 8). Espruino's default since 2v25. */
  msb: boolean;
  verticalByte: boolean;
  zigzag: boolean;
  interleaveX: boolean;
  /** Whether this build has the 6x8 font (USE_FONT_6X8: ESP32 and Linux builds, not the Pico/Original/WiFi). */
  has6x8: boolean;
}

interface FontInfo { font: number; scalex: number; scaley: number }

/** One Graphics instance: its state (JsGraphicsData) and the bytes of its ArrayBuffer. */
export class Surface {
  readonly width: number;
  readonly height: number;
  readonly bpp: number;
  swapXY = false;
  invertX = false;
  invertY = false;
  fg = 0;
  bg = 0;
  fontSize = 1 + FONT_4X6;
  fontAlignX = 3;
  fontAlignY = 3;
  fontRotate = 0;
  clip = { x1: 0, y1: 0, x2: 0, y2: 0 };
  mod = { minX: 32767, minY: 32767, maxX: -32768, maxY: -32768 };
  cursorX = 0;
  cursorY = 0;

  constructor(readonly bytes: Uint8Array, readonly o: SurfaceOptions) {
    this.width = o.width;
    this.height = o.height;
    this.bpp = o.bpp;
    this.resetState();
  }

  static bytesNeeded(width: number, height: number, bpp: number): number {
    return Math.floor((width * height * bpp + 7) / 8);
  }

  /** graphicsStructResetState (flags such as rotation stay). */
  resetState(): void {
    this.fg = this.bpp >= 32 ? 0xffffffff : 2 ** this.bpp - 1;
    this.bg = 0;
    this.fontSize = 1 + FONT_4X6;
    this.fontAlignX = 3;
    this.fontAlignY = 3;
    this.fontRotate = 0;
    this.clip = { x1: 0, y1: 0, x2: this.width - 1, y2: this.height - 1 };
    this.cursorX = 0;
    this.cursorY = 0;
  }

  get colorMask(): number {
    return this.bpp >= 32 ? 0xffffffff : 2 ** this.bpp - 1;
  }

  // ---- lcd_arraybuffer.c ----

  private bitIndex(x: number, y: number): number {
    const o = this.o;
    if (o.zigzag && (y & 1)) x = this.width - (x + 1);
    if (o.interleaveX) {
      const h = this.height >> 1;
      let idx = 0;
      if (y >= h) { y -= h; idx = this.bpp; }
      return idx + (x + y * this.width) * (this.bpp << 1);
    }
    if (o.verticalByte) return ((x + (y >> 3) * this.width) << 3) | (y & 7);
    return (x + y * this.width) * this.bpp;
  }

  rawSet(x: number, y: number, col: number): void {
    const idx = this.bitIndex(x, y);
    let p = Math.floor(idx / 8);
    const b = this.bytes;
    if (this.bpp & 7) {
      const bit = idx & 7;
      const mask = (1 << this.bpp) - 1;
      const sh = this.o.msb ? 8 - (bit + this.bpp) : bit;
      b[p] = (b[p] & ~(mask << sh)) | ((col & mask) << sh);
    } else if (this.o.msb) {
      for (let i = this.bpp - 8; i >= 0; i -= 8) b[p++] = (col >>> i) & 255;
    } else {
      for (let i = 0; i < this.bpp; i += 8) b[p++] = (col >>> i) & 255;
    }
  }

  rawGet(x: number, y: number): number {
    const idx = this.bitIndex(x, y);
    let p = Math.floor(idx / 8);
    const b = this.bytes;
    if (this.bpp & 7) {
      const bit = idx & 7;
      const sh = this.o.msb ? 8 - (bit + this.bpp) : bit;
      return (b[p] >> sh) & ((1 << this.bpp) - 1);
    }
    let col = 0;
    if (this.o.msb) for (let i = this.bpp - 8; i >= 0; i -= 8) col += (b[p++] ?? 0) * 2 ** i;
    else for (let i = 0; i < this.bpp; i += 8) col += (b[p++] ?? 0) * 2 ** i;
    return col;
  }

  // ---- graphics.c ----

  toDevice(x: number, y: number): [number, number] {
    if (this.swapXY) { const t = x; x = y; y = t; }
    if (this.invertX) x = this.width - (x + 1);
    if (this.invertY) y = this.height - (y + 1);
    return [x, y];
  }

  private toDevice16(x: number, y: number): [number, number] {
    if (this.swapXY) { const t = x; x = y; y = t; }
    if (this.invertX) x = (this.width - 1) * 16 - x;
    if (this.invertY) y = (this.height - 1) * 16 - y;
    return [x, y];
  }

  fromDevice(x: number, y: number): [number, number] {
    if (this.invertX) x = this.width - (x + 1);
    if (this.invertY) y = this.height - (y + 1);
    if (this.swapXY) { const t = x; x = y; y = t; }
    return [x, y];
  }

  getWidth(): number { return this.swapXY ? this.height : this.width; }
  getHeight(): number { return this.swapXY ? this.width : this.height; }

  private markModified(x1: number, y1: number, x2: number, y2: number): void {
    const m = this.mod;
    if (x1 < m.minX) m.minX = x1;
    if (x2 > m.maxX) m.maxX = x2;
    if (y1 < m.minY) m.minY = y1;
    if (y2 > m.maxY) m.maxY = y2;
  }

  setPixelDevice(x: number, y: number, col: number): void {
    const c = this.clip;
    if (x < c.x1 || y < c.y1 || x > c.x2 || y > c.y2) return;
    this.markModified(x, y, x, y);
    this.rawSet(x, y, col);
  }

  getPixelDevice(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return 0;
    return this.rawGet(x, y);
  }

  fillRectDevice(x1: number, y1: number, x2: number, y2: number, col: number): void {
    if (x1 > x2) { const t = x1; x1 = x2; x2 = t; }
    if (y1 > y2) { const t = y1; y1 = y2; y2 = t; }
    const c = this.clip;
    if (x1 < c.x1) x1 = c.x1;
    if (y1 < c.y1) y1 = c.y1;
    if (x2 > c.x2) x2 = c.x2;
    if (y2 > c.y2) y2 = c.y2;
    if (x2 < x1 || y2 < y1) return;
    this.markModified(x1, y1, x2, y2);
    for (let y = y1; y <= y2; y++) for (let x = x1; x <= x2; x++) this.rawSet(x, y, col);
  }

  setPixel(x: number, y: number, col: number): void { const [dx, dy] = this.toDevice(x, y); this.setPixelDevice(dx, dy, col); }
  getPixel(x: number, y: number): number { const [dx, dy] = this.toDevice(x, y); return this.getPixelDevice(dx, dy); }

  fillRect(x1: number, y1: number, x2: number, y2: number, col: number): void {
    [x1, y1] = this.toDevice(x1, y1);
    [x2, y2] = this.toDevice(x2, y2);
    this.fillRectDevice(x1, y1, x2, y2, col);
  }

  clear(): void { this.fillRectDevice(0, 0, this.width - 1, this.height - 1, this.bg); }

  drawRect(x1: number, y1: number, x2: number, y2: number): void {
    [x1, y1] = this.toDevice(x1, y1);
    [x2, y2] = this.toDevice(x2, y2);
    this.fillRectDevice(x1, y1, x2, y1, this.fg);
    this.fillRectDevice(x2, y1, x2, y2, this.fg);
    this.fillRectDevice(x1, y2, x2, y2, this.fg);
    this.fillRectDevice(x1, y2, x1, y1, this.fg);
  }

  drawLine(x1: number, y1: number, x2: number, y2: number): void {
    [x1, y1] = this.toDevice(x1, y1);
    [x2, y2] = this.toDevice(x2, y2);
    let xl = Math.abs(x2 - x1);
    let yl = Math.abs(y2 - y1);
    if (xl > yl) {
      if (x1 > x2) { let t = x1; x1 = x2; x2 = t; t = y1; y1 = y2; y2 = t; } else if (xl === 0) xl = 1;
      let pos = (y1 << 8) + 128;
      const step = idiv((y2 - y1) << 8, xl);
      for (let x = x1; x <= x2; x++) { this.setPixelDevice(x, pos >> 8, this.fg); pos += step; }
    } else {
      if (y1 > y2) { let t = x1; x1 = x2; x2 = t; t = y1; y1 = y2; y2 = t; } else if (yl === 0) yl = 1;
      let pos = (x1 << 8) + 128;
      const step = idiv((x2 - x1) << 8, yl);
      for (let y = y1; y <= y2; y++) { this.setPixelDevice(pos >> 8, y, this.fg); pos += step; }
    }
  }

  private ellipseCorners(x1: number, y1: number, x2: number, y2: number): [number, number, number, number] {
    [x1, y1] = this.toDevice(x1, y1);
    [x2, y2] = this.toDevice(x2, y2);
    if (x1 > x2) { const t = x1; x1 = x2; x2 = t; }
    if (y1 > y2) { const t = y1; y1 = y2; y2 = t; }
    return [idiv(x1 + x2, 2), idiv(y1 + y2, 2), idiv(x2 - x1, 2), idiv(y2 - y1, 2)];
  }

  drawEllipse(x1: number, y1: number, x2: number, y2: number): void {
    const [px, py, rx, ry] = this.ellipseCorners(x1, y1, x2, y2);
    let dx = 0;
    let dy = ry;
    const a2 = rx * rx;
    const b2 = ry * ry;
    let err = b2 - (2 * ry - 1) * a2;
    let changed: boolean;
    const fg = this.fg;
    do {
      changed = false;
      this.setPixelDevice(px + dx, py + dy, fg);
      this.setPixelDevice(px - dx, py + dy, fg);
      this.setPixelDevice(px + dx, py - dy, fg);
      this.setPixelDevice(px - dx, py - dy, fg);
      const e2 = 2 * err;
      if (e2 < (2 * dx + 1) * b2) { dx++; err += (2 * dx + 1) * b2; changed = true; }
      if (e2 > -(2 * dy - 1) * a2) { dy--; err -= (2 * dy - 1) * a2; changed = true; }
    } while (changed && dy >= 0);
    while (dx++ < rx) {
      this.setPixelDevice(px + dx, py, fg);
      this.setPixelDevice(px - dx, py, fg);
    }
  }

  fillEllipse(x1: number, y1: number, x2: number, y2: number): void {
    const [px, py, a, b] = this.ellipseCorners(x1, y1, x2, y2);
    let dx = 0;
    let dy = b;
    const a2 = a * a;
    const b2 = b * b;
    let err = b2 - (2 * b - 1) * a2;
    let changed: boolean;
    const fg = this.fg;
    do {
      changed = false;
      const e2 = 2 * err;
      if (e2 < (2 * dx + 1) * b2) { dx++; err += (2 * dx + 1) * b2; changed = true; }
      if (e2 > -(2 * dy - 1) * a2) {
        this.fillRectDevice(px + dx, py + dy, px - dx, py + dy, fg);
        this.fillRectDevice(px + dx, py - dy, px - dx, py - dy, fg);
        dy--; err -= (2 * dy - 1) * a2; changed = true;
      }
    } while (changed && dy >= 0);
    while (dx++ < a) this.fillRectDevice(px + dx, py, px - dx, py, fg);
  }

  /** graphicsFillPoly: vertices in 1/16 pixel, as `short`s. */
  fillPoly16(vertsIn: number[]): void {
    const n = vertsIn.length >> 1;
    const vx = new Int16Array(n);
    const vy = new Int16Array(n);
    let miny = this.height - 1;
    let maxy = 0;
    for (let i = 0; i < n; i++) {
      const [x, y] = this.toDevice16(vertsIn[2 * i], vertsIn[2 * i + 1]);
      vx[i] = x;
      vy[i] = y;
      const yy = vy[i] >> 4;
      if (yy < miny) miny = yy;
      if (yy > maxy) maxy = yy;
    }
    if (miny < this.clip.y1) miny = this.clip.y1;
    if (maxy > this.clip.y2) maxy = this.clip.y2;
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
          if (x2 > x1) this.fillRectDevice(x1, yl, x2 - 1, yl, this.fg);
        }
      }
    }
  }

  // ---- fonts ----

  fontInfo(): FontInfo {
    const font = this.fontSize & FONT_MASK;
    const scale = this.fontSize & SCALE_MASK;
    if (scale & SCALE_X_Y) return { font, scalex: scale & SCALE_X_MASK, scaley: (scale & SCALE_Y_MASK) >> SCALE_Y_SHIFT };
    return { font, scalex: scale, scaley: scale };
  }

  fontHeight(info = this.fontInfo()): number {
    if (info.font === FONT_VECTOR) return info.scaley;
    if (info.font === FONT_4X6) return 6 * info.scaley;
    if (info.font === FONT_6X8 && this.o.has6x8) return 8 * info.scaley;
    // Custom fonts: only reachable here after a failed setFont (fontSize 0xFFFF), which has no height child.
    return 0;
  }

  charWidth(info: FontInfo, ch: number): number {
    if (info.font === FONT_VECTOR && ch < 256) return vectorCharWidth(info.scalex, ch);
    if (info.font === FONT_4X6 && ch < 256) return 4 * info.scalex;
    if (info.font === FONT_6X8 && this.o.has6x8 && ch < 256) return 6 * info.scalex;
    return 0;
  }

  /** _jswrap_graphics_stringMetrics: the whole string, or only the line starting at `lineStart`. */
  stringMetrics(str: string, lineStart = -1): { width: number; height: number; lineHeight: number; unrenderable: boolean } {
    const info = this.fontInfo();
    const fh = this.fontHeight(info);
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
        const w = this.charWidth(info, ch);
        width += w;
        if (w === 0) unrenderable = true;
      }
    }
    return { width: width > maxWidth ? width : maxWidth, height, lineHeight: fh, unrenderable };
  }

  private drawChar4x6(x1: number, y1: number, ch: number, sx: number, sy: number, solid: boolean): void {
    let idx = ch - FONT_4X6_FIRST;
    if (idx < 0 || idx >= FONT_4X6_CHARS) {
      if (solid) this.fillRect(x1, y1, x1 + 2 * sx, y1 + 5 * sy, this.bg);
      return;
    }
    const cidx = idx % 5;
    idx = Math.floor(idx / 5) * 6;
    for (let y = 0; y < 6; y++) {
      let line = GLYPHS_4X6[idx + y] >>> (cidx * 3);
      const ly = y * sy + y1;
      for (let x = 0; x < 3; x++) {
        const pixel = (line & 4) !== 0;
        if (solid || pixel) this.fillRect(x1 + x * sx, ly, x1 + (x + 1) * sx - 1, ly + sy - 1, pixel ? this.fg : this.bg);
        line <<= 1;
      }
    }
    if (solid) this.fillRect(x1 + 3 * sx, y1, x1 + 4 * sx - 1, y1 + sy * 6 - 1, this.bg);
  }

  private drawChar6x8(x1: number, y1: number, ch: number, sx: number, sy: number, solid: boolean): void {
    let idx = (ch & 255) - FONT_6X8_FIRST;
    if (idx < 0 || idx >= FONT_6X8_CHARS) {
      if (solid) this.fillRect(x1, y1, x1 + 5 * sx, y1 + 7 * sy, this.bg);
      return;
    }
    const cidx = idx % 6;
    idx = Math.floor(idx / 6) * 8;
    for (let y = 0; y < 8; y++) {
      let line = GLYPHS_6X8[idx + y] >>> (cidx * 5);
      const ly = y * sy + y1;
      for (let x = 0; x < 5; x++) {
        const pixel = (line & 16) !== 0;
        if (solid || pixel) this.fillRect(x1 + x * sx, ly, x1 + (x + 1) * sx - 1, ly + sy - 1, pixel ? this.fg : this.bg);
        line <<= 1;
      }
    }
    if (solid) this.fillRect(x1 + 5 * sx, y1, x1 + 6 * sx - 1, y1 + sy * 8 - 1, this.bg);
  }

  /** vfGetCharFromPtr with graphicsFillPoly as the callback. */
  private drawVectorChar(x1: number, y1: number, sx: number, sy: number, ch: number): void {
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
      this.fillPoly16(verts);
    }
  }

  /** jswrap_graphics_drawString. */
  drawString(str: string, x: number, y: number, solid: boolean): void {
    const info = this.fontInfo();
    const fh = this.fontHeight(info);
    const old = [this.swapXY, this.invertX, this.invertY] as const;
    if (this.fontRotate === 1) {
      this.swapXY = !this.swapXY; this.invertX = !this.invertX;
      const t = this.width - (x + 1); x = y; y = t;
    } else if (this.fontRotate === 2) {
      this.invertX = !this.invertX; this.invertY = !this.invertY;
      x = this.width - (x + 1); y = this.height - (y + 1);
    } else if (this.fontRotate === 3) {
      this.swapXY = !this.swapXY; this.invertY = !this.invertY;
      const t = this.height - (y + 1); y = x; x = t;
    }
    try {
      const startx = x;
      if (this.fontAlignX < 2) x = startx - idiv(this.stringMetrics(str, 0).width * (this.fontAlignX + 1), 2);
      if (this.fontAlignY < 2) y -= idiv(this.stringMetrics(str).height * (this.fontAlignY + 1), 2);
      let [minX, minY] = this.fromDevice(this.clip.x1, this.clip.y1);
      let [maxX, maxY] = this.fromDevice(this.clip.x2, this.clip.y2);
      if (maxX < minX) { const t = minX; minX = maxX; maxX = t; }
      if (maxY < minY) { const t = minY; minY = maxY; maxY = t; }
      for (let i = 0; i < str.length; i++) {
        const ch = str.charCodeAt(i);
        if (ch === 10) {
          x = startx;
          if (this.fontAlignX < 2) x = startx - idiv(this.stringMetrics(str, i + 1).width * (this.fontAlignX + 1), 2);
          y += fh;
          continue;
        }
        if (ch === 0) continue;
        if (info.font === FONT_VECTOR && ch < 256) {
          const w = vectorCharWidth(info.scalex, ch);
          if (x > minX - w && x < maxX && y > minY - fh && y <= maxY) {
            if (solid) this.fillRect(x, y, x + w - 1, y + fh - 1, this.bg);
            this.drawVectorChar(x, y, info.scalex, info.scaley, ch);
          }
          x += w;
        } else if (info.font === FONT_4X6 && ch < 256) {
          if (x > minX - 4 * info.scalex && x < maxX && y > minY - fh && y <= maxY) this.drawChar4x6(x, y, ch, info.scalex, info.scaley, solid);
          x += 4 * info.scalex;
        } else if (info.font === FONT_6X8 && this.o.has6x8) {
          if (x > minX - 6 * info.scalex && x < maxX && y > minY - fh && y <= maxY) this.drawChar6x8(x, y, ch, info.scalex, info.scaley, solid);
          x += 6 * info.scalex;
        }
        // Custom-font state without font data (after a failed setFont): characters have width 0, nothing drawn.
      }
    } finally {
      [this.swapXY, this.invertX, this.invertY] = old;
    }
  }

  getFontName(): string | number {
    const f = this.fontSize & FONT_MASK;
    let name: string | undefined;
    if (f === FONT_VECTOR) name = "Vector";
    if (f === FONT_4X6) name = "4x6";
    if (f === FONT_6X8 && this.o.has6x8) name = "6x8";
    if (f & FONT_CUSTOM_BIT) name = "Custom";
    if (name === undefined) return this.fontSize;
    const scale = this.fontSize & SCALE_MASK;
    if (scale & SCALE_X_Y) return `${name}:${scale & SCALE_X_MASK}x${(scale & SCALE_Y_MASK) >> SCALE_Y_SHIFT}`;
    return scale > 1 ? `${name}:${scale}` : name;
  }

  /** jswrap_graphics_setFontSizeX. */
  setFontSize(size: number, isVector: boolean): void {
    if (isVector) {
      if (size < 1) size = 1;
      if (size > SCALE_MASK) size = SCALE_MASK;
    }
    this.fontSize = size & 0xffff;
  }
}

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

type Obj = Record<string, unknown>;

/**
 * The natives behind the prelude's `Graphics` class: one Surface per Graphics object (kept off the JS object, as
 * Espruino keeps its JsGraphics struct in a hidden child). Methods that chain return the object itself.
 */
export class GraphicsApi {
  private readonly surfaces = new WeakMap<object, Surface>();

  constructor(private readonly rt: Runtime, private readonly has6x8: boolean, private readonly newObject: () => Obj) {}

  /** Checks createArrayBuffer's arguments; returns the bytes the buffer needs. */
  check(width: unknown, height: unknown, bpp: unknown, opts: unknown): number {
    const w = toInt(width);
    const h = toInt(height);
    const b = toInt(bpp);
    if (w <= 0 || h <= 0 || w > 32767 || h > 32767) throw this.rt.newError("Error", "Invalid Size");
    if (![1, 2, 4, 8, 16, 24, 32].includes(b)) throw this.rt.newError("Error", "Invalid BPP");
    if (isObject(opts) && opts.vertical_byte) {
      if (b !== 1) throw this.rt.newError("Error", "vertical_byte only works for 1bpp ArrayBuffers");
      if (h & 7) throw this.rt.newError("Error", "height must be a multiple of 8 when using vertical_byte");
    }
    if (isObject(opts) && opts.buffer !== undefined && Object.prototype.toString.call(opts.buffer) !== "[object ArrayBuffer]") {
      throw this.rt.newError("Error", `'buffer' should be ArrayBuffer, got ${typeof opts.buffer}`);
    }
    return Surface.bytesNeeded(w, h, b);
  }

  init(self: object, width: unknown, height: unknown, bpp: unknown, opts: unknown, buffer: ArrayBuffer): void {
    const o = isObject(opts) ? opts : {};
    const surface = new Surface(new Uint8Array(buffer), {
      width: toInt(width), height: toInt(height), bpp: toInt(bpp),
      msb: o.msb === undefined ? true : Boolean(o.msb),
      verticalByte: Boolean(o.vertical_byte), zigzag: Boolean(o.zigzag), interleaveX: Boolean(o.interleavex),
      has6x8: this.has6x8,
    });
    this.surfaces.set(self, surface);
  }

  /** The Surface behind a Graphics object (tests and display models read pixels through it). */
  surfaceOf(self: object): Surface | undefined {
    return this.surfaces.get(self);
  }

  call(self: Obj, method: string, a: unknown[]): unknown {
    const s = this.surfaces.get(self);
    if (s === undefined) throw this.rt.newError("Error", "Graphics not initialised");
    const i = (k: number) => toInt(a[k]);
    switch (method) {
      case "getWidth": return s.getWidth();
      case "getHeight": return s.getHeight();
      case "getBPP": return s.bpp;
      case "reset": s.setFontSize(1 + FONT_4X6, false); s.resetState(); return self;
      case "clear": if (a[0]) s.resetState(); s.clear(); return self;
      case "fillRect": case "clearRect": {
        const [x1, y1, x2, y2] = rectArgs(a);
        s.fillRect(x1, y1, x2, y2, method === "fillRect" ? s.fg : s.bg);
        return self;
      }
      case "drawRect": { const [x1, y1, x2, y2] = rectArgs(a); s.drawRect(x1, y1, x2, y2); return self; }
      case "drawCircle": s.drawEllipse(i(0) - i(2), i(1) - i(2), i(0) + i(2), i(1) + i(2)); return self;
      case "fillCircle": s.fillEllipse(i(0) - i(2), i(1) - i(2), i(0) + i(2), i(1) + i(2)); return self;
      case "drawEllipse": s.drawEllipse(i(0), i(1), i(2), i(3)); return self;
      case "fillEllipse": s.fillEllipse(i(0), i(1), i(2), i(3)); return self;
      case "getPixel": return s.getPixel(i(0), i(1));
      case "setPixel": {
        s.setPixel(i(0), i(1), a[2] === undefined ? s.fg : this.toColor(s, a[2], undefined, undefined));
        s.cursorX = i(0); s.cursorY = i(1);
        return self;
      }
      case "toColor": return this.toColor(s, a[0], a[1], a[2]);
      case "setColor": s.fg = this.toColor(s, a[0], a[1], a[2]); return self;
      case "setBgColor": s.bg = this.toColor(s, a[0], a[1], a[2]); return self;
      case "getColor": return (s.fg & s.colorMask) >>> 0;
      case "getBgColor": return (s.bg & s.colorMask) >>> 0;
      case "setClipRect": {
        let [x1, y1] = s.toDevice(i(0), i(1));
        let [x2, y2] = s.toDevice(i(2), i(3));
        const cx = (v: number, max: number) => Math.min(Math.max(v, 0), max - 1);
        x1 = cx(x1, s.width); x2 = cx(x2, s.width); y1 = cx(y1, s.height); y2 = cx(y2, s.height);
        s.clip = { x1: Math.min(x1, x2), y1: Math.min(y1, y2), x2: Math.max(x1, x2), y2: Math.max(y1, y2) };
        return self;
      }
      case "setFontBitmap": s.setFontSize(1 + FONT_4X6, false); return self;
      case "setFontVector": s.setFontSize(i(0), true); return self;
      case "setFontAlign": {
        const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
        s.fontAlignX = clamp(i(0), -1, 1) & 3;
        s.fontAlignY = clamp(i(1), -1, 1) & 3;
        s.fontRotate = clamp(i(2), 0, 3);
        return self;
      }
      case "setFont": return this.setFont(self, s, a[0], a[1]);
      case "getFont": return s.getFontName();
      case "getFontHeight": return s.fontHeight();
      case "stringWidth": return s.stringMetrics(String(a[0])).width;
      case "stringMetrics": {
        const m = s.stringMetrics(String(a[0]));
        const r = this.newObject();
        r.width = m.width; r.height = m.height;
        if (m.unrenderable) r.unrenderableChars = true;
        return r;
      }
      case "drawString": s.drawString(String(a[0]), i(1), i(2), Boolean(a[3])); return self;
      case "drawLine": s.drawLine(i(0), i(1), i(2), i(3)); s.cursorX = i(2); s.cursorY = i(3); return self;
      case "moveTo": s.cursorX = i(0); s.cursorY = i(1); return self;
      case "lineTo": s.drawLine(s.cursorX, s.cursorY, i(0), i(1)); s.cursorX = i(0); s.cursorY = i(1); return self;
      case "drawPoly": return this.drawPoly(self, s, a[0], Boolean(a[1]));
      case "fillPoly": return this.fillPoly(self, s, a[0]);
      case "setRotation": {
        const r = i(0);
        s.swapXY = r === 1 || r === 3;
        s.invertX = r === 1 || r === 2;
        s.invertY = r === 2 || r === 3;
        if (a[1]) { if (s.swapXY) s.invertY = !s.invertY; else s.invertX = !s.invertX; }
        return self;
      }
      case "getModified": {
        const m = s.mod;
        if (m.minX > m.maxX) return undefined;
        const r = this.newObject();
        Object.assign(r, { x1: m.minX, y1: m.minY, x2: m.maxX, y2: m.maxY });
        if (a[0]) s.mod = { minX: 32767, minY: 32767, maxX: -32768, maxY: -32768 };
        return r;
      }
      default: throw this.rt.newError("TypeError", `Graphics.${method} is not emulated`);
    }
  }

  /** jswrap_graphics_setFont. Returns undefined (not the instance) if the name is not a string, as Espruino does. */
  private setFont(self: Obj, s: Surface, fontId: unknown, sizeArg: unknown): unknown {
    if (typeof fontId !== "string") return undefined;
    let size = toInt(sizeArg);
    let isVector = false;
    let sizeIdx = -1;
    if (fontId.startsWith("Vector")) { if (fontId.length > 6) sizeIdx = 6; isVector = true; }
    const colon = fontId.indexOf(":");
    if (colon >= 0) sizeIdx = colon + 1;
    let name = fontId;
    if (sizeIdx >= 0) {
      const sizeStr = fontId.substring(sizeIdx);
      const xi = sizeStr.indexOf("x");
      if (xi >= 0) {
        const clamp = (v: number) => Math.min(63, Math.max(0, v));
        size = clamp(toInt(sizeStr.substring(0, xi))) | (clamp(toInt(sizeStr.substring(xi + 1))) << SCALE_Y_SHIFT) | SCALE_X_Y;
      } else size = toInt(sizeStr);
      name = fontId.substring(0, sizeIdx > 0 ? sizeIdx - 1 : 0);
    }
    if (size < 1) size = 1;
    if (size > SCALE_MASK) size = SCALE_MASK;
    let sz = 0xffff;
    if (isVector) sz = size;
    else if (name === "" || name === "4x6") sz = size + FONT_4X6;
    if (this.has6x8 && name === "6x8") sz = size + FONT_6X8;
    if (sz === 0xffff) {
      const setter = self[`setFont${name}`];
      if (typeof setter === "function") {
        (setter as () => unknown).call(self);
        sz = size | (s.fontSize & FONT_MASK);
      }
    }
    // Espruino raises the error and still stores the (invalid) size: later text has no glyphs.
    s.setFontSize(sz, isVector);
    if (sz === 0xffff) throw this.rt.newError("Error", `Unknown font ${JSON.stringify(name)}`);
    return self;
  }

  private toColor(s: Surface, r: unknown, g: unknown, b: unknown): number {
    let rf: number;
    let gf: number;
    let bf: number;
    if (typeof r === "string") {
      const hex = (t: string) => (/^[0-9a-fA-F]+$/.test(t) ? parseInt(t, 16) : -1);
      if (r.length === 4) { rf = hex(r[1]) / 15; gf = hex(r[2]) / 15; bf = hex(r[3]) / 15; }
      else { rf = hex(r.substring(1, 3)) / 255; gf = hex(r.substring(3, 5)) / 255; bf = hex(r.substring(5, 7)) / 255; }
      if (rf < 0 || gf < 0 || bf < 0 || r.length > 7) {
        throw this.rt.newError("Error", "If Color is a String, it must be of the form '#rrggbb' or '#rgb'");
      }
    } else {
      rf = Number(r); gf = Number(g); bf = Number(b);
    }
    if (Number.isFinite(rf) && Number.isFinite(gf) && Number.isFinite(bf)) {
      const c8 = (v: number) => Math.min(255, Math.max(0, Math.trunc(v * 256)));
      const ri = c8(rf);
      const gi = c8(gf);
      const bi = c8(bf);
      if (s.bpp === 16) return (bi >> 3) | ((gi >> 2) << 5) | ((ri >> 3) << 11);
      if (s.bpp === 32) return (0xff000000 | bi | (gi << 8) | (ri << 16)) >>> 0;
      if (s.bpp === 24) return bi | (gi << 8) | (ri << 16);
      return ri + gi + bi >= 384 ? 0xffffffff : 0;
    }
    return (toInt(r) & s.colorMask) >>> 0;
  }

  private drawPoly(self: Obj, s: Surface, poly: unknown, closed: boolean): unknown {
    const pts = numbers(poly);
    if (pts === undefined) return undefined;
    let lx = 0, ly = 0, sx = 0, sy = 0, idx = 0;
    for (let k = 0; k + 1 < pts.length; k += 2) {
      const x = Math.trunc(pts[k] + 0.5);
      const y = Math.trunc(pts[k + 1] + 0.5);
      if (idx === 0) { sx = x; sy = y; } else s.drawLine(lx, ly, x, y);
      lx = x; ly = y; idx++;
    }
    s.cursorX = lx; s.cursorY = ly;
    if (closed) s.drawLine(lx, ly, sx, sy);
    return self;
  }

  private fillPoly(self: Obj, s: Surface, poly: unknown): unknown {
    const pts = numbers(poly);
    if (pts === undefined) return undefined;
    if (pts.length > 128) throw this.rt.newError("Error", "Maximum number of points (64) exceeded for fillPoly");
    s.fillPoly16(pts.map((v) => Math.min(32767, Math.max(-32768, Math.trunc(0.5 + v * 16)))));
    return self;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object";
}

function numbers(v: unknown): number[] | undefined {
  if (Array.isArray(v)) return v.map(Number);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, Number);
  return undefined;
}

/** _jswrap_graphics_getRect: (x1, y1, x2, y2) or ({x|x1, y|y1, x2, y2} | {x, y, w, h}) where x2 = x + w. */
function rectArgs(a: unknown[]): [number, number, number, number] {
  let x1 = 0, y1 = toInt(a[1]), x2 = toInt(a[2]), y2 = toInt(a[3]);
  const o = a[0];
  if (isObject(o)) {
    let w = -1, h = -1;
    if (o.x !== undefined) x1 = toInt(o.x);
    if (o.y !== undefined) y1 = toInt(o.y);
    if (o.x1 !== undefined) x1 = toInt(o.x1);
    if (o.y1 !== undefined) y1 = toInt(o.y1);
    if (o.x2 !== undefined) x2 = toInt(o.x2);
    if (o.y2 !== undefined) y2 = toInt(o.y2);
    if (o.w !== undefined) w = toInt(o.w);
    if (o.h !== undefined) h = toInt(o.h);
    if (w >= 0) x2 = x1 + w;
    if (h >= 0) y2 = y1 + h;
  } else x1 = toInt(o);
  return [x1, y1, x2, y2];
}
