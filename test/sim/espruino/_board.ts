// Test helper: a fresh emulated Pico-like board on its own clock, pin bus and temporary Storage directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Scheduler } from "../../../host/sim/scheduler.ts";
import { PinBus } from "../../../host/sim/pins.ts";
import { createEspruino, type EspruinoOptions } from "../../../host/sim/espruino/index.ts";

export function makeBoard(over: Partial<EspruinoOptions> = {}) {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "espruino-test-"));
  const emu = createEspruino({
    clock, pins, storageDir, linkPort: "USB",
    timing: { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 300, max: 3000 }, adcBits: 12 },
    ...over,
  });
  return { clock, pins, emu, storageDir };
}

/** Record every change of an output pin as [timeUs, level]. */
export function recordEdges(pins: PinBus, pin: string): [number, number][] {
  const edges: [number, number][] = [];
  pins.onOutput(pin, (level, t) => edges.push([t, level]));
  return edges;
}
