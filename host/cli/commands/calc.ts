// `flowrig calc`: Re, residence time, mixing ratio, volume budget and pump step rates for one operating point.
import { Command, InvalidArgumentError, Option } from "commander";
import { SYRINGE_CAPACITIES_UL, SYRINGE_DIAMETERS_UM, SYRINGE_NAMES } from "../../domain/syringes.ts";
import { DEFAULT_TEMPERATURE_C, DEFAULT_TUBE_INNER_DIAMETER_MM, DMF, TOLUENE, flowReport, liquidAt, residenceTimeS, tubeVolumeMlPerM } from "../../domain/flow-physics.ts";
import { EXIT } from "../exit-codes.ts";

interface CalcOptions {
  precursor: number; antisolvent: number; tubeId: number; tubeLength: number; temperature: number;
  syringe?: number; syringeId?: number; lead: number; microsteps: number; stepsPerRev: number; duration: number; json?: boolean;
}

/** A number option within [min, max] (integer if asked); the message names the option and what is allowed. */
function numberIn(name: string, unit: string, min: number, max: number, integer = false) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}${unit === "" ? "" : ` ${unit}`}, got "${text}"`);
    }
    return value;
  };
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** Index into the firmware's syringe library. */
function parseSyringe(text: string): number {
  const index = SYRINGE_NAMES.findIndex((n, i) => i > 0 && normalise(n) === normalise(text));
  if (index < 0) throw new InvalidArgumentError(`unknown syringe "${text}"; known: ${SYRINGE_NAMES.slice(1).join(", ")} (or give --syringe-id <mm>)`);
  return index;
}

function parseMicrosteps(text: string): number {
  const value = Number(text);
  if (![1, 2, 4, 8, 16, 32, 64, 128, 256].includes(value) || !/^\d+$/.test(text)) {
    throw new InvalidArgumentError(`microsteps must be a power of two from 1 to 256, got "${text}"`);
  }
  return value;
}

const DEFAULT_SYRINGE = "BD 60 mL";

/** Everything calc prints, as numbers (the JSON output). */
export function calculate(o: CalcOptions) {
  const syringeIndex = o.syringeId === undefined ? (o.syringe ?? parseSyringe(DEFAULT_SYRINGE)) : 0;
  const syringeIdMm = o.syringeId ?? SYRINGE_DIAMETERS_UM[syringeIndex] / 1000;
  const capacityMl = syringeIndex > 0 ? SYRINGE_CAPACITIES_UL[syringeIndex] / 1000 : undefined;
  const flow = flowReport({ precursorMlPerH: o.precursor, antisolventMlPerH: o.antisolvent, innerDiameterMm: o.tubeId, temperatureC: o.temperature });
  const areaMm2 = (Math.PI / 4) * syringeIdMm ** 2;
  const microstepsPerRev = o.stepsPerRev * o.microsteps;
  const pump = (flowMlPerH: number) => {
    const plungerMmPerS = (flowMlPerH * 1000 / 3600) / areaMm2;
    return {
      flowMlPerH,
      plungerMmPerS,
      microstepsPerS: plungerMmPerS / o.lead * microstepsPerRev,
      volumeMl: flowMlPerH * o.duration / 3600,
      syringeLastsS: capacityMl === undefined || flowMlPerH === 0 ? null : capacityMl / flowMlPerH * 3600,
    };
  };
  const tau = residenceTimeS({ innerDiameterMm: o.tubeId, lengthMm: o.tubeLength, flowMlPerH: flow.totalFlowMlPerH });
  const fluid = (l: typeof DMF) => ({ name: l.name, ...liquidAt(l, o.temperature) });
  return {
    assumptions: {
      tubeInnerDiameterMm: o.tubeId, tubeLengthMm: o.tubeLength, temperatureC: o.temperature,
      precursor: fluid(DMF), antisolvent: fluid(TOLUENE),
      mixture: { densityGPerMl: flow.densityGPerMl, viscosityMPaS: flow.viscosityMPaS, rule: "ideal volume mixing (ρ); ln μ = Σ xᵢ ln μᵢ, mole fractions (μ)" },
      reynoldsFlow: "total flow, both streams after the Y",
    },
    mixing: { antisolventToPrecursor: o.precursor > 0 ? o.antisolvent / o.precursor : null, precursorVolumePercent: 100 * flow.precursorVolumeFraction },
    reynolds: { value: flow.reynolds, laminar: flow.laminar, flowMlPerH: flow.totalFlowMlPerH, assumptions: flow.assumptions },
    residence: { sPerM: flow.residenceTimeSPerM, sInTube: tau, firstArrivalS: tau / 2, tubeVolumeMlPerM: tubeVolumeMlPerM(o.tubeId), tubeVolumeMl: tubeVolumeMlPerM(o.tubeId) * o.tubeLength / 1000 },
    pressureDrop: { barPerM: flow.pressureDropBarPerM, barInTube: flow.pressureDropBarPerM * o.tubeLength / 1000 },
    budget: { durationS: o.duration, precursorMl: pump(o.precursor).volumeMl, antisolventMl: pump(o.antisolvent).volumeMl, totalMl: flow.totalFlowMlPerH * o.duration / 3600 },
    drive: {
      syringe: syringeIndex > 0 ? SYRINGE_NAMES[syringeIndex] : "custom", syringeInnerDiameterMm: syringeIdMm, capacityMl: capacityMl ?? null,
      leadMm: o.lead, stepsPerRev: o.stepsPerRev, microsteps: o.microsteps, stepVolumeNl: areaMm2 * o.lead / microstepsPerRev * 1000,
    },
    pumps: { precursor: pump(o.precursor), antisolvent: pump(o.antisolvent) },
  };
}

const g = (v: number, digits = 4) => (Math.abs(v) >= 10 ** digits ? v.toFixed(0) : Number(v.toPrecision(digits)).toString());
const dur = (s: number | null) => (s === null ? "—" : s < 120 ? `${g(s, 3)} s` : s < 7200 ? `${g(s / 60, 3)} min` : `${g(s / 3600, 3)} h`);

function formatText(r: ReturnType<typeof calculate>): string {
  const a = r.assumptions;
  const p = r.pumps;
  const stream = (name: string, x: typeof p.precursor) =>
    `  ${name.padEnd(12)} ${g(x.flowMlPerH).padStart(7)} mL/h  plunger ${g(x.plungerMmPerS)} mm/s  ${g(x.microstepsPerS)} µsteps/s  syringe lasts ${dur(x.syringeLastsS)}`;
  return [
    `Reynolds number  ${Math.round(r.reynolds.value)} (${r.reynolds.laminar ? "laminar, < 1800" : "≥ 1800: transitional or turbulent"})`,
    `  for ${r.reynolds.assumptions}`,
    `  fluids at ${a.temperatureC} °C: DMF ρ ${g(a.precursor.densityGPerMl)} g/mL μ ${g(a.precursor.viscosityMPaS)} mPa·s; toluene ρ ${g(a.antisolvent.densityGPerMl)} g/mL μ ${g(a.antisolvent.viscosityMPaS)} mPa·s;`
      + ` mixture ρ ${g(a.mixture.densityGPerMl)} g/mL μ ${g(a.mixture.viscosityMPaS)} mPa·s`,
    `Mixing ratio     antisolvent : precursor = ${r.mixing.antisolventToPrecursor === null ? "no precursor" : `${g(r.mixing.antisolventToPrecursor)} : 1`} (precursor ${g(r.mixing.precursorVolumePercent, 3)} vol %)`,
    `Residence time   ${g(r.residence.sPerM, 3)} s per m; ${g(r.residence.sInTube, 3)} s in ${a.tubeLengthMm} mm (laminar centreline first at ${g(r.residence.firstArrivalS, 3)} s)`,
    `Tube volume      ${g(r.residence.tubeVolumeMlPerM, 3)} mL per m; ${g(r.residence.tubeVolumeMl, 3)} mL in ${a.tubeLengthMm} mm (ID ${a.tubeInnerDiameterMm} mm)`,
    `Pressure drop    ${g(r.pressureDrop.barPerM, 2)} bar per m; ${g(r.pressureDrop.barInTube, 2)} bar in ${a.tubeLengthMm} mm`,
    `Volume budget    ${r.budget.durationS} s: precursor ${g(r.budget.precursorMl)} mL, antisolvent ${g(r.budget.antisolventMl)} mL, total ${g(r.budget.totalMl)} mL`,
    `Drive            ${r.drive.syringe} (ID ${r.drive.syringeInnerDiameterMm} mm${r.drive.capacityMl === null ? "" : `, ${r.drive.capacityMl} mL`}), lead ${r.drive.leadMm} mm, `
      + `${r.drive.stepsPerRev} steps/rev × ${r.drive.microsteps} µsteps: ${g(r.drive.stepVolumeNl)} nL per µstep`,
    stream("precursor", p.precursor),
    stream("antisolvent", p.antisolvent),
  ].join("\n") + "\n";
}

export function calcCommand(): Command {
  return new Command("calc")
    .description("Reynolds number, residence time, mixing ratio, volume budget and step rates for a precursor + antisolvent flow")
    .addOption(new Option("--precursor <mL/h>", "precursor (DMF) flow").argParser(numberIn("--precursor", "mL/h", 0, 20000)).makeOptionMandatory())
    .addOption(new Option("--antisolvent <mL/h>", "antisolvent (toluene) flow").argParser(numberIn("--antisolvent", "mL/h", 0, 20000)).makeOptionMandatory())
    .addOption(new Option("--tube-id <mm>", "tube inner diameter (1/16\")").default(DEFAULT_TUBE_INNER_DIAMETER_MM).argParser(numberIn("--tube-id", "mm", 0.1, 20)))
    .addOption(new Option("--tube-length <mm>", "tube length, Y-junction to flow cell").default(1000).argParser(numberIn("--tube-length", "mm", 1, 1000000)))
    .addOption(new Option("--temperature <°C>", "liquid temperature (properties tabled at 20 and 25 °C)").default(DEFAULT_TEMPERATURE_C).argParser(numberIn("--temperature", "°C", 0, 50)))
    .addOption(new Option("--syringe <name>", `syringe from the library (default "${DEFAULT_SYRINGE}")`).argParser(parseSyringe).conflicts("syringeId"))
    .addOption(new Option("--syringe-id <mm>", "syringe inner diameter instead of a library name").argParser(numberIn("--syringe-id", "mm", 1, 50)))
    .addOption(new Option("--lead <mm>", "lead-screw travel per revolution").default(8).argParser(numberIn("--lead", "mm", 0.1, 100)))
    .addOption(new Option("--microsteps <n>", "driver microstepping").default(16).argParser(parseMicrosteps))
    .addOption(new Option("--steps-per-rev <n>", "motor full steps per revolution").default(200).argParser(numberIn("--steps-per-rev", "", 20, 1000, true)))
    .addOption(new Option("--duration <s>", "run length for the volume budget").default(300).argParser(numberIn("--duration", "s", 1, 1e7)))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action((options: CalcOptions, command: Command) => {
      if (!(options.precursor + options.antisolvent > 0)) {
        command.error("error: --precursor and --antisolvent are both 0: nothing flows", { exitCode: EXIT.usage, code: "flowrig.calc.noFlow" });
      }
      const result = calculate(options);
      process.stdout.write(options.json === true ? JSON.stringify(result, null, 2) + "\n" : formatText(result));
    });
}
