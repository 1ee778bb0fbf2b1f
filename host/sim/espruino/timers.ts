// setTimeout/setInterval in virtual time: due times keep their phase, callbacks run after an idle-loop latency.
import type { Timer } from "../scheduler.ts";
import type { Runtime } from "./runtime.ts";

interface JsTimer {
  fn: Function;
  args: unknown[];
  intervalUs: number;
  repeat: boolean;
  dueUs: number;
  handle: Timer | undefined;
}

export class Timers {
  private readonly timers = new Map<number, JsTimer>();
  private nextId = 1;

  constructor(private readonly rt: Runtime) {}

  set(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
    if (typeof fn !== "function") throw this.rt.newError("Error", "Function or String not supplied!");
    const t: JsTimer = { fn, args, intervalUs: msToUs(ms), repeat, dueUs: 0, handle: undefined };
    t.dueUs = this.rt.clock.nowUs() + t.intervalUs;
    const id = this.nextId++;
    this.timers.set(id, t);
    this.arm(id, t);
    return id;
  }

  /** Espruino: with no argument, every timer and interval is stopped. */
  clear(id: unknown): void {
    if (id === undefined) {
      for (const t of this.timers.values()) t.handle?.cancel();
      this.timers.clear();
      return;
    }
    const t = this.timers.get(Number(id));
    if (t === undefined) return;
    t.handle?.cancel();
    this.timers.delete(Number(id));
  }

  change(id: unknown, ms: unknown): void {
    const t = this.timers.get(Number(id));
    if (t === undefined) throw this.rt.newError("Error", "Unknown Interval");
    t.handle?.cancel();
    t.intervalUs = msToUs(ms);
    t.dueUs = this.rt.clock.nowUs() + t.intervalUs;
    this.arm(Number(id), t);
  }

  /** Callbacks and arguments still referenced (roots for the memory estimate). */
  roots(): unknown[] {
    return [...this.timers.values()].flatMap((t) => [t.fn, ...t.args]);
  }

  count(): number {
    return this.timers.size;
  }

  private arm(id: number, t: JsTimer): void {
    t.handle = this.rt.atIdle(t.dueUs, () => {
      if (this.timers.get(id) !== t) return;
      if (!t.repeat) this.timers.delete(id);
      try {
        t.fn.apply(undefined, t.args);
      } finally {
        if (t.repeat && this.timers.get(id) === t) {
          t.dueUs += Math.max(t.intervalUs, 1);
          this.arm(id, t);
        }
      }
    });
  }
}

function msToUs(ms: unknown): number {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? n * 1000 : 0;
}
