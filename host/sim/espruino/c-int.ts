// Integers as Espruino's C code reads and divides them: jsvGetInteger for arguments, `int` division for pixel maths.

/** C `int` division (truncates towards zero). */
export const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** jsvGetInteger: numbers truncate, NaN/undefined/objects give 0, numeric strings parse. */
export function toInt(v: unknown): number {
  const n = typeof v === "boolean" ? Number(v) : typeof v === "number" ? v : typeof v === "string" ? parseInt(v, 10) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) | 0 : 0;
}
