// Payload codec driven by format strings: the same few loops encode and decode every message (portable subset).
//
// Format: one letter per field, little-endian integers: B u8, b i8, H u16, h i16, I u32, i i32,
// s<N> a string of at most N bytes (u8 length first, printable ASCII), *<N> a list of at most N
// records whose format is the rest of the string (u8 count first). Values travel as arrays in field
// order; a list's value is an array of record arrays.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads the number that follows position i in a format; returns [value, next position]. */
function readCount(format: string, i: number): number[] {
  let n = 0;
  while (i < format.length && isDigit(format.charCodeAt(i))) {
    n = n * 10 + (format.charCodeAt(i) - 48);
    i++;
  }
  return [n, i];
}

function intSize(t: string): number {
  if (t === "B" || t === "b") return 1;
  if (t === "H" || t === "h") return 2;
  if (t === "I" || t === "i") return 4;
  return 0;
}

function readInt(t: string, bytes: ArrayLike<number>, p: number): number {
  const size = intSize(t);
  let v = 0;
  let scale = 1;
  for (let k = 0; k < size; k++) {
    v += bytes[p + k] * scale;
    scale *= 256;
  }
  if ((t === "b" || t === "h" || t === "i") && v >= scale / 2) v -= scale;
  return v;
}

/**
 * Decodes fields of `format` from bytes[start..end). Returns [values, position after] or undefined
 * when the bytes do not fit the format (too short, string or list too long, bad character).
 */
function decodeFields(format: string, bytes: ArrayLike<number>, start: number, end: number): any[] | undefined {
  const values: any[] = [];
  let p = start;
  let i = 0;
  while (i < format.length) {
    const t = format.charAt(i);
    i++;
    if (t === "s") {
      const counted = readCount(format, i);
      i = counted[1];
      if (p >= end) return undefined;
      const len = bytes[p];
      if (len > counted[0] || p + 1 + len > end) return undefined;
      let s = "";
      for (let k = 0; k < len; k++) {
        const c = bytes[p + 1 + k];
        if (c < 32 || c > 126) return undefined;
        s += String.fromCharCode(c);
      }
      values.push(s);
      p += 1 + len;
    } else if (t === "*") {
      const counted = readCount(format, i);
      const recordFormat = format.substring(counted[1]);
      if (p >= end) return undefined;
      const count = bytes[p];
      if (count > counted[0]) return undefined;
      p++;
      const records: any[] = [];
      for (let r = 0; r < count; r++) {
        const rec = decodeFields(recordFormat, bytes, p, end);
        if (rec === undefined) return undefined;
        records.push(rec[0]);
        p = rec[1];
      }
      values.push(records);
      i = format.length;
    } else {
      const size = intSize(t);
      if (size === 0 || p + size > end) return undefined;
      values.push(readInt(t, bytes, p));
      p += size;
    }
  }
  return [values, p];
}

/** Decodes a whole payload; any byte left over makes it invalid. */
export function decodePayload(format: string, bytes: ArrayLike<number>, start: number, end: number): any[] | undefined {
  const result = decodeFields(format, bytes, start, end);
  if (result === undefined || result[1] !== end) return undefined;
  return result[0];
}

function writeInt(size: number, value: number, out: number[]): void {
  // Two's complement bytes, low first: & and >> see the value's 32 bits, signed or not, in JS and in Lua's bit library.
  let v = value;
  for (let k = 0; k < size; k++) {
    out.push(v & 0xff);
    v = v >> 8;
  }
}

/** Appends the encoding of `values` to `out`. Callers pass values that fit (the host checks them first). */
export function encodePayload(format: string, values: any[], out: number[]): void {
  let i = 0;
  let f = 0;
  while (i < format.length) {
    const t = format.charAt(i);
    i++;
    const value = values[f];
    f++;
    if (t === "s") {
      i = readCount(format, i)[1];
      const s: string = value;
      out.push(s.length);
      for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k) & 0xff);
    } else if (t === "*") {
      const recordFormat = format.substring(readCount(format, i)[1]);
      const records: any[] = value;
      out.push(records.length);
      for (let r = 0; r < records.length; r++) encodePayload(recordFormat, records[r], out);
      i = format.length;
    } else {
      writeInt(intSize(t), value, out);
    }
  }
}
