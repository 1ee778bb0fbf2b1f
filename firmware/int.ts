// Integer helpers for the portable core: named operations each runtime implements exactly (here: Espruino's JS).
// The core writes idiv/imod/u32/lo16/bits rather than Math.floor(a / b), x | 0 or x >>> 0, whose results differ
// between JavaScript and Lua 5.1 (NodeMCU: 32-bit integers, a `bit` module that truncates, no >>>).

/**
 * a / b rounded down, for integers with |a|, |b| < 2^31 and b ≠ 0 (a double quotient never rounds across one).
 * `| 0` makes it an integer on Espruino, where Math.floor returns a float (a float property costs a variable more).
 */
export function idiv(a: number, b: number): number {
  return Math.floor(a / b) | 0;
}

/** a mod b with the sign of b (a − b·idiv(a, b)). */
export function imod(a: number, b: number): number {
  return a - b * idiv(a, b);
}

/** The low 32 bits of an integer as 0 … 2^32 − 1. */
export function u32(a: number): number {
  return a >>> 0;
}
