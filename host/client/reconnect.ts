// Re-establishing a lost link (TCP closed, serial unplugged, no answer): reopen the port with backoff, identify again,
// and tell a board that kept running (same boot count: its sample log is intact) from one that restarted.
import { SchemaMismatchError } from "../../protocol/handshake.ts";
import { LinkError, type HostLinkOptions } from "../../protocol/host-link.ts";
import { connectTransport, type Connection } from "./connection.ts";
import type { ByteTransport } from "./transport.ts";

/** Opens a fresh transport to the same board (the port-opening code knows how: host/cli/open-port.ts reopenerFor). */
export type Reopen = () => Promise<ByteTransport>;

/**
 * The board restarted since the run began: the program is over and the samples it held in RAM are gone (those it had
 * spilled to flash survive one reboot). `connection`, when given, is an open session with the restarted board.
 */
export class BoardRestartedError extends LinkError {
  constructor(message: string, readonly expectedBootCount: number, readonly bootCount: number, readonly connection?: Connection) {
    super(message, "restarted");
    this.name = "BoardRestartedError";
  }
}

/** A lost link that reopening the port may cure (not a refusal, not a schema mismatch, not a restart we detected). */
export function isConnectionLoss(error: unknown): boolean {
  return error instanceof LinkError && !(error instanceof BoardRestartedError);
}

export interface ReconnectOptions {
  /** The board must be this one (identity.board). */
  board?: string;
  /** The boot count the run began under; a different one means the board restarted. */
  bootCount?: number;
  /** Give up after this long without a session (default 120 s). */
  giveUpMs?: number;
  /** First wait before retrying (default 100 ms), doubled per failure up to maxDelayMs (default 2 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  linkOptions?: HostLinkOptions;
  /** Told about each failed attempt (for a progress line). */
  onAttempt?: (attempt: number, error: Error, nextDelayMs: number) => void;
}

/**
 * Opens the port again until a board answers identify, with exponential backoff. Refuses at once a board that speaks
 * another schema (SchemaMismatchError), another board, or the same board after a restart (BoardRestartedError).
 */
export async function reconnect(reopen: Reopen, o: ReconnectOptions = {}): Promise<Connection> {
  const deadline = performance.now() + (o.giveUpMs ?? 120_000);
  let delay = o.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    let conn: Connection | undefined;
    try {
      conn = await connectTransport(await reopen(), o.linkOptions);
    } catch (e) {
      if (e instanceof SchemaMismatchError) throw e;
      const error = e instanceof Error ? e : new Error(String(e));
      if (performance.now() + delay > deadline) {
        throw new LinkError(`could not reconnect after ${attempt} attempts: ${error.message}`, "timeout");
      }
      o.onAttempt?.(attempt, error, delay);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(o.maxDelayMs ?? 2000, delay * 2);
      continue;
    }
    const id = conn.identity;
    if (o.board !== undefined && id.board !== o.board) {
      await conn.close();
      throw new LinkError(`the port now answers as board "${id.board}", not "${o.board}": not resuming on another board`, "restarted");
    }
    if (o.bootCount !== undefined && id.bootCount !== o.bootCount) {
      throw new BoardRestartedError(
        `the board restarted (boot count ${o.bootCount} → ${id.bootCount}): the program stopped with it and the samples it held ` +
        `in RAM are lost`, o.bootCount, id.bootCount, conn); // the session stays open: what it spilled to flash can still be pulled
    }
    return conn;
  }
}

/** Makes `conn` use `fresh` from now on, in place, so every holder of `conn` (a Ctrl-C handler, a finally) sees it. */
export function adoptConnection(conn: Connection, fresh: Connection): void {
  conn.link = fresh.link;
  conn.identity = fresh.identity;
  conn.transport = fresh.transport;
  conn.close = fresh.close;
}

/**
 * A function that replaces a lost `conn` in place: closes what is left of it, reconnects, checks it is the same boot.
 * A restarted board is adopted too (so `conn` is a session with it) before BoardRestartedError is thrown.
 * undefined without `reopen` (a port that cannot be reopened, such as the in-process virtual rig).
 */
export function reconnector(conn: Connection, o: ReconnectOptions & { reopen?: Reopen } = {}): ((why: Error) => Promise<void>) | undefined {
  const reopen = o.reopen;
  if (reopen === undefined) return undefined;
  const board = o.board ?? conn.identity.board;
  const bootCount = o.bootCount ?? conn.identity.bootCount;
  return async () => {
    await conn.close().catch(() => {});
    try {
      adoptConnection(conn, await reconnect(reopen, { ...o, board, bootCount }));
    } catch (e) {
      if (e instanceof BoardRestartedError && e.connection !== undefined) adoptConnection(conn, e.connection);
      throw e;
    }
  };
}
