// Opens whatever --port names: "sim" (the virtual rig in this process), "tcp://host:port", or a serial device path.
import type { BenchSetup } from "../sim/virtual-rig.ts";
import { openSerialPort } from "./serial-port.ts";
import { openTcpPort } from "./tcp-port.ts";
import type { ByteTransport } from "./transport.ts";

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
    const { openSimPort } = await import("./sim-port.ts");
    return { transport: await openSimPort({ boardId: o.board, speed, seed: o.seed, bench: o.bench }), speed };
  }
  if (p.kind === "tcp") return { transport: await openTcpPort(p.host, p.port), speed: o.speed ?? 1 };
  return { transport: await openSerialPort(p.path, o.baudRate), speed: o.speed ?? 1 };
}
