// `flowrig calc` through the real bin: rig.md's worked Re, τ, tube volume and step-rate table; --json; bad arguments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../host/bin/flowrig.js", import.meta.url));
interface Result { status: number | null; stdout: string; stderr: string }

/** Runs `flowrig calc …` as a subprocess (tests start several at once: each bin start takes about a second). */
function run(...args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "calc", ...args], { env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
    child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(...args: string[]): Promise<any> {
  const r = await run(...args, "--json");
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}
const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

test("the bin knows calc (host/cli/main.ts registers calcCommand)", () => {
  const r = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
  assert.match(r.stdout, /\bcalc\b/, "add `program.addCommand(calcCommand());` to host/cli/main.ts");
});

test("rig.md's worked values: Re 1659 / 342 (1/16\" ID, 20 °C, total flow), τ 1.4 / 6.7 s/m, 1.98 mL/m, step-rate table", async () => {
  const [hi, lo, rod, custom] = await Promise.all([
    json("--precursor", "60", "--antisolvent", "5000", "--duration", "600"), // default BD 60 mL, lead 8, 200 × 1/16
    json("--precursor", "60", "--antisolvent", "1000", "--syringe", "BD 10 mL", "--lead", "2"),
    json("--precursor", "60", "--antisolvent", "5000", "--syringe", "bd 10 ml", "--lead", "0.8"),
    json("--precursor", "60", "--antisolvent", "5000", "--syringe-id", "26.59", "--microsteps", "8", "--steps-per-rev", "400"),
  ]);
  assert.is(Math.round(hi.reynolds.value), 1659);
  assert.ok(hi.reynolds.laminar);
  assert.match(hi.reynolds.assumptions, /ID 1\.5875 mm, 20 °C, total flow 5060 mL\/h/);
  near(hi.residence.sPerM, 1.4, 0.05, "τ at 5060 mL/h");
  near(hi.residence.tubeVolumeMlPerM, 1.98, 0.005, "mL per metre");
  near(hi.mixing.antisolventToPrecursor, 83.333, 0.001, "ratio");
  assert.is(Math.round(lo.reynolds.value), 342);
  near(lo.residence.sPerM, 6.7, 0.05, "τ at 1060 mL/h");
  assert.equal([lo.assumptions.temperatureC, lo.assumptions.tubeInnerDiameterMm, lo.assumptions.precursor.name, lo.assumptions.antisolvent.name],
    [20, 1.5875, "DMF", "toluene"]);

  const rate = (r: { pumps: Record<string, { microstepsPerS: number }> }, stream: string, expected: number, what: string) =>
    near(r.pumps[stream].microstepsPerS, expected, expected * 0.002 + 0.05, what);
  rate(hi, "antisolvent", 1000, "60 mL, lead 8, 5000 mL/h");
  rate(hi, "precursor", 12.0, "60 mL, lead 8, 60 mL/h");
  near(hi.drive.stepVolumeNl, 1388, 0.5, "60 mL, lead 8 nL per µstep");
  rate(lo, "precursor", 163, "10 mL, lead 2, 60 mL/h");
  rate(lo, "antisolvent", 2718, "10 mL, lead 2, 1000 mL/h");
  near(lo.drive.stepVolumeNl, 102, 0.5, "10 mL, lead 2 nL per µstep");
  rate(rod, "precursor", 408, "10 mL, M5 0.8 mm, 60 mL/h");
  rate(rod, "antisolvent", 33971, "10 mL, M5 0.8 mm, 5000 mL/h");
  rate(custom, "antisolvent", 1000, "custom ID 26.59 mm, 400 × 1/8");
  assert.is(custom.drive.syringe, "custom");

  near(hi.budget.precursorMl, 10, 1e-9, "precursor mL in 600 s");
  near(hi.budget.antisolventMl, 833.333, 0.001, "antisolvent mL in 600 s");
  near(hi.pumps.antisolvent.syringeLastsS, 43.2, 0.01, "60 mL at 5000 mL/h");
  near(hi.pumps.antisolvent.plungerMmPerS, 2.501, 0.001, "plunger speed");
});

test("the text output states each result with its assumptions", async () => {
  const r = await run("--precursor", "60", "--antisolvent", "1000", "--tube-length", "500", "--temperature", "25");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /Reynolds number\s+\d+ \(laminar/);
  assert.match(r.stdout, /for ID 1\.5875 mm, 25 °C, total flow 1060 mL\/h/);
  assert.match(r.stdout, /Residence time .* in 500 mm/);
  assert.match(r.stdout, /antisolvent : precursor = 16\.67 : 1/);
  assert.match(r.stdout, /µsteps\/s/);
});

test("bad arguments: a clear message and exit code 2", async () => {
  const bad: Array<[string[], RegExp]> = [
    [["--precursor", "abc", "--antisolvent", "5000"], /--precursor must be a number from 0 to 20000 mL\/h, got "abc"/],
    [["--precursor", "60"], /required option '--antisolvent/],
    [["--precursor", "0", "--antisolvent", "0"], /nothing flows/],
    [["--precursor", "60", "--antisolvent", "5000", "--syringe", "BD 61 mL"], /unknown syringe "BD 61 mL"; known: BD 1 mL/],
    [["--precursor", "60", "--antisolvent", "5000", "--syringe", "BD 60 mL", "--syringe-id", "20"], /cannot be used with/],
    [["--precursor", "60", "--antisolvent", "-5", "--microsteps", "12"], /--antisolvent must be a number from 0 to 20000/],
    [["--precursor", "60", "--antisolvent", "5000", "--microsteps", "12"], /microsteps must be a power of two/],
    [["--precursor", "60", "--antisolvent", "5000", "--temperature", "90"], /--temperature must be a number from 0 to 50 °C/],
  ];
  const results = await Promise.all(bad.map(([args]) => run(...args, "--json")));
  bad.forEach(([args, message], i) => {
    const r = results[i];
    assert.is(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.is(r.stdout, "");
  });
});

test.run();
