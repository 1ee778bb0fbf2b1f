// The virtual rig as a port, in this process: the real firmware bundle on an emulated board, paced against the wall clock.
import { DEFAULT_BOARD } from "../../boards/load.ts";
import { serveVirtualRig, type SimLink, type SimServer } from "./serve.ts";
import type { BenchSetup } from "./virtual-rig.ts";
import { pushTransport, type ByteTransport } from "../client/transport.ts";

export interface SimPortOptions {
  boardId?: string;
  seed?: number;
  /** Virtual seconds per wall second (default 1). */
  speed?: number;
  bench?: BenchSetup;
}

export async function openSimPort(options: SimPortOptions = {}): Promise<ByteTransport & { server: SimServer }> {
  let link!: SimLink;
  let server!: SimServer;
  const t = pushTransport(`virtual ${options.boardId ?? DEFAULT_BOARD}`, (bytes) => link.toBoard(bytes), async () => { await server.close(); });
  server = await serveVirtualRig({
    boardId: options.boardId, seed: options.seed, speed: options.speed, bench: options.bench,
    transport: {
      open: async (l) => { link = l; l.note({ kind: "connected", peer: "in-process" }); return "in-process"; },
      write: (bytes) => { t.push(bytes); return true; },
      close: async () => { t.end(); },
    },
  });
  return Object.assign(t.transport, { server });
}
