// Runs a recipe on a board: configure and verify, load and start the program, pull every sample into the run's sink.
import { MAX_NAME_LENGTH } from "../../protocol/limits.ts";
import type { Body } from "../../protocol/messages.ts";
import type { Recipe } from "../recipes/recipe.ts";
import { expandRecipe, type StepInfo } from "../recipes/expand.ts";
import { boardConfig, PUMP_INDEX, resolvePumps } from "../recipes/pumps.ts";
import type { SummaryRow } from "../report/summary.ts";
import { readConfig, writeConfig } from "./board-config.ts";
import type { Connection } from "./connection.ts";
import type { RunMeta, SampleSink } from "./sample-sink.ts";
import { loadProgram } from "./programs.ts";
import { faultExplanation, stateName } from "../../protocol/names.ts";
import { finishRun, pullSamples } from "./pull-samples.ts";
import { closeInterrupted, type Interruption } from "./interrupted.ts";
import { BoardRestartedError, reconnector, type Reopen } from "./reconnect.ts";

export interface RunProgress {
  status: Body<"status">;
  samplesPulled: number;
  steps: readonly StepInfo[];
}

export interface RunOptions {
  recipe: Recipe;
  /** Where the run's samples and record go, opened once the run is started (the CLI: a run folder, host/report). */
  openSink: (meta: RunMeta) => SampleSink;
  /** Most board time between status polls (the board's host-loss heartbeat too); default 1000 ms. */
  heartbeatBoardMs?: number;
  onProgress?: (p: RunProgress) => void;
  /**
   * Reopens the port after the link is lost (then the run identifies again and, if the board kept running, carries on
   * pulling). Without it a lost link ends the run (the port-opening code knows how to reopen: host/cli/open-port.ts).
   */
  reopen?: Reopen;
  /** Stop reconnecting after this long without a session (default 120 s). */
  reconnectGiveUpMs?: number;
  /** Told about link losses and reconnections. */
  onLink?: (message: string) => void;
  /** The port and the recipe file as the user gave them (kept in run.json; named in how to continue after a restart). */
  port?: string;
  recipeFile?: string;
}

export interface RunResult {
  /** Where the run was kept (the sink's name). */
  dir: string;
  rows: SummaryRow[];
  files: string[];
  finalState: string;
  /** Why the board faulted ("endstop (pumpA.minEndstop): an endstop tripped"), when it did. */
  fault?: string;
  /** The board restarted mid-run (finalState "interrupted"): what happened, and how to continue, to print. */
  interruption?: Interruption;
  message?: string;
}

/** Board milliseconds per wall millisecond, measured over a short wait. */
async function clockRate(conn: Connection, fromMs: number): Promise<number> {
  const wall = performance.now();
  await new Promise((r) => setTimeout(r, 50));
  const now = await conn.link.request("getStatus", {});
  return ((now.timeMs - fromMs) >>> 0) / Math.max(1, performance.now() - wall);
}

/** Writes every configuration value the recipe needs and checks the board holds exactly that. */
async function configure(conn: Connection, recipe: Recipe): Promise<{ name: string; index: number; value: number }[]> {
  const settings = boardConfig(recipe);
  for (const s of settings) await writeConfig(conn.link, s.name, s.index, s.value);
  const pumps = resolvePumps(recipe);
  for (const role of ["precursor", "antisolvent"] as const) {
    await conn.link.request("setVolume", { pump: PUMP_INDEX[role], volumeNl: Math.round(pumps[role].loadedMl * 1e6) });
  }
  return settings;
}

/** Each pump's gravimetric calibration as the board holds it (flowrig calibrate): factor, uncertainty, date. */
async function readCalibration(conn: Connection) {
  const pumps: Record<string, { factorPpm: number; uncertaintyPpm: number; date: number | null }> = {};
  for (const [index, name] of ["A", "B"].entries()) {
    const date = await readConfig(conn.link, "calDate", index);
    pumps[name] = {
      factorPpm: await readConfig(conn.link, "calFactorPpm", index), uncertaintyPpm: await readConfig(conn.link, "calUncertaintyPpm", index),
      date: date === 0 ? null : date,
    };
  }
  return pumps;
}

/** Runs the recipe to its end (or a fault / stop) and returns the summary. */
export async function runRecipe(conn: Connection, o: RunOptions): Promise<RunResult> {
  const { segments, steps } = expandRecipe(o.recipe);
  const configuration = await configure(conn, o.recipe);
  const calibration = await readCalibration(conn);
  await loadProgram(conn.link, 0, o.recipe.name.slice(0, MAX_NAME_LENGTH), segments);
  const before = await conn.link.request("getStatus", {});
  const boardPerWall = await clockRate(conn, before.timeMs);
  await conn.link.request("start", { slot: 0 });
  const started = await conn.link.request("getStatus", {});
  const runStartBoardS = (started.timeMs - started.elapsedMs) / 1000;
  const run = o.openSink({
    name: o.recipe.name, recipe: o.recipe, configuration, startIso: new Date().toISOString(), runStartBoardS,
    board: { id: conn.identity.board, firmwareVersion: conn.identity.firmware, bootCount: conn.identity.bootCount },
    firstSeq: before.sampleNext, // where this run's samples start in the board's numbering (flowrig pull resumes from it)
    calibration, ...(o.recipeFile === undefined ? {} : { recipeFile: o.recipeFile }),
  });
  run.addClockPair({ boardTimeS: started.timeMs / 1000, hostTimeIso: new Date().toISOString() });
  // The board's free JS variables at every status poll: the low-water mark goes into run.json (a board short of memory
  // is a fault in the making; `npm run conformance` reads it from a run on the real interpreter).
  let minFree = Math.min(before.memFree, started.memFree);
  const onLink = o.onLink ?? (() => {});
  let pulled;
  try {
    pulled = await pullSamples({
      conn, run, steps, next: before.sampleNext, heartbeatBoardMs: o.heartbeatBoardMs, boardPerWall,
      onProgress: (status, next) => {
        minFree = Math.min(minFree, status.memFree);
        o.onProgress?.({ status, samplesPulled: next - before.sampleNext, steps });
      },
      reconnect: reconnector(conn, {
        reopen: o.reopen, giveUpMs: o.reconnectGiveUpMs,
        onAttempt: (n, e, ms) => onLink(`reconnect attempt ${n} failed (${e.message}); next in ${ms} ms`),
      }),
      onLink,
    });
  } catch (e) {
    // A lower boot count is another board (or an erased one) on the port: the run may go on where it is; not closed here.
    if (!(e instanceof BoardRestartedError) || e.bootCount < e.expectedBootCount) throw e;
    // The reconnector adopted the restarted board's session into conn: pull what it kept in flash, close the folder.
    onLink(e.message);
    const closed = await closeInterrupted({
      conn, run, recipe: o.recipe, steps, bootCountBefore: e.expectedBootCount, bootCountAfter: e.bootCount,
      port: o.port ?? conn.transport.description, recipeFile: o.recipeFile,
    });
    return { dir: run.name, rows: closed.rows, files: closed.files, finalState: "interrupted", interruption: closed.interruption, message: closed.message };
  }
  const { status } = pulled;
  run.addClockPair({ boardTimeS: status.timeMs / 1000, hostTimeIso: new Date().toISOString() });
  const finalState = stateName(status.state);
  run.update({ boardMemory: { totalVars: status.memTotal, freeAtStartVars: started.memFree, minFreeVars: Math.min(minFree, status.memFree), freeAtEndVars: status.memFree } });
  const { rows, files } = finishRun(run, steps, status, runStartBoardS);
  return { dir: run.name, rows, files, finalState, fault: faultExplanation(status) || undefined };
}
