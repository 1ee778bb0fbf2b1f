// Named, typed access to messages for host code: types, lookup, validated encode and decode (over codec.ts).
import { decodePayload, encodePayload } from "./codec.ts";
import { formatOf } from "./format.ts";
import { MESSAGES, type Field, type FieldDef, type MessageDef } from "./schema.ts";

type Messages = (typeof MESSAGES)[number];
export type MessageName = Messages["name"];
export type CommandName = Extract<Messages, { kind: "command" }>["name"];
export type EventName = Extract<Messages, { kind: "event" }>["name"];
type Def<N extends MessageName> = Extract<Messages, { name: N }>;

type FieldValue<F> = F extends { type: "str" } ? string
  : F extends { type: "list"; of: infer R extends readonly FieldDef[] } ? FieldsObject<R>[]
  : number;
type FieldsObject<Fs extends readonly Field[]> = { [F in Fs[number] as F["name"]]: FieldValue<F> };

/** The fields of message N as an object, e.g. Body<"configSet"> = { key: number; index: number; value: number }. */
export type Body<N extends MessageName> = FieldsObject<Def<N>["fields"]>;
type ReplyMap = { [M in Extract<Messages, { kind: "command" }> as M["name"]]: M["reply"] };
/** The reply message of command C. */
export type ReplyOf<C extends CommandName> = Extract<ReplyMap[C], MessageName>;

export interface Decoded {
  id: number;
  name: MessageName;
  def: MessageDef;
  body: Record<string, unknown>;
}

const byName = new Map<string, MessageDef>();
const byId = new Map<number, MessageDef>();
const formats = new Map<number, string>();
for (const m of MESSAGES as readonly MessageDef[]) {
  if (byName.has(m.name) || byId.has(m.id)) throw new Error(`schema: duplicate message ${m.name} / 0x${m.id.toString(16)}`);
  byName.set(m.name, m);
  byId.set(m.id, m);
  formats.set(m.id, formatOf(m));
}

export function messageByName(name: string): MessageDef {
  const m = byName.get(name);
  if (m === undefined) throw new Error(`unknown message "${name}"`);
  return m;
}

export function messageById(id: number): MessageDef | undefined {
  return byId.get(id);
}

export function formatOfId(id: number): string | undefined {
  return formats.get(id);
}

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff], i8: [-0x80, 0x7f], u16: [0, 0xffff], i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff], i32: [-0x80000000, 0x7fffffff],
};

/** Checks values against the wire types; returns what is wrong, naming the field path, or undefined. */
function checkFields(fields: readonly Field[], body: Record<string, unknown>, path: string): string | undefined {
  if (typeof body !== "object" || body === null) return `${path}: expected an object`;
  for (const key of Object.keys(body)) {
    if (!fields.some((f) => f.name === key)) return `${path}.${key}: no such field (fields: ${fields.map((f) => f.name).join(", ") || "none"})`;
  }
  for (const field of fields) {
    const where = `${path}.${field.name}`;
    const value = body[field.name];
    if (field.type === "list") {
      if (!Array.isArray(value)) return `${where}: expected a list`;
      if (value.length > field.max) return `${where}: ${value.length} records exceed the limit of ${field.max}`;
      for (let i = 0; i < value.length; i++) {
        const problem = checkFields(field.of, value[i] as Record<string, unknown>, `${where}[${i}]`);
        if (problem !== undefined) return problem;
      }
    } else if (field.type === "str") {
      if (typeof value !== "string") return `${where}: expected a string`;
      if (value.length > (field.max ?? 0)) return `${where}: "${value}" is longer than ${field.max} characters`;
      if (!/^[\x20-\x7e]*$/.test(value)) return `${where}: "${value}" has characters other than printable ASCII`;
    } else {
      const [min, max] = RANGES[field.type];
      if (typeof value !== "number" || !Number.isInteger(value)) return `${where}: expected an integer, got ${JSON.stringify(value)}`;
      if (value < min || value > max) return `${where}: ${value} is out of range for ${field.type} (${min}..${max})`;
    }
  }
  return undefined;
}

function toValues(fields: readonly Field[], body: Record<string, unknown>): unknown[] {
  return fields.map((f) => f.type === "list"
    ? (body[f.name] as Record<string, unknown>[]).map((r) => toValues(f.of, r))
    : body[f.name]);
}

function toBody(fields: readonly Field[], values: unknown[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    body[f.name] = f.type === "list" ? (values[i] as unknown[][]).map((r) => toBody(f.of, r)) : values[i];
  });
  return body;
}

/** Validates and encodes a message body into its payload bytes. Throws RangeError naming the field. */
export function encodeMessage<N extends MessageName>(name: N, body: Body<N>): { id: number; payload: number[] } {
  const def = messageByName(name);
  const problem = checkFields(def.fields, body as Record<string, unknown>, name);
  if (problem !== undefined) throw new RangeError(problem);
  const payload: number[] = [];
  encodePayload(formats.get(def.id)!, toValues(def.fields, body as Record<string, unknown>), payload);
  return { id: def.id, payload };
}

/** Decodes a payload of message `id`; undefined if the id is unknown or the bytes do not fit its format. */
export function decodeMessage(id: number, payload: ArrayLike<number>, start = 0, end = payload.length): Decoded | undefined {
  const def = byId.get(id);
  if (def === undefined) return undefined;
  const values = decodePayload(formats.get(id)!, payload, start, end);
  if (values === undefined) return undefined;
  return { id, name: def.name as MessageName, def, body: toBody(def.fields, values) };
}
