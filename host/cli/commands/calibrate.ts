// `flowrig calibrate --pump A`: dispense a set volume, weigh it, store the pump's correction factor (with date and
// uncertainty) in the board's configuration, where it scales the step volume of every later flow and move.
import { Command, InvalidArgumentError, Option } from "commander";
import { createInterface } from "node:readline/promises";
import { readConfig, writeConfig } from "../../client/board-config.ts";
import { calibrate, dateNumber, densityAt, liquidByName, LIQUIDS, type Liquid } from "../../client/calibration.ts";
import { formatFlowUlPerH, formatVolumeNl, parseFlowUlPerH, parseVolumeNl } from "../../client/units.ts";
import { addPortOptions, faultSummary, parsePump, printJson, PUMP_NAMES, usageError, withBoard, type PortOptions } from "../format.ts";
import { waitForStop } from "./move.ts";

interface CalibrateOptions extends PortOptions {
  pump: number; volume: number; rate: number; liquid?: Liquid; density?: number; temperature: number;
  mass?: number; resolution: number; save: boolean; json?: boolean;
}

/** An unknown temperature within ±2 °C of the one given (rectangular), and the table's own rounding. */
const TEMPERATURE_U_K = 2 / Math.sqrt(3);
const TABLE_REL_U = 0.0003;
/** A density typed in: taken as good to 0.1 %. */
const GIVEN_DENSITY_REL_U = 0.001;
const STATE_FAULT = 5;

const positive = (name: string, unit: string) => (text: string) => {
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v)) throw new InvalidArgumentError(`${name} must be a number above 0 (${unit}), got "${text}"`);
  return v;
};
const wrap = <T>(parse: (t: string) => T) => (text: string) => { try { return parse(text); } catch (e) { throw new InvalidArgumentError((e as Error).message); } };

export function calibrateCommand(): Command {
  return addPortOptions(new Command("calibrate")
    .description("gravimetric calibration of one pump: dispense, weigh, store the correction factor in the board"))
    .addOption(new Option("--pump <A|B>", "the pump").makeOptionMandatory().argParser(parsePump))
    .addOption(new Option("--volume <v>", "volume to dispense into the weighed container").default(parseVolumeNl("2mL"), "2mL").argParser(wrap(parseVolumeNl)))
    .addOption(new Option("--rate <flow>", "dispensing speed").default(parseFlowUlPerH("30mL/h"), "30mL/h").argParser(wrap(parseFlowUlPerH)))
    .addOption(new Option("--liquid <name>", `the liquid (density from the table): ${LIQUIDS.map((l) => l.name).join(", ")}`).argParser(wrap(liquidByName)).conflicts("density"))
    .addOption(new Option("--density <g/mL>", "the liquid's density instead of a table liquid").argParser(positive("density", "g/mL")))
    .addOption(new Option("--temperature <°C>", "the liquid's temperature (table densities)").default(20).argParser(positive("temperature", "°C")))
    .addOption(new Option("--mass <g>", "the mass weighed (else asked for after dispensing)").argParser(positive("mass", "g")))
    .addOption(new Option("--resolution <g>", "the balance's readability").default(0.001).argParser(positive("resolution", "g")))
    .option("--no-save", "apply the factor but do not store the configuration in flash")
    .option("--json", "machine-readable output")
    .exitOverride()
    .addHelpText("after", `
Tare a container on the balance, put it under the pump's outlet (lines primed, no bubbles), and run this: the pump
dispenses --volume, you weigh it and enter the mass. The factor (delivered ÷ commanded) and its uncertainty (k = 2:
balance readability, density at ±2 °C, one microstep) go into calFactorPpm, calUncertaintyPpm and calDate of the
pump; flowrig config get shows them and every run.json records them. Recalibrate after changing syringe or drive.`)
    .action(async (opts: CalibrateOptions, command: Command) => {
      if (opts.liquid === undefined && opts.density === undefined) usageError(command, `give the liquid (--liquid ${LIQUIDS.map((l) => l.name).join("|")}) or its --density`);
      const pump = PUMP_NAMES[opts.pump];
      const say = (line: string) => { if (opts.json !== true) process.stderr.write(`${line}\n`); };
      await withBoard(opts, async ({ link }) => {
        const max = await readConfig(link, "maxRateUlPerH", opts.pump);
        if (opts.rate > max) usageError(command, `rate ${formatFlowUlPerH(opts.rate)} exceeds pump ${pump} limit ${formatFlowUlPerH(max)}`);
        const factorBefore = await readConfig(link, "calFactorPpm", opts.pump);
        const before = await link.request("getPump", { pump: opts.pump });
        say(`pump ${pump}: dispensing ${formatVolumeNl(opts.volume)} at ${formatFlowUlPerH(opts.rate)} into the tared container…`);
        await link.request("move", { pump: opts.pump, volumeNl: opts.volume, rateUlPerH: opts.rate });
        const target = Math.round((opts.volume * 1000) / before.stepVolumePl);
        const { status, now } = await waitForStop(link, opts.pump, before, target, () => {});
        if (status.state === STATE_FAULT) throw new Error(`pump ${pump} stopped by a fault while dispensing: ${faultSummary(status)}; nothing was changed`);
        const steps = before.positionSteps - now.positionSteps;
        const commandedNl = (steps * before.stepVolumePl) / 1000;
        let massG = opts.mass;
        if (massG === undefined) {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question(`pump ${pump} dispensed ${formatVolumeNl(Math.round(commandedNl))} (${steps} microsteps). Weigh it and enter the mass in g: `);
          rl.close();
          massG = Number(answer.trim().replace(/\s*g$/i, ""));
          if (!(massG > 0)) throw new Error(`"${answer.trim()}" is not a mass in g; nothing was changed`);
        }
        const density = opts.density ?? densityAt(opts.liquid!, opts.temperature);
        const densityRelU = opts.density !== undefined ? GIVEN_DENSITY_REL_U : Math.hypot(opts.liquid!.expansionPerK * TEMPERATURE_U_K, TABLE_REL_U);
        const result = calibrate({ commandedNl, steps, factorBeforePpm: factorBefore, massG, resolutionG: opts.resolution, densityGPerMl: density, densityRelU });
        const date = dateNumber();
        for (const [key, value] of [["calFactorPpm", result.factorPpm], ["calUncertaintyPpm", result.uncertaintyPpm], ["calDate", date]] as const) {
          await writeConfig(link, key, opts.pump, value);
        }
        if (opts.save) await link.request("configSave", {});
        const record = {
          pump, liquid: opts.liquid?.name ?? null, densityGPerMl: Number(density.toFixed(5)), temperatureC: opts.temperature, massG,
          commandedMl: result.commandedMl, weighedMl: result.weighedMl, steps, factorBeforePpm: factorBefore, factorPpm: result.factorPpm,
          uncertaintyPpm: result.uncertaintyPpm, budget: result.budget, date, storedInFlash: opts.save,
        };
        if (opts.json === true) { printJson(record); return; }
        process.stdout.write(`pump ${pump}: ${result.commandedMl.toFixed(4)} mL commanded, ${massG} g of ${opts.liquid?.name ?? "liquid"} ` +
          `(${density.toFixed(4)} g/mL) = ${result.weighedMl.toFixed(4)} mL delivered\n` +
          `calFactorPpm ${result.factorPpm} (was ${factorBefore}), ±${(result.uncertaintyPpm / 1e4).toFixed(2)} % (k = 2), calDate ${date}; ` +
          `${opts.save ? "stored in the board's flash" : "applied, not stored (--no-save)"}\n`);
      });
    });
}
