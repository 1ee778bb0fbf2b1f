// Graphics' methods on an ArrayBuffer (jswrap_graphics.c, Espruino 2v29): arguments read, the right drawing called.
// With graphics-surface.ts (graphics.c), graphics-text.ts (the fonts), arraybuffer-pixels.ts (lcd_arraybuffer.c): same
// pixel layout, same integer maths, same fonts, so a buffer drawn here is byte-for-byte the buffer a board would send.
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
import { bytesNeeded } from "./arraybuffer-pixels.ts";
import { toInt } from "./c-int.ts";
import { FONT_4X6, FONT_6X8, FONT_MASK, fontName, SCALE_MASK, SCALE_X_Y, SCALE_Y_SHIFT } from "./font-size.ts";
import { isObject, numbers, rectArgs } from "./graphics-args.ts";
import { fillPoly16 } from "./graphics-poly.ts";
import { Surface } from "./graphics-surface.ts";
import { drawString, fontHeight, stringMetrics } from "./graphics-text.ts";
import type { Runtime } from "./runtime.ts";

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
    return bytesNeeded(w, h, b);
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
      case "getFont": return fontName(s.fontSize, s.o.has6x8);
      case "getFontHeight": return fontHeight(s);
      case "stringWidth": return stringMetrics(s, String(a[0])).width;
      case "stringMetrics": {
        const m = stringMetrics(s, String(a[0]));
        const r = this.newObject();
        r.width = m.width; r.height = m.height;
        if (m.unrenderable) r.unrenderableChars = true;
        return r;
      }
      case "drawString": drawString(s, String(a[0]), i(1), i(2), Boolean(a[3])); return self;
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
    fillPoly16(s, pts.map((v) => Math.min(32767, Math.max(-32768, Math.trunc(0.5 + v * 16)))));
    return self;
  }
}
