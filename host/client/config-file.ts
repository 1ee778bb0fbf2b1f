// The saved configuration file (`flowrig config save`/`load`): every key read into its layout, the document written, a file checked into writes.
import type { Identity } from "../../protocol/handshake.ts";
import type { HostLink } from "../../protocol/host-link.ts";
import { CONFIG_KEYS } from "../../protocol/schema.ts";
import { SYRINGE_CAPACITIES_UL, SYRINGE_DIAMETERS_UM, SYRINGE_NAMES } from "../domain/syringes.ts";
import { fileValue, keyIndices, parseValue, PUMP_NAMES, readConfig, type ConfigKey } from "./board-config.ts";

type Key = ConfigKey;
const KEYS: readonly Key[] = CONFIG_KEYS;
const SCOPES = ["pumps", "sensor", "safety"] as const;

const scopeOf = (k: Key) => (k.scope === "pump" ? "pumps" : k.scope);

/** Every key, both pumps, in the saved-file layout. */
export async function readAllConfig(link: HostLink) {
  const out: Record<string, Record<string, unknown>> = { pumps: { A: {}, B: {} }, sensor: {}, safety: {} };
  const reads = KEYS.flatMap((k) => keyIndices(k).map(async (index) => {
    const v = await readConfig(link, k, index);
    if (k.scope === "pump") (out.pumps[PUMP_NAMES[index]] as Record<string, unknown>)[k.name] = fileValue(k, v);
    else out[k.scope][k.name] = fileValue(k, v);
  }));
  await Promise.all(reads);
  // Key order as in the schema, whatever order the replies came in.
  const ordered = (scope: string, obj: Record<string, unknown>) => Object.fromEntries(KEYS.filter((k) => scopeOf(k) === scope && k.name in obj).map((k) => [k.name, obj[k.name]]));
  return {
    pumps: { A: ordered("pumps", out.pumps.A as Record<string, unknown>), B: ordered("pumps", out.pumps.B as Record<string, unknown>) },
    sensor: ordered("sensor", out.sensor), safety: ordered("safety", out.safety),
  };
}

/** The saved file: what was read from which board and firmware, then the values, then each key's unit. */
export function configDocument(values: Awaited<ReturnType<typeof readAllConfig>>, identity: Identity, savedAtIso: string) {
  return {
    flowrig: "configuration", version: 1, savedAt: savedAtIso,
    board: identity.board, firmware: identity.firmware, schemaHash: `0x${identity.schemaHash.toString(16).toUpperCase()}`,
    ...values,
    units: Object.fromEntries(KEYS.map((k) => [k.name, k.name === "syringe" ? "library name (or index)" : k.unit])),
  };
}

export interface ConfigAssignment { key: Key; index: number; value: number }

/**
 * Checks a whole saved file before anything is sent. `writes` are in an order that keeps syringe,
 * diameter and capacity consistent; `expect` is every value of the file, checked again at the end.
 */
export function planFile(json: unknown, file: string): { writes: ConfigAssignment[]; expect: ConfigAssignment[] } {
  const fail = (path: string, why: string): never => { throw new Error(`${file}: ${path}: ${why}`); };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("(root)", "expected a JSON object as written by flowrig config save");
  const root = json as Record<string, unknown>;
  const meta = new Set(["flowrig", "version", "savedAt", "board", "firmware", "schemaHash", "units", "notes", "note"]);
  for (const name of Object.keys(root)) if (!meta.has(name) && !(SCOPES as readonly string[]).includes(name)) fail(name, `unknown section; sections: ${SCOPES.join(", ")}`);
  const plan: ConfigAssignment[] = [];
  const expect: ConfigAssignment[] = [];
  const section = (path: string, obj: unknown, scope: string, index: number) => {
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) fail(path, "expected an object of key: value");
    const values = new Map<Key, number>();
    for (const [name, raw] of Object.entries(obj as Record<string, unknown>)) {
      const k = KEYS.find((x) => x.name === name && scopeOf(x) === scope);
      if (k === undefined) fail(`${path}.${name}`, `unknown key; keys here: ${KEYS.filter((x) => scopeOf(x) === scope).map((x) => x.name).join(", ")}`);
      if (!["string", "number", "boolean"].includes(typeof raw)) fail(`${path}.${name}`, `expected a number or a name, got ${JSON.stringify(raw)}`);
      try { values.set(k!, parseValue(k!, raw as string | number | boolean)); } catch (e) { fail(`${path}.${name}`, (e as Error).message); }
    }
    const byName = (n: string) => [...values.entries()].find(([k]) => k.name === n);
    const syringe = byName("syringe");
    const library = syringe !== undefined && syringe[1] !== 0;
    if (library) {
      for (const [n, table] of [["innerDiameterUm", SYRINGE_DIAMETERS_UM], ["capacityUl", SYRINGE_CAPACITIES_UL]] as const) {
        const given = byName(n);
        if (given !== undefined && given[1] !== table[syringe[1]]) {
          fail(`${path}.${n}`, `${given[1]} disagrees with syringe "${SYRINGE_NAMES[syringe[1]]}" (${table[syringe[1]]}); set syringe to "custom" (0) for a hand-measured syringe`);
        }
      }
    }
    // A library syringe sets diameter and capacity itself (written first); a custom size is written before syringe 0.
    const first = library ? [syringe[0]] : [];
    const last = !library && syringe !== undefined ? [syringe[0]] : [];
    const skip = library ? ["innerDiameterUm", "capacityUl"] : [];
    const middle = [...values.keys()].filter((k) => k.name !== "syringe" && !skip.includes(k.name));
    for (const k of [...first, ...middle, ...last]) plan.push({ key: k, index, value: values.get(k)! });
    for (const [k, value] of values) expect.push({ key: k, index, value });
  };
  if (root.pumps !== undefined) {
    if (typeof root.pumps !== "object" || root.pumps === null) fail("pumps", 'expected { "A": {...}, "B": {...} }');
    for (const name of Object.keys(root.pumps as object)) if (!(PUMP_NAMES as readonly string[]).includes(name)) fail(`pumps.${name}`, "pumps are A and B");
    PUMP_NAMES.forEach((p, i) => { const s = (root.pumps as Record<string, unknown>)[p]; if (s !== undefined) section(`pumps.${p}`, s, "pumps", i); });
  }
  for (const scope of ["sensor", "safety"]) if (root[scope] !== undefined) section(scope, root[scope], scope, 0);
  if (plan.length === 0) fail("(root)", "no configuration keys found");
  return { writes: plan, expect };
}
