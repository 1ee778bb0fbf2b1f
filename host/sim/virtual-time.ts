// Bridges async host code to the scheduler's virtual time: a LinkClock on it, and running until a promise settles.
import type { LinkClock } from "../../protocol/host-link.ts";
import type { Scheduler } from "./scheduler.ts";

export function virtualLinkClock(clock: Scheduler): LinkClock {
  return {
    now: () => clock.nowUs() / 1000,
    setTimer: (fn, ms) => clock.after(ms * 1000, fn),
    clearTimer: (handle) => (handle as { cancel(): void }).cancel(),
  };
}

/** Runs virtual time until `promise` settles, letting promise callbacks run between events. */
export async function settle<T>(clock: Scheduler, promise: Promise<T>, limitUs = 3600e6): Promise<T> {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  const end = clock.nowUs() + limitUs;
  while (!done) {
    await new Promise((r) => setImmediate(r));
    if (done) break;
    const next = clock.nextUs();
    if (next > end) throw new Error(`still pending after ${limitUs / 1e6} virtual seconds`);
    clock.runUntil(next);
  }
  return promise;
}
