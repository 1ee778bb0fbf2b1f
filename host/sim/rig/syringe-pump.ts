// A stepper driver + lead screw + syringe on the simulated pins: moves the plunger, drives endstops, audits timing.
import { DRIVERS as BOARD_DRIVERS } from "../../../boards/drivers.ts";
import type { DriverName } from "../../../boards/profile.ts";
import type { Level, PinBus } from "../pins.ts";
import { attachPwmSteps } from "./pwm-steps.ts";
import { Float64Series, Int8Series } from "./series.ts";

/** Minimum STEP high/low widths, DIR set-up before a STEP edge, wake time after ENABLE; stall flagging on DIAG. */
export interface DriverTiming { name: string; stepHighNs: number; stepLowNs: number; dirSetupNs: number; wakeUs: number; stallDiag: boolean }

/** The drivers' datasheet timing as the board profiles define it (boards/drivers.ts), in the audit's terms. */
export const DRIVERS = Object.fromEntries(Object.entries(BOARD_DRIVERS).map(([name, d]) => [name, {
  name, stepHighNs: d.stepHighMinNs, stepLowNs: d.stepLowMinNs, dirSetupNs: d.dirSetupMinNs, wakeUs: d.wakeUs, stallDiag: d.hasDiag,
}])) as Record<DriverName, DriverTiming>;

/**
 * Board pin names; a leading "!" (as in boards/*.json) or an `…Inverted` flag makes the pin active-low.
 * DIR logically high = infuse (plunger towards empty). ENABLE logically high = driver on (A4988/DRV8825/TMC2209
 * EN is active-low, so boards normally write "!pin"); without an enable pin the driver is always on.
 * minEndstop is the empty end (position 0), maxEndstop the full end (position = travel).
 */
export interface PumpPins {
  step: string; dir: string; enable?: string; minEndstop: string; maxEndstop: string; diag?: string;
  stepInverted?: boolean; dirInverted?: boolean; enableInverted?: boolean;
  minEndstopInverted?: boolean; maxEndstopInverted?: boolean; diagInverted?: boolean;
}

/** Position is measured from the empty end: 0 = plunger fully in, travelUm = syringe full. */
export interface PumpMechanics { stepsPerRev: number; microsteps: number; leadUm: number; innerDiameterUm: number; travelUm: number; startPositionUm: number }

/** 60 mL BD syringe (26.59 mm) on a NEMA17 at 1/16 with a T8 lead-8 screw, 100 mm stroke, starting full. */
export const DEFAULT_MECHANICS: PumpMechanics = { stepsPerRev: 200, microsteps: 16, leadUm: 8000, innerDiameterUm: 26590, travelUm: 100000, startPositionUm: 100000 };

export interface SyringePumpOptions {
  bus: PinBus;
  pins: PumpPins;
  driver?: DriverName | DriverTiming;
  mechanics?: Partial<PumpMechanics>;
  /** Look-back window of flowUlPerHAt. */
  flowWindowUs?: number;
  /** Keep every step edge for stepLog() and flowUlPerHAt() (default true); long benchmarks listen with onStep instead. */
  logSteps?: boolean;
  name?: string;
  /** A wiring fault: these endstop switches never close, wherever the plunger is. */
  deadEndstops?: { min?: boolean; max?: boolean };
}

export interface TimingViolations { stepHigh: number; stepLow: number; dirSetup: number; wake: number; total: number }
/** Called for every step that moved the plunger; volumeNl > 0 infuses, < 0 withdraws. */
export type StepListener = (timeUs: number, volumeNl: number) => void;

interface PinRef { name: string; inverted: boolean }
function pinRef(spec: string, inverted: boolean | undefined): PinRef {
  const bang = spec.startsWith("!");
  return { name: spec.replace(/^[!^]+/, ""), inverted: bang !== (inverted === true) };
}

export class SyringePump {
  readonly name: string;
  readonly driver: DriverTiming;
  /** What is mounted; mount() swaps it (an operator loading another syringe). */
  mechanics!: PumpMechanics;
  umPerMicrostep!: number;
  nlPerMicrostep!: number;
  travelMicrosteps!: number;
  startMicrosteps!: number;
  positionMicrosteps: number;
  stalledSteps = 0;
  /** Active STEP edges while the driver was disabled. */
  ignoredSteps = 0;
  shortestStepHighNs = Infinity;
  shortestStepLowNs = Infinity;
  shortestDirSetupNs = Infinity;
  private counts = { stepHigh: 0, stepLow: 0, dirSetup: 0, wake: 0 };
  private readonly bus: PinBus;
  private readonly p: Record<"step" | "dir" | "minEndstop" | "maxEndstop", PinRef> & { enable?: PinRef; diag?: PinRef };
  private readonly flowWindowUs: number;
  private infusing: boolean;
  private enabled: boolean;
  private stepActive: boolean;
  private enabledSinceUs = -Infinity;
  private lastRiseUs = -Infinity;
  private lastFallUs = -Infinity;
  private lastDirChangeUs = -Infinity;
  private dirChangedSinceStep = false;
  private logTimes = new Float64Series();
  private logDirection = new Int8Series();
  private logMoved = new Int8Series();
  private movedTimes = new Float64Series();
  private movedDirection = new Int8Series();
  /** Index of the first step of each moved step's same-direction run. */
  private movedRunStart = new Float64Series();
  private listeners: StepListener[] = [];
  private readonly logSteps: boolean;
  private readonly dead: { min?: boolean; max?: boolean };

  constructor(o: SyringePumpOptions) {
    this.bus = o.bus;
    this.name = o.name ?? o.pins.step;
    this.driver = typeof o.driver === "object" ? o.driver : DRIVERS[o.driver ?? "A4988"];
    if (this.driver === undefined) throw new RangeError(`unknown driver ${String(o.driver)}; allowed: ${Object.keys(DRIVERS).join(", ")}`);
    this.positionMicrosteps = 0;
    this.setMechanics({ ...DEFAULT_MECHANICS, ...o.mechanics });
    this.flowWindowUs = o.flowWindowUs ?? 2e6;
    this.logSteps = o.logSteps ?? true;
    this.dead = o.deadEndstops ?? {};
    const q = o.pins;
    this.p = {
      step: pinRef(q.step, q.stepInverted), dir: pinRef(q.dir, q.dirInverted),
      minEndstop: pinRef(q.minEndstop, q.minEndstopInverted), maxEndstop: pinRef(q.maxEndstop, q.maxEndstopInverted),
      enable: q.enable === undefined ? undefined : pinRef(q.enable, q.enableInverted),
      diag: q.diag === undefined ? undefined : pinRef(q.diag, q.diagInverted),
    };
    this.infusing = this.logical(this.p.dir) === 1;
    this.stepActive = this.logical(this.p.step) === 1;
    this.enabled = this.p.enable === undefined || this.logical(this.p.enable) === 1;
    this.bus.onOutput(this.p.step.name, (level, t) => this.onStepPin(level, t));
    attachPwmSteps(this.bus, this.p.step.name); // a timer's PWM on STEP (boards without Stepper) makes real edges
    this.bus.onOutput(this.p.dir.name, (level, t) => this.onDirPin(level, t));
    const en = this.p.enable;
    if (en !== undefined) this.bus.onOutput(en.name, (level, t) => this.onEnablePin(level, t, en));
    this.updateEndstops();
    if (this.p.diag !== undefined) this.drive(this.p.diag, 0);
  }

  /**
   * Takes the syringe (and drive) off and mounts another, its plunger at mechanics.startPositionUm: what an operator
   * does between runs. Delivered volume counts from here.
   */
  mount(mechanics: Partial<PumpMechanics>): void {
    this.setMechanics({ ...this.mechanics, ...mechanics });
    this.updateEndstops();
  }

  private setMechanics(m: PumpMechanics): void {
    for (const k of ["stepsPerRev", "microsteps", "leadUm", "innerDiameterUm", "travelUm"] as const) {
      if (!(m[k] > 0)) throw new RangeError(`pump ${this.name}: mechanics.${k} must be > 0, got ${m[k]}`);
    }
    this.mechanics = m;
    this.umPerMicrostep = m.leadUm / (m.stepsPerRev * m.microsteps);
    this.nlPerMicrostep = (Math.PI / 4) * m.innerDiameterUm ** 2 * this.umPerMicrostep / 1e6; // 1 nL = 1e6 µm³
    this.travelMicrosteps = Math.floor(m.travelUm / this.umPerMicrostep + 1e-9);
    this.startMicrosteps = Math.min(this.travelMicrosteps, Math.max(0, Math.round(m.startPositionUm / this.umPerMicrostep)));
    this.positionMicrosteps = this.startMicrosteps;
  }

  get violations(): TimingViolations {
    const c = this.counts;
    return { ...c, total: c.stepHigh + c.stepLow + c.dirSetup + c.wake };
  }
  /** Liquid left in the syringe. */
  get volumeNl(): number { return this.positionMicrosteps * this.nlPerMicrostep; }
  /** Net volume infused since the start (negative after net withdrawal). */
  get deliveredNl(): number { return (this.startMicrosteps - this.positionMicrosteps) * this.nlPerMicrostep; }
  get positionUm(): number { return this.positionMicrosteps * this.umPerMicrostep; }
  get isEnabled(): boolean { return this.enabled; }

  onStep(fn: StepListener): void { this.listeners.push(fn); }

  /** Every active STEP edge: time, direction (+1 infuse, −1 withdraw), moved (1) or not (0: disabled or stalled). */
  stepLog(): { timeUs: Float64Array; direction: Int8Array; moved: Int8Array; count: number } {
    return { timeUs: this.logTimes.view(), direction: this.logDirection.view(), moved: this.logMoved.view(), count: this.logTimes.length };
  }

  /**
   * Flow (µL/h, + infusing) from the latest run of same-direction moved steps in (t − window, t]: (n−1) step
   * intervals over their span. Zero with fewer than two such steps or when the last is older than two mean intervals.
   */
  flowUlPerHAt(timeUs: number): number {
    const end = this.movedTimes.upperBound(timeUs);
    if (end < 2) return 0;
    const direction = this.movedDirection.get(end - 1);
    const first = Math.max(this.movedRunStart.get(end - 1), this.movedTimes.upperBound(timeUs - this.flowWindowUs));
    const count = end - first;
    const last = this.movedTimes.get(end - 1);
    const spanUs = last - this.movedTimes.get(first);
    if (count < 2 || spanUs <= 0 || timeUs - last > 2 * spanUs / (count - 1)) return 0;
    return (direction * (count - 1) * this.nlPerMicrostep / spanUs) * 3.6e6; // nL/µs → µL/h
  }

  private logical(pin: PinRef): Level { return (this.bus.level(pin.name) ^ (pin.inverted ? 1 : 0)) as Level; }
  private drive(pin: PinRef, logicalLevel: Level): void { this.bus.driveInput(pin.name, (logicalLevel ^ (pin.inverted ? 1 : 0)) as Level); }

  private onDirPin(level: Level, t: number): void {
    const infusing = (level ^ (this.p.dir.inverted ? 1 : 0)) === 1;
    if (infusing === this.infusing) return;
    this.infusing = infusing;
    this.lastDirChangeUs = t;
    this.dirChangedSinceStep = true;
  }

  private onEnablePin(level: Level, t: number, pin: PinRef): void {
    const enabled = (level ^ (pin.inverted ? 1 : 0)) === 1;
    if (enabled === this.enabled) return;
    if (enabled) this.enabledSinceUs = t;
    this.enabled = enabled;
  }

  private onStepPin(level: Level, t: number): void {
    const active = (level ^ (this.p.step.inverted ? 1 : 0)) === 1;
    if (active === this.stepActive) return; // first write of an unset pin: not an edge
    this.stepActive = active;
    if (active) {
      const lowNs = (t - this.lastFallUs) * 1000;
      if (Number.isFinite(lowNs)) {
        this.shortestStepLowNs = Math.min(this.shortestStepLowNs, lowNs);
        if (lowNs < this.driver.stepLowNs - 1e-6) this.counts.stepLow++;
      }
      this.lastRiseUs = t;
      this.step(t);
    } else {
      const highNs = (t - this.lastRiseUs) * 1000;
      if (Number.isFinite(highNs)) {
        this.shortestStepHighNs = Math.min(this.shortestStepHighNs, highNs);
        if (highNs < this.driver.stepHighNs - 1e-6) this.counts.stepHigh++;
      }
      this.lastFallUs = t;
    }
  }

  private step(t: number): void {
    const direction = this.infusing ? 1 : -1;
    const log = this.logSteps;
    if (log) { this.logTimes.push(t); this.logDirection.push(direction); }
    if (!this.enabled) { this.ignoredSteps++; if (log) this.logMoved.push(0); return; }
    if (t - this.enabledSinceUs < this.driver.wakeUs - 1e-9) this.counts.wake++;
    if (this.dirChangedSinceStep) {
      const setupNs = (t - this.lastDirChangeUs) * 1000;
      this.shortestDirSetupNs = Math.min(this.shortestDirSetupNs, setupNs);
      if (setupNs < this.driver.dirSetupNs - 1e-6) this.counts.dirSetup++;
      this.dirChangedSinceStep = false;
    }
    const target = this.positionMicrosteps - direction;
    if (target < 0 || target > this.travelMicrosteps) {
      this.stalledSteps++;
      if (log) this.logMoved.push(0);
      if (this.driver.stallDiag && this.p.diag !== undefined) this.drive(this.p.diag, 1);
      return;
    }
    this.positionMicrosteps = target;
    if (log) {
      this.logMoved.push(1);
      const n = this.movedTimes.length;
      this.movedRunStart.push(n > 0 && this.movedDirection.get(n - 1) === direction ? this.movedRunStart.get(n - 1) : n);
      this.movedTimes.push(t);
      this.movedDirection.push(direction);
    }
    this.updateEndstops();
    if (this.p.diag !== undefined) this.drive(this.p.diag, 0);
    const volumeNl = direction * this.nlPerMicrostep;
    for (const fn of this.listeners) fn(t, volumeNl);
  }

  private updateEndstops(): void {
    this.drive(this.p.minEndstop, this.positionMicrosteps <= 0 && this.dead.min !== true ? 1 : 0);
    this.drive(this.p.maxEndstop, this.positionMicrosteps >= this.travelMicrosteps && this.dead.max !== true ? 1 : 0);
  }
}
