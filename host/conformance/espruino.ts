// `npm run conformance`: the espruino-linux bundle on a real Espruino Linux build, a short recipe run end to end, memory figures.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBoard } from "../../boards/load.ts";
import { figure, saveFigures } from "../../bench/report.ts";
import { buildFirmware, FIRMWARE_ENTRY } from "../build/bundle.ts";
import { bootRealEspruino } from "./real-espruino.ts";

/** The board profile built and compared (a Linux-build profile: its link on a tty path). */
const CONFORMANCE_BOARD = "espruino-linux";
let BOARD = CONFORMANCE_BOARD;
/** The recipe run by default, cut to its first two steps (on the real interpreter a run takes wall-clock time). */
const RECIPE = "recipes/paper-sweeps.json";
const STEPS = 2;

const HOW_TO_BUILD = `npm run conformance: ESPRUINO_BIN is not set, so nothing was run.
Build Espruino's Linux interpreter with the Pico's 5100 variables, 32-bit, beside this project (never commit it):
  apt-get install -y gcc-multilib g++-multilib qemu-user socat     # qemu-user only where the kernel cannot run 32-bit code
  fetch espruino/Espruino (public source) into ../espruino and check out RELEASE_2V29
  cd ../espruino && python3 - <<'PY'
import re; s = open('boards/LINUX.py').read()
s = s.replace("'variables' :  0,", "'variables' : 5100,")
s = re.sub(r"'libraries' : \\[.*?\\],", "'libraries' : [ 'GRAPHICS' ],", s, flags=re.S)
s = s.replace("#     'CFLAGS+=-m32'", "     'CFLAGS+=-m32'")
open('boards/LINUX_PICO.py', 'w').write(s)
PY
  BOARD=LINUX_PICO RELEASE=1 make -j2          # (outside a git checkout: GIT_DIR=<its .git> GIT_WORK_TREE=. before make)
then: ESPRUINO_BIN=../espruino/bin/espruino npm run conformance   [-- RECIPE.json [steps [board]]]`;

/** Runs the flowrig bin; resolves with its exit code and output. */
function flowrig(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["host/bin/flowrig.js", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { out += d.toString(); process.stderr.write(d); });
    child.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The recipe with only its first `steps` conditions: a sweep's values are cut first, then whole entries. */
function cutRecipe(recipe: { name: string; steps: { values?: unknown[] }[] }, steps: number): unknown {
  const kept: { values?: unknown[] }[] = [];
  let left = steps;
  for (const s of recipe.steps) {
    if (left <= 0) break;
    const n = Array.isArray(s.values) ? s.values.length : 1;
    kept.push(Array.isArray(s.values) && n > left ? { ...s, values: s.values.slice(0, left) } : s);
    left -= Math.min(n, left);
  }
  return { ...recipe, name: recipe.name.slice(0, 8) + "-CUT", steps: kept };
}

/** Variables the sample ring of `samples` takes (six int32 a sample, 13-byte variables, a typed array's overhead). */
const ringVars = (samples: number) => 3 + Math.ceil((samples * 24) / 13);

interface Measured {
  afterBoot: number;
  /** The firmware sizes its sample ring from the free variables: the ring differs wherever the rest does. */
  ringSamples: number;
  total: number;
  peak?: number;
  exit: number;
  runJson: { status?: string; boardMemory?: { totalVars: number; minFreeVars: number } };
}

/** Variables after boot (a status over a fresh session) and the run's peak, on `port` ("sim": the emulator, same board). */
async function bootAndRun(port: string, recipeFile: string, out: string): Promise<Measured> {
  const board = port === "sim" ? ["--board", BOARD] : [];
  const info = await flowrig(["info", "--port", port, ...board, "--json"]);
  if (info.code !== 0) throw new Error(`flowrig info --port ${port} failed (exit ${info.code})`);
  const ringSamples = (JSON.parse(info.out) as { capabilities: { sampleCapacity: number } }).capabilities.sampleCapacity;
  const status = await flowrig(["status", "--port", port, ...board, "--json"]);
  if (status.code !== 0) throw new Error(`flowrig status --port ${port} failed (exit ${status.code})`);
  const mem = JSON.parse(status.out).memory as { free: number; total: number };
  const run = await flowrig(["run", recipeFile, "--port", port, ...board, "--out", out, "--json"]);
  let runJson: Measured["runJson"] = {};
  try { runJson = JSON.parse(readFileSync(join(out, "run.json"), "utf8")); } catch { /* the run never started */ }
  const m = runJson.boardMemory;
  return {
    afterBoot: mem.total - mem.free, ringSamples, total: mem.total, exit: run.code, runJson,
    ...(m !== undefined ? { peak: m.totalVars - m.minFreeVars } : {}),
  };
}

async function main(): Promise<void> {
  const bin = process.env.ESPRUINO_BIN;
  if (bin === undefined || bin === "") { console.log(HOW_TO_BUILD); return; }
  const recipePath = process.argv[2] ?? RECIPE;
  const steps = Number(process.argv[3] ?? STEPS);
  BOARD = process.argv[4] ?? CONFORMANCE_BOARD;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps: ${process.argv[3]} is not a whole number ≥ 1`);
  const profile = loadBoard(BOARD);
  if (profile.link.kind !== "serial-path") throw new Error(`boards/${BOARD}.json: the link must be a tty path`);
  const work = mkdtempSync(join(tmpdir(), "flowrig-conformance-"));
  const recipeFile = join(work, "recipe.json");
  writeFileSync(recipeFile, JSON.stringify(cutRecipe(JSON.parse(readFileSync(recipePath, "utf8")), steps), null, 2));
  const built = await buildFirmware({ entry: FIRMWARE_ENTRY, boardId: BOARD });
  // CONFORMANCE_CONSOLE=1: what the firmware's console prints (LoopbackA: OUT OF MEMORY, errors) is copied to the
  // interpreter's stdout, at the cost of one handler (~10 variables); off by default, so the bundle measured is the shipped one.
  const bundle = process.env.CONFORMANCE_CONSOLE === "1"
    ? `${built.code}LoopbackB.on("data",function(d){USB.write(d)});\n` : built.code;
  const hostPath = join(work, "host-tty");
  const board = await bootRealEspruino({ bin, bundle, linkPath: profile.link.path, hostPath, dir: join(work, "board") });
  try {
    // First sign of life: the firmware moves the console off the REPL once it has set everything up.
    await board.waitFor(/-> LoopbackA/, 60_000);
    const status = await flowrig(["status", "--port", hostPath, "--json"]);
    if (status.code !== 0) throw new Error(`flowrig status failed (exit ${status.code})`);
    const real = await bootAndRun(hostPath, recipeFile, join(work, "run"));
    const emulated = await bootAndRun("sim", recipeFile, join(work, "run-emulated"));
    const runJson = real.runJson;
    for (const [name, r] of [["", real], ["Emulator", emulated]] as const) {
      figure(`conformance.varsAfterBoot${name}`, r.afterBoot, "vars");
      figure(`conformance.varsAfterBootShare${name}`, (100 * r.afterBoot) / r.total, "%");
      if (r.peak !== undefined) {
        figure(`conformance.varsPeakRun${name}`, r.peak, "vars");
        figure(`conformance.varsPeakRunShare${name}`, (100 * r.peak) / r.total, "%");
      }
    }
    // The emulator's memory model against the real interpreter: the same bundle, the same recipe (target ±5 %). Each
    // side sizes its sample ring from what it sees free, so the comparison that tests the model leaves the ring out.
    figure("conformance.ringSamples", real.ringSamples, "samples");
    figure("conformance.ringSamplesEmulator", emulated.ringSamples, "samples");
    figure("conformance.emulatorAfterBootDeviation", (100 * (emulated.afterBoot - real.afterBoot)) / real.afterBoot, "%");
    const exRing = (m: Measured) => m.afterBoot - ringVars(m.ringSamples);
    figure("conformance.emulatorAfterBootDeviationExRing", (100 * (exRing(emulated) - exRing(real))) / exRing(real), "%");
    if (real.peak !== undefined && emulated.peak !== undefined) {
      figure("conformance.emulatorPeakRunDeviation", (100 * (emulated.peak - real.peak)) / real.peak, "%");
    }
    // Espruino prints OUT OF MEMORY on its console, which the firmware has moved to LoopbackA: seen only before that
    // or after the console came back. A run that loses its link and never finishes is the sign on the pty.
    figure("conformance.outOfMemorySeen", /OUT OF MEMORY/.test(board.output()) ? 1 : 0, "count");
    figure("conformance.runExit", real.exit, "code");
    figure("conformance.runDone", runJson.status === "done" ? 1 : 0, "bool");
    console.log(`bench conformance.runStatus ${runJson.status ?? "none"} state`);
    saveFigures();
    console.log(`run folders: ${join(work, "run")} (real), ${join(work, "run-emulated")} (emulator); the interpreter's console: ${join(work, "board")}`);
  } finally {
    writeFileSync(join(work, "console.txt"), board.output());
    await board.stop();
  }
}

main().catch((e: unknown) => { console.error(`npm run conformance: ${(e as Error).message}`); process.exit(1); });
