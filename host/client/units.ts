// Volume and flow strings ("0.5mL", "500uL", "60mL/h", "1000uL/min") to the protocol's integers (nL, µL/h) and back.

/** nL per unit of volume. "u", "µ" (micro sign) and "μ" (Greek mu) all mean micro. */
const VOLUME_NL: Record<string, bigint> = { nl: 1n, ul: 1_000n, ml: 1_000_000n, l: 1_000_000_000n };
/** Time units per hour. */
const PER_HOUR: Record<string, bigint> = { h: 1n, hr: 1n, min: 60n, s: 3600n };

const NUMBER = String.raw`([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?`;
const VOLUME_RE = new RegExp(String.raw`^${NUMBER}\s*([nuµμm]?l)$`, "i");
const FLOW_RE = new RegExp(String.raw`^${NUMBER}\s*([nuµμm]?l)\s*/\s*(h|hr|min|s)$`, "i");

export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnitError";
  }
}

/** The decimal number as an exact fraction numerator / 10^scale. */
function exact(sign: string, digits: string, exponent: string | undefined): { numerator: bigint; scale: number } {
  const [whole, fraction = ""] = digits.split(".");
  let numerator = BigInt((whole || "0") + fraction);
  let scale = fraction.length - Number(exponent ?? 0);
  if (scale < 0) { numerator *= 10n ** BigInt(-scale); scale = 0; }
  return { numerator: sign === "-" ? -numerator : numerator, scale };
}

/** numerator × factor / 10^scale, rounded to the nearest integer (halves away from zero). */
function scaled(n: { numerator: bigint; scale: number }, factor: bigint): number {
  const denominator = 10n ** BigInt(n.scale);
  const product = n.numerator * factor;
  const magnitude = product < 0n ? -product : product;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return Number(product < 0n ? -rounded : rounded);
}

const unitKey = (unit: string) => unit.toLowerCase().replace(/[µμ]/g, "u");

/** "0.5mL", "500 uL", "500µL", "1e3 nL" → nanolitres (an integer, rounded to the nearest nL). */
export function parseVolumeNl(text: string): number {
  const m = VOLUME_RE.exec(text.trim());
  if (m === null) {
    throw new UnitError(`"${text}" is not a volume: write a number and a unit, e.g. 0.5mL, 500uL or 250nL`);
  }
  return scaled(exact(m[1], m[2], m[3]), VOLUME_NL[unitKey(m[4])]);
}

/** "60mL/h", "1000uL/min", "0.5 mL/min", "10 µL/s" → µL/h (an integer, rounded to the nearest µL/h). */
export function parseFlowUlPerH(text: string): number {
  const m = FLOW_RE.exec(text.trim());
  if (m === null) {
    throw new UnitError(`"${text}" is not a flow: write a number, a volume unit and a time unit, e.g. 60mL/h, 1000uL/min or 5uL/s`);
  }
  const nlPerUnit = VOLUME_NL[unitKey(m[4])];
  const perHour = PER_HOUR[m[5].toLowerCase()];
  // nL/unit → µL/h: × nlPerUnit × perHour / 1000, kept exact until the final rounding.
  const n = exact(m[1], m[2], m[3]);
  return scaled({ numerator: n.numerator * nlPerUnit * perHour, scale: n.scale + 3 }, 1n);
}

/** Trims trailing zeros of a fixed-point number ("1.500" → "1.5", "2.000" → "2"). */
function trim(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** Volume for people: "0.5 mL", "1.234 mL", "250 µL", "120 nL" (sign kept). */
export function formatVolumeNl(nl: number, digits = 3): string {
  const magnitude = Math.abs(nl);
  if (magnitude >= 1_000_000 || magnitude === 0) return `${trim((nl / 1e6).toFixed(digits))} mL`;
  if (magnitude >= 1000) return `${trim((nl / 1000).toFixed(1))} µL`;
  return `${nl} nL`;
}

/** Volume in mL, fixed digits, for aligned columns: "1.500 mL". */
export function formatMl(nl: number, digits = 3): string {
  return `${(nl / 1e6).toFixed(digits)} mL`;
}

/** Flow for people: µL/h → "60 mL/h", "0.5 mL/h", "12 µL/h". */
export function formatFlowUlPerH(ulPerH: number): string {
  const magnitude = Math.abs(ulPerH);
  if (magnitude >= 100 || magnitude === 0) return `${trim((ulPerH / 1000).toFixed(3))} mL/h`;
  return `${ulPerH} µL/h`;
}
