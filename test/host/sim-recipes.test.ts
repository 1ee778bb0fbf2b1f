// Every shipped recipe runs to its end on `flowrig sim` over TCP and a pty, at every offered --speed, as a new user would run it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listRecipes, recipesDir } from "../../host/recipes/load.ts";
import { flowrig, startSim, TINY } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-sim-recipes-"));
const tinyPath = join(dir, "tiny.json");
writeFileSync(tinyPath, JSON.stringify(TINY));

/** The stability recipe with its week-long hold cut to an hour: same pumps, sensor and first segment. */
function shortStability(): string {
  const recipe = JSON.parse(readFileSync(join(recipesDir, "stability-long.json"), "utf8"));
  recipe.steps[recipe.steps.length - 1].durationS = 3600;
  const path = join(dir, "stability-short.json");
  writeFileSync(path, JSON.stringify(recipe));
  return path;
}

/** `flowrig run` on a fresh `flowrig sim …simArgs`; asserts it ended done and returns run.json. */
async function runOnSim(recipe: string, name: string, ...simArgs: string[]): Promise<Record<string, any>> {
  const sim = await startSim(...simArgs);
  try {
    const out = join(dir, name);
    const r = await flowrig("run", recipe, "--port", sim.port, "--out", out);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    assert.is(r.status, 0, `${name}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.is(run.status, "done", name);
    return run;
  } finally {
    await sim.stop();
  }
}

for (const name of listRecipes().filter((n) => n !== "stability-long")) {
  test(`tcp, --speed max: recipes/${name}.json runs to its end (the operator loads the syringes it configures)`, async () => {
    await runOnSim(join(recipesDir, `${name}.json`), `${name}-tcp`, "--speed", "max");
  });
}

test("tcp, --speed max: the stability recipe (its week-long hold cut to an hour) runs past its first segment to its end", async () => {
  const run = await runOnSim(shortStability(), "stability-tcp", "--speed", "max");
  assert.ok(run.files.includes("summary.csv"));
});

test("pty, --speed max: recipes/paper-sweeps.json runs to its end over a serial device", async () => {
  await runOnSim(join(recipesDir, "paper-sweeps.json"), "sweeps-pty", "--pty", join(dir, "pty"), "--speed", "max");
});

for (const speed of ["200", "1000", "0"]) {
  test(`tcp, --speed ${speed}: no hostLost — the board's host timeout is kept in board time by the pacing`, async () => {
    await runOnSim(tinyPath, `tiny-${speed}`, "--speed", speed);
  });
}

test("--speed is the same word on run as on sim: max and 0 are accepted, a bad value is refused naming what is allowed", async () => {
  for (const speed of ["max", "0"]) {
    const r = await flowrig("run", tinyPath, "--port", "sim", "--speed", speed, "--out", join(dir, `sim-${speed}`));
    assert.is(r.status, 0, `run --speed ${speed}: ${r.stderr}`);
  }
  for (const command of [["run", tinyPath, "--port", "sim"], ["status", "--port", "sim"], ["sim"]]) {
    const r = await flowrig(...command, "--speed", "fast");
    assert.is(r.status, 2, `${command[0]}: ${r.stderr}`);
    assert.match(r.stderr, /speed must be a number ≥ 0 \(1 = real time, 10 = ten times faster\) or "max" \(also 0\), got "fast"/);
  }
});

test.run();
