// A recipe's pumps and sensor resolved to numbers (library syringes, board defaults) and to the board's configuration keys.
import { SYRINGE_CAPACITIES_UL, SYRINGE_DIAMETERS_UM, SYRINGE_NAMES } from "../domain/syringes.ts";
import { CONFIG_KEYS } from "../../protocol/schema.ts";
import type { Pump, Recipe } from "./recipe.ts";

export type PumpRole = "precursor" | "antisolvent";
export const PUMP_ROLES: readonly PumpRole[] = ["precursor", "antisolvent"];
/** Board pump index of each role: pump A = 0 (precursor, rateA), pump B = 1 (antisolvent, rateB). */
export const PUMP_INDEX: Record<PumpRole, number> = { precursor: 0, antisolvent: 1 };

type ConfigName = (typeof CONFIG_KEYS)[number]["name"];
/** The board's default for a configuration key (protocol/schema.ts). */
export function configDefault(name: ConfigName): number {
  return CONFIG_KEYS.find((k) => k.name === name)!.default;
}

/** One pump with every default filled in, in recipe units. */
export interface ResolvedPump {
  /** Library index (0 = custom) and a name for messages ("BD 10 mL", "custom 50 mm / 500 mL"). */
  syringeIndex: number;
  syringeLabel: string;
  innerDiameterMm: number;
  capacityMl: number;
  stepsPerRev: number;
  microsteps: number;
  leadMm: number;
  loadedMl: number;
  maxMlPerH: number;
  /** True when maxMlPerH is the board default, not the recipe's. */
  maxIsDefault: boolean;
  reserveMl: number;
  /** Volume of one microstep in nL. */
  microstepNl: number;
}

export function resolvePump(pump: Pump): ResolvedPump {
  let syringeIndex = 0;
  let innerDiameterMm: number;
  let capacityMl: number;
  let syringeLabel: string;
  if (typeof pump.syringe === "string") {
    syringeIndex = SYRINGE_NAMES.indexOf(pump.syringe);
    if (syringeIndex < 1) throw new Error(`syringe ${JSON.stringify(pump.syringe)} is not in the syringe library (protocol/syringes.ts)`);
    innerDiameterMm = SYRINGE_DIAMETERS_UM[syringeIndex] / 1000;
    capacityMl = SYRINGE_CAPACITIES_UL[syringeIndex] / 1000;
    syringeLabel = pump.syringe;
  } else {
    innerDiameterMm = pump.syringe.innerDiameterMm;
    capacityMl = pump.syringe.capacityMl;
    syringeLabel = `custom ${innerDiameterMm} mm / ${capacityMl} mL`;
  }
  const stepsPerRev = pump.drive?.stepsPerRev ?? configDefault("stepsPerRev");
  const microsteps = pump.drive?.microsteps ?? configDefault("microsteps");
  const leadMm = pump.drive?.leadMm ?? configDefault("leadUm") / 1000;
  const areaMm2 = (Math.PI * innerDiameterMm * innerDiameterMm) / 4;
  return {
    syringeIndex, syringeLabel, innerDiameterMm, capacityMl, stepsPerRev, microsteps, leadMm,
    loadedMl: pump.loadedMl,
    maxMlPerH: pump.maxMlPerH ?? configDefault("maxRateUlPerH") / 1000,
    maxIsDefault: pump.maxMlPerH === undefined,
    reserveMl: pump.reserveMl ?? configDefault("reserveUl") / 1000,
    microstepNl: (areaMm2 * leadMm * 1000) / (stepsPerRev * microsteps),
  };
}

export function resolvePumps(recipe: Recipe): Record<PumpRole, ResolvedPump> {
  return { precursor: resolvePump(recipe.pumps.precursor), antisolvent: resolvePump(recipe.pumps.antisolvent) };
}

/** One configSet the host sends before loading the program (names and units of protocol/schema.ts CONFIG_KEYS). */
export interface ConfigSetting { name: ConfigName; index: number; value: number }

/**
 * The board configuration that makes the rig match the recipe: per pump syringe (or custom bore and capacity),
 * drive, rate limit and reserve; the sensor keys when the recipe has a sensor block. setVolume(loadedMl) is separate.
 */
export function boardConfig(recipe: Recipe): ConfigSetting[] {
  const out: ConfigSetting[] = [];
  const pumps = resolvePumps(recipe);
  for (const role of PUMP_ROLES) {
    const p = pumps[role];
    const index = PUMP_INDEX[role];
    const set = (name: ConfigName, value: number) => out.push({ name, index, value: Math.round(value) });
    set("syringe", p.syringeIndex);
    if (p.syringeIndex === 0) {
      set("innerDiameterUm", p.innerDiameterMm * 1000);
      set("capacityUl", p.capacityMl * 1000);
    }
    set("stepsPerRev", p.stepsPerRev);
    set("microsteps", p.microsteps);
    set("leadUm", p.leadMm * 1000);
    set("maxRateUlPerH", p.maxMlPerH * 1000);
    set("reserveUl", p.reserveMl * 1000);
  }
  const sensor = recipe.sensor;
  if (sensor !== undefined) {
    out.push({ name: "samplePeriodMs", index: 0, value: Math.round(sensor.samplePeriodS * 1000) });
    out.push({ name: "sampleWindowMs", index: 0, value: Math.round(sensor.sampleWindowS * 1000) });
    if (sensor.ledHz !== undefined) out.push({ name: "ledHz", index: 0, value: sensor.ledHz });
    if (sensor.synchronous !== undefined) out.push({ name: "synchronous", index: 0, value: sensor.synchronous ? 1 : 0 });
  }
  return out;
}
