// Loads a program onto a board: begin, every segment in order, commit with the CRC-16 of the segment payloads.
import { crc16Update } from "../../protocol/crc16.ts";
import type { HostLink } from "../../protocol/host-link.ts";
import { encodeMessage, type Body } from "../../protocol/messages.ts";

export type Segment = Omit<Body<"programSegment">, "index">;

/** The checksum programCommit carries: CRC-16/MCRF4XX over each programSegment payload in order. */
export function programChecksum(segments: Segment[]): number {
  let crc = 0xffff;
  segments.forEach((s, index) => {
    const { payload } = encodeMessage("programSegment", { index, ...s });
    crc = crc16Update(crc, payload, 0, payload.length);
  });
  return crc;
}

/** Sends the program (pipelined in the link's window) and returns the board's programInfo. */
export async function loadProgram(link: HostLink, slot: number, name: string, segments: Segment[]): Promise<Body<"programInfo">> {
  await link.request("programBegin", { slot, name, segments: segments.length });
  await Promise.all(segments.map((s, index) => link.request("programSegment", { index, ...s })));
  return link.request("programCommit", { slot, checksum: programChecksum(segments) });
}
