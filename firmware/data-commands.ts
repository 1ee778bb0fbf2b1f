// Protocol commands that move data: sample pages and acks, program loading and start, storing the configuration.
import { ERR_NOT_FOUND, ERR_STORAGE, FAULT_STORAGE, MSG_ERROR, MSG_SAMPLES } from "../protocol/generated.ts";
import type { Config } from "./config.ts";
import { saveConfig } from "./config-store.ts";
import type { Controller } from "./controller.ts";
import type { Store } from "./hal.ts";
import type { ProgramStore } from "./program-store.ts";
import { badArgument, canStart, checkRate, OK, wrongState } from "./run-commands.ts";

/** samplesRead: at most two records from `from`. */
export function readSamples(log: { read(from: number, max: number): any[] }, from: number, max: number): any[] {
  if (max < 1) return badArgument(1, 1);
  return [MSG_SAMPLES, log.read(from, max)];
}

/** programBegin refuses the slot that is running; the store checks the rest. */
export function programBegin(c: Controller, programs: ProgramStore, slot: number, name: string, segments: number): any[] {
  if (!canStart(c.state) && c.slot === slot) return wrongState(c.state);
  return programs.begin(slot, name, segments);
}

/** start: the stored program, if every segment's flows are within the pumps' limits. */
export function startProgram(c: Controller, config: Config, programs: ProgramStore, slot: number): any[] {
  if (!canStart(c.state)) return wrongState(c.state);
  if (slot > 3) return badArgument(0, 3);
  const program = programs.load(slot);
  if (program === undefined) return [MSG_ERROR, [ERR_NOT_FOUND, 0, slot]];
  for (let i = 0; i < program.segments; i++) {
    if (checkRate(config, 0, program.rateA[i], 0) !== undefined || checkRate(config, 1, program.rateB[i], 0) !== undefined) {
      return badArgument(0, i); // segment i asks more of a pump than its maxRateUlPerH
    }
  }
  c.startProgram(program, slot);
  return OK;
}

export function storeConfig(c: Controller, store: Store, config: Config): any[] {
  if (saveConfig(store, config.values)) {
    c.faults = c.faults & ~FAULT_STORAGE;
    return OK;
  }
  c.faults = c.faults | FAULT_STORAGE; // reported in status; the pumps are not stopped for it
  return [MSG_ERROR, [ERR_STORAGE, 255, 0]];
}
