// `flowrig status --port P`: run state, segment, time, both rates, volumes left, last PL, faults and memory, once.
import { Command } from "commander";
import type { HostLink } from "../../../protocol/host-link.ts";
import type { Body } from "../../../protocol/messages.ts";
import { SYRINGE_NAMES } from "../../domain/syringes.ts";
import { formatDuration } from "../../recipes/budget.ts";
import { formatFlowUlPerH, formatMl } from "../../client/units.ts";
import {
  addPortOptions, causeName, colours, faultNames, faultSummary, fields, isRunning, printJson, PUMP_NAMES, pumpFlagNames, stateName,
  withBoard, type PortOptions,
} from "../format.ts";

export interface Snapshot {
  status: Body<"status">;
  pumps: Body<"pumpStatus">[];
}

/** getStatus and both pumps, asked together (they fit in the link's window). */
export async function readSnapshot(link: HostLink): Promise<Snapshot> {
  const [status, a, b] = await Promise.all([
    link.request("getStatus", {}), link.request("getPump", { pump: 0 }), link.request("getPump", { pump: 1 }),
  ]);
  return { status, pumps: [a, b] };
}


export function pumpJson(p: Body<"pumpStatus">) {
  return {
    pump: PUMP_NAMES[p.pump], rateUlPerH: p.rate, rateMlPerH: p.rate / 1000, volumeNl: p.volumeNl, volumeMl: p.volumeNl / 1e6,
    deliveredNl: p.deliveredNl, positionSteps: p.positionSteps, stepVolumeNl: p.stepVolumePl / 1000,
    syringe: SYRINGE_NAMES[p.syringe] ?? `index ${p.syringe}`, flags: pumpFlagNames(p.flags),
  };
}

/** The JSON form of a snapshot (status --json, one line per poll of monitor --json). */
export function snapshotJson(s: Snapshot) {
  const st = s.status;
  return {
    state: stateName(st.state),
    program: isRunning(st.state) ? { slot: st.slot, segment: st.segment, segments: st.segments } : null,
    elapsedMs: st.elapsedMs, remainingMs: st.remainingMs,
    rateAMlPerH: st.rateA / 1000, rateBMlPerH: st.rateB / 1000,
    pumps: s.pumps.map(pumpJson),
    plUfs: st.pl,
    faults: faultNames(st.faults), cause: causeName(st.cause),
    samples: { next: st.sampleNext, acked: st.sampleAcked },
    memory: { free: st.memFree, total: st.memTotal },
    boardTimeMs: st.timeMs,
  };
}

/** "segment 3/12, 2 min 5 s elapsed, 10 min 0 s left", or "no program running". */
export function programText(st: Body<"status">): string {
  if (!isRunning(st.state)) return "no program running";
  return `slot ${st.slot}, segment ${st.segment + 1}/${st.segments}, ${formatDuration(st.elapsedMs / 1000)} elapsed, ${formatDuration(st.remainingMs / 1000)} left`;
}

/** PL as millionths of full scale and percent: "8356 ppm FS (0.84 %)". */
export const plText = (pl: number) => `${pl} ppm FS (${(pl / 1e4).toFixed(2)} %)`;

function pumpLine(p: Body<"pumpStatus">): string {
  const flags = pumpFlagNames(p.flags).filter((f) => f !== "enabled");
  return `${formatMl(p.volumeNl)} left in ${SYRINGE_NAMES[p.syringe] ?? `syringe ${p.syringe}`}${flags.length > 0 ? ` [${flags.join(", ")}]` : ""}`;
}

export function statusCommand(): Command {
  return addPortOptions(new Command("status")
    .description("the board's state at a glance: run, rates, volumes left, PL, faults, memory"))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (opts: PortOptions & { json?: boolean }) => {
      await withBoard(opts, async ({ link, identity }) => {
        const s = await readSnapshot(link);
        if (opts.json === true) { printJson({ board: identity.board, ...snapshotJson(s) }); return; }
        const c = colours();
        const st = s.status;
        const faulty = st.faults !== 0;
        process.stdout.write(fields([
          ["board", `${identity.board}, firmware ${identity.firmware}`],
          ["state", faulty ? c.red(stateName(st.state)) : c.bold(stateName(st.state))],
          ["program", programText(st)],
          ["flow", `A ${formatFlowUlPerH(st.rateA)}   B ${formatFlowUlPerH(st.rateB)}`],
          ["pump A", pumpLine(s.pumps[0])],
          ["pump B", pumpLine(s.pumps[1])],
          ["PL", plText(st.pl)],
          ["faults", faulty ? c.red(faultSummary(st)) : c.green("none")],
          ["samples", `${st.sampleNext} logged, ${st.sampleAcked} kept by the host`],
          ["memory", `${st.memFree} of ${st.memTotal} variables free`],
        ]));
      });
    });
}
