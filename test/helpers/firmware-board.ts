// Boots the firmware on the virtual rig and connects a host link to it in virtual time.
import { DEFAULT_BOARD } from "../../boards/load.ts";
import { bootVirtualRig, type VirtualRigOptions } from "../../host/sim/virtual-rig.ts";
import { settle, virtualLinkClock } from "../../host/sim/virtual-time.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { SCHEMA_HASH } from "../../protocol/generated.ts";
import { seededRandom } from "./random.ts";

export async function bootBoard(boardId = DEFAULT_BOARD, options: VirtualRigOptions = {}) {
  const v = await bootVirtualRig({ ...options, boardId });
  const host = new HostLink((bytes) => v.emu.host.write(bytes), { clock: virtualLinkClock(v.clock) });
  v.emu.host.onData((bytes) => host.feed(bytes));
  /** Sends a command and runs virtual time until it is answered. */
  const ask = <T>(p: Promise<T>) => settle(v.clock, p);
  return { ...v, host, ask };
}

/** Boots and opens a session. */
export async function connectedBoard(boardId = DEFAULT_BOARD, options: VirtualRigOptions = {}) {
  const b = await bootBoard(boardId, options);
  const identity = await b.ask(handshake(b.host, SCHEMA_HASH, seededRandom(options.seed ?? 1)));
  return { ...b, identity };
}
