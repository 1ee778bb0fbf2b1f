// Checks parsed JSON against a schema of the draft-07 subset generate-schema.ts emits (boards and recipes); every error names its JSON path.

/** The subset of JSON Schema draft-07 that generate-schema.ts emits. */
export interface Schema {
  $ref?: string; description?: string; type?: string; enum?: unknown[]; const?: unknown; pattern?: string;
  minimum?: number; maximum?: number; oneOf?: Schema[]; items?: Schema | Schema[]; minItems?: number; maxItems?: number;
  properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean;
}
export type Report = (path: string, message: string) => void;

/** A value of a collected definition that passed the schema, where it was found. */
export interface Found { path: string; ref: string; value: unknown }

export interface WalkerOptions {
  /** Extra checks for values of some definitions (a pin spec's syntax): a message refuses the value there, before its schema. */
  check?: Record<string, (value: unknown) => string | undefined>;
  /** Definitions whose values are collected when they pass (a board's pins, for the wiring rules); only from the oneOf branch taken. */
  collect?: readonly string[];
}

export interface SchemaWalker {
  /** The document's root schema ({ $ref } of the file). */
  readonly root: Schema;
  /** Reports every way `value` breaks `schema` (default: the root), each at the JSON path of the field concerned; returns what it collected. */
  walk(value: unknown, report: Report, schema?: Schema, path?: string): Found[];
}

export const show = (v: unknown) => (v === undefined ? "undefined" : JSON.stringify(v));
export const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);
const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
const isType = (v: unknown, type: string) => typeOf(v) === type || (type === "number" && typeof v === "number");
const isObject = (v: unknown): v is Record<string, unknown> => typeOf(v) === "object";
const refName = (s: Schema) => (s.$ref ?? "").replace("#/definitions/", "");

/** A walker over one generated schema file (its `definitions` and root `$ref`). */
export function schemaWalker(schemaJson: unknown, options: WalkerOptions = {}): SchemaWalker {
  const definitions = (schemaJson as { definitions: Record<string, Schema> }).definitions;
  const check = options.check ?? {};
  const collect = new Set(options.collect ?? []);
  const resolve = (s: Schema): Schema => (s.$ref !== undefined ? resolve(definitions[refName(s)]) : s);

  function walk(value: unknown, schema: Schema, path: string, report: Report, found: Found[]): void {
    if (schema.$ref !== undefined) {
      const name = refName(schema);
      const problem = Object.hasOwn(check, name) ? check[name](value) : undefined;
      if (problem !== undefined) return report(path, problem);
      let failed = false;
      walk(value, definitions[name], path, (p, m) => { failed = true; report(p, m); }, found);
      if (!failed && collect.has(name)) found.push({ path, ref: name, value });
      return;
    }
    if (schema.oneOf !== undefined) return walkOneOf(value, schema.oneOf, path, report, found);
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
        if (Object.hasOwn(schema.properties, key)) walk(value[key], schema.properties[key], join(path, key), report, found);
        else if (schema.additionalProperties === false) report(join(path, key), `unknown field (allowed: ${known.join(", ")})`);
      }
    }
    if (Array.isArray(value)) {
      const { minItems, maxItems } = schema;
      if (minItems !== undefined && minItems === maxItems && value.length !== minItems) {
        report(path, `expected exactly ${minItems} entries, got ${value.length}`);
      } else if (minItems !== undefined && value.length < minItems) {
        report(path, `${value.length} entries is below the minimum ${minItems}`);
      } else if (maxItems !== undefined && value.length > maxItems) {
        report(path, `${value.length} entries exceeds the limit ${maxItems}`);
      }
      const items = schema.items;
      if (items !== undefined) {
        value.forEach((item, i) => {
          const itemSchema = Array.isArray(items) ? items[i] : items;
          if (itemSchema !== undefined) walk(item, itemSchema, join(path, i), report, found);
        });
      }
    }
  }

  /** What a branch accepts, for messages: "number", "\"auto\"", "string", "Step object". */
  function branchKind(branch: Schema): string {
    const s = resolve(branch);
    if (s.const !== undefined) return show(s.const);
    if (s.type === "object" && branch.$ref !== undefined) return `${refName(branch)} object`;
    return s.type ?? "any";
  }

  /**
   * A union. Objects told apart by a `kind` constant (a board's link) are walked against the branch their kind names.
   * Otherwise: no error if some branch accepts the value; else the errors of the branch of the value's JSON type (of
   * those, the one with fewest errors), or one line naming what is allowed.
   */
  function walkOneOf(value: unknown, branches: Schema[], path: string, report: Report, found: Found[]): void {
    const kinds = branches.map((b) => resolve(b).properties?.kind?.const);
    if (isObject(value) && !kinds.includes(undefined)) {
      const index = kinds.indexOf(value.kind);
      if (index >= 0) return walk(value, branches[index], path, report, found);
      return report(join(path, "kind"), `${show(value.kind)} is not allowed (allowed: ${kinds.map(show).join(", ")})`);
    }
    const tries = branches.map((branch) => {
      const errors: [string, string][] = [];
      const kept: Found[] = [];
      walk(value, branch, path, (p, m) => errors.push([p, m]), kept);
      const s = resolve(branch);
      const sameType = s.const === undefined && (s.type === undefined || isType(value, s.type)); // a const's miss is said by the one-liner
      return { errors, kept, sameType };
    });
    const passed = tries.find((t) => t.errors.length === 0);
    if (passed !== undefined) { found.push(...passed.kept); return; }
    const candidates = tries.filter((t) => t.sameType);
    if (candidates.length === 0) {
      return report(path, `expected ${branches.map(branchKind).join(" or ")}, got ${typeOf(value)} ${show(value)}`);
    }
    const best = candidates.reduce((a, b) => (b.errors.length < a.errors.length ? b : a));
    best.errors.forEach(([p, m]) => report(p, m));
    found.push(...best.kept);
  }

  const root: Schema = { $ref: (schemaJson as Schema).$ref };
  return {
    root,
    walk(value, report, schema = root, path = "") {
      const found: Found[] = [];
      walk(value, schema, path, report, found);
      return found;
    },
  };
}
