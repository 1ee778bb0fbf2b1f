// Low memory as a handled fault: below one share of free variables extras are shed and lowMemory raised, below another the pumps stop.
import { CAUSE_MEMORY, FAULT_LOW_MEMORY, STATE_FAULT } from "../protocol/generated.ts";
import type { Controller } from "./controller.ts";

/** Free variables under this share of the pool: lowMemory is raised (pumps carry on) and the panel stops redrawing. */
export const LOW_MEMORY_PERCENT = 12;
/** Under this share, or when an allocation has failed: the pumps stop with a lowMemory fault before the interpreter gives up. */
export const CRITICAL_MEMORY_PERCENT = 4;

/**
 * One check (the control tick calls it once a second): free and total variables, and whether the interpreter reported
 * a failed allocation. Returns true while memory is low (the caller sheds its extras).
 */
export function guardMemory(c: Controller, free: number, total: number, allocationFailed: boolean): boolean {
  if (allocationFailed || free * 100 < total * CRITICAL_MEMORY_PERCENT) {
    if (c.state !== STATE_FAULT) c.fault(FAULT_LOW_MEMORY, CAUSE_MEMORY);
    else c.faults = c.faults | FAULT_LOW_MEMORY;
    return true;
  }
  if (free * 100 < total * LOW_MEMORY_PERCENT) {
    c.faults = c.faults | FAULT_LOW_MEMORY;
    return true;
  }
  return false;
}
