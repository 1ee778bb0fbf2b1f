// createEspruino: an Espruino board's JS runtime in virtual time, running the shipped firmware bundle unchanged.
import vm from "node:vm";
import type { Timer } from "../scheduler.ts";
import { createEspruinoContext, type PreludeExports } from "./context.ts";
import { GpioApi } from "./io.ts";
import { MemoryEstimator, nameCost } from "./memory.ts";
import { buildNatives } from "./natives.ts";
import { makeRng, PowerCutSignal, Runtime } from "./runtime.ts";
import { SerialPorts } from "./serial.ts";
import { Repl } from "./repl.ts";
import { StepperApi } from "./stepper.ts";
import { FlashStorage } from "./storage.ts";
import { StorageFiles } from "./storagefile.ts";
import { Timers } from "./timers.ts";
import type { CapturedError, ConsoleLine, EspruinoOptions } from "./types.ts";
import { UtilityTimer } from "./utiltimer.ts";
import { Watches } from "./watch.ts";

export type { EspruinoOptions, EspruinoTiming, CapturedError, ConsoleLine } from "./types.ts";

/** Variables Espruino itself holds after boot (hidden root, timer/watch arrays…): an empty .bootcde booted on 2v29 (Linux, 5100) uses 39. */
const BOOT_USAGE = 39;
/** Variables a setWatch holds besides its callback (measured on 2v29: 16 with a small inline callback). */
const WATCH_COST = 13;

/** All the parts of one emulated board; the natives table and the public API both work on it. */
export class Board {
  readonly rt: Runtime;
  readonly utilTimer: UtilityTimer;
  readonly gpio: GpioApi;
  readonly flash: FlashStorage;
  readonly files: StorageFiles;
  readonly serial: SerialPorts;
  readonly memory = new MemoryEstimator();
  readonly random: () => number;
  readonly timers: Timers;
  readonly watches: Watches;
  readonly stepper: StepperApi;
  readonly repl: Repl;
  timeOffsetUs = 0;
  ctx: vm.Context | undefined;
  exports: PreludeExports | undefined;
  private romGlobals = new Set<string>();
  /** The running context was started by boot() from Storage (no IDE sent modules with it), not by an upload. */
  bootedFromStorage = false;
  /** The Storage file the running context booted from. */
  private bootFile = "";
  private watchdog: Timer | undefined;
  private watchdogTimeoutUs = 0;

  constructor(readonly options: EspruinoOptions) {
    const t = options.timing;
    const seed = options.seed ?? 1;
    this.rt = new Runtime(options.clock, t.callbackLatencyUs, seed, options.waitTimeoutUs ?? 100_000);
    this.random = makeRng(seed ^ 0x5bd1e995);
    this.utilTimer = new UtilityTimer(this.rt, options.pins, t.timerTickNs, t.pulseQueueLength, t.utilityTimer !== false);
    this.gpio = new GpioApi(this.rt, options.pins, this.utilTimer, t.adcBits, options.pwmTimerClockHz ?? 84e6);
    this.flash = new FlashStorage(this.rt, options.storageDir, options.storageBytes ?? 1 << 20);
    this.flash.onPowerCut = () => this.powerCut();
    this.files = new StorageFiles(this.rt, this.flash, options.storageFileChunkBytes ?? 4096 - 32);
    this.serial = new SerialPorts(this.rt, options.linkPort, options.txBufferBytes ?? 128);
    this.timers = new Timers(this.rt);
    this.watches = new Watches(this.rt, options.pins);
    this.stepper = this.newStepper();
    this.repl = new Repl(this);
  }

  /**
   * Stop everything the old program started, then give it a fresh context (power stays on). `soft`: load()/reset()
   * at the REPL, which keep the console where it is and the hardware watchdog running.
   */
  freshContext(soft = false): void {
    this.bootedFromStorage = false;
    const consoleDevice = this.rt.consoleDevice;
    this.halt(false, soft);
    if (soft) {
      this.rt.consoleDevice = consoleDevice;
      this.serial.limbo = false;
    }
    const natives = buildNatives(this, this.options.timing.hasStepper);
    // Code evaluated from a string read out of Storage keeps its function bodies in flash: tell the estimator.
    const stRead = natives.stRead as (...args: unknown[]) => unknown;
    natives.stRead = (...args: unknown[]) => { const s = stRead(...args); this.memory.noteStorageRead(s); return s; };
    this.memory.forgetSources();
    const { ctx, exports } = createEspruinoContext(natives);
    this.repl.installGlobals(ctx);
    this.ctx = ctx;
    this.exports = exports;
    this.rt.setContext(ctx);
    this.serial.emitData = (device, data) => exports.emit((ctx as Record<string, object>)[device], "data", [data]);
    this.romGlobals = new Set(Object.getOwnPropertyNames(ctx));
    this.memory.markRom([vm.runInContext("Object.getOwnPropertyNames(globalThis).map(function (k) { return globalThis[k]; })", ctx)]);
  }

  /** Run code at the top level of the context (an upload). Errors are captured, printed and rethrown. */
  evaluate(code: string, filename: string): unknown {
    const ctx = this.ctx;
    if (ctx === undefined || this.rt.dead) throw new Error("board is not running: call load(), boot() or reset() first");
    // Code from anywhere but Storage came through a tool (IDE, REPL) that sends the modules it requires with it.
    if (filename !== this.bootFile) this.bootedFromStorage = false;
    let result: unknown;
    let thrown: { e: unknown } | undefined;
    this.rt.runJs(() => {
      try { result = vm.runInContext(code, ctx, { filename }); } catch (e) { thrown = { e }; throw e; }
    });
    if (thrown !== undefined && !(thrown.e instanceof PowerCutSignal)) throw thrown.e;
    return result;
  }

  /** `keepWatchdog`: a soft reset cannot stop the hardware watchdog; its deadline stays. */
  halt(dead: boolean, keepWatchdog = false): void {
    const watchdogDueUs = keepWatchdog ? this.watchdog?.atUs : undefined;
    this.rt.stopAll(dead);
    this.repl.reset();
    this.utilTimer.clear();
    this.timers.clear(undefined);
    this.watches.clearAll();
    this.stepper.clear();
    this.serial.reset();
    this.watchdog?.cancel();
    this.watchdog = undefined;
    if (watchdogDueUs !== undefined) this.watchdog = this.rt.atIrq(watchdogDueUs, () => this.scheduleReboot());
  }

  powerCut(): void {
    this.halt(true);
  }

  memoryReport(): { free: number; usage: number; total: number } {
    const total = this.options.variables ?? 5100;
    const ctx = (this.ctx ?? {}) as Record<string, unknown>;
    const added = Object.getOwnPropertyNames(ctx).filter((k) => !this.romGlobals.has(k));
    const roots = [...added.map((k) => ctx[k]), ...this.timers.roots(), ...this.watches.roots(), ...this.stepper.roots()];
    const usage = BOOT_USAGE + added.reduce((n, k) => n + nameCost(k), 0) + 4 * this.timers.count() + WATCH_COST * this.watches.count() + this.memory.builtinCost() +
      this.memory.estimate(roots);
    return { free: total - usage, usage, total };
  }

  /** E.enableWatchdog: automatic kicking happens in the idle loop (always, here); manual mode reboots if not kicked. */
  enableWatchdog(timeoutS: number, isAuto: boolean): void {
    this.watchdogTimeoutUs = isAuto ? 0 : Math.max(0, timeoutS) * 1e6;
    this.kickWatchdog();
  }

  kickWatchdog(): void {
    this.watchdog?.cancel();
    if (this.watchdogTimeoutUs <= 0) return;
    this.watchdog = this.rt.atIrq(this.rt.clock.nowUs() + this.watchdogTimeoutUs, () => this.scheduleReboot());
  }

  scheduleReboot(): void {
    const gen = this.rt.generation;
    this.rt.clock.after(0, () => { if (gen === this.rt.generation) this.boot(); });
  }

  /**
   * Power-on boot: fresh context, then run `.bootcde` from Storage if present, then emit E 'init'.
   * `soft`: `load()` at the REPL (console and watchdog stay); `file`: `load(file)` runs that Storage file instead.
   */
  boot(options: { soft?: boolean; file?: string } = {}): void {
    this.freshContext(options.soft === true);
    this.bootedFromStorage = true;
    const name = options.file ?? ".bootcde";
    this.bootFile = name;
    const code = this.flash.read(name, 0, 0);
    if (code !== undefined) {
      this.memory.addFlashSource(code);
      try { this.evaluate(code, name); } catch { /* captured in errors, as a board prints it */ }
    }
    const E = (this.ctx as Record<string, object>).E;
    this.rt.runJs(() => this.exports?.emit(E, "init", []));
  }

  private newStepper(): StepperApi {
    const rt = this.rt;
    const promiseCtor = () => (this.ctx !== undefined ? vm.runInContext("Promise", this.ctx) : Promise) as PromiseConstructor;
    return new StepperApi(rt, this.options.pins, this.gpio, this.utilTimer,
      (executor) => new (promiseCtor())((resolve) => executor(() => resolve(undefined))),
      () => promiseCtor().resolve());
  }
}

export interface Espruino {
  /** Upload a bundle into a fresh context (everything the previous program started is stopped; Storage stays). */
  load(bundleCode: string): void;
  /** Power-on boot from Storage: runs `.bootcde` (E.setBootCode) in a fresh context. */
  boot(): void;
  /** Stop everything and start an empty fresh context (like `reset()` at the REPL). */
  reset(): void;
  /** Lose power now: every timer, watch, pulse and queued byte stops; Storage keeps what was written. */
  powerCut(): void;
  /** Run code at the REPL of the current program (tests only). */
  evaluate(code: string): unknown;
  readonly host: { write(bytes: Uint8Array): void; onData(fn: (bytes: Uint8Array) => void): void };
  readonly console: { readonly lines: readonly ConsoleLine[]; text(): string };
  readonly errors: readonly CapturedError[];
  readonly storageFaults: { cutAfterBytes(n: number): void };
  /** process.memory() as the firmware would see it now. */
  memory(): { free: number; usage: number; total: number };
  readonly poweredOn: boolean;
  readonly board: Board;
}

export function createEspruino(options: EspruinoOptions): Espruino {
  const board = new Board(options);
  const rt = board.rt;
  return {
    load: (code) => { board.freshContext(); board.evaluate(code, "bundle.js"); },
    boot: () => board.boot(),
    reset: () => board.freshContext(),
    powerCut: () => board.powerCut(),
    evaluate: (code) => board.evaluate(code, "repl"),
    host: {
      write: (bytes) => { if (!rt.dead) board.serial.hostWrite(Uint8Array.from(bytes)); },
      onData: (fn) => board.serial.onHostData(fn),
    },
    console: { lines: rt.consoleLines, text: () => rt.consoleLines.map((l) => l.text + "\n").join("") },
    errors: rt.errors,
    storageFaults: { cutAfterBytes: (n) => board.flash.cutAfterBytes(n) },
    memory: () => board.memoryReport(),
    get poweredOn() { return !rt.dead; },
    board,
  };
}
