// The simulator's link as a loopback TCP server: one host tool at a time, raw bytes both ways.
import { isIP, createServer, type Server, type Socket } from "node:net";
import { encodeFrame, FrameReader } from "../../protocol/frame.ts";
import { ERR_BUSY, MSG_IDENTIFY } from "../../protocol/generated.ts";
import { encodeMessage } from "../../protocol/messages.ts";
import type { SimLink, SimTransport } from "./serve.ts";

export interface TcpAddress {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

/** Board output held for a client that does not read before further output is dropped (as a full TX buffer). */
const MAX_QUEUED_BYTES = 1 << 20;

/** True for hosts that can only be reached from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

/** `tcp://HOST:PORT` with a loopback HOST; throws an Error that says what is wrong and what is allowed. */
export function parseListenUrl(text: string): TcpAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL: use tcp://127.0.0.1:PORT (PORT 0 picks a free port)`);
  }
  if (url.protocol !== "tcp:") throw new Error(`"${text}": only tcp:// is served, e.g. tcp://127.0.0.1:7000`);
  if (url.pathname !== "" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new Error(`"${text}": expected tcp://HOST:PORT and nothing more`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!isLoopbackHost(host)) {
    throw new Error(`"${text}": host ${host} is not loopback; this machine's network policy allows only 127.0.0.1, ::1 or localhost`);
  }
  if (url.port === "") throw new Error(`"${text}" has no port: use tcp://${url.hostname}:PORT (PORT 0 picks a free port)`);
  return { host, port: Number(url.port) };
}

export function formatTcpUrl(host: string, port: number): string {
  return `tcp://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Wall time a new client has to identify before it is dropped (a stray `nc`, a port scanner), by default. */
export const DEFAULT_IDENTIFY_TIMEOUT_MS = 10_000;
/** Wall time an identified client may send nothing before it is dropped (a host that hung without closing). */
const SILENT_CLIENT_MS = 120_000;
/** Wall time a refused client gets to send its identify so the refusal can answer it. */
const REFUSAL_WAIT_MS = 2_000;

export interface TcpOptions {
  /** Drop a client that has not identified within this many wall ms (default 10 s). */
  identifyTimeoutMs?: number;
}

/**
 * Answers a second host while the board is held: its identify gets the protocol's `busy` error (the host says "the
 * board is in use by another host"), then the socket closes.
 */
function refuse(socket: Socket): void {
  const reader = new FrameReader((body) => {
    if (body[1] !== MSG_IDENTIFY) return;
    const { id, payload } = encodeMessage("error", { code: ERR_BUSY, field: 255, limit: 0 });
    socket.end(Uint8Array.from(encodeFrame(body[0], id, payload)));
  }, () => {});
  socket.on("data", (chunk: Buffer) => reader.pushAll(chunk));
  socket.on("error", () => {});
  setTimeout(() => socket.destroy(), REFUSAL_WAIT_MS).unref();
}

/**
 * One client at a time: while a host tool is connected, further connections are refused (their identify is answered
 * `busy`, as a serial port already open elsewhere is busy), so a second tool can never interleave frames with the
 * first. A client that never identifies, or goes silent for minutes, is dropped so it cannot hold the rig for ever.
 */
export function tcpTransport(address: TcpAddress, options: TcpOptions = {}): SimTransport {
  let server: Server | undefined;
  let client: Socket | undefined;
  const peerOf = (s: Socket) => formatTcpUrl(s.remoteAddress ?? "?", s.remotePort ?? 0).slice("tcp://".length);
  const identifyTimeoutMs = options.identifyTimeoutMs ?? DEFAULT_IDENTIFY_TIMEOUT_MS;

  function accept(socket: Socket, link: SimLink): void {
    const peer = peerOf(socket);
    if (client !== undefined) {
      link.note({ kind: "refused", peer, detail: `one client at a time; ${peerOf(client)} is connected` });
      refuse(socket);
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    link.note({ kind: "connected", peer });
    let identified = false;
    const drop = (why: string) => {
      if (socket.destroyed) return;
      link.note({ kind: "refused", peer, detail: why });
      socket.destroy();
    };
    let lastDataMs = performance.now();
    const identifyTimer = setTimeout(() => drop(`dropped: no identify within ${identifyTimeoutMs / 1000} s`), identifyTimeoutMs);
    const silenceTimer = setInterval(() => {
      if (performance.now() - lastDataMs > SILENT_CLIENT_MS) drop(`dropped: silent for ${SILENT_CLIENT_MS / 1000} s`);
    }, SILENT_CLIENT_MS / 10);
    const frames = new FrameReader((body) => {
      if (body[1] !== MSG_IDENTIFY || identified) return;
      identified = true;
      clearTimeout(identifyTimer);
    }, () => {});
    socket.on("data", (chunk: Buffer) => {
      lastDataMs = performance.now();
      if (!identified) frames.pushAll(chunk);
      link.toBoard(new Uint8Array(chunk));
    });
    socket.on("close", () => { clearTimeout(identifyTimer); clearInterval(silenceTimer); });
    socket.on("error", () => {}); // 'close' follows
    socket.on("close", () => {
      if (client === socket) client = undefined;
      link.note({ kind: "disconnected", peer });
    });
  }

  return {
    open: (link) => new Promise((resolve, reject) => {
      const s = createServer((socket) => accept(socket, link));
      s.once("error", (e) => reject(new Error(`cannot listen on ${formatTcpUrl(address.host, address.port)}: ${e.message}`)));
      s.listen({ host: address.host, port: address.port, exclusive: true }, () => {
        server = s;
        s.on("error", (e) => link.failed(new Error(`tcp server failed: ${e.message}`)));
        const bound = s.address();
        resolve(typeof bound === "object" && bound !== null ? formatTcpUrl(bound.address, bound.port) : String(bound));
      });
    }),
    write: (bytes) => {
      if (client === undefined || !client.writable || client.writableLength > MAX_QUEUED_BYTES) return false;
      client.write(bytes);
      return true;
    },
    close: () => new Promise((resolve) => {
      client?.destroy();
      if (server === undefined) { resolve(); return; }
      server.close(() => resolve());
    }),
  };
}
