// The interpreter's event loop in virtual time: JS entry, latency, blocking waits, errors, console.
import { seededRandom } from "../random.ts";
import vm from "node:vm";
import type { Scheduler, Timer } from "../scheduler.ts";
import type { CapturedError, ConsoleLine } from "./types.ts";

/** Thrown through firmware code when power is cut mid-call: unwinds the JS, is never reported. */
export class PowerCutSignal {
  readonly powerCut = true;
}

/** The emulator's seeded random numbers (callback latency, Math.random). */
export const makeRng = seededRandom;

const liveRuntimes = new Set<Runtime>();
let rejectionHookInstalled = false;

/** Unhandled rejections of firmware promises are captured like Espruino prints them; others keep Node's default. */
function installRejectionHook(): void {
  if (rejectionHookInstalled) return;
  rejectionHookInstalled = true;
  process.on("unhandledRejection", (reason, promise) => {
    for (const rt of liveRuntimes) if (rt.ownsPromise(promise)) { rt.report(reason, "Unhandled promise rejection: "); return; }
    throw reason;
  });
}

export class Runtime {
  /** Bumped by every load/powerCut: events of an older generation are dropped. */
  generation = 0;
  dead = false;
  ctx: vm.Context | undefined;
  consoleDevice = "USB";
  onConsoleText: ((device: string, text: string) => void) | undefined;
  readonly errors: CapturedError[] = [];
  readonly consoleLines: ConsoleLine[] = [];
  private jsDepth = 0;
  private deferred: (() => void)[] = [];
  private readonly drain = new vm.Script("");
  private readonly rng: () => number;
  private ctxPromise: Function | undefined;
  private errorCtors: Record<string, ErrorConstructor> = {};

  constructor(
    readonly clock: Scheduler,
    private readonly latency: { typical: number; max: number },
    seed: number,
    readonly waitTimeoutUs: number,
  ) {
    this.rng = makeRng(seed);
    installRejectionHook();
    liveRuntimes.add(this);
  }

  setContext(ctx: vm.Context): void {
    this.ctx = ctx;
    this.ctxPromise = vm.runInContext("Promise", ctx) as Function;
    this.errorCtors = vm.runInContext(
      "({ Error: Error, TypeError: TypeError, ReferenceError: ReferenceError, SyntaxError: SyntaxError, InternalError: InternalError })", ctx,
    ) as Record<string, ErrorConstructor>;
  }

  ownsPromise(p: unknown): boolean {
    return this.ctxPromise !== undefined && p instanceof this.ctxPromise;
  }

  /** Idle-loop latency: exponential with mean `typical`, clamped to `max`. */
  latencyUs(): number {
    const sample = -this.latency.typical * Math.log(1 - this.rng());
    return Math.min(this.latency.max, sample);
  }

  /** Run `fn` as hardware (IRQ) work at `atUs`; dropped after a power cut or reload. */
  atIrq(atUs: number, fn: () => void): Timer {
    const gen = this.generation;
    return this.clock.at(atUs, () => { if (gen === this.generation && !this.dead) fn(); });
  }

  /** Run `fn` as a JS callback from the idle loop: at `atUs` plus a latency sample. */
  atIdle(atUs: number, fn: () => void): Timer {
    return this.atIrq(atUs + this.latencyUs(), () => this.runJs(fn));
  }

  /** Enter JS. While JS is blocked in a wait, new entries queue up and run when it returns (as the idle loop would). */
  runJs(fn: () => void): void {
    if (this.jsDepth > 0) { this.deferred.push(fn); return; }
    const gen = this.generation;
    this.jsDepth++;
    try {
      fn();
    } catch (e) {
      this.report(e);
    } finally {
      this.drainMicrotasks();
      this.jsDepth--;
    }
    while (this.jsDepth === 0 && this.deferred.length > 0 && gen === this.generation && !this.dead) {
      this.runJs(this.deferred.shift()!);
    }
    if (gen !== this.generation || this.dead) this.deferred = [];
  }

  drainMicrotasks(): void {
    if (this.ctx === undefined || this.dead) return;
    try { this.drain.runInContext(this.ctx); } catch (e) { this.report(e); }
  }

  /**
   * A busy-wait inside a native call (Espruino's WAIT_UNTIL): virtual time runs on, hardware events happen,
   * JS callbacks wait. Throws Espruino's "Timeout on <reason>" after `waitTimeoutUs`.
   */
  blockUntil(done: () => boolean, reason: string): void {
    const deadline = this.clock.nowUs() + this.waitTimeoutUs;
    this.jsDepth++;
    try {
      while (!done()) {
        this.checkAlive();
        const next = this.clock.nextUs();
        if (next > deadline) {
          this.clock.runUntil(deadline);
          throw this.newError("InternalError", `Timeout on ${reason}`);
        }
        this.clock.runUntil(next);
      }
      this.checkAlive();
    } finally {
      this.jsDepth--;
    }
  }

  checkAlive(): void {
    if (this.dead) throw new PowerCutSignal();
  }

  /** Record an uncaught exception and print it to the console as Espruino does. */
  report(e: unknown, prefix = "Uncaught "): void {
    if (e instanceof PowerCutSignal || this.dead) return;
    const text = prefix + describeError(e);
    this.errors.push({ timeUs: this.clock.nowUs(), text, error: e });
    this.print(text);
  }

  /** Create an error of one of the context's own classes (so `instanceof Error` works in firmware). */
  newError(type: string, message: string): Error {
    const ctor = this.errorCtors[type] ?? this.errorCtors.Error ?? Error;
    return new ctor(message);
  }

  print(text: string): void {
    if (this.dead) return;
    this.consoleLines.push({ timeUs: this.clock.nowUs(), text, device: this.consoleDevice });
    this.onConsoleText?.(this.consoleDevice, text + "\r\n");
  }

  /** Stop everything at once (power loss or reload). */
  stopAll(dead: boolean): void {
    this.generation++;
    this.dead = dead;
    this.deferred = [];
  }

  dispose(): void {
    liveRuntimes.delete(this);
  }
}

export function describeError(e: unknown): string {
  if (e !== null && typeof e === "object" && "message" in e) {
    const name = (e as { name?: unknown }).name;
    return `${typeof name === "string" ? name : "Error"}: ${String((e as { message: unknown }).message)}`;
  }
  return typeof e === "string" ? JSON.stringify(e) : String(e);
}
