// The simulator's link as a pseudo-terminal: socat joins PATH (for host tools) to PATH.sim (opened here), raw bytes.
import { spawn, type ChildProcess } from "node:child_process";
import { constants, createReadStream, createWriteStream, existsSync, lstatSync, openSync, statSync, unlinkSync, type ReadStream, type WriteStream } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SimTransport } from "./serve.ts";

export interface PtyOptions {
  /** Where host tools open the port (a symlink socat makes to a /dev/pts device). */
  path: string;
  /** The socat executable (Debian package `socat`). */
  socat?: string;
}

/** Board output waiting for the pty before further output is dropped (nobody is reading the port). */
const MAX_QUEUED_BYTES = 1 << 16;
/** Characters socat's address syntax would take as separators or quotes. */
const SAFE_PATH = /^[A-Za-z0-9._\/+@-]+$/;

/** The simulator's own end of the pair. */
export const simSideOf = (path: string) => `${path}.sim`;

/**
 * The absolute path, or an Error saying why it cannot be used. socat replaces whatever is at a link path and
 * removes it on exit, so an existing file is refused; a dangling symlink (left by a killed simulator) is not.
 */
export function checkPtyPath(path: string): string {
  if (!SAFE_PATH.test(path)) throw new Error(`pty path "${path}" may only contain letters, digits and . _ / + @ -`);
  const absolute = resolve(path);
  const dir = dirname(absolute);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`pty path ${absolute}: directory ${dir} does not exist`);
  for (const p of [absolute, simSideOf(absolute)]) {
    let isLink: boolean;
    try { isLink = lstatSync(p).isSymbolicLink(); } catch { continue; }
    if (!isLink || existsSync(p)) throw new Error(`${p} already exists (another simulator?): remove it or choose another path`);
  }
  return absolute;
}

/** A pty pair made by `socat pty,raw,echo=0,link=PATH pty,raw,echo=0,link=PATH.sim`: every byte value passes. */
export function ptyTransport(options: PtyOptions): SimTransport {
  const path = checkPtyPath(options.path);
  let socat: ChildProcess | undefined;
  let socatExited: Promise<void> = Promise.resolve();
  let input: ReadStream | undefined;
  let output: WriteStream | undefined;
  let closing = false;

  function startSocat(): Promise<void> {
    for (const p of [path, simSideOf(path)]) if (!existsSync(p)) try { unlinkSync(p); } catch { /* nothing there */ }
    const child = spawn(options.socat ?? "socat", ["-d", "-d", `pty,raw,echo=0,link=${path}`, `pty,raw,echo=0,link=${simSideOf(path)}`],
      { stdio: ["ignore", "ignore", "pipe"] });
    socat = child;
    // If this process ends without close() (an uncaught error), socat must not outlive it holding the port.
    const killSocat = () => { child.kill("SIGTERM"); };
    process.once("exit", killSocat);
    child.once("exit", () => process.off("exit", killSocat));
    socatExited = new Promise((done) => child.once("close", () => done()));
    return new Promise((ready, fail) => {
      let log = "";
      child.once("error", (e: NodeJS.ErrnoException) => fail(new Error(e.code === "ENOENT"
        ? `socat not found: install it (Debian: apt-get install socat) to serve a pty`
        : `cannot start socat: ${e.message}`)));
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (text: string) => {
        log += text;
        if (log.includes("starting data transfer loop")) ready();
      });
      child.once("exit", (code, signal) => {
        const why = `socat exited (${signal ?? `code ${code}`})${log.includes(" E ") ? `: ${log.trim().split("\n").filter((l) => l.includes(" E ")).join("; ")}` : ""}`;
        fail(new Error(why));
      });
    });
  }

  return {
    open: async (link) => {
      await startSocat();
      socat!.once("exit", () => { if (!closing) link.failed(new Error(`socat exited: the pty ${path} is gone`)); });
      // One descriptor per stream: each stream closes its own when destroyed.
      const flags = constants.O_RDWR | constants.O_NOCTTY;
      input = createReadStream(simSideOf(path), { fd: openSync(simSideOf(path), flags), highWaterMark: 4096 });
      output = createWriteStream(simSideOf(path), { fd: openSync(simSideOf(path), flags) });
      input.on("data", (chunk) => link.toBoard(new Uint8Array(chunk as Buffer)));
      input.on("error", (e: NodeJS.ErrnoException) => {
        if (closing) return;
        link.failed(new Error(e.code === "EIO" ? `the pty ${path} is gone (socat exited)` : `reading ${simSideOf(path)}: ${e.message}`));
      });
      output.on("error", (e) => { if (!closing) link.failed(new Error(`writing ${simSideOf(path)}: ${e.message}`)); });
      return path;
    },
    write: (bytes) => {
      if (output === undefined || closing || output.writableLength > MAX_QUEUED_BYTES) return false;
      output.write(bytes);
      return true;
    },
    close: async () => {
      if (closing) return;
      closing = true;
      // socat first: a read blocked on the pty returns (EIO) once its other side is gone, so the fd can close.
      socat?.kill("SIGTERM");
      await socatExited;
      const streams: (NodeJS.EventEmitter & { closed: boolean })[] = [input, output].filter((s) => s !== undefined);
      const closed = streams.map((s) => s.closed ? undefined : new Promise((done) => s.once("close", done)));
      input?.destroy();
      output?.destroy();
      await Promise.all(closed);
      for (const p of [path, simSideOf(path)]) {
        try { if (lstatSync(p).isSymbolicLink()) unlinkSync(p); } catch { /* socat removed it */ }
      }
    },
  };
}
