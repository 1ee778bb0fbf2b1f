// `flowrig sim`: the firmware on a virtual rig, its protocol link served on loopback TCP or a pty, paced to the wall clock.
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_BOARD, listBoards } from "../../../boards/load.ts";
import { parsePanelScript, runPanelScript, saveDisplay, type PanelShot, type PanelStep } from "../../sim/panel-script.ts";
import { ptyTransport } from "../../sim/pty.ts";
import type { BenchSetup } from "../../sim/virtual-rig.ts";
import type { SimStats, SimTransport, TransportNote } from "../../sim/serve.ts";
import { parseListenUrl, tcpTransport, type TcpAddress } from "../../sim/tcp.ts";
import { EXIT } from "../exit-codes.ts";
import { rigOption } from "../rig-option.ts";
import { speedOption } from "../speed.ts";

interface SimOptions {
  board: string;
  listen?: TcpAddress;
  pty?: string;
  speed: number;
  seed: number;
  rig?: BenchSetup;
  flash?: string;
  identifyTimeout: number;
  json?: boolean;
  press?: PanelStep[];
  screenshot?: string;
}

const DEFAULT_LISTEN = "tcp://127.0.0.1:0";
/** Where --press saves the final display when the script takes no shot and --screenshot is not given. */
const DEFAULT_SCREENSHOT = "screen.png";
/** Virtual time the firmware gets after boot before the first scripted press (its first screen). */
const BOOT_SETTLE_MS = 1000;

function parseBoard(id: string): string {
  const boards = listBoards();
  if (!boards.includes(id)) throw new InvalidArgumentError(`unknown board "${id}"; boards: ${boards.join(", ")}`);
  return id;
}

function parseIdentifyTimeout(text: string): number {
  const s = Number(text);
  if (!(s >= 0.1 && s <= 3600)) throw new InvalidArgumentError(`identify timeout must be a number of seconds from 0.1 to 3600, got "${text}"`);
  return s;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || seed > 0xffffffff) throw new InvalidArgumentError(`seed must be an integer from 0 to ${0xffffffff}`);
  return seed;
}

function parsePress(text: string): PanelStep[] {
  try { return parsePanelScript(text); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
}

function parseScreenshot(file: string): string {
  if (!/\.png$/i.test(file)) throw new InvalidArgumentError(`screenshots are PNG: "${file}" must end in .png`);
  return file;
}

function parseListen(text: string): TcpAddress {
  try { return parseListenUrl(text); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
}

export function simCommand(): Command {
  return new Command("sim")
    .description("run the firmware on the virtual rig and serve its protocol link, as a real board would")
    .addOption(new Option("--board <id>", "board profile to emulate").default(DEFAULT_BOARD).argParser(parseBoard))
    .addOption(new Option("--listen <url>", `serve on loopback TCP, one client at a time (PORT 0 picks a free port) (default: "${DEFAULT_LISTEN}")`)
      .argParser(parseListen).conflicts("pty"))
    .addOption(new Option("--pty <path>", "serve on a pseudo-terminal at <path> (needs socat)"))
    .addOption(speedOption())
    .addOption(rigOption())
    .addOption(new Option("--flash <dir>", "keep the board's flash (Storage) in <dir>, created if missing: a sim stopped and started " +
      "again with the same <dir> is the same board after a power cycle (default: a fresh flash, removed at exit)"))
    .addOption(new Option("--identify-timeout <s>", "drop a TCP client that has not identified within this many seconds").default(10).argParser(parseIdentifyTimeout))
    .addOption(new Option("--seed <n>", "seed for the rig's noise and the board's randomness").default(1).argParser(parseSeed))
    .addOption(new Option("--press <script>", "run a front-panel press script after boot, in virtual time, then exit (see below)")
      .argParser(parsePress).conflicts(["listen", "pty"]))
    .addOption(new Option("--screenshot <file>", `save the display as PNG when the script ends (default with --press and no shot: "${DEFAULT_SCREENSHOT}")`)
      .argParser(parseScreenshot).conflicts(["listen", "pty"]))
    .option("--json", "machine-readable output: one JSON object per line")
    .addHelpText("after", `
The listening line ("flowrig sim: <board> listening on <address>", or {"event":"listening",...} with --json)
tells scripts when to connect. A second TCP client is refused ("in use by another host") while one is connected;
a client that does not identify within --identify-timeout is dropped. Ctrl-C or SIGTERM
stops the simulator and prints what ran.

--press and --screenshot serve nothing: the board boots, gets ${BOOT_SETTLE_MS / 1000} s of virtual time, runs the script as fast
as possible, saves the PNGs (the 128×64 panel, each pixel 4×4) and exits. A script is steps separated by commas:
  NAME               press for 120 ms, then a 300 ms pause (NAME: up, down, select, back)
  press:NAME[:DUR]   press for DUR (default 120ms), then the pause
  hold:NAME[:DUR]    long press (default 1500ms), then the pause
  chord:A+B[:DUR]    buttons pressed and released together (default 120ms), then the pause
  wait:DUR           let virtual time pass (DUR: 300ms, 2s, 1.5s, 1min; a bare number is ms)
  shot:FILE.png      save the display now
Example:
  flowrig sim --press "select,down,shot:menu.png,hold:back,wait:2s" --screenshot home.png`)
    .exitOverride()
    .action(async (options: SimOptions, command: Command) => {
      if (options.press !== undefined || options.screenshot !== undefined) return runPanel(options);
      let transport: SimTransport;
      try {
        transport = options.pty !== undefined ? ptyTransport({ path: options.pty }) : tcpTransport(options.listen ?? parseListenUrl(DEFAULT_LISTEN), { identifyTimeoutMs: options.identifyTimeout * 1000 });
      } catch (e) {
        command.error(`error: ${(e as Error).message}`, { exitCode: EXIT.usage, code: "flowrig.sim.badPty" });
      }
      await runSim(options, transport);
    });
}

async function runSim(options: SimOptions, transport: SimTransport): Promise<void> {
  const json = options.json === true;
  const say = (human: string, record: Record<string, unknown>) =>
    process.stdout.write(json ? `${JSON.stringify(record)}\n` : `flowrig sim: ${human}\n`);
  const onNote = (n: TransportNote) => {
    if (json) say("", { event: n.kind, peer: n.peer, ...(n.detail === undefined ? {} : { detail: n.detail }) });
    else process.stderr.write(`flowrig sim: ${n.peer} ${n.kind}${n.detail === undefined ? "" : ` (${n.detail})`}\n`);
  };
  // Before anything is printed: a script may signal the moment it sees the listening line.
  const signalled = new Promise<string>((resolve) => {
    for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => resolve(s));
  });
  // Loaded here, not at the top: the firmware build (esbuild, TypeScript) is slow to load for every other command.
  const { serveVirtualRig } = await import("../../sim/serve.ts");
  const server = await serveVirtualRig({
    boardId: options.board, seed: options.seed, speed: options.speed, bench: options.rig, storageDir: options.flash, transport, onNote,
  });
  const speed = Number.isFinite(options.speed) ? options.speed : "max";
  const kind = options.pty !== undefined ? "pty" : "tcp";
  const where = kind === "tcp" ? { url: server.address, port: Number(new URL(server.address).port) } : { path: server.address };
  say(`${options.board} listening on ${server.address}`,
    { event: "listening", board: options.board, transport: kind, ...where, speed, seed: options.seed });
  if (!json) process.stderr.write(`flowrig sim: speed ${speed === "max" ? "max" : `${speed}×`}, seed ${options.seed}; Ctrl-C stops\n`);

  let failure: Error | undefined;
  await Promise.race([signalled, server.failed.catch((e: Error) => { failure = e; })]);
  const stats = await server.close();
  say(summary(stats), { event: "stopped", ...stats, ...(failure === undefined ? {} : { error: failure.message }) });
  for (const e of server.rig.emu.errors.slice(0, 5)) process.stderr.write(`flowrig sim: firmware at ${(e.timeUs / 1e6).toFixed(3)} s: ${e.text}\n`);
  if (failure !== undefined) throw failure;
}

/** --press / --screenshot: boot, run the script in virtual time, save the PNGs, say what was saved. */
async function runPanel(options: SimOptions): Promise<void> {
  const json = options.json === true;
  const say = (human: string, record: Record<string, unknown>) =>
    process.stdout.write(json ? `${JSON.stringify(record)}\n` : `flowrig sim: ${human}\n`);
  const { bootVirtualRig } = await import("../../sim/virtual-rig.ts");
  const v = await bootVirtualRig({ boardId: options.board, seed: options.seed, bench: options.rig });
  const steps = options.press ?? [];
  const saved = (s: PanelShot) => say(
    `saved ${s.file} (at ${(s.timeUs / 1e6).toFixed(2)} s virtual, display frame ${s.frame}${s.frame === 0 ? ": nothing drawn yet" : ""})`,
    { event: "shot", file: s.file, path: s.path, timeMs: s.timeUs / 1000, frame: s.frame, hash: s.hash });
  const run = runPanelScript(v, steps, { startAfterMs: BOOT_SETTLE_MS, onShot: saved });
  const final = options.screenshot ?? (run.shots.length === 0 ? DEFAULT_SCREENSHOT : undefined);
  if (final !== undefined) saved(saveDisplay(v.display, v.clock.nowUs(), final));
  say(`${options.board}: ${steps.length} steps in ${(run.endUs / 1e6).toFixed(2)} s of virtual time; ${v.display.frameCount} display frames` +
    `${run.errors.length > 0 ? `; ${run.errors.length} firmware errors` : ""}`,
    { event: "done", board: options.board, steps: steps.length, virtualMs: run.endUs / 1000, frames: v.display.frameCount, firmwareErrors: run.errors.length });
  for (const e of v.emu.errors.slice(0, 5)) process.stderr.write(`flowrig sim: firmware at ${(e.timeUs / 1e6).toFixed(3)} s: ${e.text}\n`);
}

function summary(s: SimStats): string {
  const ratio = s.wallMs > 0 ? ` (${(s.wallMs / 1000).toFixed(1)} s wall, ${(s.virtualMs / s.wallMs).toFixed(1)}×)` : "";
  const dropped = s.bytesDropped > 0 ? `, ${s.bytesDropped} dropped with no client` : "";
  const errors = s.firmwareErrors > 0 ? `; ${s.firmwareErrors} firmware errors` : "";
  return `stopped after ${(s.virtualMs / 1000).toFixed(1)} s of virtual time${ratio}; ` +
    `${s.bytesToBoard} bytes to the board, ${s.bytesFromBoard} from it${dropped}${errors}`;
}
