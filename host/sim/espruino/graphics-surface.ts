// A Graphics instance's state and its drawing primitives (rotation, clipping, pixels, rectangles, lines, ellipses): graphics.c, 2v29.
import { readPixel, writePixel, type PixelLayout } from "./arraybuffer-pixels.ts";
import { idiv } from "./c-int.ts";
import { FONT_4X6, SCALE_MASK } from "./font-size.ts";

export interface SurfaceOptions extends PixelLayout {
  /** Whether this build has the 6x8 font (USE_FONT_6X8: ESP32 and Linux builds, not the Pico/Original/WiFi). */
  has6x8: boolean;
}

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

  toDevice(x: number, y: number): [number, number] {
    if (this.swapXY) { const t = x; x = y; y = t; }
    if (this.invertX) x = this.width - (x + 1);
    if (this.invertY) y = this.height - (y + 1);
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
    writePixel(this.bytes, this.o, x, y, col);
  }

  getPixelDevice(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return 0;
    return readPixel(this.bytes, this.o, x, y);
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
    for (let y = y1; y <= y2; y++) for (let x = x1; x <= x2; x++) writePixel(this.bytes, this.o, x, y, col);
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

  /** jswrap_graphics_setFontSizeX. */
  setFontSize(size: number, isVector: boolean): void {
    if (isVector) {
      if (size < 1) size = 1;
      if (size > SCALE_MASK) size = SCALE_MASK;
    }
    this.fontSize = size & 0xffff;
  }
}
