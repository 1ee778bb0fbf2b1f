// Pulling a run's samples into its sink (shared by `run` and `pull`): read pages, append (durably), then acknowledge;
// follow the program until it ends; ride out a lost link by reconnecting and carrying on from what the sink holds.
import { causeName, faultExplanation, faultNames, isRunning, stateName } from "../../protocol/names.ts";
import type { Body } from "../../protocol/messages.ts";
import type { StepInfo } from "../recipes/expand.ts";
import type { SummaryRow } from "../report/summary.ts";
import type { Connection } from "./connection.ts";
import { isConnectionLoss } from "./reconnect.ts";
import { unwrapBoardMs, type SampleRecord, type SampleSink } from "./sample-sink.ts";

export type Status = Body<"status">;


/** The seq the sink needs next: after its last sample, else the run's first (its record's firstSeq). */
export function nextSeqOf(run: SampleSink): number | undefined {
  const last = run.lastSeq;
  if (last !== undefined) return last + 1;
  const first = run.meta.firstSeq;
  return typeof first === "number" ? first : undefined;
}

/**
 * Pulls samples [from, upTo), writes them (fsynced), then acknowledges them; returns the new next seq. Refuses a gap:
 * a sample the board no longer has is never papered over.
 */
export async function pullRange(conn: Connection, run: SampleSink, from: number, upTo: number, steps: readonly StepInfo[]): Promise<number> {
  const PAGE_BATCH = 64;
  let next = from;
  while (next < upTo) {
    const end = Math.min(upTo, next + 2 * PAGE_BATCH);
    const pages = [];
    for (let seq = next; seq < end; seq += 2) pages.push(conn.link.request("samplesRead", { from: seq, max: Math.min(2, end - seq) }));
    const records: SampleRecord[] = [];
    let lastMs = run.lastBoardMs; // the board clock is unwrapped from the last sample kept
    for (const page of await Promise.all(pages)) {
      page.records.forEach((r, i) => {
        const seq = page.from + i;
        if (seq !== next + records.length) {
          throw new Error(`sample ${next + records.length} is missing on the board (it sent ${seq}): ${run.name} is left without a gap, ending at seq ${next + records.length - 1}`);
        }
        lastMs = unwrapBoardMs(lastMs, r.timeMs);
        const step = r.segment === 0xffff ? undefined : steps[r.segment];
        records.push({
          boardTimeMs: lastMs, hostTime: new Date(), seq, segment: r.segment, tag: step?.tag, label: step?.label ?? "",
          precursorUlPerH: r.rateA, antisolventUlPerH: r.rateB, plUfs: r.pl, darkUfs: r.dark, flags: r.flags,
        });
      });
    }
    run.append(records); // durable: only now may the board forget them
    next += records.length;
    await conn.link.request("samplesAck", { upTo: next });
  }
  return next;
}

/** Checks the board still holds everything the folder needs from `next`, then acknowledges what is already on disk. */
export async function checkResume(conn: Connection, run: SampleSink, next: number): Promise<Status> {
  const status = await conn.link.request("getStatus", {});
  const held = run.lastSeq === undefined ? "no samples yet" : `samples up to seq ${run.lastSeq}`;
  if (status.sampleNext < next) {
    throw new Error(`the board has logged only ${status.sampleNext} samples this boot but ${run.name} holds ${held}: ` +
      `the board restarted (or this is another board); nothing was written`);
  }
  if (status.sampleAcked > next) {
    throw new Error(`the board has already freed samples ${next}…${status.sampleAcked - 1} that ${run.name} (${held}) does not hold ` +
      `(acknowledged by another host?): resuming would leave a gap; nothing was written`);
  }
  if (status.sampleAcked < next) await conn.link.request("samplesAck", { upTo: next }); // on disk already: the board may free them
  return status;
}

export interface PullOptions {
  conn: Connection;
  run: SampleSink;
  steps: readonly StepInfo[];
  /** The first seq to pull. */
  next: number;
  /** Keep polling while the program runs (default true); false pulls what there is now and returns. */
  follow?: boolean;
  /** Most board time between status polls (also the board's host-loss heartbeat); default 1000 ms. */
  heartbeatBoardMs?: number;
  /** Board ms per wall ms, if measured; else measured from the first polls. */
  boardPerWall?: number;
  onProgress?: (status: Status, next: number) => void;
  /** Replaces a lost `conn` in place (see reconnector); without it a lost link fails the pull. */
  reconnect?: (why: Error) => Promise<void>;
  /** Told when the link was lost and when it is back. */
  onLink?: (message: string) => void;
}

export interface PullResult { status: Status; next: number; reconnects: number }

/**
 * Pulls until the program has ended (or, with follow false, what is there now). A lost link is re-established and
 * the pull carries on from the folder's last sample: never a gap, never a duplicate.
 */
export async function pullSamples(o: PullOptions): Promise<PullResult> {
  const { conn, run, steps } = o;
  const heartbeat = o.heartbeatBoardMs ?? 1000;
  const follow = o.follow ?? true;
  // Poll so that at most heartbeatBoardMs of board time passes between polls, whatever speed the board's
  // clock runs at against ours (1 on hardware; a paced virtual rig may run 50× faster): measured, not assumed.
  const waitFor = (rate: number) => Math.min(200, Math.max(5, (0.5 * heartbeat) / Math.max(rate, 1e-3)));
  let waitMs = o.boardPerWall === undefined ? 5 : waitFor(o.boardPerWall);
  let next = o.next;
  let reconnects = 0;
  let status: Status | undefined;
  let polledAt = performance.now();
  for (;;) {
    try {
      if (status !== undefined) await new Promise((r) => setTimeout(r, waitMs));
      const previous = status;
      const wall = performance.now();
      status = await conn.link.request("getStatus", {});
      if (previous !== undefined) waitMs = waitFor(((status.timeMs - previous.timeMs) >>> 0) / Math.max(1, wall - polledAt));
      polledAt = wall;
      next = await pullRange(conn, run, next, status.sampleNext, steps);
      o.onProgress?.(status, next);
      if (isRunning(status.state) && follow) continue;
      // Ended (or not following): what was logged up to this status is in; take what came since.
      status = await conn.link.request("getStatus", {});
      next = await pullRange(conn, run, next, status.sampleNext, steps);
      return { status, next, reconnects };
    } catch (e) {
      if (o.reconnect === undefined || !isConnectionLoss(e)) throw e;
      o.onLink?.(`link lost (${(e as Error).message}); reconnecting`);
      await o.reconnect(e as Error); // throws if the board restarted, or gives up
      reconnects++;
      next = nextSeqOf(run) ?? next; // what is on disk is the truth: a page read but not written is read again
      status = await checkResume(conn, run, next);
      polledAt = performance.now();
      o.onLink?.(`reconnected to ${conn.transport.description}; carrying on from seq ${next}`);
    }
  }
}

/** What run.json records of a fault: which faults, the input that tripped, and the sentence `run` and `pull` print. */
export function faultRecord(status: Status): { faults: string[]; cause: string; text: string } | null {
  const text = faultExplanation(status);
  if (text === "") return null;
  return {
    faults: faultNames(status.faults), cause: causeName(status.cause), text,
  };
}

/** Finishes the run (summary, plots) with the board's final state, and its fault if any, in the record. */
export function finishRun(run: SampleSink, steps: readonly StepInfo[], status: Status, runStartBoardS?: number): { rows: SummaryRow[]; files: string[] } {
  run.update({ fault: faultRecord(status) });
  return run.finish({ steps, endIso: new Date().toISOString(), status: stateName(status.state), runStartBoardS });
}
