// Opens whatever --port names: "sim" (the virtual rig in this process, host/sim), "tcp://host:port" or a serial device (host/node).
import type { Reopen } from "../client/reconnect.ts";
import type { ByteTransport } from "../client/transport.ts";
import { openSerialPort } from "../node/serial-port.ts";
import { openTcpPort } from "../node/tcp-port.ts";
import type { BenchSetup } from "../sim/virtual-rig.ts";

export type { BenchSetup };

export interface PortOptions {
  /** For "sim": the board profile, virtual seconds per wall second, and the bench to match. */
  board?: string;
  speed?: number;
  seed?: number;
  bench?: BenchSetup;
  baudRate?: number;
}

/** Throws a message that says what a port may be. */
export function parsePort(port: string): { kind: "sim" } | { kind: "tcp"; host: string; port: number } | { kind: "serial"; path: string } {
  if (port === "sim") return { kind: "sim" };
  if (port.startsWith("tcp://")) {
    const m = /^tcp:\/\/([^:/]+):(\d+)$/.exec(port);
    const n = m === null ? NaN : Number(m[2]);
    if (m === null || !(n > 0 && n < 65536)) throw new Error(`--port ${port}: write tcp://HOST:PORT with a port from 1 to 65535`);
    return { kind: "tcp", host: m[1], port: n };
  }
  if (port.startsWith("/")) return { kind: "serial", path: port };
  throw new Error(`--port ${port}: use "sim" (the virtual rig), tcp://HOST:PORT, or a serial device such as /dev/ttyACM0`);
}

/** Opens the port; `speed` tells the caller how fast board time runs against the wall clock (1 on real hardware). */
export async function openPort(port: string, o: PortOptions = {}): Promise<{ transport: ByteTransport; speed: number }> {
  const p = parsePort(port);
  if (p.kind === "sim") {
    const speed = o.speed ?? 1;
    // The emulator, the physics and the firmware build load only when the virtual rig is asked for.
    const { openSimPort } = await import("../sim/sim-port.ts");
    return { transport: await openSimPort({ boardId: o.board, speed, seed: o.seed, bench: o.bench }), speed };
  }
  if (p.kind === "tcp") return { transport: await openTcpPort(p.host, p.port), speed: o.speed ?? 1 };
  return { transport: await openSerialPort(p.path, o.baudRate), speed: o.speed ?? 1 };
}

/**
 * How to reopen the port a connection came through, from its description: tcp://HOST:PORT or a serial device path
 * (what the client's reconnector calls after a lost link). undefined for the in-process virtual rig: it cannot be
 * lost, and reopening it would boot another board.
 */
export function reopenerFor(transport: ByteTransport, baudRate?: number): Reopen | undefined {
  let kind: string;
  try { kind = parsePort(transport.description).kind; } catch { return undefined; }
  if (kind === "sim") return undefined;
  return async () => (await openPort(transport.description, { baudRate })).transport;
}
