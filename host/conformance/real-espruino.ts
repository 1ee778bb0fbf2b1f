// A real Espruino interpreter (its Linux build) as a board: the bundle written to Storage through its REPL, booted, its link on a pty.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "../../protocol/crc32.ts";

/** Characters of the bundle per REPL line: the console drops input that overflows its buffer, so lines stay short and each is acknowledged. */
const CHUNK_CHARS = 128;

export interface RealEspruinoOptions {
  /** The interpreter: a path, or a command line such as "qemu-i386 /path/espruino". */
  bin: string;
  /** Firmware bundle text to boot from Storage (`.bootcde`). */
  bundle: string;
  /** The tty the firmware's profile opens for its link (espruino-linux: /tmp/flowrig-link). */
  linkPath: string;
  /** Where the host end of the link pty appears. */
  hostPath: string;
  /** Working directory (its espruino.flash is the board's Storage); a fresh temporary one by default. */
  dir?: string;
}

export interface RealEspruino {
  /** Everything the interpreter printed to its console so far. */
  output(): string;
  /** Types a line at the REPL (works until the firmware moves the console away, and after it gives it back). */
  type(line: string): void;
  /** Resolves when the console output matches `pattern`, rejects after `timeoutMs` or if the interpreter exits. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
  dir: string;
}

/** The command line for the interpreter: a 32-bit build runs through qemu-i386 where the kernel cannot exec it. */
export function interpreterCommand(bin: string): string[] {
  const words = bin.trim().split(/\s+/);
  if (words.length > 1) return words;
  if (!existsSync(words[0])) throw new Error(`${words[0]}: no such file (ESPRUINO_BIN must name Espruino's Linux build)`);
  const answers = (cmd: string[]): boolean => {
    const r = spawnSync(cmd[0], [...cmd.slice(1), "-h"], { timeout: 20_000, encoding: "latin1" });
    return `${r.stdout}${r.stderr}`.includes("espruino: Usage");
  };
  if (answers(words)) return words;
  if (answers(["qemu-i386", words[0]])) return ["qemu-i386", words[0]];
  throw new Error(`${words[0]} does not run as Espruino's Linux build (tried it directly and through qemu-i386)`);
}

/** Boots `bundle` on the real interpreter from Storage, the way `flowrig flash` leaves a board. */
export async function bootRealEspruino(opts: RealEspruinoOptions): Promise<RealEspruino> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "flowrig-espruino-"));
  mkdirSync(dir, { recursive: true });
  const [cmd, ...args] = interpreterCommand(opts.bin);
  const pty: ChildProcess = spawn("socat", [`PTY,link=${opts.linkPath},raw,echo=0`, `PTY,link=${opts.hostPath},raw,echo=0`], { stdio: "ignore" });
  for (let i = 0; i < 200 && !(existsSync(opts.linkPath) && existsSync(opts.hostPath)); i++) await new Promise((r) => setTimeout(r, 25));
  const child = spawn(cmd, args, { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let exited = false;
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => { out += d.toString("latin1").replace(/\0/g, ""); for (const w of waiters.splice(0)) w(); };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.on("exit", () => { exited = true; for (const w of waiters.splice(0)) w(); });
  const self: RealEspruino = {
    dir,
    output: () => out,
    type: (line) => { child.stdin?.write(line + "\n"); },
    waitFor: (pattern, timeoutMs) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`real Espruino: no ${pattern} within ${timeoutMs} ms; console:\n${out.slice(-2000)}`)), timeoutMs);
      const check = (): void => {
        const m = pattern.exec(out);
        if (m !== null) { clearTimeout(timer); resolve(m[0]); return; }
        if (exited) { clearTimeout(timer); reject(new Error(`real Espruino exited; console:\n${out.slice(-2000)}`)); return; }
        waiters.push(check);
      };
      check();
    }),
    stop: async () => {
      if (!exited) { child.kill("SIGKILL"); await new Promise((r) => child.once("exit", r)); }
      pty.kill();
    },
  };
  try {
    await upload(self, opts.bundle);
  } catch (e) {
    await self.stop(); // an interpreter left running would eat the CPU every later run is timed on
    throw e;
  }
  return self;
}

/** Writes `code` to `.bootcde` through the REPL, checks it by CRC and boots it with load(). */
async function upload(self: RealEspruino, code: string): Promise<void> {
  await self.waitFor(/\n>/, 30_000);
  // Echo off for each line (0x10): the console prints only what the line prints.
  self.type("\x10var S=require('Storage');S.erase('.bootcde');");
  // One line at a time, each acknowledged: the console drops what arrives faster than it parses.
  for (let i = 0; i < code.length; i += CHUNK_CHARS) {
    self.type(`\x10S.write('.bootcde',${JSON.stringify(code.slice(i, i + CHUNK_CHARS))},${i},${code.length});print('ok${i}');`);
    await self.waitFor(new RegExp(`ok${i}\\r?\\n`), 30_000);
  }
  const mark = `written${Date.now()}`;
  self.type(`\x10print('${mark}',E.CRC32(S.read('.bootcde')));`);
  const written = await self.waitFor(new RegExp(`${mark} -?\\d+\\r?\\n`), 120_000);
  const crc = Number(written.trim().split(" ")[1]) >>> 0;
  const expected = crc32(Buffer.from(code, "latin1"));
  if (crc !== expected) throw new Error(`real Espruino: .bootcde CRC ${crc} differs from the bundle's ${expected}`);
  self.type("\x10load()");
}
