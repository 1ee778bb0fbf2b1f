// `--rig FILE`: deliberate hardware on the virtual bench, one option (and one parser) for `sim` and for `--port sim`.
import { InvalidArgumentError, Option } from "commander";
import { loadRigFile } from "../sim/rig-file.ts";
import type { BenchSetup } from "./open-port.ts";

function parseRig(file: string): BenchSetup {
  try { return loadRigFile(file); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
}

/** The --rig option; `where` says which port it applies to, e.g. "(--port sim)". */
export function rigOption(where = ""): Option {
  return new Option("--rig <file>", "deliberate hardware on the bench (JSON: pumps as in a recipe, boreErrorPct); " +
    `default: the operator loads what the board is configured for${where === "" ? "" : ` ${where}`}`).argParser(parseRig);
}
