// `npm run build`, Espruino's firmware build: dist/firmware/<board>.js for every Espruino profile, each checked, sizes printed.
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Command, Option } from "commander";
import { listBoards, loadBoard } from "../../boards/load.ts";
import { buildFirmware, FIRMWARE_ENTRY, type Lowering } from "./bundle.ts";
import { assertEspruinoSubset } from "./subset-check.ts";

export interface BoardBuild {
  boardId: string;
  outFile: string;
  bytes: number;
  /** Share of the board's Storage flash the file takes, when the profile gives its size. */
  flashShare?: number;
  warnings: string[];
}

export interface BuildAllOptions {
  entry?: string;
  boards?: string[];
  outDir?: string;
  lowering?: Lowering;
  /** Shorten the firmware's own property names (default: on for FIRMWARE_ENTRY; see BuildOptions.mangleProps). */
  mangleProps?: boolean;
}

/** Every board profile whose runtime is Espruino. */
export function espruinoBoards(): string[] {
  return listBoards().filter((id) => loadBoard(id).runtime === "espruino");
}

/** Build and check the firmware for each board; throws on the first board that fails, naming it. */
export async function buildAll(opts: BuildAllOptions = {}): Promise<BoardBuild[]> {
  const entry = opts.entry ?? FIRMWARE_ENTRY;
  const outDir = opts.outDir ?? "dist/firmware";
  const boards = opts.boards !== undefined && opts.boards.length > 0 ? opts.boards : espruinoBoards();
  const results: BoardBuild[] = [];
  for (const boardId of boards) {
    const profile = loadBoard(boardId);
    if (profile.runtime !== "espruino") throw new Error(`boards/${boardId}.json: runtime is "${profile.runtime}", not "espruino"`);
    const outFile = `${outDir}/${boardId}.js`;
    const { code, bytes } = await buildFirmware({ entry, boardId, lowering: opts.lowering, mangleProps: opts.mangleProps });
    const problems = assertEspruinoSubset(code, outFile);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(outFile, code);
    const warnings = problems.map((p) => `${outFile}:${p.line}:${p.column}: warning: ${p.construct} — ${p.snippet}`);
    const flash = (profile as { flashStorageBytes?: number }).flashStorageBytes;
    results.push({ boardId, outFile, bytes, ...(flash !== undefined ? { flashShare: bytes / flash } : {}), warnings });
  }
  return results;
}

/** The size table: one row per board. */
export function sizeTable(builds: BoardBuild[]): string {
  const width = Math.max(5, ...builds.map((b) => b.boardId.length));
  const rows = builds.map((b) => `${b.boardId.padEnd(width)}  ${String(b.bytes).padStart(7)}  ${
    b.flashShare !== undefined ? `${(b.flashShare * 100).toFixed(1).padStart(5)} %` : "     -"}  ${b.outFile}`);
  return [`${"board".padEnd(width)}  ${"bytes".padStart(7)}  flash    file`, ...rows].join("\n");
}

async function main(argv: string[]): Promise<void> {
  const program = new Command("build")
    .description("Build the firmware bundle for Espruino boards (default: every Espruino profile in boards/)")
    .option("--board <id...>", "board profile id(s)")
    .option("--entry <file>", "entry module", FIRMWARE_ENTRY)
    .option("--out-dir <dir>", "output directory", "dist/firmware")
    .addOption(new Option("--lowering <how>", "how syntax Espruino lacks is lowered").choices(["espruino", "es5"]).default("espruino"))
    .option("--no-mangle-props", "keep the firmware's own property names (bigger bundle; for debugging on a board)")
    .option("--json", "print the results as JSON");
  program.parse(argv);
  const o = program.opts<{ board?: string[]; entry: string; outDir: string; lowering: Lowering; mangleProps: boolean; json?: boolean }>();
  const builds = await buildAll({
    entry: o.entry, boards: o.board, outDir: o.outDir, lowering: o.lowering, mangleProps: o.mangleProps ? undefined : false,
  });
  if (o.json === true) { console.log(JSON.stringify(builds, null, 2)); return; }
  for (const b of builds) for (const w of b.warnings) console.error(w);
  console.log(sizeTable(builds));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv).catch((e: unknown) => {
    console.error((e as Error).message);
    process.exitCode = 1;
  });
}
