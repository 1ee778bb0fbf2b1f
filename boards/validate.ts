// Checks a board profile against boards/schema.json and the pin tables; every error names file, field and what is allowed.
import schemaJson from "./schema.json" with { type: "json" };
import type { BoardProfile } from "./profile.ts";
import { schemaWalker, show, type Found, type Report } from "./schema-walk.ts";
import { CHIPS, describePins, type ChipPins } from "./pins.ts";
import { DRIVERS } from "./drivers.ts";

/** What each pin type of profile.ts allows: modifiers, whether it occupies the pin, what the pin must be able to do. */
const PIN_TYPES: Record<string, { modifiers: string; occupies: boolean; role: string; analog?: true; output?: true }> = {
  Pin: { modifiers: "^!", occupies: true, role: "an input" },
  OutputPin: { modifiers: "!", occupies: true, role: "an output", output: true },
  AnalogPin: { modifiers: "", occupies: true, role: "an analog input", analog: true },
  PinName: { modifiers: "", occupies: false, role: "a bare pin name" },
};

export interface ParsedPin { pin: string; inverted: boolean; pullUp: boolean }

/** "^!B3" -> { pin: "B3", inverted: true, pullUp: true }. Modifiers: "^" pull-up, "!" inverted, each at most once, before the name. */
export function parsePin(spec: string): ParsedPin {
  const result: ParsedPin = { pin: spec, inverted: false, pullUp: false };
  while (result.pin.startsWith("!") || result.pin.startsWith("^")) {
    const key = result.pin[0] === "!" ? "inverted" : "pullUp";
    if (result[key]) break;
    result[key] = true;
    result.pin = result.pin.slice(1);
  }
  if (!/^[A-Z]+[0-9]+$/.test(result.pin)) {
    throw new Error(`"${spec}" is not a pin: write the pin name with optional "^" (pull-up) and "!" (inverted) in front, e.g. "B3", "!B3", "^!A5"`);
  }
  return result;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema walk, with each pin-typed field's syntax checked first and every pin that passed collected for the wiring rules. */
const boardSchema = schemaWalker(schemaJson, {
  check: Object.fromEntries(Object.keys(PIN_TYPES).map((type) => [type, (value: unknown) => {
    if (typeof value !== "string") return undefined; // the schema says what it should be
    try { parsePin(value); return undefined; } catch (e) { return (e as Error).message; }
  }])),
  collect: Object.keys(PIN_TYPES),
});

/** Pin rules that need the chip's table: names, reserved pins, modifiers, capabilities, duplicates, I2C, drivers. */
function checkWiring(json: Record<string, unknown>, pins: Found[], boardId: string, report: Report): void {
  const specOf = (p: Found) => p.value as string;
  const chipName = json.chip as string;
  const chip: ChipPins | undefined = CHIPS[chipName as keyof typeof CHIPS];
  if (chip === undefined) return; // already reported by the schema walk
  const boardReserved = new Map<string, string>();
  if (Array.isArray(json.reservedPins)) for (const r of json.reservedPins) if (isObject(r)) boardReserved.set(String(r.pin), String(r.use));
  const usedBy = new Map<string, string>();
  for (const found of pins) {
    const { path, ref } = found;
    const spec = specOf(found);
    const rule = PIN_TYPES[ref];
    const { pin, pullUp, inverted } = parsePin(spec);
    if (!chip.pins.includes(pin)) {
      report(path, `${show(spec)} is not a pin of ${boardId} (${chipName}; allowed: ${describePins(chip.pins)})`);
      continue;
    }
    const reason = chip.reserved[pin] ?? (rule.occupies ? boardReserved.get(pin) : undefined);
    if (reason !== undefined) report(path, `${show(spec)}: ${pin} is reserved on ${boardId} (${reason}); choose a free pin`);
    for (const [flag, mark] of [[pullUp, "^"], [inverted, "!"]] as const) {
      if (flag && !rule.modifiers.includes(mark)) {
        report(path, `${show(spec)}: modifier "${mark}" does not apply to ${rule.role} (allowed: ${rule.modifiers === "" ? "none" : `"${rule.modifiers.split("").join('", "')}"`})`);
      }
    }
    if (pullUp && chip.noPullUp.includes(pin)) report(path, `${show(spec)}: ${pin} has no internal pull-up on ${chipName}; fit an external resistor and write "${pin}"`);
    if (rule.output && chip.inputOnly.includes(pin)) report(path, `${show(spec)}: ${pin} is input-only on ${chipName} (output-capable: ${describePins(chip.pins.filter((p) => !chip.inputOnly.includes(p) && chip.reserved[p] === undefined))})`);
    if (rule.analog && !chip.analog.includes(pin)) report(path, `${show(spec)}: ${pin} is not ADC-capable on ${chipName} (analog pins: ${describePins(chip.analog)})`);
    if (!rule.occupies) continue;
    const other = usedBy.get(pin);
    if (other !== undefined) report(path, `${show(spec)}: pin ${pin} is already used by ${other}`);
    else usedBy.set(pin, path);
  }
  const display = json.display;
  if (isObject(display) && display.bus === "I2C1") {
    for (const line of ["scl", "sda"] as const) {
      const allowed = chip.i2c.I2C1[line];
      const spec = display[line];
      if (typeof spec === "string" && pins.some((p) => p.path === `display.${line}`) && !allowed.includes(parsePin(spec).pin)) {
        report(`display.${line}`, `${show(spec)} is not an I2C1 ${line.toUpperCase()} pin on ${chipName} (allowed: ${describePins(allowed)})`);
      }
    }
  }
  const pumps = Array.isArray(json.pumps) ? json.pumps : [];
  pumps.forEach((pump, i) => {
    const driver = isObject(pump) ? DRIVERS[pump.driver as keyof typeof DRIVERS] : undefined;
    if (driver === undefined || !isObject(pump)) return;
    const enable = pins.find((p) => p.path === `pumps[${i}].enable`);
    if (enable !== undefined && driver.enableActiveLow && !parsePin(specOf(enable)).inverted) {
      report(enable.path, `${show(specOf(enable))} drives the ${pump.driver}'s ENABLE input, which is active low: write "!${parsePin(specOf(enable)).pin}"`);
    }
    if (pump.diag !== undefined && !driver.hasDiag) {
      report(`pumps[${i}].diag`, `the ${pump.driver} has no DIAG output (drivers with one: ${Object.keys(DRIVERS).filter((d) => DRIVERS[d as keyof typeof DRIVERS].hasDiag).join(", ")})`);
    }
  });
}

/** Every problem with a parsed board file, as "file: field: what is wrong (what is allowed)" lines; [] if it is valid. */
export function boardErrors(json: unknown, fileName: string): string[] {
  const errors: string[] = [];
  const report: Report = (path, message) => errors.push(`${fileName}: ${path === "" ? "(root)" : path}: ${message}`);
  const pins = boardSchema.walk(json, report);
  const boardId = fileName.replace(/^.*\//, "").replace(/\.json$/, "");
  if (isObject(json)) checkWiring(json, pins, boardId, report);
  return errors;
}

/** Thrown by validateBoard; `errors` holds one line per problem. */
export class BoardValidationError extends Error {
  constructor(readonly errors: string[]) {
    super(`${errors.length} error${errors.length === 1 ? "" : "s"} in board profile:\n${errors.join("\n")}`);
    this.name = "BoardValidationError";
  }
}

/** Returns json typed as a BoardProfile, or throws one BoardValidationError listing every problem. */
export function validateBoard(json: unknown, fileName: string): BoardProfile {
  const errors = boardErrors(json, fileName);
  if (errors.length > 0) throw new BoardValidationError(errors);
  return json as BoardProfile;
}
