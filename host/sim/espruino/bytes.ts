// Espruino's byte conventions: binary strings (one char per byte), byte flattening of write() arguments.

/** Flatten data as Espruino's `Serial.write`/`E.toUint8Array` do: strings (char codes & 0xFF), numbers, arrays, typed arrays, `{data, count}`. */
export function toBytes(data: unknown, out: number[] = []): number[] {
  if (typeof data === "string") for (let i = 0; i < data.length; i++) out.push(data.charCodeAt(i) & 0xff);
  else if (typeof data === "number" || typeof data === "boolean") out.push(Number(data) & 0xff);
  else if (ArrayBuffer.isView(data)) {
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof Uint8Array || Object.prototype.toString.call(data) === "[object Uint8Array]") out.push(...view);
    else for (const v of Array.from(data as unknown as ArrayLike<number>)) out.push(Number(v) & 0xff);
  } else if (Object.prototype.toString.call(data) === "[object ArrayBuffer]") out.push(...new Uint8Array(data as ArrayBuffer));
  else if (Array.isArray(data)) for (const item of data) toBytes(item, out);
  else if (data !== null && typeof data === "object" && "data" in data) {
    const count = Number((data as { count?: unknown }).count ?? 1);
    for (let i = 0; i < count; i++) toBytes((data as { data: unknown }).data, out);
  } else if (data !== undefined && data !== null) toBytes(String(data), out);
  return out;
}

export function bytesToBinaryString(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] & 0xff);
  return s;
}

export function btoa(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) throw new Error("btoa: character out of range");
  return Buffer.from(s, "latin1").toString("base64");
}

export function atob(s: string): string {
  return Buffer.from(s, "base64").toString("latin1");
}
