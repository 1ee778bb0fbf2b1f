// The argument shapes Graphics methods take, read as jswrap_graphics.c reads them: options, point lists, rectangles.
import { toInt } from "./c-int.ts";

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object";
}

export function numbers(v: unknown): number[] | undefined {
  if (Array.isArray(v)) return v.map(Number);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, Number);
  return undefined;
}

/** _jswrap_graphics_getRect: (x1, y1, x2, y2) or ({x|x1, y|y1, x2, y2} | {x, y, w, h}) where x2 = x + w. */
export function rectArgs(a: unknown[]): [number, number, number, number] {
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
