// `flowrig run RECIPE --port P`: validate the recipe, run it on the board, pull every sample, write the run folder.
import { Command } from "commander";
import { createInterface } from "node:readline/promises";
import { basename, join } from "node:path";
import { CONFIG_KEYS, STATES } from "../../../protocol/schema.ts";
import { connectTransport } from "../../client/connection.ts";
import { openPort } from "../../client/open-port.ts";
import { benchForRecipe, runRecipe, type RunProgress } from "../../client/run-recipe.ts";
import { formatDuration, loadRecipe } from "../../recipes/load.ts";
import { formatSummaryTable } from "../../report/summary.ts";
import { EXIT } from "../exit-codes.ts";

const HOST_TIMEOUT_KEY = CONFIG_KEYS.find((k) => k.name === "hostTimeoutMs")!.key;

function progressLine(p: RunProgress): string {
  const s = p.status;
  const step = p.steps[Math.min(s.segment, p.steps.length - 1)];
  const total = s.elapsedMs + s.remainingMs;
  const width = 24;
  const done = total > 0 ? Math.round((width * s.elapsedMs) / total) : 0;
  const state = STATES.find((x) => x.code === s.state)?.name ?? String(s.state);
  return `[${"#".repeat(done)}${".".repeat(width - done)}] step ${s.segment + 1}/${p.steps.length} ${step?.label ?? ""} ` +
    `${formatDuration(s.elapsedMs / 1000)} / ETA ${formatDuration(s.remainingMs / 1000)}  PL ${s.pl}  ${p.samplesPulled} samples  ${state}`;
}

export function runCommand(): Command {
  return new Command("run")
    .description("run a recipe on the board, pull every sample and write a run folder")
    .argument("<recipe>", "recipe JSON file (see recipes/)")
    .requiredOption("--port <port>", 'the board: "sim" (the virtual rig here), tcp://HOST:PORT, or a serial device')
    .option("--out <dir>", "run folder (default runs/<recipe>-<time>)")
    .option("--board <id>", "board profile of the virtual rig (--port sim)", "espruino-pico")
    .option("--speed <n>", "virtual seconds per wall second (--port sim)", "1")
    .option("--json", "print the result as JSON")
    .action(async (recipePath: string, opts: { port: string; out?: string; board: string; speed: string; json?: boolean }) => {
      const speed = Number(opts.speed);
      if (!(speed > 0)) {
        process.stderr.write(`flowrig run: --speed must be a number above 0, got "${opts.speed}"\n`);
        process.exitCode = EXIT.usage;
        return;
      }
      const recipe = loadRecipe(recipePath); // refused here, before anything moves
      const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
      const outDir = opts.out ?? join("runs", `${basename(recipePath, ".json")}-${stamp}`);
      const { transport } = await openPort(opts.port, { board: opts.board, speed, bench: benchForRecipe(recipe) });
      const conn = await connectTransport(transport);
      if (opts.port === "sim") {
        // The virtual rig's clock runs `speed` times faster than ours: keep the board's host-loss guard at the
        // wall-clock margin it has on real hardware (5 s), or a busy machine would trip it.
        await conn.link.request("configSet", { key: HOST_TIMEOUT_KEY, index: 0, value: Math.min(3_600_000, Math.round(5000 * speed)) });
      }
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
          recipe, outDir,
          onProgress: (p) => {
            if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
            else if (p.status.segment !== lastSegment && opts.json !== true) process.stderr.write(`${progressLine(p)}\n`);
            lastSegment = p.status.segment;
          },
        });
        if (tty) process.stderr.write("\n");
        if (opts.json === true) {
          process.stdout.write(JSON.stringify({ dir: result.dir, state: result.finalState, files: result.files, steps: result.rows }) + "\n");
        } else {
          process.stdout.write(formatSummaryTable(result.rows));
          process.stdout.write(`\nrun ${result.finalState}: ${result.dir}\n${result.files.map((f) => `  ${join(result.dir, f)}`).join("\n")}\n`);
        }
        if (result.finalState !== "done") process.exitCode = EXIT.deviceError;
      } finally {
        process.off("SIGINT", onSigint);
        await conn.close();
      }
    });
}
