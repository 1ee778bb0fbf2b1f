// Where a run's samples and record go: the client only calls a SampleSink; host/report's run folder is one, kept in files.
import type { StepInfo } from "../recipes/expand.ts";
import type { SummaryRow } from "../report/summary.ts";

/** One sample as the board reports it, with the host's reception time and the step's label added. */
export interface SampleRecord {
  /** Board time in ms, unwrapped (see unwrapBoardMs) so it never goes back. */
  boardTimeMs: number;
  hostTime: Date | string;
  seq: number;
  /** Segment index; undefined or 0xFFFF when no segment ran (written empty, as is tag). */
  segment?: number;
  tag?: number;
  label?: string;
  precursorUlPerH: number;
  antisolventUlPerH: number;
  /** PL and dark in millionths of full scale (integers). */
  plUfs: number;
  darkUfs: number;
  /** SAMPLE_FLAGS bits. */
  flags: number;
}

/** One reading of both clocks, taken together (board time from a `clock` reply, host time when it arrived). */
export interface ClockPair { boardTimeS: number; hostTimeIso: string; roundTripMs?: number }

/** What the client knows of a run at its start; any extra fields are kept in the record as given. */
export interface RunMeta {
  /** Run name (plot titles); default: where the run is kept. */
  name?: string;
  /** The recipe as loaded (steps, flows, settle times). */
  recipe: unknown;
  /** Board configuration in force (syringes, leads, sensor settings, which pump is precursor). */
  configuration: unknown;
  board: { id: string; firmwareVersion: string; [more: string]: unknown };
  startIso: string;
  /** Board time (s) of the run's start: step times and the time axis count from it. */
  runStartBoardS?: number;
  clockAlignment?: ClockPair[];
  /** The board's JS variables as its status polls saw them during the run (lowest free = the run's peak use). */
  boardMemory?: { totalVars: number; freeAtStartVars: number; minFreeVars: number; freeAtEndVars: number };
  [more: string]: unknown;
}

export interface FinishOptions {
  /** The recipe's steps as expandRecipe gives them (times in s from the run's start, Re and τ computed there). */
  steps: readonly StepInfo[];
  endIso: string;
  status?: string;
  /** Board time (s) of the run's start, if not already recorded; default the first sample's time. */
  runStartBoardS?: number;
}

/** A run's record while it is pulled: samples in seq order, the run's metadata, and what finishing it leaves. */
export interface SampleSink {
  /** Where the run is kept, for messages (a folder). */
  readonly name: string;
  /** The last sample kept, undefined before the first: its seq, and its board time in ms (unwrapped). */
  readonly lastSeq: number | undefined;
  readonly lastBoardMs: number | undefined;
  /** The run's record as last written. */
  readonly meta: RunMeta;
  /** Keeps samples, each the previous seq + 1; durable when it returns, so the board may then free them. */
  append(records: readonly SampleRecord[]): void;
  /** Merges fields into the run's record. */
  update(patch: Partial<RunMeta>): void;
  addClockPair(pair: ClockPair): void;
  /** Keeps one more file of the run (remaining-steps.json), listed when the run is finished; returns where, for messages. */
  keep(fileName: string, text: string): string;
  /** Ends the run: per-step statistics, plots, final status; returns the summary rows and the files the run now has. */
  finish(o: FinishOptions): { rows: SummaryRow[]; files: string[] };
  /** Stops appending (the run stays as it is: a later pull may reopen it). */
  close(): void;
}

/** Continues a board clock that wraps at 2³² ms (49.7 days) from the previous unwrapped time. */
export function unwrapBoardMs(previousMs: number | undefined, rawMs: number): number {
  if (previousMs === undefined) return rawMs;
  let t = Math.floor(previousMs / 2 ** 32) * 2 ** 32 + rawMs;
  if (t < previousMs - 2 ** 31) t += 2 ** 32;
  return t;
}
