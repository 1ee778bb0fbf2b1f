// Integral numeric literals written as integers: Espruino parses `1e3` (esbuild's minified 1000) as a float, and a float
// stored in a property costs a variable of its own (an integer in -4096…4095 shares the name's) and slows arithmetic.
import * as acorn from "acorn";

/** Largest integer Espruino keeps as a 32-bit JsVarInt literal. */
const INT_MAX = 2147483647;

/** `code` with every numeric literal in exponent or decimal-point form whose value is a 32-bit integer spelled in digits. */
export function integerLiterals(code: string): string {
  let out = "";
  let at = 0;
  for (const token of acorn.tokenizer(code, { ecmaVersion: 2020, sourceType: "module" })) {
    if (token.type !== acorn.tokTypes.num) continue;
    const raw = code.slice(token.start, token.end);
    const value = Number(raw);
    if (!/[eE.]/.test(raw) || /^0[xXbBoO]/.test(raw) || !Number.isInteger(value) || value > INT_MAX) continue;
    // `1e3.toFixed` would become `1000.toFixed`, which does not parse: such a literal stays as it is.
    if (code[token.end] === ".") continue;
    out += code.slice(at, token.start) + String(value);
    at = token.end;
  }
  return out + code.slice(at);
}
