// A run's folder, the SampleSink the CLI pulls into: run.json (what ran, on what, when), samples.csv while it runs, summary.csv and plots at the end.
import { existsSync, fsyncSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { openSamplesCsv, readSamplesCsv, type SamplesCsvWriter, type SamplesWriterOptions } from "./samples-csv.ts";
import { writePlots } from "./plots.ts";
import type { ClockPair, FinishOptions, RunMeta, SampleSink } from "../client/sample-sink.ts";
import { summarizeSteps, summaryCsv, type SummaryRow } from "./summary.ts";

export type { ClockPair, FinishOptions, RunMeta };

/** run.json: the meta plus what the folder adds (format, units, status, end, files). */
export interface RunJson extends RunMeta {
  format: "flowrig-run/1";
  units: Record<string, string>;
  status: "running" | "done" | "stopped" | "fault" | string;
  endIso: string | null;
  clockAlignment: ClockPair[];
  files: string[];
}

/** A run folder is the CLI's SampleSink: samples.csv fsynced per append, run.json rewritten atomically, summary and plots at the end. */
export interface RunFolder extends SampleSink {
  readonly dir: string;
  /** samples.csv (seq must continue without gap). */
  readonly samples: SamplesCsvWriter;
  /** run.json as last written. */
  readonly meta: RunJson;
  /** Merges fields into run.json and rewrites it atomically. */
  update(patch: Partial<RunJson>): void;
}

const UNITS = {
  "samples.board_time_s": "s (board clock)", "samples.precursor_ml_h": "mL/h", "samples.antisolvent_ml_h": "mL/h",
  "samples.pl": "millionths of full scale (LED-on minus LED-off, dark subtracted)", "samples.dark": "millionths of full scale",
  "steps": "s from the run's start (runStartBoardS)",
};

/** Writes via a temporary file and rename, so run.json is always either the old or the new version. */
function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, JSON.stringify(value, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function folder(dir: string, json: RunJson, options: SamplesWriterOptions): RunFolder {
  const file = join(dir, "run.json");
  const state = { meta: json };
  const kept: string[] = [];
  const samples = openSamplesCsv(join(dir, "samples.csv"), options);
  return {
    dir,
    name: dir,
    samples,
    get meta() { return state.meta; },
    get lastSeq() { return samples.lastSeq; },
    get lastBoardMs() { return samples.lastBoardMs; },
    append(records) { samples.append(records); },
    update(patch) { state.meta = { ...state.meta, ...patch }; writeJsonAtomic(file, state.meta); },
    addClockPair(pair) { this.update({ clockAlignment: [...state.meta.clockAlignment, pair] }); },
    keep(fileName, text) {
      writeFileSync(join(dir, fileName), text);
      if (!kept.includes(fileName)) kept.push(fileName);
      return join(dir, fileName);
    },
    finish(o) {
      const done = finishRunFolder(this, o);
      if (kept.length === 0) return done;
      const files = [...done.files, ...kept];
      this.update({ files });
      return { rows: done.rows, files };
    },
    close() { samples.close(); },
  };
}

/** Creates `dir` (and parents), writes run.json and opens samples.csv. Refuses a folder that already holds a run. */
export function createRunFolder(dir: string, meta: RunMeta, options: SamplesWriterOptions = {}): RunFolder {
  const file = join(dir, "run.json");
  if (existsSync(file)) throw new Error(`${dir} already holds a run (run.json exists): choose a new folder, or continue that run with flowrig pull --out DIR`);
  mkdirSync(dir, { recursive: true });
  const json: RunJson = {
    ...meta, format: "flowrig-run/1", units: UNITS, status: "running", endIso: null,
    clockAlignment: meta.clockAlignment ?? [], files: ["run.json", "samples.csv"],
  };
  writeJsonAtomic(file, json);
  return folder(dir, json, options);
}

/** Reopens an existing run folder (a `pull` after a crash): samples.csv resumes after its last complete line. */
export function openRunFolder(dir: string, options: SamplesWriterOptions = {}): RunFolder {
  const json = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunJson;
  if (json.format !== "flowrig-run/1") throw new Error(`${dir}/run.json is not a flowrig run (format ${String(json.format)})`);
  return folder(dir, json, options);
}

/**
 * Closes samples.csv, reads it back (it is the record, resumed pulls included), writes summary.csv and the plots,
 * and completes run.json (end time, status, files). Returns the summary rows for the terminal table.
 */
export function finishRunFolder(run: RunFolder, o: FinishOptions): { rows: SummaryRow[]; files: string[] } {
  run.samples.close();
  const rows = readSamplesCsv(join(run.dir, "samples.csv"));
  const startS = o.runStartBoardS ?? run.meta.runStartBoardS ?? (rows.length > 0 ? rows[0].boardTimeS : 0);
  const samples = rows.map((r) => ({ timeS: r.boardTimeS - startS, pl: r.pl, flags: r.flags }));
  const summary = summarizeSteps(o.steps, samples);
  writeFileSync(join(run.dir, "summary.csv"), summaryCsv(summary));
  const plots = writePlots(run.dir, summary, samples, run.meta.name ?? basename(run.dir));
  const files = ["run.json", "samples.csv", "summary.csv", ...plots];
  run.update({ endIso: o.endIso, status: o.status ?? "done", runStartBoardS: startS, files });
  return { rows: summary, files };
}
