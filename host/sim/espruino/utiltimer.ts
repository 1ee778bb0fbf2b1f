// The utility timer (src/jstimer.c): a short queue of hardware-timed pin tasks shared by digitalPulse and Stepper.
import type { Timer } from "../scheduler.ts";
import type { Level, PinBus } from "../pins.ts";
import type { Runtime } from "./runtime.ts";

export interface StepState {
  pins: string[];
  /** Signed steps still to do (task->data.step.steps). */
  steps: number;
  pIndex: number;
  /** Eight 4-bit patterns, index = pIndex. */
  nibbles: number[];
  intervalUs: number;
}

interface Task {
  atUs: number;
  pins: string[];
  value: Level;
  step: StepState | undefined;
  handle: Timer | undefined;
  onFinished: (() => void) | undefined;
}

export class UtilityTimer {
  private tasks: Task[] = [];

  constructor(
    private readonly rt: Runtime,
    private readonly bus: PinBus,
    private readonly tickNs: number,
    /** UTILTIMERTASK_TASKS: the ring's size (the profile's pulseQueueLength). */
    queueLength: number,
    /** False: the timer never fires (Espruino's Linux build): tasks stay queued for ever and the ring fills. */
    private readonly runs = true,
  ) {
    // jstimer.c keeps its tasks in a ring whose head may never catch up with its tail: one slot always stays empty.
    this.capacity = queueLength - 1;
  }

  /** Tasks that can be pending at once. */
  readonly capacity: number;

  /** jshGetTimeFromMilliseconds, truncated to whole utility-timer ticks. Returns µs. */
  durationUs(ms: number): number {
    const ticks = Math.floor((ms * 1e6) / this.tickNs + 1e-9);
    return (ticks * this.tickNs) / 1000;
  }

  pendingCount(): number {
    return this.tasks.length;
  }

  /** utilTimerGetUnusedIndex(wait=true): when the queue is full the interpreter busy-waits (WAIT_UNTIL). */
  waitForSlot(): void {
    if (this.tasks.length >= this.capacity) this.rt.blockUntil(() => this.tasks.length < this.capacity, "Utility Timer");
  }

  /** jstUtilTimerWaitEmpty: block until every pending task has run. */
  waitEmpty(): void {
    if (this.tasks.length > 0) this.rt.blockUntil(() => this.tasks.length === 0, "Utility Timer");
  }

  /** The time of the latest pending task driving `pin` (jstGetLastPinTimerTask), if any. */
  lastTaskTimeForPin(pin: string): number | undefined {
    let last: number | undefined;
    for (const t of this.tasks) if (t.pins.includes(pin) && (last === undefined || t.atUs > last)) last = t.atUs;
    return last;
  }

  /** Queue a pin change at an absolute virtual time (blocks first if the queue is full). */
  setPinAt(pin: string, atUs: number, value: Level): void {
    this.waitForSlot();
    const task: Task = { atUs, pins: [pin], value, step: undefined, handle: undefined, onFinished: undefined };
    this.tasks.push(task);
    task.handle = this.at(atUs, () => {
      this.remove(task);
      this.bus.writeOutput(pin, value);
    });
  }

  /** Start a UET_STEP task: first step now, then one every `intervalUs`; `onFinished` when done or stopped. */
  startSteps(step: StepState, onFinished: () => void): void {
    this.waitForSlot();
    const task: Task = { atUs: this.rt.clock.nowUs(), pins: step.pins, value: 0, step, handle: undefined, onFinished };
    this.tasks.push(task);
    const fire = (): void => {
      if (step.steps > 0) { step.steps--; step.pIndex = (step.pIndex + 1) & 7; }
      else if (step.steps < 0) { step.steps++; step.pIndex = (step.pIndex + 7) & 7; }
      const bits = step.nibbles[step.pIndex];
      for (let i = 0; i < 4; i++) this.bus.writeOutput(step.pins[i], ((bits >> i) & 1) as Level);
      if (step.steps === 0) { this.remove(task); onFinished(); return; }
      task.atUs += step.intervalUs;
      task.handle = this.at(task.atUs, fire);
    };
    task.handle = this.at(task.atUs, fire);
  }

  /** jstStopPinTimerTask: remove the first task using `pin`; its finish callback runs. False if none. */
  stopPinTask(pin: string): boolean {
    const task = this.tasks.find((t) => t.pins.includes(pin));
    if (task === undefined) return false;
    task.handle?.cancel();
    this.remove(task);
    task.onFinished?.();
    return true;
  }

  /** Power loss / reset: everything pending vanishes. */
  clear(): void {
    for (const t of this.tasks) t.handle?.cancel();
    this.tasks = [];
  }

  /** The timer interrupt at `atUs`, where the build has a timer that fires. */
  private at(atUs: number, fn: () => void): Timer | undefined {
    return this.runs ? this.rt.atIrq(atUs, fn) : undefined;
  }

  private remove(task: Task): void {
    const i = this.tasks.indexOf(task);
    if (i >= 0) this.tasks.splice(i, 1);
  }
}
