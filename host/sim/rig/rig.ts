// Wires the virtual rig under a board's pins: pumps → Y-junction/tube → reactor PL → photodiode analog input.
import type { PinBus } from "../pins.ts";
import type { Scheduler } from "../scheduler.ts";
import { Fluidics, type CellState, type FluidicsOptions, type Stream } from "./fluidics.ts";
import { Photodiode, type PhotodiodeOptions } from "./photodiode.ts";
import { Reactor, type ReactorOptions } from "./reactor.ts";
import { SyringePump, type SyringePumpOptions } from "./syringe-pump.ts";

/** One pump; by default pumps[0] feeds precursor and every later pump antisolvent (e.g. push–pull pairs). */
export interface RigPumpConfig extends Omit<SyringePumpOptions, "bus"> {
  stream?: Stream;
}

export type RigSensorConfig = Omit<PhotodiodeOptions, "bus" | "plAt" | "seed">;

export interface RigOptions {
  clock: Scheduler;
  pins: PinBus;
  pumps: RigPumpConfig[];
  sensor: RigSensorConfig;
  fluidics?: Omit<FluidicsOptions, "tracer">;
  reactor?: ReactorOptions;
  /** Seeds the photodiode's noise and ambient phases. */
  seed?: number;
}

export interface RigSnapshot {
  timeUs: number;
  pumps: { name: string; stream: Stream; positionMicrosteps: number; volumeNl: number; deliveredNl: number; flowUlPerH: number; stalledSteps: number; violations: number }[];
  junctionUlPerH: { precursor: number; antisolvent: number };
  residenceTimeUs: number;
  reynolds: number;
  cell: CellState;
  plRelative: number;
  sensorFraction: number;
}

export interface Rig {
  clock: Scheduler;
  pins: PinBus;
  pumps: SyringePump[];
  streams: Stream[];
  fluidics: Fluidics;
  reactor: Reactor;
  photodiode: Photodiode;
  /** Relative PL at the flow cell (1 = the paper's optimum at steady state). */
  plAt(timeUs: number): number;
  snapshot(): RigSnapshot;
}

export function createRig(o: RigOptions): Rig {
  if (o.pins.clock !== o.clock) throw new Error("createRig: pins must be a PinBus built on the same Scheduler as clock");
  if (o.pumps.length === 0) throw new RangeError("createRig: at least one pump is needed (pumps[0] = precursor)");
  const reactor = new Reactor(o.reactor);
  const fluidics = new Fluidics({ ...o.fluidics, tracer: reactor.tracer });
  const streams: Stream[] = o.pumps.map((p, i) => p.stream ?? (i === 0 ? "precursor" : "antisolvent"));
  const pumps = o.pumps.map((cfg, i) => {
    const pump = new SyringePump({ ...cfg, bus: o.pins, name: cfg.name ?? `pump${i}` });
    pump.onStep((timeUs, volumeNl) => fluidics.addStep(streams[i], timeUs, volumeNl));
    return pump;
  });
  const plAt = (timeUs: number): number => reactor.plFromCell(fluidics.atCell(timeUs), timeUs);
  const photodiode = new Photodiode({ ...o.sensor, bus: o.pins, plAt, seed: o.seed ?? 1 });
  return {
    clock: o.clock,
    pins: o.pins,
    pumps,
    streams,
    fluidics,
    reactor,
    photodiode,
    plAt,
    snapshot(): RigSnapshot {
      const t = o.clock.nowUs();
      return {
        timeUs: t,
        pumps: pumps.map((p, i) => ({
          name: p.name, stream: streams[i], positionMicrosteps: p.positionMicrosteps, volumeNl: p.volumeNl,
          deliveredNl: p.deliveredNl, flowUlPerH: p.flowUlPerHAt(t), stalledSteps: p.stalledSteps, violations: p.violations.total,
        })),
        junctionUlPerH: fluidics.junctionFlowUlPerH(t),
        residenceTimeUs: fluidics.residenceTimeUs(t),
        reynolds: fluidics.reynoldsAt(t),
        cell: fluidics.atCell(t),
        plRelative: plAt(t),
        sensorFraction: photodiode.valueAt(t),
      };
    },
  };
}
