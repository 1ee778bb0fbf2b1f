// Shared helpers for the command files: colour (off when not a TTY or NO_COLOR), --json lines, tables, protocol names, --port and the session.
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_BOARD, listBoards } from "../../boards/load.ts";
import { LinkError } from "../../protocol/host-link.ts";
import { PUMP_NAMES } from "../client/board-config.ts";
import { connectTransport, type Connection } from "../client/connection.ts";
import { openPort, parsePort, type BenchSetup } from "./open-port.ts";
import { EXIT } from "./exit-codes.ts";
import { speedOption } from "./speed.ts";

// ---- colour --------------------------------------------------------------------------------------

/** Colour for one output stream: only on a TTY, never with NO_COLOR set (https://no-color.org). */
export function colours(stream: NodeJS.WriteStream = process.stdout) {
  const on = stream.isTTY === true && (process.env.NO_COLOR ?? "") === "";
  const wrap = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { on, bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

const ANSI = /\x1b\[[0-9;]*m/g;
const visibleLength = (text: string) => [...text.replace(ANSI, "")].length;

// ---- output --------------------------------------------------------------------------------------

/** One JSON value on one line of stdout (the --json output of every command). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Columns padded to their widest cell (colour codes not counted); the last column is not padded. */
export function table(rows: string[][], indent = ""): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell)); });
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i] - visibleLength(cell)))).join("  ").trimEnd()).join("\n") + "\n";
}

/** "label  value" lines, labels aligned. */
export function fields(pairs: [string, string][]): string {
  return table(pairs.map(([label, value]) => [label, value]));
}

/** A text bar for progress: [#######.........]. */
export function bar(fraction: number, width = 24): string {
  const done = Math.max(0, Math.min(width, Math.round(width * fraction)));
  return `[${"#".repeat(done)}${".".repeat(width - done)}]`;
}

// ---- protocol names ------------------------------------------------------------------------------

export { PUMP_NAMES };

export { causeName, faultNames, faultSummary, isRunning, pumpFlagNames, stateName } from "../../protocol/names.ts";

// ---- arguments -----------------------------------------------------------------------------------

/** Ends the command with exit 2 and `message` (a usage error: nothing was sent to the board). */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: EXIT.usage, code: "flowrig.usage" });
}

/** An integer option within [min, max]; the message names the option and what is allowed. */
export function integerIn(name: string, min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim()) || value < min || value > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
}

/** --pump A|B (either case) → 0 | 1. */
export function parsePump(text: string): number {
  const index = PUMP_NAMES.indexOf(text.trim().toUpperCase() as "A" | "B");
  if (index < 0) throw new InvalidArgumentError(`pump must be A (precursor) or B (antisolvent), got "${text}"`);
  return index;
}

// ---- the board -----------------------------------------------------------------------------------

export interface PortOptions {
  port: string;
  board: string;
  speed: number;
  /** Deliberate hardware of the in-process virtual rig (--port sim --rig). */
  bench?: BenchSetup;
}

function parsePortOption(text: string): string {
  try { parsePort(text); } catch (e) { throw new InvalidArgumentError((e as Error).message.replace(/^--port \S+: /, "")); }
  return text;
}

function parseBoardOption(id: string): string {
  const boards = listBoards();
  if (!boards.includes(id)) throw new InvalidArgumentError(`unknown board "${id}"; boards: ${boards.join(", ")}`);
  return id;
}

/** --port (required), and --board/--speed for the in-process virtual rig; exit 2 on a bad value. */
export function addPortOptions(command: Command): Command {
  return command
    .addOption(new Option("--port <port>", 'the board: a serial device (/dev/ttyACM0), tcp://HOST:PORT (flowrig sim --listen), or "sim" (a virtual rig in this process)')
      .makeOptionMandatory().argParser(parsePortOption))
    .addOption(new Option("--board <id>", "board profile of the virtual rig (--port sim)").default(DEFAULT_BOARD).argParser(parseBoardOption))
    .addOption(speedOption("(--port sim)"));
}

/** Opens the port, identifies the board (refusing another schema), runs `work`, and always closes. */
export async function withBoard<T>(o: PortOptions, work: (conn: Connection) => Promise<T>): Promise<T> {
  let transport;
  try {
    ({ transport } = await openPort(o.port, { board: o.board, speed: o.speed, bench: o.bench }));
  } catch (e) {
    throw new LinkError(`${(e as Error).message}${o.port.startsWith("/") ? " (flowrig ports lists serial ports)" : ""}`, "closed");
  }
  const conn = await connectTransport(transport);
  try {
    return await work(conn);
  } finally {
    await conn.close();
  }
}
