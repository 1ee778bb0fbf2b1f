// The schema's codes as names and sentences for people (CLI, run folders, page): written once, from the schema.
import type { Body } from "./messages.ts";
import { STATE_PAUSED, STATE_RUNNING } from "./generated.ts";
import { CAUSES, FAULTS, PUMP_FLAGS, SAMPLE_FLAGS, STATES } from "./schema.ts";

type FaultStatus = Pick<Body<"status">, "faults" | "cause">;

export const stateName = (code: number) => STATES.find((s) => s.code === code)?.name ?? `state ${code}`;
export const causeName = (code: number) => CAUSES.find((c) => c.code === code)?.name ?? `cause ${code}`;
export const faultNames = (bits: number) => FAULTS.filter((f) => (bits & (1 << f.bit)) !== 0).map((f) => f.name);
export const pumpFlagNames = (bits: number) => PUMP_FLAGS.filter((f) => (bits & (1 << f.bit)) !== 0).map((f) => f.name);
/** A sample's flag bits as names ("saturated", "ramping"); [] when none. */
export const sampleFlagNames = (bits: number) => SAMPLE_FLAGS.filter((f) => (bits & (1 << f.bit)) !== 0).map((f) => f.name);
/** A program is on: running or paused (samples still to come). */
export const isRunning = (state: number) => state === STATE_RUNNING || state === STATE_PAUSED;

/** One line: "none", or "estop (cause host.estop)". */
export function faultSummary(status: FaultStatus): string {
  const names = faultNames(status.faults);
  if (names.length === 0) return "none";
  return `${names.join(", ")}${status.cause !== 0 ? ` (cause ${causeName(status.cause)})` : ""}`;
}

/** With the meaning: "hostLost (host.link): no host traffic within the timeout under the stop policy", or "" without faults. */
export function faultExplanation(status: FaultStatus): string {
  const faults = FAULTS.filter((f) => (status.faults & (1 << f.bit)) !== 0);
  if (faults.length === 0) return "";
  return `${faults.map((f) => f.name).join(", ")} (${causeName(status.cause)}): ${faults.map((f) => f.doc).join("; ")}`;
}
