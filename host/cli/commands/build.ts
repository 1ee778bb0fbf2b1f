// `flowrig build [--board ID] [--out DIR]`: the firmware bundle for one or every Espruino board, checked, with sizes.
import { Command, InvalidArgumentError } from "commander";
import { listBoards } from "../../../boards/load.ts";

function collectBoard(id: string, previous: string[] = []): string[] {
  const boards = listBoards();
  if (!boards.includes(id)) throw new InvalidArgumentError(`unknown board "${id}"; boards: ${boards.join(", ")}`);
  return [...previous, id];
}

export function buildCommand(): Command {
  return new Command("build")
    .description("build the firmware bundle for one board (or every Espruino board) and print the sizes")
    .option("--board <id>", "board profile (repeatable; default: every Espruino board)", collectBoard)
    .option("--out <dir>", "output directory", "dist/firmware")
    .option("--json", "print the results as JSON")
    .exitOverride()
    .action(async (opts: { board?: string[]; out: string; json?: boolean }) => {
      // Loaded here: esbuild and the TypeScript toolchain are slow to load for every other command.
      const { buildAll, sizeTable } = await import("../../build/build.ts");
      const builds = await buildAll({ boards: opts.board, outDir: opts.out });
      if (opts.json === true) {
        process.stdout.write(JSON.stringify(builds, null, 2) + "\n");
        return;
      }
      for (const b of builds) for (const w of b.warnings) process.stderr.write(w + "\n");
      process.stdout.write(sizeTable(builds) + "\n");
    });
}
