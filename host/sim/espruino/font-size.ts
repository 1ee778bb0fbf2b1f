// The font-size word of graphics.h: which font (bits 13..15) and its scale (bits 0..12, or x | y<<6 | 4096).
export const FONT_MASK = 7 << 13;
export const FONT_VECTOR = 0;
export const FONT_4X6 = 1 << 13;
export const FONT_6X8 = 2 << 13;
export const FONT_CUSTOM_BIT = 4 << 13;
export const SCALE_MASK = 8191;
export const SCALE_X_Y = 4096;
export const SCALE_Y_SHIFT = 6;
export const SCALE_X_MASK = 63;
export const SCALE_Y_MASK = 63 << SCALE_Y_SHIFT;

export interface FontInfo { font: number; scalex: number; scaley: number }

/** The font a font-size word names and its scale in x and in y. */
export function fontInfo(fontSize: number): FontInfo {
  const font = fontSize & FONT_MASK;
  const scale = fontSize & SCALE_MASK;
  if (scale & SCALE_X_Y) return { font, scalex: scale & SCALE_X_MASK, scaley: (scale & SCALE_Y_MASK) >> SCALE_Y_SHIFT };
  return { font, scalex: scale, scaley: scale };
}

/** getFont's answer: "4x6", "Vector:12", "6x8:2x3", "Custom"; the word itself when it names no font of this build. */
export function fontName(fontSize: number, has6x8: boolean): string | number {
  const f = fontSize & FONT_MASK;
  let name: string | undefined;
  if (f === FONT_VECTOR) name = "Vector";
  if (f === FONT_4X6) name = "4x6";
  if (f === FONT_6X8 && has6x8) name = "6x8";
  if (f & FONT_CUSTOM_BIT) name = "Custom";
  if (name === undefined) return fontSize;
  const scale = fontSize & SCALE_MASK;
  if (scale & SCALE_X_Y) return `${name}:${scale & SCALE_X_MASK}x${(scale & SCALE_Y_MASK) >> SCALE_Y_SHIFT}`;
  return scale > 1 ? `${name}:${scale}` : name;
}
