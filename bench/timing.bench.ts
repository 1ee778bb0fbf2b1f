// Step timing over a virtual hour per rig.md cell: deviation from the ideal position, rate error, pulse widths, speed.
import { CFG_CAPACITY_UL, CFG_HOST_LOSS_POLICY, CFG_LEAD_UM, CFG_SYRINGE } from "../protocol/generated.ts";
import { bootVirtualRig } from "../host/sim/virtual-rig.ts";
import { settle, virtualLinkClock } from "../host/sim/virtual-time.ts";
import { handshake } from "../protocol/handshake.ts";
import { HostLink } from "../protocol/host-link.ts";
import { SYRINGE_DIAMETERS_UM } from "../host/domain/syringes.ts";
import { figure } from "./report.ts";

const SECONDS = Number(process.env.FLOWRIG_BENCH_SECONDS ?? 3600);
const SYRINGES = [{ name: "10mL", index: 4 }, { name: "60mL", index: 7 }];
const DRIVES = [{ name: "T8L8", leadUm: 8000 }, { name: "T8L2", leadUm: 2000 }, { name: "M5", leadUm: 800 }];
const FLOWS_ML_PER_H = [10, 60, 1000, 5000];
/** A reservoir-sized stroke: an hour at 5000 mL/h (5 L) never reaches the end of travel. */
const STROKE_UM = 1e9;

/** Step count, worst deviation from the ideal, and least-squares sums of count against time (seconds). */
interface Deviation { count: number; maxDev: number; st: number; stt: number; sk: number; skt: number }

/** Delivered rate in steps per second: the least-squares slope of step count against time. */
function fittedRate(d: Deviation): number {
  return (d.count * d.skt - d.sk * d.st) / (d.count * d.stt - d.st * d.st);
}

/** Runs both pumps (10 mL on A, 60 mL on B) at one drive and flow for SECONDS; returns per-pump figures. */
async function runCell(leadUm: number, flowMlPerH: number) {
  const v = await bootVirtualRig({
    seed: 7, bench: {
      logSteps: false, mechanics: [
        { innerDiameterUm: SYRINGE_DIAMETERS_UM[4], leadUm, travelUm: STROKE_UM, startPositionUm: 0 },
        { innerDiameterUm: SYRINGE_DIAMETERS_UM[7], leadUm, travelUm: STROKE_UM, startPositionUm: 0 },
      ],
    },
  });
  let replyAtUs = 0;
  const host = new HostLink((b) => v.emu.host.write(b), { clock: virtualLinkClock(v.clock) });
  v.emu.host.onData((b) => { replyAtUs = v.clock.nowUs(); host.feed(b); });
  const ask = <T>(p: Promise<T>) => settle(v.clock, p);
  await ask(handshake(host));
  await ask(host.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }));
  for (let pump = 0; pump < 2; pump++) {
    await ask(host.request("configSet", { key: CFG_SYRINGE, index: pump, value: SYRINGES[pump].index }));
    await ask(host.request("configSet", { key: CFG_LEAD_UM, index: pump, value: leadUm }));
    await ask(host.request("configSet", { key: CFG_CAPACITY_UL, index: pump, value: 10_000_000 }));
  }
  // Withdrawing from empty into a 10 L capacity: 5 L in an hour fits, where infusing could start from
  // at most 4.29 L (setVolume is u32 nL). The step timing path is the same in both directions.
  const rate = flowMlPerH * 1000;
  await ask(host.request("setFlow", { rateA: -rate, rateB: -rate }));
  // The firmware's flow starts at the whole millisecond in which it ran the command.
  const t0 = Math.floor(replyAtUs / 1000) * 1000;
  const devs: Deviation[] = v.rig.pumps.map((pump) => {
    const stepsPerUs = rate / 3.6e6 / pump.nlPerMicrostep; // µL/h → nL/µs → µsteps/µs
    const d: Deviation = { count: 0, maxDev: 0, st: 0, stt: 0, sk: 0, skt: 0 };
    pump.onStep((t) => {
      const ideal = stepsPerUs * (t - t0);
      const before = Math.abs(d.count - ideal);
      d.count++;
      d.maxDev = Math.max(d.maxDev, before, Math.abs(d.count - ideal));
      const ts = (t - t0) / 1e6;
      d.st += ts; d.stt += ts * ts; d.sk += d.count; d.skt += d.count * ts;
    });
    return d;
  });
  const wallStart = performance.now();
  v.clock.runUntil(t0 + SECONDS * 1e6);
  const wallS = (performance.now() - wallStart) / 1000;
  return {
    wallS, errors: v.emu.errors.length,
    pumps: v.rig.pumps.map((pump, i) => {
      const idealStepsPerS = (rate / 3.6e6 / pump.nlPerMicrostep) * 1e6;
      return {
        maxDev: devs[i].maxDev,
        // Rate from the fit over the whole run (end-point quantisation of ±1 step does not enter).
        rateErrorPpm: devs[i].count < 3 ? NaN : ((fittedRate(devs[i]) - idealStepsPerS) / idealStepsPerS) * 1e6,
        stepsPerS: idealStepsPerS,
        highNs: pump.shortestStepHighNs, lowNs: pump.shortestStepLowNs, dirNs: pump.shortestDirSetupNs,
        violations: pump.violations.total, driver: pump.driver,
      };
    }),
  };
}

/** Jogs back and forth on both pumps through the firmware: the shortest DIR set-up and pulse widths seen. */
async function reversals(): Promise<{ dirNs: number; highNs: number; lowNs: number; violations: number; minDirNs: number }> {
  // Plungers mid-stroke (30 mm of a BD 10 mL's 61 mm, about 5 mL), and the board told so.
  const mid = { innerDiameterUm: SYRINGE_DIAMETERS_UM[4], leadUm: 2000, travelUm: 61150, startPositionUm: 30575 };
  const v = await bootVirtualRig({ seed: 3, bench: { mechanics: [mid, mid] } });
  const host = new HostLink((b) => v.emu.host.write(b), { clock: virtualLinkClock(v.clock) });
  v.emu.host.onData((b) => host.feed(b));
  const ask = <T>(p: Promise<T>) => settle(v.clock, p);
  await ask(handshake(host));
  for (const pump of [0, 1]) await ask(host.request("setVolume", { pump, volumeNl: Math.round(v.rig.pumps[pump].volumeNl) }));
  for (let i = 0; i < 20; i++) {
    const pump = i % 2;
    await ask(host.request("jog", { pump, microsteps: i % 4 < 2 ? 400 : -400, rateUlPerH: 600_000 }));
    v.clock.runFor(1e6);
  }
  const p = v.rig.pumps;
  return {
    dirNs: Math.min(p[0].shortestDirSetupNs, p[1].shortestDirSetupNs),
    highNs: Math.min(p[0].shortestStepHighNs, p[1].shortestStepHighNs),
    lowNs: Math.min(p[0].shortestStepLowNs, p[1].shortestStepLowNs),
    violations: p[0].violations.total + p[1].violations.total,
    minDirNs: p[0].driver.dirSetupNs,
  };
}

export async function timingBench(): Promise<void> {
  const r = await reversals();
  figure("timing.reversals.shortest_dir_setup", r.dirNs, "ns");
  figure("timing.reversals.driver_min_dir_setup", r.minDirNs, "ns");
  figure("timing.reversals.shortest_step_high", r.highNs, "ns");
  figure("timing.reversals.shortest_step_low", r.lowNs, "ns");
  figure("timing.reversals.driver_timing_violations", r.violations, "count");
  let virtualS = 0;
  let wallS = 0;
  let worstDev = 0;
  let worstPpm = 0;
  let shortestHigh = Infinity;
  let shortestLow = Infinity;
  let shortestDir = Infinity;
  let violations = 0;
  let errors = 0;
  let minHigh = 0;
  let minLow = 0;
  let minDir = 0;
  for (const drive of DRIVES) {
    for (const flow of FLOWS_ML_PER_H) {
      const cell = await runCell(drive.leadUm, flow);
      virtualS += SECONDS;
      wallS += cell.wallS;
      errors += cell.errors;
      cell.pumps.forEach((p, i) => {
        const name = `timing.${SYRINGES[i].name}.${drive.name}.${flow}mLh`;
        figure(`${name}.max_deviation`, p.maxDev, "microsteps");
        figure(`${name}.rate_error`, p.rateErrorPpm, "ppm");
        worstDev = Math.max(worstDev, p.maxDev);
        worstPpm = Math.max(worstPpm, Math.abs(p.rateErrorPpm));
        shortestHigh = Math.min(shortestHigh, p.highNs);
        shortestLow = Math.min(shortestLow, p.lowNs);
        shortestDir = Math.min(shortestDir, p.dirNs);
        violations += p.violations;
        minHigh = p.driver.stepHighNs;
        minLow = p.driver.stepLowNs;
        minDir = p.driver.dirSetupNs;
      });
    }
  }
  figure("timing.worst_max_deviation", worstDev, "microsteps");
  figure("timing.worst_rate_error", worstPpm, "ppm");
  figure("timing.shortest_step_high", shortestHigh, "ns");
  figure("timing.driver_min_step_high", minHigh, "ns");
  figure("timing.shortest_step_low", shortestLow, "ns");
  figure("timing.driver_min_step_low", minLow, "ns");
  // Each cell runs one direction: DIR is set once before motion (measured set-up time in the motion tests).
  if (Number.isFinite(shortestDir)) {
    figure("timing.shortest_dir_setup", shortestDir, "ns");
    figure("timing.driver_min_dir_setup", minDir, "ns");
  }
  figure("timing.driver_timing_violations", violations, "count");
  figure("timing.firmware_errors", errors, "count");
  figure("timing.virtual_hours_per_cell", SECONDS / 3600, "h");
  figure("emulator.speed", virtualS / wallS, "virtual s per wall s");
}
