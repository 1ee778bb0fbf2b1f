// Runs a recipe on a board: configure and verify, load and start the program, pull every sample into the run folder.
import { CONFIG_KEYS, STATES } from "../../protocol/schema.ts";
import type { Body } from "../../protocol/messages.ts";
import type { Recipe } from "../recipes/recipe.ts";
import { boardConfig, expandRecipe, PUMP_INDEX, type StepInfo } from "../recipes/load.ts";
import { resolvePumps } from "../recipes/pumps.ts";
import { createRunFolder, finishRunFolder, type RunFolder } from "../report/run-folder.ts";
import { unwrapBoardMs, type SampleRecord } from "../report/samples-csv.ts";
import { describeStep, type SummaryRow } from "../report/summary.ts";
import type { Connection } from "./connection.ts";
import { loadProgram } from "./programs.ts";
import type { BenchSetup } from "../sim/virtual-rig.ts";

export interface RunProgress {
  status: Body<"status">;
  samplesPulled: number;
  steps: readonly StepInfo[];
}

export interface RunOptions {
  recipe: Recipe;
  outDir: string;
  /** Most board time between status polls (the board's host-loss heartbeat too); default 1000 ms. */
  heartbeatBoardMs?: number;
  onProgress?: (p: RunProgress) => void;
}

export interface RunResult {
  dir: string;
  rows: SummaryRow[];
  files: string[];
  finalState: string;
}

const keyOf = (name: string) => CONFIG_KEYS.find((k) => k.name === name)!.key;
const stateName = (code: number) => STATES.find((s) => s.code === code)?.name ?? `state ${code}`;

/** The bench that matches a recipe's pumps and tube, for running it on the virtual rig. */
export function benchForRecipe(recipe: Recipe): BenchSetup {
  const pumps = resolvePumps(recipe);
  const mech = (role: "precursor" | "antisolvent") => {
    const p = pumps[role];
    const areaMm2 = (Math.PI / 4) * p.innerDiameterMm ** 2;
    return {
      innerDiameterUm: p.innerDiameterMm * 1000, leadUm: p.leadMm * 1000, stepsPerRev: p.stepsPerRev, microsteps: p.microsteps,
      travelUm: ((p.capacityMl * 1000) / areaMm2) * 1000, startPositionUm: ((p.loadedMl * 1000) / areaMm2) * 1000,
    };
  };
  return { mechanics: [mech("precursor"), mech("antisolvent")], tubeLengthMm: recipe.tube?.lengthMm };
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
  for (const s of settings) {
    const back = await conn.link.request("configSet", { key: keyOf(s.name), index: s.index, value: s.value });
    if (back.value !== s.value) throw new Error(`the board holds ${s.name}[${s.index}] = ${back.value}, not ${s.value}`);
  }
  const pumps = resolvePumps(recipe);
  for (const role of ["precursor", "antisolvent"] as const) {
    await conn.link.request("setVolume", { pump: PUMP_INDEX[role], volumeNl: Math.round(pumps[role].loadedMl * 1e6) });
  }
  return settings;
}

/** Pulls samples from `from` up to the board's next, writes them, then acknowledges them. Returns the new next. */
async function pull(conn: Connection, run: RunFolder, from: number, upTo: number, steps: readonly StepInfo[], last: { ms?: number }): Promise<number> {
  const PAGE_BATCH = 64;
  let next = from;
  while (next < upTo) {
    const end = Math.min(upTo, next + 2 * PAGE_BATCH);
    const pages = [];
    for (let seq = next; seq < end; seq += 2) pages.push(conn.link.request("samplesRead", { from: seq, max: Math.min(2, end - seq) }));
    const records: SampleRecord[] = [];
    for (const page of await Promise.all(pages)) {
      page.records.forEach((r, i) => {
        const seq = page.from + i;
        if (seq !== next + records.length) throw new Error(`sample ${next + records.length} is missing on the board (it sent ${seq})`);
        last.ms = unwrapBoardMs(last.ms, r.timeMs);
        const step = r.segment === 0xffff ? undefined : steps[r.segment];
        records.push({
          boardTimeMs: last.ms, hostTime: new Date(), seq, segment: r.segment, tag: step?.tag, label: step?.label ?? "",
          precursorUlPerH: r.rateA, antisolventUlPerH: r.rateB, plUfs: r.pl, darkUfs: r.dark, flags: r.flags,
        });
      });
    }
    run.samples.append(records); // fsynced: only now may the board forget them
    next += records.length;
    await conn.link.request("samplesAck", { upTo: next });
  }
  return next;
}

/** Runs the recipe to its end (or a fault / stop) and returns the summary. */
export async function runRecipe(conn: Connection, o: RunOptions): Promise<RunResult> {
  const { segments, steps } = expandRecipe(o.recipe);
  const configuration = await configure(conn, o.recipe);
  await loadProgram(conn.link, 0, o.recipe.name.slice(0, 12), segments);
  const before = await conn.link.request("getStatus", {});
  const boardPerWall = await clockRate(conn, before.timeMs);
  await conn.link.request("start", { slot: 0 });
  const started = await conn.link.request("getStatus", {});
  const runStartBoardS = (started.timeMs - started.elapsedMs) / 1000;
  const run = createRunFolder(o.outDir, {
    name: o.recipe.name, recipe: o.recipe, configuration, startIso: new Date().toISOString(), runStartBoardS,
    board: { id: conn.identity.board, firmwareVersion: conn.identity.firmware, bootCount: conn.identity.bootCount },
  });
  run.addClockPair({ boardTimeS: started.timeMs / 1000, hostTimeIso: new Date().toISOString() });
  let next = before.sampleNext;
  const last: { ms?: number } = {};
  let status = started;
  // Poll so that at most heartbeatBoardMs of board time passes between polls, whatever speed the board's
  // clock runs at against ours (1 on hardware; a paced virtual rig may run 50× faster): measured, not assumed.
  const heartbeat = o.heartbeatBoardMs ?? 1000;
  const waitFor = (rate: number) => Math.min(200, Math.max(5, (0.5 * heartbeat) / Math.max(rate, 1e-3)));
  let waitMs = waitFor(boardPerWall);
  for (;;) {
    const wall = performance.now();
    await new Promise((r) => setTimeout(r, waitMs));
    const previousMs = status.timeMs;
    status = await conn.link.request("getStatus", {});
    waitMs = waitFor(((status.timeMs - previousMs) >>> 0) / Math.max(1, performance.now() - wall));
    next = await pull(conn, run, next, status.sampleNext, steps, last);
    o.onProgress?.({ status, samplesPulled: next - before.sampleNext, steps });
    if (status.state !== 1 && status.state !== 2) break; // neither running nor paused
  }
  next = await pull(conn, run, next, (await conn.link.request("getStatus", {})).sampleNext, steps, last);
  run.addClockPair({ boardTimeS: status.timeMs / 1000, hostTimeIso: new Date().toISOString() });
  const tube = o.recipe.tube;
  const reportSteps = steps.map((s) => describeStep({
    label: s.label, startS: s.startS, endS: s.endS, settleS: s.settleS, precursorMlPerH: s.precursorMlPerH,
    antisolventMlPerH: s.antisolventMlPerH, innerDiameterMm: tube?.innerDiameterMm, lengthMm: tube?.lengthMm, temperatureC: tube?.temperatureC,
  }));
  const finalState = stateName(status.state);
  const { rows, files } = finishRunFolder(run, { steps: reportSteps, endIso: new Date().toISOString(), status: finalState, runStartBoardS });
  return { dir: o.outDir, rows, files, finalState };
}
