// Test helper: an emulated Pico running the storage modules' bundle on its real (disk-backed) Storage.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware } from "../../host/build/bundle.ts";
import { createEspruino, type Espruino } from "../../host/sim/espruino/index.ts";
import { PinBus } from "../../host/sim/pins.ts";
import { Scheduler } from "../../host/sim/scheduler.ts";

let bundle: string | undefined;

/** The fixture entry built exactly as the firmware is (minified, Espruino's subset). */
export async function storageBundle(): Promise<string> {
  if (bundle === undefined) bundle = (await buildFirmware({ entry: "test/firmware/fixtures/storage-entry.ts", boardId: "espruino-pico" })).code;
  return bundle;
}

export interface StorageBoard {
  emu: Espruino;
  storageDir: string;
  /** Evaluates code on the board; returns its value through JSON (plain Node values). */
  js(code: string): any;
  /** Power-on again: a fresh context with the bundle loaded (Storage kept). */
  reboot(): void;
}

export async function storageBoard(options: { storageDir?: string; storageBytes?: number } = {}): Promise<StorageBoard> {
  const code = await storageBundle();
  const clock = new Scheduler();
  const storageDir = options.storageDir ?? mkdtempSync(join(tmpdir(), "flowrig-store-"));
  const emu = createEspruino({
    clock, pins: new PinBus(clock), storageDir, linkPort: "USB", storageBytes: options.storageBytes,
    timing: { timerTickNs: 954, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 1000, max: 25000 }, adcBits: 12 },
  });
  emu.load(code);
  return {
    emu, storageDir,
    js(src: string) {
      const out = emu.evaluate(`JSON.stringify((function () { return ${src}; })())`);
      return out === undefined ? undefined : JSON.parse(out as string);
    },
    reboot() { emu.load(code); },
  };
}
