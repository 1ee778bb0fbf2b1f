// CRC-16/MCRF4XX (poly 0x1021 reflected = 0x8408, init 0xFFFF, no final xor; check "123456789" = 0x6F91).

/** Continue a CRC-16/MCRF4XX over bytes[start..end). Start with crc = 0xFFFF. Portable: plain integer ops. */
export function crc16Update(crc: number, bytes: ArrayLike<number>, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    crc = crc ^ (bytes[i] & 0xff);
    for (let bit = 0; bit < 8; bit++) {
      if ((crc & 1) !== 0) crc = (crc >>> 1) ^ 0x8408;
      else crc = crc >>> 1;
    }
  }
  return crc & 0xffff;
}

export function crc16(bytes: ArrayLike<number>): number {
  return crc16Update(0xffff, bytes, 0, bytes.length);
}
