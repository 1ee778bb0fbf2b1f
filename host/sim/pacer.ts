// Paces a discrete-event scheduler against the wall clock (× speed), in short slices that let I/O in between.
import type { Scheduler } from "./scheduler.ts";

/** Wall time spent running events before yielding to the event loop, so socket and pty data get in. */
const SLICE_MS = 8;
/** Virtual time run per scheduler call inside a slice. */
const STEP_US = 5_000;
/** Longest the pacer sleeps when the next event is far off (incoming bytes wake it earlier). */
const MAX_SLEEP_MS = 20;
/** When the simulation falls further behind the wall clock than this, it gives up catching up on the rest. */
const MAX_LAG_MS = 250;

/** Advances a scheduler to `virtualStart + speed × wallElapsed` in short slices between event-loop turns. */
export class Pacer {
  private wallStart = performance.now();
  private virtualStart: number;
  private wallOffsetMs = 0;
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  private active = false;

  /** `ceilingUs`: virtual time the clock may not pass for now (Infinity = none); time held there is not caught up later. */
  constructor(private readonly clock: Scheduler, readonly speed: number, private readonly ceilingUs: () => number = () => Infinity) {
    this.virtualStart = clock.nowUs();
  }

  get running(): boolean {
    return this.active;
  }

  get unlimited(): boolean {
    return !Number.isFinite(this.speed);
  }

  /** From now on virtual time follows the wall clock. */
  start(): void {
    this.wallStart = performance.now();
    this.virtualStart = this.clock.nowUs();
    this.active = true;
    this.schedule(true);
  }

  stop(): void {
    this.active = false;
    this.clearTimer();
  }

  /** Runs a bounded slice towards the wall-clock target; true if the target is reached. */
  advance(): boolean {
    const deadline = performance.now() + SLICE_MS;
    const ceiling = this.ceilingUs();
    if (this.unlimited) {
      while (this.clock.nowUs() < ceiling) {
        this.clock.runUntil(Math.min(ceiling, this.clock.nowUs() + STEP_US));
        if (performance.now() >= deadline) return false;
      }
      return true; // held: wait for the host
    }
    let target = this.targetUs();
    if (target > ceiling) {
      this.wallOffsetMs += (target - Math.max(ceiling, this.clock.nowUs())) / 1000 / this.speed; // held time is not made up later
      target = Math.max(ceiling, this.clock.nowUs());
    }
    while (this.clock.nowUs() < target) {
      this.clock.runUntil(Math.min(target, this.clock.nowUs() + STEP_US));
      if (performance.now() >= deadline) break;
    }
    const lagMs = (target - this.clock.nowUs()) / 1000 / this.speed;
    if (lagMs > MAX_LAG_MS) this.wallOffsetMs += lagMs - MAX_LAG_MS;
    return this.clock.nowUs() >= target;
  }

  /** Run at once (after incoming bytes), then carry on pacing. */
  kick(): void {
    if (this.active) this.schedule(false);
  }

  /** Virtual microseconds run since start(). */
  elapsedUs(): number {
    return this.clock.nowUs() - this.virtualStart;
  }

  private targetUs(): number {
    return this.virtualStart + this.speed * (performance.now() - this.wallStart - this.wallOffsetMs) * 1000;
  }

  private tick = (): void => {
    this.timer = undefined;
    if (!this.active) return;
    this.schedule(this.advance());
  };

  private schedule(caughtUp: boolean): void {
    this.clearTimer();
    if (!caughtUp) { this.timer = setImmediate(this.tick); return; }
    const nextWallMs = (this.clock.nextUs() - this.targetUs()) / 1000 / this.speed;
    this.timer = setTimeout(this.tick, Math.max(1, Math.min(MAX_SLEEP_MS, nextWallMs)));
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer as ReturnType<typeof setTimeout>);
    clearImmediate(this.timer as ReturnType<typeof setImmediate>);
    this.timer = undefined;
  }
}
