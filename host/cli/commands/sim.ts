// `flowrig sim`: the firmware on a virtual rig, its protocol link served on loopback TCP or a pty, paced to the wall clock.
import { Command, InvalidArgumentError, Option } from "commander";
import { listBoards } from "../../../boards/load.ts";
import { ptyTransport } from "../../sim/pty.ts";
import type { SimStats, SimTransport, TransportNote } from "../../sim/serve.ts";
import { parseListenUrl, tcpTransport, type TcpAddress } from "../../sim/tcp.ts";
import { EXIT } from "../exit-codes.ts";

interface SimOptions {
  board: string;
  listen?: TcpAddress;
  pty?: string;
  speed: number;
  seed: number;
  json?: boolean;
}

const DEFAULT_LISTEN = "tcp://127.0.0.1:0";

function parseBoard(id: string): string {
  const boards = listBoards();
  if (!boards.includes(id)) throw new InvalidArgumentError(`unknown board "${id}"; boards: ${boards.join(", ")}`);
  return id;
}

/** Virtual seconds per wall second; 0 and "max" both mean as fast as possible (Infinity). */
function parseSpeed(text: string): number {
  if (text === "max") return Infinity;
  const speed = Number(text);
  if (text.trim() === "" || Number.isNaN(speed) || speed < 0) {
    throw new InvalidArgumentError(`speed must be a number ≥ 0 (1 = real time, 10 = ten times faster) or "max" (also 0)`);
  }
  return speed === 0 ? Infinity : speed;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || seed > 0xffffffff) throw new InvalidArgumentError(`seed must be an integer from 0 to ${0xffffffff}`);
  return seed;
}

function parseListen(text: string): TcpAddress {
  try { return parseListenUrl(text); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
}

export function simCommand(): Command {
  return new Command("sim")
    .description("run the firmware on the virtual rig and serve its protocol link, as a real board would")
    .addOption(new Option("--board <id>", "board profile to emulate").default("espruino-pico").argParser(parseBoard))
    .addOption(new Option("--listen <url>", `serve on loopback TCP, one client at a time (PORT 0 picks a free port) (default: "${DEFAULT_LISTEN}")`)
      .argParser(parseListen).conflicts("pty"))
    .addOption(new Option("--pty <path>", "serve on a pseudo-terminal at <path> (needs socat)"))
    .addOption(new Option("--speed <n>", 'virtual seconds per wall second; 0 or "max" = as fast as possible').default(1).argParser(parseSpeed))
    .addOption(new Option("--seed <n>", "seed for the rig's noise and the board's randomness").default(1).argParser(parseSeed))
    .option("--json", "machine-readable output: one JSON object per line")
    .addHelpText("after", `
The listening line ("flowrig sim: <board> listening on <address>", or {"event":"listening",...} with --json)
tells scripts when to connect. A second TCP client is refused while one is connected. Ctrl-C or SIGTERM
stops the simulator and prints what ran.`)
    .exitOverride()
    .action(async (options: SimOptions, command: Command) => {
      let transport: SimTransport;
      try {
        transport = options.pty !== undefined ? ptyTransport({ path: options.pty }) : tcpTransport(options.listen ?? parseListenUrl(DEFAULT_LISTEN));
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
  const server = await serveVirtualRig({ boardId: options.board, seed: options.seed, speed: options.speed, transport, onNote });
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

function summary(s: SimStats): string {
  const ratio = s.wallMs > 0 ? ` (${(s.wallMs / 1000).toFixed(1)} s wall, ${(s.virtualMs / s.wallMs).toFixed(1)}×)` : "";
  const dropped = s.bytesDropped > 0 ? `, ${s.bytesDropped} dropped with no client` : "";
  const errors = s.firmwareErrors > 0 ? `; ${s.firmwareErrors} firmware errors` : "";
  return `stopped after ${(s.virtualMs / 1000).toFixed(1)} s of virtual time${ratio}; ` +
    `${s.bytesToBoard} bytes to the board, ${s.bytesFromBoard} from it${dropped}${errors}`;
}
