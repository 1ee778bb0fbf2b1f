// `flowrig pull --port P --out DIR`: resume pulling a run's samples into its folder from where samples.csv stops,
// follow the program to its end, and finish the folder (summary, plots) as `run` does. Never a gap, never a duplicate.
import { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { connectTransport } from "../../client/connection.ts";
import { openPort, parsePort, reopenerFor } from "../open-port.ts";
import { faultExplanation, isRunning, stateName } from "../../../protocol/names.ts";
import { checkResume, finishRun, nextSeqOf, pullSamples } from "../../client/pull-samples.ts";
import { closeInterrupted } from "../../client/interrupted.ts";
import { BoardRestartedError, reconnector } from "../../client/reconnect.ts";
import type { Connection } from "../../client/connection.ts";
import { expandRecipe, formatDuration, type Recipe, type StepInfo } from "../../recipes/load.ts";
import { openRunFolder, type RunFolder } from "../../report/run-folder.ts";
import { formatSummaryTable } from "../../report/summary.ts";
import { EXIT } from "../exit-codes.ts";

interface PullOpts { port: string; out: string; follow: boolean; json?: boolean }

const seqRange = (run: RunFolder, first: number | undefined) =>
  run.samples.lastSeq === undefined ? "no samples" : `seq ${first ?? "?"}…${run.samples.lastSeq}`;

/** A folder whose board restarted: recover its spilled samples, close it as interrupted, say how to go on (exit 4). */
async function closeAfterRestart(conn: Connection, run: RunFolder, recipe: Recipe, steps: StepInfo[], bootCount: number, opts: PullOpts): Promise<void> {
  const before = run.samples.lastSeq;
  const closed = await closeInterrupted({
    conn, run, recipe, steps, bootCountBefore: bootCount, bootCountAfter: conn.identity.bootCount, port: opts.port,
    recipeFile: typeof run.meta.recipeFile === "string" ? run.meta.recipeFile : undefined,
  });
  const pulled = (run.samples.lastSeq ?? -1) - (before ?? -1);
  if (opts.json === true) {
    process.stdout.write(JSON.stringify({ dir: opts.out, state: "interrupted", pulled, lastSeq: run.samples.lastSeq ?? null, interruption: closed.interruption, files: closed.files, steps: closed.rows }) + "\n");
  } else {
    process.stdout.write(formatSummaryTable(closed.rows));
    process.stdout.write(`\npulled ${pulled} samples; run interrupted: ${opts.out}\n${closed.files.map((f) => `  ${join(opts.out, f)}`).join("\n")}\n`);
  }
  process.stderr.write(`flowrig pull: ${closed.message}\n`);
  process.exitCode = EXIT.linkError;
}

export function pullCommand(): Command {
  return new Command("pull")
    .description("resume pulling a run's samples into its folder (after the host stopped or lost the board), then finish it")
    .requiredOption("--port <port>", "the board the run is on: tcp://HOST:PORT or a serial device")
    .requiredOption("--out <dir>", "the run folder to resume (written by flowrig run)")
    .option("--no-follow", "pull what the board holds now and return, even if the program is still running")
    .option("--json", "print the result as JSON")
    .action(async (opts: PullOpts) => {
      const fail = (code: number, message: string) => {
        process.stderr.write(`flowrig pull: ${message}\n`);
        process.exitCode = code;
      };
      try {
        if (parsePort(opts.port).kind === "sim") {
          return fail(EXIT.usage, `--port sim boots a fresh virtual board, which holds no run: give the port of the board the run is on ` +
            `(tcp://HOST:PORT of flowrig sim --listen, or a serial device)`);
        }
      } catch (e) {
        return fail(EXIT.usage, (e as Error).message);
      }
      if (!existsSync(join(opts.out, "run.json"))) return fail(EXIT.usage, `${opts.out} is not a run folder (no run.json)`);
      const run = openRunFolder(opts.out);
      const recipe = run.meta.recipe as Recipe;
      const { steps } = expandRecipe(recipe);
      const firstSeq = typeof run.meta.firstSeq === "number" ? run.meta.firstSeq : undefined;
      const say = (line: string) => { if (opts.json !== true) process.stderr.write(`${line}\n`); };
      const report = (o: Record<string, unknown>, human: string) =>
        process.stdout.write(opts.json === true ? JSON.stringify({ dir: opts.out, ...o }) + "\n" : `${human}\n`);

      if (run.meta.status !== "running") {
        // Finished already (by run, or by an earlier pull): nothing on the board belongs to it any more. Change nothing.
        run.samples.close();
        report({ state: run.meta.status, pulled: 0, lastSeq: run.samples.lastSeq ?? null, files: run.meta.files },
          `${opts.out} is already finished (${run.meta.status}, ${seqRange(run, firstSeq)}): nothing to pull`);
        return;
      }

      const { transport } = await openPort(opts.port);
      const conn = await connectTransport(transport); // a board with another schema is refused here (exit 5)
      try {
        const board = run.meta.board;
        if (conn.identity.board !== board.id) {
          return fail(EXIT.failure, `${opts.port} is board "${conn.identity.board}", but ${opts.out} was run on "${board.id}": nothing was written`);
        }
        if (typeof board.bootCount === "number" && conn.identity.bootCount < board.bootCount) {
          return fail(EXIT.linkError, `the board's boot count went back since ${opts.out} was run (boot count ${board.bootCount} → ` +
            `${conn.identity.bootCount}): another board of the same kind, or one whose flash was erased; ${opts.out} is left as it was (nothing was written)`);
        }
        if (typeof board.bootCount === "number" && conn.identity.bootCount !== board.bootCount) {
          // The run's program ended with the boot it ran in: take what the board kept of it in flash and close the folder.
          say(`flowrig pull: the board restarted since ${opts.out} was run (boot count ${board.bootCount} → ${conn.identity.bootCount})`);
          await closeAfterRestart(conn, run, recipe, steps, board.bootCount, opts);
          return;
        }
        const next = nextSeqOf(run);
        if (next === undefined) throw new Error(`${opts.out}/run.json has no firstSeq and samples.csv no sample: cannot tell where the run starts`);
        const before = await checkResume(conn, run, next);
        const from = next;
        if (before.sampleNext === next && !isRunning(before.state)) say(`flowrig pull: the board holds nothing after seq ${next - 1}`);
        else say(`flowrig pull: resuming ${opts.out} at seq ${next} (board: ${stateName(before.state)}, ${before.sampleNext - next} samples waiting)`);
        run.addClockPair({ boardTimeS: before.timeMs / 1000, hostTimeIso: new Date().toISOString() });
        let lastSegment = -1;
        const pulling = pullSamples({
          conn, run, steps, next, follow: opts.follow,
          onProgress: (s, n) => {
            if (s.segment === lastSegment) return;
            lastSegment = s.segment;
            say(`step ${s.segment + 1}/${steps.length} ${steps[Math.min(s.segment, steps.length - 1)]?.label ?? ""} ` +
              `${formatDuration(s.elapsedMs / 1000)} / ETA ${formatDuration(s.remainingMs / 1000)}  ${n - from} samples pulled  ${stateName(s.state)}`);
          },
          reconnect: reconnector(conn, { reopen: reopenerFor(transport), onAttempt: (n, e, ms) => say(`flowrig pull: reconnect attempt ${n} failed (${e.message}); next in ${ms} ms`) }),
          onLink: (m) => say(`flowrig pull: ${m}`),
        });
        const outcome = await pulling.catch((e: unknown) => {
          if (e instanceof BoardRestartedError && e.bootCount > e.expectedBootCount) return e; // restarted while followed: conn is its new session
          throw e;
        });
        if (outcome instanceof BoardRestartedError) {
          say(`flowrig pull: ${outcome.message}`);
          await closeAfterRestart(conn, run, recipe, steps, outcome.expectedBootCount, opts);
          return;
        }
        const { status, next: end, reconnects } = outcome;
        const pulled = end - from;
        run.addClockPair({ boardTimeS: status.timeMs / 1000, hostTimeIso: new Date().toISOString() });
        if (isRunning(status.state)) {
          run.samples.close();
          report({ state: "running", pulled, lastSeq: run.samples.lastSeq ?? null, reconnects },
            `pulled ${pulled} samples into ${opts.out} (${seqRange(run, firstSeq)}); the program is still running: pull again to go on`);
          return;
        }
        const finalState = stateName(status.state);
        const { rows, files } = finishRun(run, steps, status);
        if (opts.json === true) {
          report({ state: finalState, faults: faultExplanation(status) || null, pulled, lastSeq: run.samples.lastSeq ?? null, reconnects, files, steps: rows }, "");
        } else {
          process.stdout.write(formatSummaryTable(rows));
          process.stdout.write(`\npulled ${pulled} samples; run ${finalState}: ${opts.out} (${seqRange(run, firstSeq)})\n` +
            `${files.map((f) => `  ${join(opts.out, f)}`).join("\n")}\n`);
        }
        if (finalState !== "done") {
          const why = faultExplanation(status);
          if (why !== "") process.stderr.write(`flowrig pull: the board ended the run with a fault: ${why}\n`);
          process.exitCode = EXIT.deviceError;
        }
      } finally {
        run.samples.close();
        await conn.close();
      }
    });
}
