// Checks a board profile against boards/schema.json and the pin tables; every error names file, field and what is allowed.
import schemaJson from "./schema.json" with { type: "json" };
import type { BoardProfile } from "./profile.ts";
import { CHIPS, describePins, type ChipPins } from "./pins.ts";
import { DRIVERS } from "./drivers.ts";

/** The subset of JSON Schema draft-07 that generate-schema.ts emits. */
interface Schema {
  $ref?: string; description?: string; type?: string; enum?: unknown[]; const?: unknown; pattern?: string;
  minimum?: number; maximum?: number; oneOf?: Schema[]; items?: Schema | Schema[]; minItems?: number; maxItems?: number;
  properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean;
}
const definitions = (schemaJson as { definitions: Record<string, Schema> }).definitions;
const rootSchema: Schema = { $ref: (schemaJson as Schema).$ref };

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

const show = (v: unknown) => (v === undefined ? "undefined" : JSON.stringify(v));
const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
const isType = (v: unknown, type: string) => typeOf(v) === type || (type === "number" && typeof v === "number");
const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeOf(v) === "object";

interface Found { path: string; spec: string; type: string }
type Report = (path: string, message: string) => void;

/** Walks value against schema; reports schema errors and collects every pin-typed field that passed. */
function walk(value: unknown, schema: Schema, path: string, report: Report, pins: Found[]): void {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace("#/definitions/", "");
    if (PIN_TYPES[name] !== undefined && typeof value === "string") {
      try { parsePin(value); } catch (e) { return report(path, (e as Error).message); }
    }
    let failed = false;
    walk(value, definitions[name], path, (p, m) => { failed = true; report(p, m); }, pins);
    if (!failed && PIN_TYPES[name] !== undefined) pins.push({ path, spec: value as string, type: name });
    return;
  }
  if (schema.oneOf !== undefined) return walkOneOf(value, schema.oneOf, path, report, pins);
  if (schema.const !== undefined && value !== schema.const) return report(path, `must be ${show(schema.const)}, got ${show(value)}`);
  if (schema.type !== undefined && !isType(value, schema.type)) {
    return report(path, `expected ${schema.type}, got ${typeOf(value)} ${show(value)}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    report(path, `${show(value)} is not allowed (allowed: ${schema.enum.join(", ")})`);
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value as string)) {
    report(path, `${show(value)} does not match ${schema.pattern} (${schema.description ?? "see schema"})`);
  }
  if (schema.minimum !== undefined && (value as number) < schema.minimum) report(path, `${value} is below the minimum ${schema.minimum}`);
  if (schema.maximum !== undefined && (value as number) > schema.maximum) report(path, `${value} is above the maximum ${schema.maximum}`);
  if (schema.properties !== undefined && isObject(value)) {
    const known = Object.keys(schema.properties);
    for (const key of schema.required ?? []) {
      if (!(key in value)) report(join(path, key), `required field is missing (${schema.properties[key].description ?? "see schema"})`);
    }
    for (const key of Object.keys(value)) {
      if (schema.properties[key] !== undefined) walk(value[key], schema.properties[key], join(path, key), report, pins);
      else if (schema.additionalProperties === false) report(join(path, key), `unknown field (allowed: ${known.join(", ")})`);
    }
  }
  if (schema.items !== undefined && Array.isArray(value)) {
    if (schema.minItems !== undefined && schema.minItems === schema.maxItems && value.length !== schema.minItems) {
      report(path, `expected exactly ${schema.minItems} entries, got ${value.length}`);
    }
    const items = schema.items;
    value.forEach((item, i) => {
      const itemSchema = Array.isArray(items) ? items[i] : items;
      if (itemSchema !== undefined) walk(item, itemSchema, join(path, i), report, pins);
    });
  }
}

/** A union of objects told apart by a `kind` constant (Link); anything else: the branch with fewest errors. */
function walkOneOf(value: unknown, branches: Schema[], path: string, report: Report, pins: Found[]): void {
  const kinds: unknown[] = branches.map((b) => (b.$ref !== undefined ? definitions[b.$ref.replace("#/definitions/", "")] : b).properties?.kind?.const);
  if (isObject(value) && !kinds.includes(undefined)) {
    const index = kinds.indexOf(value.kind);
    if (index >= 0) return walk(value, branches[index], path, report, pins);
    return report(join(path, "kind"), `${show(value.kind)} is not allowed (allowed: ${kinds.join(", ")})`);
  }
  const tries = branches.map((branch) => {
    const errors: [string, string][] = [];
    const found: Found[] = [];
    walk(value, branch, path, (p, m) => errors.push([p, m]), found);
    return { errors, found };
  });
  const best = tries.reduce((a, b) => (b.errors.length < a.errors.length ? b : a));
  best.errors.forEach(([p, m]) => report(p, m));
  pins.push(...best.found);
}

/** Pin rules that need the chip's table: names, reserved pins, modifiers, capabilities, duplicates, I2C, drivers. */
function checkWiring(json: Record<string, unknown>, pins: Found[], boardId: string, report: Report): void {
  const chipName = json.chip as string;
  const chip: ChipPins | undefined = CHIPS[chipName as keyof typeof CHIPS];
  if (chip === undefined) return; // already reported by the schema walk
  const boardReserved = new Map<string, string>();
  if (Array.isArray(json.reservedPins)) for (const r of json.reservedPins) if (isObject(r)) boardReserved.set(String(r.pin), String(r.use));
  const usedBy = new Map<string, string>();
  for (const { path, spec, type } of pins) {
    const rule = PIN_TYPES[type];
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
    if (enable !== undefined && driver.enableActiveLow && !parsePin(enable.spec).inverted) {
      report(enable.path, `${show(enable.spec)} drives the ${pump.driver}'s ENABLE input, which is active low: write "!${parsePin(enable.spec).pin}"`);
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
  const pins: Found[] = [];
  walk(json, rootSchema, "", report, pins);
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
