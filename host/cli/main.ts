// The flowrig command line: one file per command under commands/, exit codes in exit-codes.ts.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { DeviceError, LinkError } from "../../protocol/host-link.ts";
import { SchemaMismatchError } from "../../protocol/handshake.ts";
import { EXIT } from "./exit-codes.ts";
import { RecipeValidationError } from "../recipes/load.ts";
import { calcCommand } from "./commands/calc.ts";
import { runCommand } from "./commands/run.ts";
import { pullCommand } from "./commands/pull.ts";
import { demoCommand } from "./commands/demo.ts";
import { simCommand } from "./commands/sim.ts";
import { buildCommand } from "./commands/build.ts";
import { flashCommand } from "./commands/flash.ts";
import { boardsCommand } from "./commands/boards.ts";
import { portsCommand } from "./commands/ports.ts";
import { infoCommand } from "./commands/info.ts";
import { statusCommand } from "./commands/status.ts";
import { monitorCommand } from "./commands/monitor.ts";
import { stopCommand } from "./commands/stop.ts";
import { estopCommand } from "./commands/estop.ts";
import { configCommand } from "./commands/config.ts";
import { primeCommand, withdrawCommand, jogCommand } from "./commands/move.ts";
import { calibrateCommand } from "./commands/calibrate.ts";
import { selftestCommand } from "./commands/selftest.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("flowrig")
  .description("Control software for a two-pump continuous-flow nanocrystal reactor")
  .version(pkg.version)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
program.addCommand(demoCommand());
program.addCommand(calcCommand());
program.addCommand(runCommand());
program.addCommand(pullCommand());
program.addCommand(simCommand());
program.addCommand(buildCommand());
program.addCommand(flashCommand());
program.addCommand(boardsCommand());
program.addCommand(portsCommand());
program.addCommand(infoCommand());
program.addCommand(statusCommand());
program.addCommand(monitorCommand());
program.addCommand(stopCommand());
program.addCommand(estopCommand());
program.addCommand(configCommand());
program.addCommand(primeCommand());
program.addCommand(withdrawCommand());
program.addCommand(jogCommand());
program.addCommand(calibrateCommand());
program.addCommand(selftestCommand());

function exitCodeOf(error: unknown): number {
  if (error instanceof RecipeValidationError) return EXIT.usage;
  if (error instanceof SchemaMismatchError) return EXIT.schemaMismatch;
  if (error instanceof DeviceError) return EXIT.deviceError;
  if (error instanceof LinkError) return EXIT.linkError;
  return EXIT.failure;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.stderr.write(`flowrig: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeOf(error);
  }
}
