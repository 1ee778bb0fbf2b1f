// `--speed`: one word on every command that can run the virtual rig, with one parser and one help text.
import { InvalidArgumentError, Option } from "commander";

/** Virtual seconds per wall second; 0 and "max" both mean as fast as possible (Infinity). */
export function parseSpeed(text: string): number {
  if (text === "max") return Infinity;
  const speed = Number(text);
  if (text.trim() === "" || Number.isNaN(speed) || speed < 0) {
    throw new InvalidArgumentError(`speed must be a number ≥ 0 (1 = real time, 10 = ten times faster) or "max" (also 0), got "${text}"`);
  }
  return speed === 0 ? Infinity : speed;
}

/** The --speed option; `where` says which port it applies to, e.g. "(--port sim)". */
export function speedOption(where = ""): Option {
  return new Option("--speed <n>", `virtual seconds per wall second; 0 or "max" = as fast as possible${where === "" ? "" : ` ${where}`}`)
    .default(1).argParser(parseSpeed);
}
