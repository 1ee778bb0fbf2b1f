// Checks a parsed recipe against recipes/schema.json (the draft-07 subset generate-schema.ts emits); every error names its JSON path.
import schemaJson from "../../recipes/schema.json" with { type: "json" };

/** The subset of JSON Schema draft-07 that boards/generate-schema.ts emits. */
export interface Schema {
  $ref?: string; description?: string; type?: string; enum?: unknown[]; const?: unknown; pattern?: string;
  minimum?: number; maximum?: number; oneOf?: Schema[]; items?: Schema | Schema[];
  properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean;
}
export type Report = (path: string, message: string) => void;

const definitions = (schemaJson as { definitions: Record<string, Schema> }).definitions;
export const recipeRootSchema: Schema = { $ref: (schemaJson as Schema).$ref };

export const show = (v: unknown) => (v === undefined ? "undefined" : JSON.stringify(v));
const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
const isType = (v: unknown, type: string) => typeOf(v) === type || (type === "number" && typeof v === "number");
export const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeOf(v) === "object";
const resolve = (s: Schema): Schema => (s.$ref !== undefined ? resolve(definitions[s.$ref.replace("#/definitions/", "")]) : s);

/** Reports every way `value` breaks `schema`, each at the JSON path of the field concerned. */
export function walk(value: unknown, schema: Schema, path: string, report: Report): void {
  if (schema.$ref !== undefined) return walk(value, resolve(schema), path, report);
  if (schema.oneOf !== undefined) walkOneOf(value, schema.oneOf, path, report);
  if (schema.const !== undefined && value !== schema.const) return report(path, `must be ${show(schema.const)}, got ${show(value)}`);
  if (schema.type !== undefined && !isType(value, schema.type)) {
    return report(path, `expected ${schema.type}, got ${typeOf(value)} ${show(value)}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    report(path, `${show(value)} is not allowed (allowed: ${schema.enum.map(show).join(", ")})`);
  }
  if (schema.pattern !== undefined && typeof value === "string" && !new RegExp(schema.pattern).test(value)) {
    report(path, `${show(value)} does not match ${schema.pattern} (${schema.description ?? "see schema"})`);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) report(path, `${value} is not a finite number`);
    if (schema.minimum !== undefined && value < schema.minimum) report(path, `${value} is below the minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) report(path, `${value} exceeds the limit ${schema.maximum}`);
  }
  if (schema.properties !== undefined && isObject(value)) {
    const known = Object.keys(schema.properties);
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) report(join(path, key), `required field is missing (${schema.properties[key].description ?? "see schema"})`);
    }
    for (const key of Object.keys(value)) {
      // hasOwn: "__proto__", "constructor" or "prototype" must not find Object.prototype's members as known fields.
      if (Object.hasOwn(schema.properties, key)) walk(value[key], schema.properties[key], join(path, key), report);
      else if (schema.additionalProperties === false) report(join(path, key), `unknown field (allowed: ${known.join(", ")})`);
    }
  }
  if (schema.items !== undefined && Array.isArray(value)) {
    const items = schema.items;
    value.forEach((item, i) => {
      const itemSchema = Array.isArray(items) ? items[i] : items;
      if (itemSchema !== undefined) walk(item, itemSchema, join(path, i), report);
    });
  }
}

/** What a branch accepts, for messages: "number", "\"auto\"", "string", "Step object". */
function branchKind(branch: Schema): string {
  const s = resolve(branch);
  if (s.const !== undefined) return show(s.const);
  if (s.type === "object" && branch.$ref !== undefined) return `${branch.$ref.replace("#/definitions/", "")} object`;
  return s.type ?? "any";
}

/**
 * A union: no error if some branch accepts the value; else the errors of the branch of the value's JSON type
 * (of those, the one with fewest errors), or one line naming what is allowed.
 */
function walkOneOf(value: unknown, branches: Schema[], path: string, report: Report): void {
  const tries = branches.map((branch) => {
    const errors: [string, string][] = [];
    walk(value, branch, path, (p, m) => errors.push([p, m]));
    const s = resolve(branch);
    const sameType = s.const === undefined && (s.type === undefined || isType(value, s.type)); // a const's miss is said by the one-liner
    return { errors, sameType };
  });
  if (tries.some((t) => t.errors.length === 0)) return;
  const candidates = tries.filter((t) => t.sameType);
  if (candidates.length === 0) {
    return report(path, `expected ${branches.map(branchKind).join(" or ")}, got ${typeOf(value)} ${show(value)}`);
  }
  const best = candidates.reduce((a, b) => (b.errors.length < a.errors.length ? b : a));
  best.errors.forEach(([p, m]) => report(p, m));
}
