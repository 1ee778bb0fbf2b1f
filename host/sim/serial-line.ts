// A serial line in virtual time: bytes paced at a baud rate, delayed, and optionally dropped, corrupted or duplicated.
import type { Scheduler } from "./scheduler.ts";

export interface LineFaults {
  dropByte: number;
  corruptByte: number;
  duplicateChunk: number;
  /**
   * Bytes a busy receiver keeps of one back-to-back burst (0 or absent: all): the rest is lost, as when a receive
   * buffer overruns while the CPU is stalled, or as Espruino's Linux build loses all but the first 32-byte read.
   */
  burstLimit?: number;
}

export const NO_FAULTS: LineFaults = { dropByte: 0, corruptByte: 0, duplicateChunk: 0 };

/** One direction: what `send` gets arrives at `deliver` after `latencyUs`, paced at `baud` (10 bits a byte). */
export function serialLine(clock: Scheduler, random: () => number, faults: LineFaults, baud: number, latencyUs: number, deliver: (bytes: number[]) => void) {
  let lineFreeAtUs = 0;
  let burstBytes = 0;
  const burstLimit = faults.burstLimit ?? 0;
  const stats = { bytes: 0, dropped: 0, corrupted: 0, duplicated: 0, overrun: 0 };
  const send = (chunk: ArrayLike<number>) => {
    const out: number[] = [];
    // A burst runs while the line stays busy: a chunk sent before the last one has gone continues it.
    if (lineFreeAtUs <= clock.nowUs()) burstBytes = 0;
    let overrun = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (burstLimit > 0 && burstBytes++ >= burstLimit) { overrun++; continue; }
      if (random() < faults.dropByte) { stats.dropped++; continue; }
      let b = chunk[i];
      if (random() < faults.corruptByte) { b ^= 1 << Math.floor(random() * 8); stats.corrupted++; }
      out.push(b);
    }
    stats.overrun += overrun;
    const copies = random() < faults.duplicateChunk ? 2 : 1;
    if (copies === 2) stats.duplicated++;
    for (let c = 0; c < copies; c++) {
      const start = Math.max(clock.nowUs(), lineFreeAtUs);
      // Overrun bytes were on the wire (they keep the burst going); only the receiver lost them.
      lineFreeAtUs = start + ((out.length + overrun) * 10 * 1e6) / baud;
      stats.bytes += out.length;
      const bytes = out.slice();
      clock.at(lineFreeAtUs + latencyUs, () => deliver(bytes));
    }
  };
  return { send, stats };
}
