// Derives each message's compact codec format string from the schema (see codec.ts for the letters).
import type { Field, MessageDef } from "./schema.ts";

const LETTERS: Record<string, string> = { u8: "B", i8: "b", u16: "H", i16: "h", u32: "I", i32: "i" };

export function fieldsFormat(fields: readonly Field[]): string {
  let format = "";
  fields.forEach((field, index) => {
    if (field.type === "list") {
      if (index !== fields.length - 1) throw new Error(`list field ${field.name} must be the last field`);
      format += `*${field.max}${fieldsFormat(field.of)}`;
    } else if (field.type === "str") {
      format += `s${field.max}`;
    } else {
      format += LETTERS[field.type];
    }
  });
  return format;
}

export function formatOf(message: MessageDef): string {
  return fieldsFormat(message.fields);
}

/** Largest payload a message can have. */
export function maxPayloadOf(fields: readonly Field[]): number {
  let size = 0;
  for (const field of fields) {
    if (field.type === "list") size += 1 + field.max * maxPayloadOf(field.of);
    else if (field.type === "str") size += 1 + (field.max ?? 0);
    else size += { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4 }[field.type];
  }
  return size;
}
