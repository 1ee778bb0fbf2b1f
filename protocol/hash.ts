// The schema hash: CRC-32 of the schema's canonical form (names, ids, types, limits; not the docs).
import { crc32 } from "./crc32.ts";
import { CAUSES, CONFIG_KEYS, ERRORS, FAULTS, MESSAGES, PROTOCOL_VERSION, PUMP_FLAGS, SAMPLE_FLAGS, STATES, type Field } from "./schema.ts";

function canonicalFields(fields: readonly Field[]): unknown[] {
  return fields.map((f) => f.type === "list"
    ? [f.name, f.type, f.max, canonicalFields(f.of)]
    : [f.name, f.type, "max" in f ? f.max ?? null : null, "unit" in f ? f.unit ?? null : null]);
}

/** The schema as a canonical string: any change a peer could notice changes it. */
export function canonicalSchema(): string {
  return JSON.stringify({
    version: PROTOCOL_VERSION,
    messages: MESSAGES.map((m) => [m.id, m.name, m.dir, m.kind, "reply" in m ? m.reply : null, canonicalFields(m.fields)]),
    errors: ERRORS.map((e) => [e.code, e.name]),
    states: STATES.map((s) => [s.code, s.name]),
    faults: FAULTS.map((f) => [f.bit, f.name]),
    causes: CAUSES.map((c) => [c.code, c.name]),
    pumpFlags: PUMP_FLAGS.map((f) => [f.bit, f.name]),
    sampleFlags: SAMPLE_FLAGS.map((f) => [f.bit, f.name]),
    config: CONFIG_KEYS.map((k) => [k.key, k.name, k.scope, k.unit, k.min, k.max, k.default]),
  });
}

/** The schema hash identify reports: CRC-32 of the canonical schema's UTF-8 (TextEncoder: the same in a browser). */
export function schemaHash(): number {
  return crc32(new TextEncoder().encode(canonicalSchema()));
}
