// Discrete-event scheduler: the virtual clock every simulated part of the rig runs on.

export type EventFn = () => void;

interface Pending {
  atUs: number;
  order: number;
  fn: EventFn;
  cancelled: boolean;
}

/** A cancellable handle returned by `at`/`after`. */
export interface Timer {
  cancel(): void;
  readonly atUs: number;
}

/**
 * Virtual time in microseconds (a float: sub-µs edges are representable).
 * Events run in time order; events at the same instant run in the order they were scheduled.
 */
export class Scheduler {
  private heap: Pending[] = [];
  private orderCounter = 0;
  private current = 0;

  nowUs(): number {
    return this.current;
  }

  at(atUs: number, fn: EventFn): Timer {
    if (!Number.isFinite(atUs)) throw new RangeError(`event time must be finite, got ${atUs}`);
    const ev: Pending = { atUs: Math.max(atUs, this.current), order: this.orderCounter++, fn, cancelled: false };
    this.push(ev);
    return { cancel: () => { ev.cancelled = true; }, atUs: ev.atUs };
  }

  after(delayUs: number, fn: EventFn): Timer {
    return this.at(this.current + Math.max(0, delayUs), fn);
  }

  /** Time of the next pending event, or Infinity when nothing is scheduled. */
  nextUs(): number {
    this.dropCancelled();
    return this.heap.length === 0 ? Infinity : this.heap[0].atUs;
  }

  /** Run every event up to and including `untilUs`, then leave the clock at `untilUs`. Returns events run. */
  runUntil(untilUs: number): number {
    let count = 0;
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (top === undefined || top.atUs > untilUs) break;
      this.pop();
      this.current = top.atUs;
      top.fn();
      count++;
    }
    if (untilUs > this.current) this.current = untilUs;
    return count;
  }

  runFor(durationUs: number): number {
    return this.runUntil(this.current + durationUs);
  }

  /** Run until `done()` is true after an event, or until `limitUs` of virtual time passes. Returns done(). */
  runUntilCondition(done: () => boolean, limitUs: number): boolean {
    const end = this.current + limitUs;
    if (done()) return true;
    for (;;) {
      const next = this.nextUs();
      if (next > end) { this.runUntil(end); return done(); }
      this.runUntil(next);
      if (done()) return true;
    }
  }

  pendingCount(): number {
    this.dropCancelled();
    return this.heap.filter((e) => !e.cancelled).length;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
  }

  private less(a: Pending, b: Pending): boolean {
    return a.atUs < b.atUs || (a.atUs === b.atUs && a.order < b.order);
  }

  private push(ev: Pending): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Pending | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
