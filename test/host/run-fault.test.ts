// Deliberate hardware on the virtual rig (`sim --rig FILE`): a bad rig file is refused clearly; a mismatched syringe faults,
// and `run` prints the fault and its cause and records them in run.json (over TCP and with `run --port sim --rig`);
// a used folder is refused naming `flowrig pull`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flowrig, startSim, TINY } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-run-fault-"));
const recipePath = join(dir, "tiny.json");
writeFileSync(recipePath, JSON.stringify(TINY));
const file = (name: string, json: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(json)); return p; };

test("a bad rig file is refused before the simulator starts: exit 2, file, path and limit named", async () => {
  const bad = file("bad-rig.json", {
    pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 12 }, antisolvent: { syringe: "BD 6 mL", loadedMl: 5 } },
    boreErrorPct: { precursor: 50 }, extra: 1,
  });
  const r = await flowrig("sim", "--rig", bad);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, `${bad}: extra: unknown field (allowed: pumps, boreErrorPct, tubeLengthMm, wiring)`);
  assert.match(r.stderr, `${bad}: pumps.antisolvent.syringe:`);
  assert.match(r.stderr, `${bad}: boreErrorPct.precursor: 50 exceeds the limit ±20 (% of the table bore)`);
  const over = file("over-rig.json", { pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 12 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 50 } } });
  const r2 = await flowrig("sim", "--rig", over);
  assert.is(r2.status, 2, r2.stderr);
  assert.match(r2.stderr, `${over}: pumps.precursor.loadedMl: 12 exceeds the limit 10 (capacity of the BD 10 mL syringe)`);
  const missing = await flowrig("sim", "--rig", join(dir, "nope.json"));
  assert.is(missing.status, 2);
  assert.match(missing.stderr, "cannot read the rig file");
});

test("a syringe on the bench that the board was not told about faults as real hardware would; run says why", async () => {
  // The recipe says a full BD 10 mL; the bench holds one with 0.1 mL left: the plunger bottoms out in the first step.
  const rig = file("nearly-empty.json", { pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 0.1 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 50 } } });
  const sim = await startSim("--rig", rig);
  try {
    const out = join(dir, "fault");
    const r = await flowrig("run", recipePath, "--port", sim.port, "--out", out);
    assert.is(r.status, 3, r.stderr);
    assert.match(r.stdout, /run fault: /);
    assert.match(r.stderr, "flowrig run: the board ended the run with a fault: endstop (pumpA.minEndstop): an endstop tripped");
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    assert.is(run.status, "fault");
    assert.equal(run.fault, { faults: ["endstop"], cause: "pumpA.minEndstop", text: "endstop (pumpA.minEndstop): an endstop tripped" });
  } finally {
    await sim.stop();
  }
});

test("run into a folder that holds a run is refused before the port is opened, naming flowrig pull", async () => {
  const used = join(dir, "used");
  mkdirSync(used);
  writeFileSync(join(used, "run.json"), "{}");
  const r = await flowrig("run", recipePath, "--port", "tcp://127.0.0.1:1", "--out", used);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, `already holds a run (run.json exists): choose another --out, or continue that run with flowrig pull --port tcp://127.0.0.1:1 --out ${used}`);
  assert.not.match(r.stderr, "openRunFolder");
});

test("run --port sim --rig mounts the rig file's hardware on the in-process virtual rig: the same mismatch faults", async () => {
  const rig = file("nearly-empty-here.json", { pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 0.1 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 50 } } });
  const out = join(dir, "fault-here");
  const r = await flowrig("run", recipePath, "--port", "sim", "--speed", "max", "--rig", rig, "--out", out);
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stderr, "the board ended the run with a fault: endstop (pumpA.minEndstop)");
  assert.is(JSON.parse(readFileSync(join(out, "run.json"), "utf8")).fault.cause, "pumpA.minEndstop");
  const elsewhere = await flowrig("run", recipePath, "--port", "tcp://127.0.0.1:1", "--rig", rig, "--out", join(dir, "never"));
  assert.is(elsewhere.status, 2, elsewhere.stderr);
  assert.match(elsewhere.stderr, "give --rig to flowrig sim instead");
});

test.run();
