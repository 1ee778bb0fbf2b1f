// A 128x64 SSD1306 OLED on the board's I2C pins: decodes the command/data stream into GDDRAM and shows it as the
// panel would, with a frame counter and the virtual time of each completed frame.
//
// Decoded (SSD1306 datasheet rev 1.1, §8.1.5 I2C and §10 commands): control bytes (Co bit 7, D/C# bit 6: Co=0 →
// the rest of the transfer is commands or data; Co=1 → one byte, then another control byte); command parameters
// may arrive in later transfers (the decoder keeps its state, which Espruino's module relies on); display on/off
// (AE/AF), contrast (81), entire display on (A4/A5), normal/inverse (A6/A7), memory addressing mode (20: horizontal,
// vertical, page), column/page windows (21/22), page-mode start column/page (00-1F, B0-B7), segment remap (A0/A1),
// COM scan direction (C0/C8), multiplex ratio (A8), display offset (D3), start line (40-7F), COM pins (DA),
// charge pump (8D). Parsed and ignored: clock (D5), precharge (D9), VCOMH (DB), NOP (E3), scrolling (26/27/29/2A/A3,
// 2E/2F — scrolling is not animated).
// Panel: mounted as on the common 0.96" modules, so that A1 + C8 (the init every driver sends) shows GDDRAM
// column 0, page 0, bit 0 at the top left. The panel is dark unless the display is on and the charge pump enabled
// (these modules have no external VCC). COM pins "sequential" (DA 02) on this 64-row panel interleaves rows, as the
// real panel shows. Frame: the write that wraps the address pointer back to the start of the window (horizontal or
// vertical mode), or writes the last column of the last page (page mode).
import { createHash } from "node:crypto";
import type { PinBus } from "../pins.ts";
import { i2cWires, type I2cDevice, type I2cTiming } from "../espruino/i2c.ts";
import { encodePng } from "../png.ts";

export const WIDTH = 128;
export const HEIGHT = 64;
const PAGES = HEIGHT / 8;

/** Parameter bytes each command takes (the rest take none). */
const PARAMS: Record<number, number> = {
  0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xa8: 1, 0xd3: 1, 0x8d: 1, 0xda: 1, 0xd5: 1, 0xd9: 1, 0xdb: 1,
  0x26: 6, 0x27: 6, 0x29: 5, 0x2a: 5, 0xa3: 2,
};

export interface Ssd1306Options {
  pins: PinBus;
  scl: string;
  sda: string;
  /** 7-bit I2C address (boards/*.json `display.address`: 60 = 0x3C). */
  address?: number;
}

export interface Ssd1306Frame {
  /** 1, 2, 3… */
  index: number;
  /** Virtual time the frame's last byte arrived. */
  timeUs: number;
}

export class Ssd1306 implements I2cDevice {
  readonly address: number;
  /** GDDRAM: 8 pages × 128 columns, bit 0 of a byte = the top row of its page. */
  readonly ram = new Uint8Array(WIDTH * PAGES);
  displayOn = false;
  contrast = 0x7f;
  inverted = false;
  entireOn = false;
  chargePump = false;
  /** 0 horizontal, 1 vertical, 2 page (reset default). */
  addressingMode = 2;
  colStart = 0;
  colEnd = WIDTH - 1;
  pageStart = 0;
  pageEnd = PAGES - 1;
  col = 0;
  page = 0;
  segRemap = false;
  comScanDec = false;
  multiplex = 63;
  displayOffset = 0;
  startLine = 0;
  comPins = 0x12;
  readonly frames: Ssd1306Frame[] = [];
  /** Counters for tests: bytes of GDDRAM data and command bytes (with parameters) received. */
  dataBytes = 0;
  commandBytes = 0;
  private cmd: number[] = [];
  private need = 0;
  private readonly frameListeners: ((f: Ssd1306Frame) => void)[] = [];
  readonly detach: () => void;

  constructor(o: Ssd1306Options) {
    this.address = o.address ?? 0x3c;
    this.detach = i2cWires(o.pins).attach(o.scl, o.sda, this);
  }

  get frameCount(): number {
    return this.frames.length;
  }

  onFrame(fn: (f: Ssd1306Frame) => void): void {
    this.frameListeners.push(fn);
  }

  /** One I2C write transaction. */
  write(bytes: Uint8Array, t: I2cTiming): void {
    let i = 0;
    const byteEndUs = (k: number) => t.startUs + (1 + 9 * (k + 2)) * t.bitUs;
    while (i < bytes.length) {
      const control = bytes[i++];
      const isData = (control & 0x40) !== 0;
      const single = (control & 0x80) !== 0;
      const end = single ? Math.min(i + 1, bytes.length) : bytes.length;
      for (; i < end; i++) {
        if (isData) this.data(bytes[i], byteEndUs(i));
        else this.command(bytes[i]);
      }
    }
  }

  private command(b: number): void {
    this.commandBytes++;
    if (this.need > 0) {
      this.cmd.push(b);
      if (--this.need === 0) this.apply(this.cmd);
      return;
    }
    const n = PARAMS[b] ?? 0;
    this.cmd = [b];
    this.need = n;
    if (n === 0) this.apply(this.cmd);
  }

  private apply(c: number[]): void {
    const op = c[0];
    if (op <= 0x0f) { if (this.addressingMode === 2) this.col = (this.col & 0xf0) | op; return; }
    if (op <= 0x1f) { if (this.addressingMode === 2) this.col = ((op & 0x07) << 4) | (this.col & 0x0f); return; }
    if (op >= 0x40 && op <= 0x7f) { this.startLine = op & 0x3f; return; }
    if (op >= 0xb0 && op <= 0xb7) { if (this.addressingMode === 2) this.page = op & 7; return; }
    switch (op) {
      case 0x20: this.addressingMode = c[1] & 3; if (this.addressingMode === 3) this.addressingMode = 2; break;
      case 0x21: this.colStart = c[1] & 0x7f; this.colEnd = c[2] & 0x7f; this.col = this.colStart; break;
      case 0x22: this.pageStart = c[1] & 7; this.pageEnd = c[2] & 7; this.page = this.pageStart; break;
      case 0x81: this.contrast = c[1]; break;
      case 0xa0: case 0xa1: this.segRemap = op === 0xa1; break;
      case 0xa4: case 0xa5: this.entireOn = op === 0xa5; break;
      case 0xa6: case 0xa7: this.inverted = op === 0xa7; break;
      case 0xa8: if ((c[1] & 0x3f) >= 15) this.multiplex = c[1] & 0x3f; break;
      case 0xae: case 0xaf: this.displayOn = op === 0xaf; break;
      case 0xc0: case 0xc8: this.comScanDec = op === 0xc8; break;
      case 0xd3: this.displayOffset = c[1] & 0x3f; break;
      case 0xda: this.comPins = c[1]; break;
      case 0x8d: this.chargePump = (c[1] & 0x04) !== 0; break;
      default: break; // timing, VCOM, scrolling, NOP
    }
  }

  private data(b: number, atUs: number): void {
    this.dataBytes++;
    this.ram[this.page * WIDTH + this.col] = b;
    let frameDone = false;
    if (this.addressingMode === 0) {
      if (++this.col > this.colEnd) {
        this.col = this.colStart;
        if (++this.page > this.pageEnd) { this.page = this.pageStart; frameDone = true; }
      }
    } else if (this.addressingMode === 1) {
      if (++this.page > this.pageEnd) {
        this.page = this.pageStart;
        if (++this.col > this.colEnd) { this.col = this.colStart; frameDone = true; }
      }
    } else {
      frameDone = this.page === PAGES - 1 && this.col === WIDTH - 1;
      this.col = this.col === WIDTH - 1 ? 0 : this.col + 1;
    }
    if (frameDone) {
      const f = { index: this.frames.length + 1, timeUs: atUs };
      this.frames.push(f);
      for (const fn of this.frameListeners) fn(f);
    }
  }

  /** GDDRAM bit for column `c`, RAM row `r` (0..63). */
  ramBit(c: number, r: number): number {
    return (this.ram[(r >> 3) * WIDTH + c] >> (r & 7)) & 1;
  }

  /** Whether the panel emits any light at all. */
  get lit(): boolean {
    return this.displayOn && this.chargePump;
  }

  /** What the panel shows now, row-major 128×64, 1 = lit (GDDRAM through remaps, offset, mux, invert, on/off). */
  pixels(): Uint8Array {
    const out = new Uint8Array(WIDTH * HEIGHT);
    if (!this.lit) return out;
    const rows = this.multiplex + 1;
    for (let com = 0; com < rows; com++) {
      // Display row `com` (COM output order) shows RAM row startLine + offset + com.
      const ramRow = (com + this.startLine + this.displayOffset) & 63;
      // COM output driving it, then the panel row that COM line is wired to.
      const comLine = this.comScanDec ? rows - 1 - com : com;
      const alt = (this.comPins & 0x10) !== 0;
      const wired = alt ? comLine : comLine < 32 ? 2 * comLine : 2 * (comLine - 32) + 1;
      // The panel is mounted so that C8 (scan N-1 → 0) puts RAM row 0 at the top.
      const py = HEIGHT - 1 - wired;
      if (py < 0 || py >= HEIGHT) continue;
      for (let px = 0; px < WIDTH; px++) {
        const c = this.segRemap ? px : WIDTH - 1 - px;
        const on = this.entireOn ? 1 : this.ramBit(c, ramRow) ^ (this.inverted ? 1 : 0);
        out[py * WIDTH + px] = on;
      }
    }
    return out;
  }

  /** SHA-256 (hex, first 16 chars) of pixels(): a compact snapshot for tests. */
  hash(): string {
    return createHash("sha256").update(this.pixels()).digest("hex").slice(0, 16);
  }

  /** Text art of pixels(): '#' lit, '.' dark, one line per row (optionally a sub-rectangle). */
  ascii(x0 = 0, y0 = 0, w = WIDTH, h = HEIGHT): string {
    const p = this.pixels();
    const lines: string[] = [];
    for (let y = y0; y < y0 + h; y++) {
      let s = "";
      for (let x = x0; x < x0 + w; x++) s += p[y * WIDTH + x] ? "#" : ".";
      lines.push(s);
    }
    return lines.join("\n");
  }

  /** PNG of the panel, each pixel `scale`×`scale`; lit pixels' brightness follows the contrast setting. */
  toPng(scale = 4): Buffer {
    const p = this.pixels();
    const on = Math.round(96 + (159 * this.contrast) / 255);
    const w = WIDTH * scale;
    const data = new Uint8Array(w * HEIGHT * scale);
    for (let y = 0; y < HEIGHT * scale; y++) {
      for (let x = 0; x < w; x++) data[y * w + x] = p[Math.floor(y / scale) * WIDTH + Math.floor(x / scale)] ? on : 0;
    }
    return encodePng({ width: w, height: HEIGHT * scale, channels: 1, data });
  }
}
