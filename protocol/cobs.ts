// Consistent Overhead Byte Stuffing: frames never contain 0x00, so 0x00 alone marks a frame's end.

/** Encode bytes[0..length) into a new array without zeros (length + 1 bytes for payloads under 254). */
export function cobsEncode(bytes: ArrayLike<number>, length: number): number[] {
  const out: number[] = [0];
  let codeIndex = 0;
  let code = 1;
  for (let i = 0; i < length; i++) {
    const b = bytes[i];
    if (b === 0) {
      out[codeIndex] = code;
      codeIndex = out.length;
      out.push(0);
      code = 1;
    } else {
      out.push(b);
      code++;
      if (code === 0xff) {
        out[codeIndex] = code;
        codeIndex = out.length;
        out.push(0);
        code = 1;
      }
    }
  }
  out[codeIndex] = code;
  return out;
}

/** Decode a COBS block (without its 0x00 delimiter). Returns the bytes, or undefined if the block is malformed. */
export function cobsDecode(bytes: ArrayLike<number>, length: number): number[] | undefined {
  const out: number[] = [];
  let i = 0;
  while (i < length) {
    const code = bytes[i];
    if (code === 0 || i + code > length) return undefined;
    for (let k = 1; k < code; k++) {
      const b = bytes[i + k];
      if (b === 0) return undefined;
      out.push(b);
    }
    i += code;
    if (code !== 0xff && i < length) out.push(0);
  }
  return out;
}
