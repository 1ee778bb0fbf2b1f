// Where a pixel's bits sit in a Graphics ArrayBuffer, and reading and writing them (lcd_arraybuffer.c, Espruino 2v29).

/** How createArrayBuffer's options lay pixels out in the buffer. */
export interface PixelLayout {
  width: number;
  height: number;
  bpp: number;
  /** Pixels MSB-first within a byte (and big-endian for bpp > 8). Espruino's default since 2v25. */
  msb: boolean;
  verticalByte: boolean;
  zigzag: boolean;
  interleaveX: boolean;
}

/** Bytes a buffer of this size needs. */
export function bytesNeeded(width: number, height: number, bpp: number): number {
  return Math.floor((width * height * bpp + 7) / 8);
}

function bitIndex(o: PixelLayout, x: number, y: number): number {
  if (o.zigzag && (y & 1)) x = o.width - (x + 1);
  if (o.interleaveX) {
    const h = o.height >> 1;
    let idx = 0;
    if (y >= h) { y -= h; idx = o.bpp; }
    return idx + (x + y * o.width) * (o.bpp << 1);
  }
  if (o.verticalByte) return ((x + (y >> 3) * o.width) << 3) | (y & 7);
  return (x + y * o.width) * o.bpp;
}

/** Stores colour `col` at device pixel (x, y), which must be inside the buffer. */
export function writePixel(b: Uint8Array, o: PixelLayout, x: number, y: number, col: number): void {
  const idx = bitIndex(o, x, y);
  let p = Math.floor(idx / 8);
  if (o.bpp & 7) {
    const bit = idx & 7;
    const mask = (1 << o.bpp) - 1;
    const sh = o.msb ? 8 - (bit + o.bpp) : bit;
    b[p] = (b[p] & ~(mask << sh)) | ((col & mask) << sh);
  } else if (o.msb) {
    for (let i = o.bpp - 8; i >= 0; i -= 8) b[p++] = (col >>> i) & 255;
  } else {
    for (let i = 0; i < o.bpp; i += 8) b[p++] = (col >>> i) & 255;
  }
}

/** The colour at device pixel (x, y), which must be inside the buffer. */
export function readPixel(b: Uint8Array, o: PixelLayout, x: number, y: number): number {
  const idx = bitIndex(o, x, y);
  let p = Math.floor(idx / 8);
  if (o.bpp & 7) {
    const bit = idx & 7;
    const sh = o.msb ? 8 - (bit + o.bpp) : bit;
    return (b[p] >> sh) & ((1 << o.bpp) - 1);
  }
  let col = 0;
  if (o.msb) for (let i = o.bpp - 8; i >= 0; i -= 8) col += (b[p++] ?? 0) * 2 ** i;
  else for (let i = 0; i < o.bpp; i += 8) col += (b[p++] ?? 0) * 2 ** i;
  return col;
}
