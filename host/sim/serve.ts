// Serves a virtual rig's protocol link on a transport (TCP, pty), its virtual time paced against the wall clock.
import { DEFAULT_BOARD } from "../../boards/load.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOperator } from "./operator.ts";
import { Pacer } from "./pacer.ts";
import { bootVirtualRig, type BenchSetup, type VirtualRig } from "./virtual-rig.ts";

/** Board time the clock may run past a connected host's last byte (below the board's default 5 s host timeout, above the host's 1 s heartbeat). */
const HOST_HOLD_US = 4_000_000;
/** Wall time a connected host may be silent before the board's clock runs free again (the margin real hardware has). */
const HOST_SILENT_WALL_MS = 5_000;

/** Something that happened on the wire, for the operator (client connected, refused, gone). */
export interface TransportNote {
  kind: "connected" | "disconnected" | "refused";
  peer: string;
  detail?: string;
}

/** What a transport needs from the simulator. */
export interface SimLink {
  /** Bytes from the host tool, for the board. */
  toBoard(bytes: Uint8Array): void;
  note(note: TransportNote): void;
  /** The transport stopped on its own (socat died, the server failed): the simulator stops too. */
  failed(error: Error): void;
}

/** The simulator's end of a byte link: the wire a host tool plugs into. */
export interface SimTransport {
  /** Starts accepting; resolves with the address a host tool connects to (`tcp://…`, a pty path). */
  open(link: SimLink): Promise<string>;
  /** Bytes from the board to the connected host tool; false when nobody took them (dropped). */
  write(bytes: Uint8Array): boolean;
  close(): Promise<void>;
}

export interface SimStats {
  virtualMs: number;
  wallMs: number;
  bytesToBoard: number;
  bytesFromBoard: number;
  /** Board output nobody was connected to receive. */
  bytesDropped: number;
  /** Errors the firmware threw (the emulator captures them as a board prints them). */
  firmwareErrors: number;
}

export interface ServeOptions {
  boardId?: string;
  seed?: number;
  /** Virtual seconds per wall second: 1 = real time (default); 0 or Infinity = as fast as possible. */
  speed?: number;
  transport: SimTransport;
  /**
   * Deliberate hardware (`flowrig sim --rig FILE`): these syringes stay mounted whatever the board is told, so a
   * mismatch faults as on a real rig. Without it the operator loads the syringe the board is configured for whenever a
   * host sets a pump's volume (see operator.ts), starting from the firmware defaults (BD 10 mL).
   */
  bench?: BenchSetup;
  /** The board's flash (Storage) directory, kept; by default a fresh one, removed at close. */
  storageDir?: string;
  onNote?: (note: TransportNote) => void;
}

export interface SimServer {
  readonly address: string;
  readonly rig: VirtualRig;
  stats(): SimStats;
  /** Settles when the transport fails on its own (rejects with why); never resolves otherwise. */
  readonly failed: Promise<never>;
  /** Stops the clock and the transport; resolves with the final figures. */
  close(): Promise<SimStats>;
}

/** Boots the firmware on a virtual rig and bridges its protocol link to `transport` until `close()`. */
export async function serveVirtualRig(options: ServeOptions): Promise<SimServer> {
  const speed = options.speed === undefined ? 1 : options.speed === 0 ? Infinity : options.speed;
  if (!(speed > 0)) throw new RangeError(`speed must be > 0 (1 = real time) or 0 for as fast as possible, got ${options.speed}`);
  const storageDir = options.storageDir ?? mkdtempSync(join(tmpdir(), "flowrig-sim-flash-"));
  const rig = await bootVirtualRig({ boardId: options.boardId ?? DEFAULT_BOARD, seed: options.seed ?? 1, bench: options.bench, storageDir });
  const counts = { bytesToBoard: 0, bytesFromBoard: 0, bytesDropped: 0 };
  const operator = options.bench === undefined ? createOperator(rig.rig.pumps) : undefined;
  // While a host is connected the board's clock runs at most HOST_HOLD_US past the host's last byte, unless the host has
  // been silent on the wall clock for longer than a real host would be (HOST_SILENT_WALL_MS): a busy host machine or a fast
  // --speed never looks like a lost host to the board, while a host that really went quiet (or left) still does.
  // A pty has no connections: there a host is present from its first byte (and gone after the silence).
  const host = { present: false, lastUs: 0, lastWallMs: 0 };
  const pacer = new Pacer(rig.clock, speed, () =>
    host.present && performance.now() - host.lastWallMs < HOST_SILENT_WALL_MS ? host.lastUs + HOST_HOLD_US : Infinity);
  let rejectFailed: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => { rejectFailed = reject; });
  failed.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection

  rig.emu.host.onData((bytes) => {
    operator?.fromBoard(bytes);
    if (options.transport.write(bytes)) counts.bytesFromBoard += bytes.length;
    else counts.bytesDropped += bytes.length;
  });
  const removeStorage = () => { if (options.storageDir === undefined) rmSync(storageDir, { recursive: true, force: true }); };
  let address: string;
  try {
    address = await options.transport.open({
      toBoard: (bytes) => {
        if (pacer.running && !pacer.unlimited) pacer.advance(); // bring the board up to now: the bytes arrive at the current virtual time
        host.present = true;
        host.lastUs = rig.clock.nowUs();
        host.lastWallMs = performance.now();
        operator?.fromHost(bytes);
        counts.bytesToBoard += bytes.length;
        rig.emu.host.write(bytes);
        pacer.kick();
      },
      note: (n) => {
        if (n.kind === "connected") { host.present = true; host.lastUs = rig.clock.nowUs(); host.lastWallMs = performance.now(); }
        if (n.kind === "disconnected") host.present = false;
        options.onNote?.(n);
      },
      failed: (e) => rejectFailed(e),
    });
  } catch (e) {
    removeStorage();
    throw e;
  }
  pacer.start();
  const wallStart = performance.now();
  const stats = (): SimStats => ({
    virtualMs: pacer.elapsedUs() / 1000, wallMs: performance.now() - wallStart, ...counts,
    firmwareErrors: rig.emu.errors.length,
  });
  let closing: Promise<SimStats> | undefined;
  return {
    address, rig, failed, stats,
    close: () => {
      closing ??= (async () => {
        pacer.stop();
        const final = stats();
        await options.transport.close();
        removeStorage();
        return final;
      })();
      return closing;
    },
  };
}
