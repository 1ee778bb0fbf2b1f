// `flowrig selftest --yes` over TCP against `flowrig sim --rig FILE`: a rig wired right passes every check; one with a
// reversed motor, a dead endstop and an LED the photodiode cannot see fails exactly those, and the report files say so.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flowrig, startSim } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-selftest-"));
const PUMPS = { precursor: { syringe: "BD 10 mL", loadedMl: 10 }, antisolvent: { syringe: "BD 10 mL", loadedMl: 10 } };
const rig = (name: string, json: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(json)); return p; };

async function selftestOn(rigFile: string, out: string) {
  const sim = await startSim("--listen", "tcp://127.0.0.1:0", "--speed", "max", "--rig", rigFile);
  try {
    return await flowrig("selftest", "--port", sim.port, "--yes", "--out", out, "--json");
  } finally {
    await sim.stop();
  }
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("a rig wired as its profile says passes every check; the report is saved as JSON and Markdown", async () => {
  const out = join(dir, "good");
  const r = await selftestOn(rig("good.json", { pumps: PUMPS }), out);
  assert.is(r.status, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout);
  assert.is(report.pass, true);
  assert.equal(report.files, [`${out}.json`, `${out}.md`]);
  assert.equal(report.checks.filter((c: { pass: boolean }) => !c.pass), []);
  assert.equal(report.checks.map((c: { name: string }) => c.name), [
    "link and handshake",
    "pump A infuse direction and empty-end endstop", "pump A withdraw direction and full-end endstop",
    "pump B infuse direction and empty-end endstop", "pump B withdraw direction and full-end endstop",
    "LED on/off seen by the photodiode", "dark level", "saturation headroom", "link error counters",
  ]);
  assert.equal(JSON.parse(readFileSync(`${out}.json`, "utf8")).checks, report.checks);
  assert.match(readFileSync(`${out}.md`, "utf8"), /^# flowrig selftest: PASS\n/);
});

test("a reversed motor, a dead endstop and an unseen LED are each caught and reported as failures (exit 6)", async () => {
  const out = join(dir, "miswired");
  const file = rig("miswired.json", { pumps: PUMPS, wiring: { dirReversed: ["antisolvent"], deadEndstops: ["precursor.full"], ledUnseen: true } });
  const r = await selftestOn(file, out);
  assert.is(r.status, 6, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout);
  assert.is(report.pass, false);
  const failed = Object.fromEntries(report.checks.filter((c: { pass: boolean }) => !c.pass).map((c: { name: string; detail: string }) => [c.name, c.detail]));
  assert.equal(Object.keys(failed).sort(), [
    "LED on/off seen by the photodiode", "pump A withdraw direction and full-end endstop",
    "pump B infuse direction and empty-end endstop", "pump B withdraw direction and full-end endstop",
  ]);
  assert.match(failed["pump A withdraw direction and full-end endstop"], "the full-end switch is dead or not wired");
  assert.match(failed["pump B infuse direction and empty-end endstop"], "the motor turns the wrong way");
  assert.match(failed["LED on/off seen by the photodiode"], "the photodiode does not see the LED");
  const md = readFileSync(`${out}.md`, "utf8");
  assert.match(md, /^# flowrig selftest: FAIL\n/);
  assert.match(md, "| pump B infuse direction and empty-end endstop | **FAIL** |");
  assert.ok(existsSync(`${out}.json`));
});

test.run();
