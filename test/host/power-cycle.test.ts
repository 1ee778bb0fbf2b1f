// A board power cycle mid-run, for real: `flowrig sim --flash DIR` killed (SIGKILL: the power goes) and started again on
// the same flash and port (it boots with the next boot count). `run` closes its folder as interrupted by itself; `pull`
// closes a folder whose host had gone, after pulling the samples the board had spilled to flash before the cut.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CFG_HOST_LOSS_POLICY, SCHEMA_HASH } from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { loadRecipe } from "../../host/recipes/load.ts";
import { bin, env, flowrig, startSim, TINY, type Sim } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-power-"));
const write = (name: string, json: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(json, null, 2)); return p; };
/** TINY with a long last step, so the power can go while the program is surely on. */
const LONG = write("long.json", { ...TINY, steps: [TINY.steps[0], TINY.steps[1], { ...TINY.steps[2], durationS: 120 }] });
/** 20 samples a second, step 2 long enough for the board to log far more than its 256 RAM samples with no host. */
const SPILL = write("spill.json", {
  ...TINY, name: "SPILL", sensor: { samplePeriodS: 0.05, sampleWindowS: 0.02 },
  steps: [{ ...TINY.steps[0], durationS: 5 }, { ...TINY.steps[1], durationS: 30 }, { ...TINY.steps[2], durationS: 120 }],
});

const runJson = (out: string) => JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
const sampleRows = (out: string) => readFileSync(join(out, "samples.csv"), "utf8").trimEnd().split("\n").slice(1).map((l) => l.split(","));

function assertContiguous(out: string): string[][] {
  const rows = sampleRows(out);
  const first = runJson(out).firstSeq;
  rows.forEach((r, i) => assert.is(Number(r[2]), first + i, `samples.csv line ${i + 2}: no gap, no duplicate`));
  return rows;
}

/** Power off: SIGKILL, nothing is flushed or closed; resolves once the process is gone. */
function cutPower(sim: Sim): Promise<void> {
  const gone = new Promise<void>((resolve) => sim.child.once("exit", () => resolve()));
  sim.child.kill("SIGKILL");
  return gone;
}

/** The same board powered on again: its flash directory, its TCP port. */
const powerOn = (flash: string, port: string) => startSim("--flash", flash, "--listen", port);

async function session(url: string) {
  const { port } = new URL(url);
  const socket = connect(Number(port), "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const link = new HostLink((bytes) => socket.write(bytes));
  socket.on("data", (chunk) => link.feed(chunk));
  const identity = await handshake(link, SCHEMA_HASH);
  const closed = new Promise((resolve) => socket.once("close", resolve));
  return { link, identity, close: async () => { link.close(); socket.destroy(); await closed; } };
}

/** `flowrig run` as a child; `onLine` sees each stderr line. */
function startRun(args: string[], onLine: (line: string) => void): { child: ChildProcess; done: Promise<{ status: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [bin, "run", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => { stdout += d; });
  createInterface({ input: child.stderr! }).on("line", (line) => { stderr += `${line}\n`; onLine(line); });
  return { child, done: new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr }))) };
}

test("power cut mid-run: run reconnects to the rebooted board, closes the folder as interrupted (summary, plots) and says how to go on; the remaining steps run", async () => {
  const flash = join(dir, "flash-run");
  let sim = await powerOn(flash, "tcp://127.0.0.1:0");
  try {
    const out = join(dir, "cut-run");
    const board = sim;
    let cutting: Promise<void> | undefined;
    let cutStarted!: () => void;
    const started = new Promise<void>((resolve) => { cutStarted = resolve; });
    const run = startRun([LONG, "--port", sim.port, "--out", out], (line) => {
      if (cutting === undefined && /step 3\/3/.test(line)) { cutting = cutPower(board); cutStarted(); }
    });
    await started;
    await cutting;
    sim = await powerOn(flash, sim.port);
    const r = await run.done;
    assert.is(r.status, 4, r.stderr);
    const meta = runJson(out);
    const step = meta.interruption.cutStep; // 3, or 2 if the run had pulled no sample of step 3 yet: both kept as logged
    assert.ok(step === 2 || step === 3, `cut in step ${step}`);
    assert.match(r.stderr, `the board restarted mid-run (boot count 1 → 2: a power cut or a reset); the program stopped with it in step ${step}/3`);
    assert.match(r.stderr, `${out} is closed as interrupted with`);
    const again = `flowrig run ${join(out, "remaining-steps.json")} --port ${sim.port}`;
    assert.match(r.stderr, `${again}    re-runs steps ${step}-3 into a new folder`);
    assert.match(r.stderr, `flowrig run ${LONG} --port ${sim.port}    starts the whole recipe again`);
    assert.match(r.stdout, `run interrupted: ${out}`);
    assert.is(meta.status, "interrupted");
    assert.equal([meta.interruption.bootCountBefore, meta.interruption.bootCountAfter], [1, 2]);
    for (const f of ["summary.csv", "pl-time.svg", "pl-vs-precursor.svg", "remaining-steps.json"]) assert.ok(meta.files.includes(f), f);
    const rows = assertContiguous(out);
    assert.ok(rows.length >= 80, `${rows.length} samples kept of steps 1-2 (80 at 4 Hz) and the start of 3`);
    assert.is(readFileSync(join(out, "summary.csv"), "utf8").trimEnd().split("\n").length, 4, "a summary row per step");

    // The printed command re-runs what was cut, as a recipe of its own: the cut step again, and what came after it.
    const rest = loadRecipe(join(out, "remaining-steps.json"));
    assert.equal(rest.steps.map((s) => ("label" in s ? s.label : "")), ["a", "b", "c"].slice(step - 1));
    const next = await flowrig("run", join(out, "remaining-steps.json"), "--port", sim.port, "--out", join(dir, "rest"), "--json");
    assert.is(next.status, 0, next.stderr);
    const result = JSON.parse(next.stdout);
    assert.is(result.state, "done");
    assert.is(result.steps.length, 4 - step);
  } finally {
    await sim.stop();
  }
});

test("host gone, board carries on and spills to flash, then the power goes: pull takes the spilled samples off the rebooted board and closes the folder as interrupted", async () => {
  const flash = join(dir, "flash-pull");
  let sim = await powerOn(flash, "tcp://127.0.0.1:0");
  try {
    const setup = await session(sim.port);
    await setup.link.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 }); // carry on without a host
    await setup.close();
    await sim.idle();
    const out = join(dir, "cut-pull");
    const run = startRun([SPILL, "--port", sim.port, "--out", out], (line) => { if (/step 2\/3/.test(line)) run.child.kill("SIGKILL"); });
    await run.done;
    assert.is(runJson(out).status, "running");
    await sim.idle();
    const onDisk = sampleRows(out).length;
    // Follow the board (as a host would) until far more than its 256 RAM samples wait unacknowledged: those spilled.
    const watch = await session(sim.port);
    let status = await watch.link.request("getStatus", {});
    while (status.sampleNext - status.sampleAcked < 600) {
      await new Promise((resolve) => setTimeout(resolve, 20)); // a poll's spacing, not a wait for the event (the loop is)
      status = await watch.link.request("getStatus", {});
    }
    assert.is(status.state, 1, "still running");
    await cutPower(sim);
    sim = await powerOn(flash, sim.port);

    const r = await flowrig("pull", "--port", sim.port, "--out", out, "--json");
    assert.is(r.status, 4, r.stderr);
    assert.match(r.stderr, "the board restarted mid-run (boot count 1 → 2: a power cut or a reset)");
    assert.match(r.stderr, /recovered (\d+) samples it had spilled to flash before the restart/);
    const result = JSON.parse(r.stdout);
    assert.is(result.state, "interrupted");
    const meta = runJson(out);
    assert.is(meta.status, "interrupted");
    assert.is(meta.interruption.recoveredSamples, result.pulled);
    // The Pico's Storage holds one spill file (128 samples) beside the firmware: what the flash kept, all of it.
    assert.ok(result.pulled >= 128, `${result.pulled} samples recovered from flash`);
    const rows = assertContiguous(out);
    assert.is(rows.length, onDisk + result.pulled);
    const recovered = rows.slice(onDisk);
    assert.ok(recovered.every((row) => row[10].split("|").includes("spilled")), "every recovered sample was read back from the spill files");
    for (const f of ["summary.csv", "pl-time.svg", "remaining-steps.json"]) assert.ok(meta.files.includes(f), f);

    const board = await session(sim.port);
    const after = await board.link.request("getStatus", {});
    await board.close();
    assert.is(after.sampleAcked, after.bootFirstSeq, "acknowledged: the board erases the spill files it kept");
    assert.is(after.bootFirstSeq, Number(rows[rows.length - 1][2]) + 1, "the rebooted board numbers on after the last kept sample");
  } finally {
    await sim.stop();
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
