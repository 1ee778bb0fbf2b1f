// `flowrig run RECIPE --port P`: validate the recipe, run it on the board, pull every sample, write the run folder.
import { DEFAULT_BOARD } from "../../../boards/load.ts";
import { Command } from "commander";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { basename, join } from "node:path";
import { stateName } from "../../../protocol/names.ts";
import { connectTransport } from "../../client/connection.ts";
import { openPort, reopenerFor } from "../open-port.ts";
import { runRecipe, type RunProgress } from "../../client/run-recipe.ts";
import { formatDuration, loadRecipe } from "../../recipes/load.ts";
import { createRunFolder } from "../../report/run-folder.ts";
import { formatSummaryTable } from "../../report/summary.ts";
import { EXIT } from "../exit-codes.ts";
import { rigOption } from "../rig-option.ts";
import { speedOption } from "../speed.ts";
import type { BenchSetup } from "../open-port.ts";

function progressLine(p: RunProgress): string {
  const s = p.status;
  const step = p.steps[Math.min(s.segment, p.steps.length - 1)];
  const total = s.elapsedMs + s.remainingMs;
  const width = 24;
  const done = total > 0 ? Math.round((width * s.elapsedMs) / total) : 0;
  return `[${"#".repeat(done)}${".".repeat(width - done)}] step ${s.segment + 1}/${p.steps.length} ${step?.label ?? ""} ` +
    `${formatDuration(s.elapsedMs / 1000)} / ETA ${formatDuration(s.remainingMs / 1000)}  PL ${s.pl}  ${p.samplesPulled} samples  ${stateName(s.state)}`;
}

export function runCommand(): Command {
  return new Command("run")
    .description("run a recipe on the board, pull every sample and write a run folder")
    .argument("<recipe>", "recipe JSON file (see recipes/)")
    .requiredOption("--port <port>", 'the board: "sim" (the virtual rig here), tcp://HOST:PORT, or a serial device')
    .option("--out <dir>", "run folder (default runs/<recipe>-<time>)")
    .option("--board <id>", "board profile of the virtual rig (--port sim)", DEFAULT_BOARD)
    .addOption(speedOption("(--port sim)"))
    .addOption(rigOption("(--port sim; for flowrig sim --listen give it to sim)"))
    .option("--json", "print the result as JSON")
    .exitOverride() // a bad option value exits 2 (usage), as on every command
    .action(async (recipePath: string, opts: { port: string; out?: string; board: string; speed: number; rig?: BenchSetup; json?: boolean }) => {
      if (opts.rig !== undefined && opts.port !== "sim") {
        process.stderr.write(`flowrig run: --rig sets the hardware of the virtual rig in this process (--port sim); ` +
          `the board on ${opts.port} has its own: give --rig to flowrig sim instead\n`);
        process.exitCode = EXIT.usage;
        return;
      }
      const recipe = loadRecipe(recipePath); // refused here, before anything moves
      const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
      const outDir = opts.out ?? join("runs", `${basename(recipePath, ".json")}-${stamp}`);
      if (existsSync(join(outDir, "run.json"))) {
        process.stderr.write(`flowrig run: ${outDir} already holds a run (run.json exists): choose another --out, ` +
          `or continue that run with flowrig pull --port ${opts.port} --out ${outDir}\n`);
        process.exitCode = EXIT.usage;
        return;
      }
      const { transport } = await openPort(opts.port, { board: opts.board, speed: opts.speed, bench: opts.rig });
      const conn = await connectTransport(transport);
      let interrupted = false;
      const onSigint = async () => {
        if (interrupted) return;
        interrupted = true;
        let stop = true;
        if (process.stdin.isTTY) {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question("\nStop the pumps? [Y/n] (n leaves the board running; `flowrig pull` fetches the rest) ");
          rl.close();
          stop = !/^n/i.test(answer.trim());
        }
        if (stop) await conn.link.request("stop", {}).catch(() => {});
        process.stderr.write(stop ? "pumps stopped\n" : "the board carries on; pull later with flowrig pull\n");
        if (!stop) { await conn.close(); process.exit(EXIT.ok); }
      };
      process.on("SIGINT", onSigint);
      const tty = process.stderr.isTTY && opts.json !== true;
      let lastSegment = -1;
      try {
        const result = await runRecipe(conn, {
          recipe, port: opts.port, recipeFile: recipePath,
          openSink: (meta) => createRunFolder(outDir, meta),
          reopen: reopenerFor(transport), // a lost tcp:// or serial link is reopened; the in-process virtual rig is not
          onLink: (m) => { process.stderr.write(`\nflowrig: ${m}\n`); },
          onProgress: (p) => {
            if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
            else if (p.status.segment !== lastSegment && opts.json !== true) process.stderr.write(`${progressLine(p)}\n`);
            lastSegment = p.status.segment;
          },
        });
        if (tty) process.stderr.write("\n");
        if (opts.json === true) {
          process.stdout.write(JSON.stringify({ dir: result.dir, state: result.finalState, fault: result.fault ?? null,
            ...(result.interruption === undefined ? {} : { interruption: result.interruption }), files: result.files, steps: result.rows }) + "\n");
        } else {
          process.stdout.write(formatSummaryTable(result.rows));
          process.stdout.write(`\nrun ${result.finalState}: ${result.dir}\n${result.files.map((f) => `  ${join(result.dir, f)}`).join("\n")}\n`);
        }
        if (result.fault !== undefined) process.stderr.write(`flowrig run: the board ended the run with a fault: ${result.fault}\n`);
        if (result.message !== undefined) process.stderr.write(`flowrig run: ${result.message}\n`);
        if (result.finalState !== "done") process.exitCode = result.finalState === "interrupted" ? EXIT.linkError : EXIT.deviceError;
      } finally {
        process.off("SIGINT", onSigint);
        await conn.close();
      }
    });
}
