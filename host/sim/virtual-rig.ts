// The whole virtual rig: the firmware bundle on an emulated board, the rig's physics under its pins, a host link.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BoardProfile } from "../../boards/profile.ts";
import { DEFAULT_BOARD, loadBoard } from "../../boards/load.ts";
import { buildFirmware, FIRMWARE_ENTRY } from "../build/bundle.ts";
import { createEspruino } from "./espruino/index.ts";
import { PinBus } from "./pins.ts";
import { Buttons } from "./rig/buttons.ts";
import { createRig, type Rig } from "./rig/rig.ts";
import { Ssd1306 } from "./rig/ssd1306.ts";
import type { PumpMechanics } from "./rig/syringe-pump.ts";
import { Scheduler } from "./scheduler.ts";

/** What is on the bench: each pump's syringe and drive (the firmware must be configured to match). */
export interface BenchSetup {
  mechanics: [Partial<PumpMechanics>, Partial<PumpMechanics>];
  tubeLengthMm?: number;
  /** Keep every step edge in the pumps' logs (default true; off for hour-long benchmarks). */
  logSteps?: boolean;
  /** Wiring faults on the bench (flowrig sim --rig "wiring"), for selftest to find. */
  wiring?: WiringFaults;
}

/** Mistakes a builder makes: a motor wired the other way round, an endstop that never closes, an LED the photodiode never sees. */
export interface WiringFaults {
  /** Per pump: DIR reversed (the motor turns the other way for the same DIR level). */
  dirReversed?: [boolean, boolean];
  deadEndstops?: [{ min?: boolean; max?: boolean }, { min?: boolean; max?: boolean }];
  /** The LED is not wired (or points away): the photodiode never sees it. */
  ledUnseen?: boolean;
}

/** The same pin with its inversion flipped: "B4" ↔ "!B4". */
const flipped = (spec: string) => (spec.startsWith("!") ? spec.slice(1) : `!${spec}`);

/** The firmware's default configuration: BD 10 mL syringes, 200 steps/rev, 1/16, 2 mm lead, full. */
export const DEFAULT_BENCH: BenchSetup = {
  mechanics: [
    { innerDiameterUm: 14430, leadUm: 2000, stepsPerRev: 200, microsteps: 16, travelUm: 61150, startPositionUm: 61150 },
    { innerDiameterUm: 14430, leadUm: 2000, stepsPerRev: 200, microsteps: 16, travelUm: 61150, startPositionUm: 61150 },
  ],
};

const bundles = new Map<string, Promise<string>>();

let flashRoot: string | undefined;
/** A fresh flash directory for one virtual board; all of them are removed when the process exits. */
function newFlashDir(): string {
  if (flashRoot === undefined) {
    const root = mkdtempSync(join(tmpdir(), "flowrig-flash-"));
    flashRoot = root;
    process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  return mkdtempSync(join(flashRoot, "board-"));
}

/** The shipped bundle for a board, built once per process. */
export function firmwareBundle(boardId: string): Promise<string> {
  let bundle = bundles.get(boardId);
  if (bundle === undefined) {
    bundle = buildFirmware({ entry: FIRMWARE_ENTRY, boardId }).then((r) => r.code);
    bundles.set(boardId, bundle);
  }
  return bundle;
}

export interface VirtualRigOptions {
  boardId?: string;
  /** A validated wiring variant of the board (built into its own bundle) instead of boards/<boardId>.json. */
  profile?: BoardProfile;
  seed?: number;
  bench?: BenchSetup;
  storageDir?: string;
}

export interface VirtualRig {
  profile: BoardProfile;
  clock: Scheduler;
  pins: PinBus;
  emu: ReturnType<typeof createEspruino>;
  rig: Rig;
  /** The front panel: the SSD1306 on the profile's I2C pins and the four buttons. */
  display: Ssd1306;
  buttons: Buttons;
}

/** Boots the firmware on a fresh virtual board with the physics attached (virtual time starts at 0). */
export async function bootVirtualRig(options: VirtualRigOptions = {}): Promise<VirtualRig> {
  const boardId = options.boardId ?? DEFAULT_BOARD;
  const profile = options.profile ?? loadBoard(boardId);
  const bench = options.bench ?? DEFAULT_BENCH;
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  const rig = createRig({
    clock, pins, seed: options.seed ?? 1,
    pumps: profile.pumps.map((p, i) => ({
      driver: p.driver,
      pins: { step: p.step, dir: bench.wiring?.dirReversed?.[i] === true ? flipped(p.dir) : p.dir, enable: p.enable, minEndstop: p.minEndstop, maxEndstop: p.maxEndstop, diag: p.diag },
      deadEndstops: bench.wiring?.deadEndstops?.[i],
      mechanics: bench.mechanics[i],
      logSteps: bench.logSteps,
    })),
    sensor: { photodiodePin: profile.sensor.photodiode, ledPin: bench.wiring?.ledUnseen === true ? "unwired-led" : profile.sensor.led },
    fluidics: bench.tubeLengthMm === undefined ? undefined : { tubeLengthMm: bench.tubeLengthMm },
  });
  const display = new Ssd1306({ pins, scl: profile.display.scl, sda: profile.display.sda, address: profile.display.address });
  const buttons = new Buttons({ pins, buttons: { ...profile.buttons }, seed: options.seed ?? 1 });
  const emu = createEspruino({
    clock, pins, seed: options.seed ?? 1, variables: profile.variables,
    // The 6x8 font is in the ESP32 and Linux builds, not on the STM32 boards.
    hasFont6x8: profile.chip === "ESP32" || profile.chip === "linux",
    storageDir: options.storageDir ?? newFlashDir(),
    storageBytes: profile.flashStorageBytes,
    linkPort: profile.link.kind === "usb" ? "USB" : "Serial1",
    timing: {
      timerTickNs: profile.timerTickNs, pulseQueueLength: profile.pulseQueueLength, utilityTimer: profile.utilityTimer, hasStepper: profile.hasStepper,
      callbackLatencyUs: profile.callbackLatencyUs, adcBits: profile.adcBits,
    },
  });
  const bundle = options.profile === undefined
    ? await firmwareBundle(boardId)
    : (await buildFirmware({ entry: FIRMWARE_ENTRY, boardId, profile: options.profile })).code;
  installFirmware(emu, bundle);
  return { profile, clock, pins, emu, rig, display, buttons };
}

/** Flashes like `flowrig flash`: the bundle becomes Storage's `.bootcde`, then the board powers on from it. */
export function installFirmware(emu: ReturnType<typeof createEspruino>, bundle: string): void {
  emu.load("");
  emu.evaluate(`require("Storage").write(".bootcde", ${JSON.stringify(bundle)})`);
  emu.boot();
}
