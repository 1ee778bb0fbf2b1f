// Test helper: the PL sensor bundle on an emulated board, its LED and ADC pins wired to the simulated photodiode.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBoard } from "../../boards/load.ts";
import { buildFirmware } from "../../host/build/bundle.ts";
import { createEspruino } from "../../host/sim/espruino/index.ts";
import { PinBus } from "../../host/sim/pins.ts";
import { createRig } from "../../host/sim/rig/rig.ts";
import { PHOTODIODE_DEFAULTS, Photodiode, type PhotodiodeOptions } from "../../host/sim/rig/photodiode.ts";
import { Scheduler } from "../../host/sim/scheduler.ts";
import type { PlConfig } from "../../firmware/sensor.ts";

const ENTRY = fileURLToPath(new URL("./_pl-entry.ts", import.meta.url));
const bundles = new Map<string, Promise<string>>();

export function plBundle(boardId: string): Promise<string> {
  if (!bundles.has(boardId)) bundles.set(boardId, buildFirmware({ entry: ENTRY, boardId }).then((r) => r.code));
  return bundles.get(boardId)!;
}

export interface Sample { timeMs: number; pl: number; dark: number; flags: number }

export type PhotodiodeTweaks = Partial<Omit<PhotodiodeOptions, "bus" | "photodiodePin" | "ledPin" | "plAt">>;

export interface PlRigOptions {
  boardId?: string;
  /** Seeds the emulator's callback latencies and the photodiode's noise. */
  seed?: number;
  /** Constant relative PL at the cell; omitted = the full rig with pumps idle (tube full of antisolvent: no product). */
  plRel?: number | ((timeUs: number) => number);
  photodiode?: PhotodiodeTweaks;
  /** Override the profile's JS callback latency (µs). */
  latencyUs?: { typical: number; max: number };
}

/** The sensor's defaults from the protocol's config table. */
export const DEFAULT_CONFIG: PlConfig = { ledHz: 200, samplePeriodMs: 1000, sampleWindowMs: 500, synchronous: 1, darkUfs: 0 };

export async function plRig(o: PlRigOptions = {}) {
  const boardId = o.boardId ?? "espruino-pico";
  const profile = loadBoard(boardId);
  const seed = o.seed ?? 1;
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  const emu = createEspruino({
    clock, pins, seed, variables: profile.variables, storageDir: mkdtempSync(join(tmpdir(), "flowrig-pl-")),
    linkPort: "USB",
    timing: {
      timerTickNs: profile.timerTickNs, pulseQueueLength: profile.pulseQueueLength, hasStepper: profile.hasStepper,
      callbackLatencyUs: o.latencyUs ?? profile.callbackLatencyUs, adcBits: profile.adcBits,
    },
  });
  const sensorPins = { photodiodePin: profile.sensor.photodiode, ledPin: profile.sensor.led };
  let photodiode: Photodiode;
  if (o.plRel === undefined) {
    const rig = createRig({
      clock, pins, seed, sensor: { ...sensorPins, ...o.photodiode },
      pumps: profile.pumps.map((p) => ({
        driver: p.driver, pins: { step: p.step, dir: p.dir, enable: p.enable, minEndstop: p.minEndstop, maxEndstop: p.maxEndstop },
        mechanics: { innerDiameterUm: 14430, leadUm: 2000, travelUm: 60000, startPositionUm: 60000 },
      })),
    });
    photodiode = rig.photodiode;
  } else {
    const pl = o.plRel;
    photodiode = new Photodiode({ ...sensorPins, ...o.photodiode, bus: pins, seed, plAt: typeof pl === "number" ? () => pl : pl });
  }
  emu.load(await plBundle(boardId));
  const ledOnUs: [number, number][] = [];
  const ledPin = profile.sensor.led.replace(/^[!^]+/, "");
  const ledInverted = profile.sensor.led.includes("!");
  pins.onOutput(ledPin, (level, t) => ledOnUs.push([t, (level === 1) !== ledInverted ? 1 : 0]));
  const api = () => emu.evaluate("plTest") as { samples: number[]; darks: number[] };
  return {
    profile, clock, pins, emu, photodiode, ledPin, ledInverted,
    /** Logical LED changes [timeUs, on] from now on. */
    ledEdges: ledOnUs,
    configure(c: Partial<PlConfig>): void {
      emu.evaluate(`plTest.sensor.configure(${JSON.stringify({ ...DEFAULT_CONFIG, ...c })})`);
    },
    start(): void { emu.evaluate("plTest.sensor.start()"); },
    stop(): void { emu.evaluate("plTest.sensor.stop()"); },
    darkCalibrate(): void { emu.evaluate("plTest.darkCalibrate()"); },
    runMs(ms: number): void { clock.runUntil(clock.nowUs() + ms * 1000); },
    callbacks(): number { return emu.evaluate("plTest.sensor.callbacks") as number; },
    samples(): Sample[] {
      const s = api().samples;
      const out: Sample[] = [];
      for (let i = 0; i + 3 < s.length; i += 4) out.push({ timeMs: s[i], pl: s[i + 1], dark: s[i + 2], flags: s[i + 3] });
      return out;
    },
    darks(): number[] { return Array.from(api().darks); },
  };
}

/** Photodiode parameters in force (defaults overridden by the tweaks). */
export function photodiodeParams(t: PhotodiodeTweaks = {}): typeof PHOTODIODE_DEFAULTS {
  return { ...PHOTODIODE_DEFAULTS, ...t } as typeof PHOTODIODE_DEFAULTS;
}

/** PL the sensor should report for a constant relative PL: LED-on minus LED-off signal, in 1e-6 FS. */
export function expectedPlUfs(plRel: number, t: PhotodiodeTweaks = {}): number {
  const p = photodiodeParams(t);
  return ((plRel * p.signalAtReferenceV + p.ledLeakV) / p.fullScaleV) * 1e6;
}

/** Standard deviation of one synchronous sample from white noise and quantisation alone (pairs on/off reads). */
export function syncSigmaUfs(pairs: number, t: PhotodiodeTweaks = {}, adcBits = 12): number {
  const p = photodiodeParams(t);
  const lsb = 1e6 / (2 ** adcBits - 1);
  const readSigma = Math.sqrt(((p.noiseRmsV / p.fullScaleV) * 1e6) ** 2 + lsb * lsb / 12);
  return readSigma * Math.sqrt(1 / pairs + (pairs - 0.5) / (pairs * pairs));
}

export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return { mean, std: Math.sqrt(v) };
}
