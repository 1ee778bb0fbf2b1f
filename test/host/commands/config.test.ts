// flowrig config against `flowrig sim` over TCP: set → get → save → load into a fresh board → get equals; refused values.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flowrig, flowrigJson, startSim, type Sim } from "./harness.ts";

let first: Sim;
let fresh: Sim;
const dir = mkdtempSync(join(tmpdir(), "flowrig-config-"));

test.before(async () => {
  [first, fresh] = await Promise.all([startSim("--listen", "tcp://127.0.0.1:0"), startSim("--listen", "tcp://127.0.0.1:0")]);
});
test.after(async () => {
  await Promise.all([first.stop(), fresh.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test("set prints the value read back; get reads it; related keys follow", async () => {
  const [syringe] = await flowrigJson("config", "set", "syringe", "BD 60 mL", "--pump", "B", "--port", first.port);
  assert.equal([syringe.key, syringe.pump, syringe.value, syringe.text], ["syringe", "B", 7, "7 (BD 60 mL)"]);
  assert.equal(syringe.also, { innerDiameterUm: "26590 µm", capacityUl: "60000 µL" });
  const text = await flowrig("config", "set", "maxRateUlPerH", "100mL/h", "--pump", "A", "--port", first.port);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, /^pump A maxRateUlPerH = 100000 µL\/h \(100 mL\/h\)\n/);
  const [policy] = await flowrigJson("config", "set", "hostLossPolicy", "continue", "--port", first.port);
  assert.equal([policy.value, policy.text], [1, "1 (continue)"]);
  const [both] = await flowrigJson("config", "set", "reserveUl", "250", "--port", first.port);
  assert.equal(both.map((r: { pump: string; value: number }) => [r.pump, r.value]), [["A", 250], ["B", 250]], "no --pump: both pumps");
  const [rate] = await flowrigJson("config", "get", "maxRateUlPerH", "--pump", "A", "--port", first.port);
  assert.equal([rate.value, rate.unit], [100_000, "µL/h"]);
});

test("a value beyond the schema's limit is refused before sending: exit 2 naming the limit", async () => {
  // Refused before connecting, so the check of the board can run alongside.
  const [r, [still]] = await Promise.all([
    flowrig("config", "set", "maxRateUlPerH", "30000000", "--pump", "A", "--port", first.port),
    flowrigJson("config", "get", "maxRateUlPerH", "--pump", "A", "--port", first.port),
  ]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /maxRateUlPerH 30000000 µL\/h \(30000 mL\/h\) is above the limit 20000000 µL\/h \(20000 mL\/h\)/);
  assert.is(still.value, 100_000, "nothing changed");
});

test("a sample window longer than the board's sample period is refused by the recipe's rule: exit 2, nothing changed", async () => {
  const [period] = await flowrigJson("config", "get", "samplePeriodMs", "--port", first.port);
  assert.is(period.value, 1000);
  const r = await flowrig("config", "set", "sampleWindowMs", "5000", "--port", first.port);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, "sampleWindowMs 5000 ms exceeds the limit 1000 ms (samplePeriodMs on the board: one window per sample); nothing was changed");
  const shorter = await flowrig("config", "set", "samplePeriodMs", "200", "--port", first.port);
  assert.is(shorter.status, 2, shorter.stderr);
  assert.match(shorter.stderr, "sampleWindowMs on the board 500 ms exceeds the limit 200 ms (the samplePeriodMs 200 ms asked for: one window per sample)");
  const [windowAfter] = await flowrigJson("config", "get", "sampleWindowMs", "--port", first.port);
  const [periodAfter] = await flowrigJson("config", "get", "samplePeriodMs", "--port", first.port);
  assert.equal([windowAfter.value, periodAfter.value], [500, 1000], "the board holds what it held");
  const ok = await flowrig("config", "set", "sampleWindowMs", "1000", "--port", first.port);
  assert.is(ok.status, 0, "a window as long as the period is allowed, as in a recipe");
  await flowrig("config", "set", "sampleWindowMs", "500", "--port", first.port);
});

test("save writes every key of both pumps and stores in flash; load into a fresh board reads back equal", async () => {
  const file = join(dir, "rig.json");
  const [[saved], [before]] = await Promise.all([flowrigJson("config", "save", file, "--port", first.port), flowrigJson("config", "get", "--port", fresh.port)]);
  assert.is(saved.storedInFlash, true);
  const doc = JSON.parse(readFileSync(file, "utf8"));
  assert.is(doc.board, "espruino-pico");
  assert.is(doc.pumps.B.syringe, "BD 60 mL");
  assert.is(doc.pumps.A.maxRateUlPerH, 100_000);
  assert.is(doc.safety.hostLossPolicy, "continue");
  assert.is(Object.keys(doc.pumps.A).length, 13);
  assert.is(doc.units.innerDiameterUm, "µm");

  const [loaded] = await flowrigJson("config", "load", file, "--port", fresh.port);
  assert.is(loaded.storedInFlash, true);
  assert.is(loaded.checked, 33);
  const [[after], [original]] = await Promise.all([flowrigJson("config", "get", "--port", fresh.port), flowrigJson("config", "get", "--port", first.port)]);
  assert.equal(after, original);
  assert.not.equal(before, original, "the fresh board started from other values");
});

test("load checks the whole file first: a bad key changes nothing", async () => {
  const file = join(dir, "bad.json");
  writeFileSync(file, JSON.stringify({ pumps: { A: { maxRateUlPerH: 5000 }, B: { leadUm: 8000, capacityUl: 20000000 } } }));
  const r = await flowrig("config", "load", file, "--port", fresh.port);
  assert.is(r.status, 2);
  assert.match(r.stderr, /bad\.json: pumps\.B\.capacityUl: capacityUl 20000000 µL is above the limit 10000000 µL/);
  const [rate] = await flowrigJson("config", "get", "maxRateUlPerH", "--pump", "A", "--port", fresh.port);
  assert.is(rate.value, 100_000, "pump A untouched");
});

test("load refuses a file whose sample window does not fit the sample period (the file's or the board's): exit 2, nothing changed", async () => {
  const both = join(dir, "window-both.json");
  writeFileSync(both, JSON.stringify({ pumps: { A: { reserveUl: 300 } }, sensor: { samplePeriodMs: 1000, sampleWindowMs: 5000 } }));
  const r = await flowrig("config", "load", both, "--port", fresh.port);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, "window-both.json: sensor: sampleWindowMs 5000 ms exceeds the limit 1000 ms (the samplePeriodMs 1000 ms asked for: one window per sample); nothing was changed");
  const period = join(dir, "window-period.json");
  writeFileSync(period, JSON.stringify({ sensor: { samplePeriodMs: 200 } }));
  const p = await flowrig("config", "load", period, "--port", fresh.port);
  assert.is(p.status, 2, p.stderr);
  assert.match(p.stderr, /window-period\.json: sensor: sampleWindowMs on the board \d+ ms exceeds the limit 200 ms .*give sampleWindowMs in the file too/);
  const [reserve] = await flowrigJson("config", "get", "reserveUl", "--pump", "A", "--port", fresh.port);
  const [periodAfter] = await flowrigJson("config", "get", "samplePeriodMs", "--port", fresh.port);
  assert.is(reserve.value === 300, false, "nothing of the file was written");
  assert.is(periodAfter.value === 200, false);
  const ok = join(dir, "window-ok.json");
  writeFileSync(ok, JSON.stringify({ sensor: { samplePeriodMs: 5000, sampleWindowMs: 3000 } }));
  const [loaded] = await flowrigJson("config", "load", ok, "--port", first.port);
  assert.is(loaded.checked, 2, "a longer period with a window that fits is loaded");
  assert.is((await flowrig("config", "set", "sampleWindowMs", "500", "--port", first.port)).status, 0);
  assert.is((await flowrig("config", "set", "samplePeriodMs", "1000", "--port", first.port)).status, 0);
});

test.run();
