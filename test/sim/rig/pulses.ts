// Test helper (no tests here): STEP pulse trains written straight onto a PinBus at scheduled virtual times.
import type { Level, PinBus } from "../../../host/sim/pins.ts";
import type { Scheduler } from "../../../host/sim/scheduler.ts";

export interface PulseTrain { startUs: number; periodUs: number; highUs: number; count?: number; stopUs?: number; activeLow?: boolean }

/** Schedules pulses one at a time (each pulse schedules the next), so long trains keep the heap small. */
export function stepTrain(clock: Scheduler, pins: PinBus, pin: string, o: PulseTrain): { sent: () => number; stop: () => void } {
  const on: Level = o.activeLow === true ? 0 : 1;
  const off: Level = o.activeLow === true ? 1 : 0;
  let sent = 0;
  let stopped = false;
  pins.writeOutput(pin, off);
  const pulse = (atUs: number): void => {
    if (stopped || (o.count !== undefined && sent >= o.count) || (o.stopUs !== undefined && atUs >= o.stopUs)) return;
    clock.at(atUs, () => {
      if (stopped) return;
      pins.writeOutput(pin, on);
      sent++;
      clock.at(atUs + o.highUs, () => pins.writeOutput(pin, off));
      pulse(atUs + o.periodUs);
    });
  };
  pulse(o.startUs);
  return { sent: () => sent, stop: () => { stopped = true; } };
}

/** Microstep period for a flow on a pump with the given volume per microstep. */
export function periodUsFor(flowMlPerH: number, nlPerMicrostep: number): number {
  return 3.6e9 / (flowMlPerH * 1e6 / nlPerMicrostep);
}
