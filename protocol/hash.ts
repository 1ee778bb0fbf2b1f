// The schema hash: CRC-32 of the schema's canonical form (names, ids, types, limits; not the docs).
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

/** CRC-32 (ISO-HDLC, as zlib and Espruino's E.CRC32; check "123456789" = 0xCBF43926). */
export function crc32(bytes: ArrayLike<number>): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i];
    for (let bit = 0; bit < 8; bit++) crc = (crc & 1) !== 0 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function schemaHash(): number {
  return crc32(Buffer.from(canonicalSchema(), "utf8"));
}
