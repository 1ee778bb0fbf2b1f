// The rig's controller: run state, programs, manual flow and moves, safety; the same on every board.
import {
  CAUSE_HOST_ESTOP, CAUSE_HOST_LINK, CAUSE_PUMP_A_DIAG, FAULT_STALL, CAUSE_PUMP_A_MAX_ENDSTOP, CAUSE_PUMP_A_MIN_ENDSTOP, CAUSE_PUMP_A_TRAVEL,
  FAULT_ENDSTOP, FAULT_ESTOP, FAULT_HOST_LOST, FAULT_STEP_OUTPUT, FAULT_SYRINGE_EMPTY, CAUSE_PUMP_A_STEPS, MSG_SEGMENT_EVENT, MSG_STATE_EVENT,
  STATE_DONE, STATE_FAULT, STATE_IDLE, STATE_MANUAL, STATE_PAUSED, STATE_RUNNING, STATE_STOPPED,
} from "../protocol/generated.ts";
import type { DigitalInput } from "./hal.ts";
import { SPAN_MS, type PumpMotion } from "./motion.ts";

/** A program's segments as parallel tables. */
export interface Program {
  segments: number;
  durationMs: ArrayLike<number>;
  rateA: ArrayLike<number>;
  rateB: ArrayLike<number>;
  rampMs: ArrayLike<number>;
  tag: ArrayLike<number>;
}

/** Causes are numbered per pump: A's min, max, diag, then B's; travel causes A then B. */
const CAUSES_PER_PUMP = 3;

/** The controller's input handlers, made where only the controller is in scope (a closure keeps its whole scope). */
function bindInputHandlers(c: Controller): void {
  c.onEndstop = function (tag: number, active: boolean) { c.endstopEdge(tag, active); };
  c.onStall = function (tag: number, active: boolean) { c.stallEdge(tag, active); };
}

export class Controller {
  motions: PumpMotion[];
  state: number;
  faults: number;
  cause: number;
  program: Program | undefined;
  slot: number;
  segment: number;
  segmentStartMs: number;
  /** The last segment handed to the motion planner (which plans ahead) and its start. */
  planSegment: number;
  planStartMs: number;
  runStartMs: number;
  pausedAtMs: number;
  emittedAtRunStart: number[];
  /** The endstop inputs as watched: [pump A empty, pump A full, pump B empty, pump B full] (pumpStatus reports them). */
  endstops: DigitalInput[];
  sendEvent: (id: number, values: any[]) => void;
  nowMs: () => number;
  /** The inputs' shared handlers (one each for all endstops and all stall outputs). */
  onEndstop: (tag: number, active: boolean) => void;
  onStall: (tag: number, active: boolean) => void;

  constructor(pumps: PumpMotion[], nowMs: () => number, sendEvent: (id: number, values: any[]) => void) {
    this.motions = pumps;
    this.nowMs = nowMs;
    this.sendEvent = sendEvent;
    this.endstops = [];
    this.state = STATE_IDLE;
    this.faults = 0;
    this.cause = 0;
    this.program = undefined;
    this.slot = 0;
    this.segment = 0;
    this.segmentStartMs = 0;
    this.planSegment = 0;
    this.planStartMs = 0;
    this.runStartMs = 0;
    this.pausedAtMs = 0;
    this.emittedAtRunStart = [0, 0];
    this.onEndstop = this.onStall = function () {};
    bindInputHandlers(this);
  }

  setState(state: number): void {
    if (state === this.state) return;
    this.state = state;
    this.sendEvent(MSG_STATE_EVENT, [state, this.faults, this.cause, this.nowMs()]);
  }

  /** Stops both pumps at once; drivers are released unless `hold`. */
  haltAll(hold: boolean): void {
    for (let i = 0; i < this.motions.length; i++) {
      this.motions[i].halt();
      if (!hold) this.motions[i].release();
    }
  }

  /** Any fault: pumps stop, drivers off, the first cause is kept until clearFault. */
  fault(bits: number, cause: number): void {
    this.haltAll(false);
    if (this.faults === 0) this.cause = cause;
    this.faults = this.faults | bits;
    this.setState(STATE_FAULT);
  }

  /** Wires an endstop: hitting it while moving towards it stops everything and faults. */
  watchEndstop(input: DigitalInput, pump: number, isMax: boolean): void {
    const tag = pump * 2 + (isMax ? 1 : 0);
    this.endstops[tag] = input;
    input.watch(this.onEndstop, tag, 5);
  }

  /** An endstop edge; tag = pump × 2 + (max end ? 1 : 0). */
  endstopEdge(tag: number, active: boolean): void {
    if (!active) return;
    const pump = tag >> 1;
    const isMax = (tag & 1) === 1;
    const motion = this.motions[pump];
    const towards = isMax ? motion.rate < 0 : motion.rate > 0;
    if (motion.active && towards) this.fault(FAULT_ENDSTOP, CAUSE_PUMP_A_MIN_ENDSTOP + pump * CAUSES_PER_PUMP + (isMax ? 1 : 0));
  }

  /** Wires a driver's stall output: a stall while the pump moves stops everything and faults. */
  watchStall(input: DigitalInput, pump: number): void {
    input.watch(this.onStall, pump, 1);
  }

  /** A stall output's edge; tag = pump. */
  stallEdge(pump: number, active: boolean): void {
    if (active && this.motions[pump].active) this.fault(FAULT_STALL, CAUSE_PUMP_A_DIAG + pump * CAUSES_PER_PUMP);
  }

  startProgram(program: Program, slot: number): void {
    const now = this.nowMs();
    this.program = program;
    this.slot = slot;
    this.runStartMs = now;
    for (let i = 0; i < this.motions.length; i++) this.emittedAtRunStart[i] = this.motions[i].output.emitted();
    this.setState(STATE_RUNNING);
    this.segment = 0;
    this.segmentStartMs = now;
    this.planFrom(0, now, program.rampMs[0]);
    this.planNow();
    this.sendEvent(MSG_SEGMENT_EVENT, [0, program.tag[0], now]);
  }

  /** Queues motion now rather than at the next tick, so flow starts when it is asked for. */
  planNow(): void {
    const now = this.nowMs();
    for (let i = 0; i < this.motions.length; i++) this.motions[i].plan(now);
  }

  /** Hands segment `index`, starting at `startMs`, to the motion planner. */
  planFrom(index: number, startMs: number, rampMs: number): void {
    const p = this.program as Program;
    this.planSegment = index;
    this.planStartMs = startMs;
    this.motions[0].setRate(p.rateA[index], startMs, rampMs);
    this.motions[1].setRate(p.rateB[index], startMs, rampMs);
  }

  /** Plans segment changes due within the planning horizon; reports those that have begun. */
  followProgram(now: number): void {
    const p = this.program as Program;
    // Hand over a segment's rates before the planner plans past its start.
    while (this.planSegment < p.segments) {
      const next = this.planSegment + 1;
      const boundary = this.planStartMs + p.durationMs[this.planSegment];
      if (boundary > now + this.motions[0].horizonMs + SPAN_MS) break;
      if (next >= p.segments) {
        if (this.planSegment === p.segments - 1) {
          this.planSegment = p.segments; // the end: flow stops exactly at the last boundary
          this.planStartMs = boundary;
          this.motions[0].setRate(0, boundary, 0);
          this.motions[1].setRate(0, boundary, 0);
        }
        break;
      }
      this.planFrom(next, boundary, p.rampMs[next]);
    }
    while (this.segment < p.segments && now - this.segmentStartMs >= p.durationMs[this.segment]) {
      this.segmentStartMs += p.durationMs[this.segment];
      this.segment++;
      if (this.segment >= p.segments) {
        this.segment = p.segments - 1;
        // The last spans end at the program's end: let them run out, then the tick releases the drivers.
        for (let i = 0; i < this.motions.length; i++) this.motions[i].finish();
        this.setState(STATE_DONE);
        return;
      }
      this.sendEvent(MSG_SEGMENT_EVENT, [this.segment, p.tag[this.segment], this.segmentStartMs]);
    }
  }

  pause(): void {
    this.pausedAtMs = this.nowMs();
    this.haltAll(true);
    this.setState(STATE_PAUSED);
  }

  /** Resumes the segment where it was held: its remaining time is kept, the rates restart at once. */
  resume(): void {
    const now = this.nowMs();
    this.segmentStartMs += now - this.pausedAtMs;
    this.setState(STATE_RUNNING);
    this.planFrom(this.segment, this.segmentStartMs, 0);
    this.planNow();
  }

  stop(): void {
    this.haltAll(false);
    this.setState(this.state === STATE_MANUAL ? STATE_IDLE : STATE_STOPPED);
  }

  estop(): void {
    this.fault(FAULT_ESTOP, CAUSE_HOST_ESTOP);
  }

  clearFault(): void {
    this.faults = 0;
    this.cause = 0;
    this.setState(STATE_IDLE);
  }

  setFlow(rateA: number, rateB: number): void {
    const now = this.nowMs();
    if (this.state !== STATE_MANUAL) {
      for (let i = 0; i < this.motions.length; i++) this.emittedAtRunStart[i] = this.motions[i].output.emitted();
    }
    this.motions[0].setRate(rateA, now, 0);
    this.motions[1].setRate(rateB, now, 0);
    this.planNow();
    this.setState(STATE_MANUAL);
  }

  moveSteps(pump: number, steps: number, rateUlPerH: number): void {
    this.motions[pump].moveSteps(steps, rateUlPerH, this.nowMs());
    this.planNow();
    this.setState(STATE_MANUAL);
  }

  /** Run time so far, pauses excluded. */
  elapsedMs(now: number): number {
    if (this.state !== STATE_RUNNING && this.state !== STATE_PAUSED) return 0;
    const until = this.state === STATE_PAUSED ? this.pausedAtMs : now;
    let done = 0;
    const p = this.program as Program;
    for (let i = 0; i < this.segment; i++) done += p.durationMs[i];
    return done + until - this.segmentStartMs;
  }

  totalMs(): number {
    const p = this.program;
    if (p === undefined) return 0;
    let total = 0;
    for (let i = 0; i < p.segments; i++) total += p.durationMs[i];
    return total;
  }

  /** The control tick: program progress, motion planning, travel limits, host loss. */
  tick(hostSilentMs: number, hostTimeoutMs: number, hostLossStops: boolean): void {
    const now = this.nowMs();
    if (this.state === STATE_RUNNING) this.followProgram(now);
    if (hostTimeoutMs !== 0 && hostLossStops && hostSilentMs > hostTimeoutMs &&
      (this.state === STATE_RUNNING || this.state === STATE_MANUAL || this.state === STATE_PAUSED)) {
      this.fault(FAULT_HOST_LOST, CAUSE_HOST_LINK);
    }
    let moving = false;
    for (let i = 0; i < this.motions.length; i++) {
      const m = this.motions[i];
      m.plan(now);
      if ((m.outputStalled || m.overdue(now)) && this.state !== STATE_FAULT) this.fault(FAULT_STEP_OUTPUT, CAUSE_PUMP_A_STEPS + i);
      if (m.limitHit !== 0 && m.idle() && this.state !== STATE_FAULT && !m.fixedMove) {
        this.fault(FAULT_SYRINGE_EMPTY, CAUSE_PUMP_A_TRAVEL + i);
      }
      if (m.active && m.finishedPlanning() && m.idle()) {
        m.halt();
        m.release();
      }
      if (m.active) moving = true;
    }
    if (this.state === STATE_MANUAL && !moving) this.setState(STATE_IDLE);
  }
}
