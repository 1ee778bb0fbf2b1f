// `flowrig flash --board ID --port P`: build the firmware (or take --bundle), install it through the board's REPL
// as .bootcde, check the read-back CRC, reboot into it and check it identifies as the expected board and schema.
import { Command, InvalidArgumentError, Option } from "commander";
import { readFileSync } from "node:fs";
import { listBoards, loadBoard } from "../../../boards/load.ts";
import { flashBundle, type FlashProgress } from "../../client/flash.ts";
import { FlashError } from "../../client/flash-error.ts";
import { openPort } from "../open-port.ts";
import { EXIT } from "../exit-codes.ts";
import { speedOption } from "../speed.ts";

interface FlashOptions {
  board: string;
  port: string;
  bundle?: string;
  chunk: number;
  speed: number;
  json?: boolean;
}

function parseBoard(id: string): string {
  const boards = listBoards();
  if (!boards.includes(id)) throw new InvalidArgumentError(`unknown board "${id}"; boards: ${boards.join(", ")}`);
  return id;
}

function parsePositive(name: string, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!(n > 0 && n <= max)) throw new InvalidArgumentError(`${name} must be a number above 0 and at most ${max}`);
    return n;
  };
}

const PHASES: Record<FlashProgress["phase"], string> = {
  identify: "identify", handback: "REPL handback", sync: "REPL", write: "write", verify: "verify CRC", reboot: "load()", check: "identify",
};

function bar(p: FlashProgress): string {
  const width = 30;
  const done = p.total > 0 ? Math.round((width * p.written) / p.total) : 0;
  return `[${"#".repeat(done)}${".".repeat(width - done)}] ${String(p.written).padStart(String(p.total).length)}/${p.total} bytes  ${PHASES[p.phase]}` +
    (p.attempt > 1 ? ` (attempt ${p.attempt})` : "");
}

export function flashCommand(): Command {
  return new Command("flash")
    .description("build the firmware and install it on a board through its Espruino REPL (checked by CRC and identify)")
    .addOption(new Option("--board <id>", "board profile to build for (and that must answer afterwards)").argParser(parseBoard).makeOptionMandatory())
    .requiredOption("--port <port>", 'the board: "sim" (a virtual board here), tcp://HOST:PORT, or a serial device')
    .option("--bundle <file>", "flash this bundle (from flowrig build) instead of building one")
    .addOption(new Option("--chunk <bytes>", "bundle bytes per Storage.write line").default(1024).argParser(parsePositive("--chunk", 4096)))
    .addOption(speedOption("(--port sim)"))
    .option("--json", "print the result as JSON")
    .exitOverride()
    .action(async (opts: FlashOptions) => {
      let bundle: string;
      let firmware: string | undefined;
      if (opts.bundle !== undefined) {
        bundle = readFileSync(opts.bundle, "latin1");
      } else {
        // Loaded here: esbuild is slow to load for every other command.
        const { buildFirmware, FIRMWARE_ENTRY } = await import("../../build/bundle.ts");
        bundle = (await buildFirmware({ entry: FIRMWARE_ENTRY, boardId: opts.board })).code;
        firmware = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
      }
      // Refuse before touching the board: a bundle that cannot fit would fail half-written.
      const flash = loadBoard(opts.board).flashStorageBytes;
      if (bundle.length > flash) {
        process.stderr.write(`flowrig flash: the firmware is ${bundle.length} bytes but ${opts.board} has ${flash} bytes of Storage: ` +
          `this board cannot hold it (see firmware/README.md, Known limits)\n`);
        process.exitCode = EXIT.usage;
        return;
      }
      const { transport } = await openPort(opts.port, { board: opts.board, speed: opts.speed });
      const tty = process.stderr.isTTY === true && opts.json !== true;
      let lastPhase = "";
      try {
        const result = await flashBundle(transport, bundle, {
          boardId: opts.board, firmware, chunkBytes: opts.chunk,
          onNote: (text) => { if (opts.json !== true) process.stderr.write(`${tty ? "\r\x1b[K" : ""}flowrig flash: ${text}\n`); },
          onProgress: (p) => {
            if (tty) process.stderr.write(`\r${bar(p)}\x1b[K`);
            else if (opts.json !== true && p.phase !== lastPhase) {
              process.stderr.write(`${bar(p)}\n`);
              lastPhase = p.phase;
            }
          },
        });
        if (tty) process.stderr.write("\n");
        const crc = `0x${result.crc.toString(16).padStart(8, "0")}`;
        if (opts.json === true) {
          process.stdout.write(JSON.stringify({ ...result, crc, port: transport.description }) + "\n");
        } else {
          const was = result.previous === undefined ? "the board was at its REPL" : `was ${result.previous.firmware}`;
          process.stdout.write(`flashed ${result.identity.board} on ${transport.description}: ${result.bytes} bytes in ${result.chunks} chunks, ` +
            `CRC-32 ${crc} verified; firmware ${result.identity.firmware} (${was}) answers, boot ${result.identity.bootCount}\n`);
        }
      } catch (e) {
        if (tty) process.stderr.write("\n");
        if (!(e instanceof FlashError)) throw e;
        process.stderr.write(`flowrig flash: ${e.message}\n`);
        process.exitCode = e.phase === "sync" || e.phase === "identify" ? EXIT.linkError : EXIT.deviceError;
      } finally {
        await transport.close();
      }
    });
}
