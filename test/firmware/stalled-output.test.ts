// A step output that stops taking motion (its timer or callback chain died) faults the pumps before its queue eats RAM.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Controller } from "../../firmware/controller.ts";
import type { StepOutput } from "../../firmware/hal.ts";
import { MAX_QUEUED_SPANS, PumpMotion } from "../../firmware/motion.ts";
import { CAUSE_PUMP_B_STEPS, FAULT_STEP_OUTPUT, STATE_FAULT, STATE_MANUAL } from "../../protocol/generated.ts";

/** A HAL step output that consumes its spans on time until `dies` (board seconds), then takes nothing more. */
class OutputThatDies implements StepOutput {
  spans: { steps: number; untilS: number }[] = [];
  given = 0;
  most = 0;
  halted = 0;
  constructor(private readonly now: () => number, private readonly diesAtS: number) {}
  enable(): void {}
  setDirInverted(): void {}
  queue(steps: number, untilS: number): boolean {
    this.drain();
    if (this.spans.length >= MAX_QUEUED_SPANS) return false;
    this.spans.push({ steps, untilS });
    this.most = Math.max(this.most, this.spans.length);
    return true;
  }
  drain(): void {
    if (this.now() >= this.diesAtS) return;
    while (this.spans.length > 0 && this.spans[0].untilS <= this.now()) this.given += this.spans.shift()!.steps;
  }
  emitted(): number { this.drain(); return this.given; }
  queuedUs(): number { this.drain(); return this.spans.length === 0 ? 0 : Math.max(1, (this.spans[this.spans.length - 1].untilS - this.now()) * 1e6); }
  halt(): void { this.spans = []; this.halted++; }
}

test("a pump whose output stops consuming: stepOutput fault naming that pump once its queue is full, queue bounded", () => {
  let nowMs = 0;
  const now = () => nowMs / 1000;
  const a = new OutputThatDies(now, 1e9);
  const b = new OutputThatDies(now, 5);
  const pumps = [new PumpMotion(a), new PumpMotion(b)];
  for (const m of pumps) m.configure(100000, 0, 1e9);
  for (const m of pumps) m.setPosition(5e8);
  const events: number[][] = [];
  const c = new Controller(pumps, () => nowMs, (id, values) => { events.push([id, ...values]); });
  c.setFlow(30000, 3000000);
  let faultAtMs = -1;
  for (; nowMs < 20000; nowMs += 100) {
    c.tick(0, 0, false);
    if (c.state === STATE_FAULT) { faultAtMs = nowMs; break; }
    assert.is(c.state, STATE_MANUAL, `flowing at ${nowMs} ms`);
  }
  // The planner adds a span every 100 ms tick: the queue is full MAX_QUEUED_SPANS ticks after the output died.
  assert.ok(faultAtMs > 5000 && faultAtMs <= 5000 + (MAX_QUEUED_SPANS + 1) * 100, `fault ${faultAtMs - 5000} ms after the output died`);
  assert.is(c.faults & FAULT_STEP_OUTPUT, FAULT_STEP_OUTPUT);
  assert.is(c.cause, CAUSE_PUMP_B_STEPS);
  assert.ok(a.halted > 0 && b.halted > 0, "both pumps stopped");
  assert.ok(b.most <= MAX_QUEUED_SPANS && a.most <= 4, `queues held ${a.most} and ${b.most} spans`);
});

test("an output that keeps up never trips it: an hour of flow", () => {
  let nowMs = 0;
  const now = () => nowMs / 1000;
  const outs = [new OutputThatDies(now, 1e9), new OutputThatDies(now, 1e9)];
  const pumps = outs.map((o) => new PumpMotion(o));
  for (const m of pumps) { m.configure(100000, 0, 1e12); m.setPosition(1e11); }
  const c = new Controller(pumps, () => nowMs, () => {});
  c.setFlow(60000, 5000000);
  for (; nowMs < 3600000; nowMs += 100) c.tick(0, 0, false);
  assert.is(c.state, STATE_MANUAL);
  assert.is(c.faults, 0);
  assert.ok(outs[1].given > 0);
});

test.run();
