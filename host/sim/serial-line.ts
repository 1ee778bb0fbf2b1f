// A serial line in virtual time: bytes paced at a baud rate, delayed, and optionally dropped, corrupted or duplicated.
import type { Scheduler } from "./scheduler.ts";

export interface LineFaults {
  dropByte: number;
  corruptByte: number;
  duplicateChunk: number;
}

export const NO_FAULTS: LineFaults = { dropByte: 0, corruptByte: 0, duplicateChunk: 0 };

/** One direction: what `send` gets arrives at `deliver` after `latencyUs`, paced at `baud` (10 bits a byte). */
export function serialLine(clock: Scheduler, random: () => number, faults: LineFaults, baud: number, latencyUs: number, deliver: (bytes: number[]) => void) {
  let lineFreeAtUs = 0;
  const stats = { bytes: 0, dropped: 0, corrupted: 0, duplicated: 0 };
  const send = (chunk: ArrayLike<number>) => {
    const out: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      if (random() < faults.dropByte) { stats.dropped++; continue; }
      let b = chunk[i];
      if (random() < faults.corruptByte) { b ^= 1 << Math.floor(random() * 8); stats.corrupted++; }
      out.push(b);
    }
    const copies = random() < faults.duplicateChunk ? 2 : 1;
    if (copies === 2) stats.duplicated++;
    for (let c = 0; c < copies; c++) {
      const start = Math.max(clock.nowUs(), lineFreeAtUs);
      lineFreeAtUs = start + (out.length * 10 * 1e6) / baud;
      stats.bytes += out.length;
      const bytes = out.slice();
      clock.at(lineFreeAtUs + latencyUs, () => deliver(bytes));
    }
  };
  return { send, stats };
}
