// `flowrig calibrate` against a virtual rig whose precursor syringe is 2.5 % wider than its table bore: the test is the
// operator with a balance (it weighs what the physics delivered and types the mass in); after calibration a prime
// delivers what it is asked for within the stated uncertainty, config get shows the calibration and run.json records it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { densityAt, liquidByName } from "../../host/client/calibration.ts";
import { serveVirtualRig, type SimServer } from "../../host/sim/serve.ts";
import { loadRigFile } from "../../host/sim/rig-file.ts";
import { parseListenUrl, tcpTransport } from "../../host/sim/tcp.ts";
import { connect } from "node:net";
import { CFG_SYRINGE, SCHEMA_HASH } from "../../protocol/generated.ts";
import { SYRINGE_NAMES } from "../../host/domain/syringes.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { bin, env, flowrig, flowrigJson, TINY } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-calibrate-"));
const rigFile = join(dir, "wide-bore.json");
writeFileSync(rigFile, JSON.stringify({
  pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 10 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 50 } },
  boreErrorPct: { precursor: 2.5 },
}));
const TOLUENE = densityAt(liquidByName("toluene"), 20);
let server: SimServer;

const clients = { open: 0, idle: [] as (() => void)[] };
/** Resolves once no client is connected (the rig serves one host at a time). */
const idle = () => new Promise<void>((done) => { if (clients.open === 0) done(); else clients.idle.push(done); });

test.before(async () => {
  server = await serveVirtualRig({
    bench: loadRigFile(rigFile), speed: 50, transport: tcpTransport(parseListenUrl("tcp://127.0.0.1:0")),
    onNote: (n) => {
      if (n.kind === "connected") clients.open++;
      if (n.kind === "disconnected") clients.open--;
      if (clients.open === 0) for (const done of clients.idle.splice(0)) done();
    },
  });
  // The operator sets the board up for the syringes on the bench (the rig file's) and how full they are.
  const socket = connect(Number(new URL(server.address).port), "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const link = new HostLink((bytes) => socket.write(bytes));
  socket.on("data", (chunk) => link.feed(chunk));
  await handshake(link, SCHEMA_HASH);
  await link.request("configSet", { key: CFG_SYRINGE, index: 1, value: SYRINGE_NAMES.indexOf("BD 60 mL") });
  await link.request("setVolume", { pump: 0, volumeNl: 10_000_000 });
  await link.request("setVolume", { pump: 1, volumeNl: 50_000_000 });
  link.close();
  socket.destroy();
  await idle();
});
test.after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const pumpA = () => server.rig.rig.pumps[0];
/** The balance: what pump A really pushed out since `fromNl`, as grams of toluene, read to 1 mg. */
const weigh = (fromNl: number) => Math.round(((pumpA().deliveredNl - fromNl) / 1e6) * TOLUENE * 1000) / 1000;

/** Runs `flowrig calibrate`; when it asks for the mass, the operator weighs and types it. */
function calibrateByHand(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const start = pumpA().deliveredNl;
  const child = spawn(process.execPath, [bin, "calibrate", "--port", server.address, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => { stdout += d; });
  child.stderr.on("data", (d) => {
    stderr += d;
    if (/enter the mass in g: $/.test(stderr)) child.stdin.end(`${weigh(start)}\n`);
  });
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

/** Primes pump A by `ml` and returns the relative error of what the physics delivered. */
async function primeError(ml: number): Promise<number> {
  const start = pumpA().deliveredNl;
  const [moved] = await flowrigJson("prime", "--pump", "A", "--volume", `${ml}mL`, "--rate", "60mL/h", "--port", server.address);
  assert.is(moved.state, "idle");
  return (pumpA().deliveredNl - start) / (ml * 1e6) - 1;
}

test("a wide bore over-delivers; calibrate weighs it out: the next prime is within the stated uncertainty", async () => {
  const before = await primeError(1);
  assert.ok(Math.abs(before - (1.025 ** 2 - 1)) < 0.001, `uncalibrated: ${(before * 100).toFixed(3)} % too much (the bore's area)`);

  const r = await calibrateByHand("--pump", "A", "--liquid", "toluene", "--volume", "2mL");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /pump A dispensed 2(\.\d+)? mL \(\d+ microsteps\)\. Weigh it and enter the mass in g: /);
  assert.match(r.stdout, /calFactorPpm 105\d{4} \(was 1000000\), ±0\.\d\d % \(k = 2\), calDate \d{8}; stored in the board's flash/);

  const [rows] = await flowrigJson("config", "get", "--pump", "A", "--port", server.address);
  const [factor, uncertainty, date] = ["calFactorPpm", "calUncertaintyPpm", "calDate"].map((key) => rows.find((r: { key: string }) => r.key === key));
  const shown = await flowrig("config", "get", "calFactorPpm", "--pump", "A", "--port", server.address);
  assert.match(shown.stdout, /calFactorPpm\s+A\s+105\d{4} ppm/);
  assert.ok(Math.abs(factor.value / 1e6 - 1.025 ** 2) < 0.001, `factor ${factor.value}`);
  assert.ok(uncertainty.value > 0 && uncertainty.value < 5000, `uncertainty ${uncertainty.value} ppm`);
  assert.match(String(date.value), /^20\d{6}$/);

  for (const ml of [1, 0.5]) {
    const after = await primeError(ml);
    assert.ok(Math.abs(after) * 1e6 <= uncertainty.value, `calibrated prime of ${ml} mL off by ${(after * 1e6).toFixed(0)} ppm, stated ±${uncertainty.value} ppm`);
  }
  const [b] = await flowrigJson("config", "get", "calFactorPpm", "--pump", "B", "--port", server.address);
  assert.is(b.value, 1000000, "pump B untouched");
});

test("every run.json records both pumps' calibration", async () => {
  const recipe = join(dir, "tiny.json");
  writeFileSync(recipe, JSON.stringify({ ...TINY, pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 5 }, antisolvent: TINY.pumps.antisolvent } }));
  const out = join(dir, "run");
  const r = await flowrig("run", recipe, "--port", server.address, "--out", out);
  assert.is(r.status, 0, r.stderr);
  const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
  assert.ok(run.calibration.A.factorPpm > 1_040_000);
  assert.ok(run.calibration.A.uncertaintyPpm > 0);
  assert.match(String(run.calibration.A.date), /^20\d{6}$/);
  assert.equal(run.calibration.B, { factorPpm: 1000000, uncertaintyPpm: 0, date: null });
});

test("calibrate refuses a missing liquid before moving anything, and a mass that means a wrong syringe", async () => {
  const none = await flowrig("calibrate", "--pump", "A", "--port", server.address, "--mass", "1");
  assert.is(none.status, 2);
  assert.match(none.stderr, "give the liquid (--liquid toluene|DMF|");
  const wrong = await flowrig("calibrate", "--pump", "B", "--liquid", "DMF", "--volume", "1mL", "--mass", "0.5", "--port", server.address);
  assert.is(wrong.status, 1, wrong.stderr);
  assert.match(wrong.stderr, /a factor of 0\.52\d+ is beyond ±10 %; check the syringe the board is set for/);
  const [b] = await flowrigJson("config", "get", "calFactorPpm", "--pump", "B", "--port", server.address);
  assert.is(b.value, 1000000, "nothing stored");
});

test.run();
