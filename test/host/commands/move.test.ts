// withdraw, prime and jog wait for the move and report the volume left: `flowrig sim` over TCP, and over a socat pty via serialport.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flowrig, flowrigJson, startSim, type Sim } from "./harness.ts";

let tcp: Sim;
let pty: Sim;
const dir = mkdtempSync(join(tmpdir(), "flowrig-move-"));

test.before(async () => {
  [tcp, pty] = await Promise.all([startSim("--listen", "tcp://127.0.0.1:0"), startSim("--pty", join(dir, "port"))]);
});
test.after(async () => {
  await Promise.all([tcp.stop(), pty.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test("an empty syringe cannot prime: exit 3 saying how much it can infuse", async () => {
  const r = await flowrig("prime", "--port", tcp.port, "--pump", "A", "--volume", "0.5mL");
  assert.is(r.status, 3);
  assert.match(r.stderr, /pump A can infuse only 0 mL now \(it holds 0 mL, and keeps its reserve\): withdraw or load the syringe first/);
});

test("withdraw 2 mL, then prime 0.5 mL: the volume left drops by 0.5 mL ± one microstep", async () => {
  const [drawn] = await flowrigJson("withdraw", "--port", tcp.port, "--pump", "A", "--volume", "2mL", "--rate", "1200mL/h");
  assert.is(drawn.state, "idle");
  assert.ok(Math.abs(drawn.volumeNl - drawn.volumeBeforeNl - 2_000_000) <= drawn.pumpStatus.stepVolumeNl, `drew to ${drawn.volumeNl} nL`);
  const [primed] = await flowrigJson("prime", "--port", tcp.port, "--pump", "A", "--volume", "0.5mL", "--rate", "600mL/h");
  const step = primed.pumpStatus.stepVolumeNl;
  assert.is(primed.volumeBeforeNl, drawn.volumeNl);
  assert.ok(Math.abs(primed.volumeBeforeNl - primed.volumeNl - 500_000) <= step, `left ${primed.volumeNl} nL from ${primed.volumeBeforeNl} nL`);
  assert.ok(Math.abs(primed.movedNl - 500_000) <= step);
  const [s] = await flowrigJson("status", "--port", tcp.port);
  assert.is(s.pumps[0].volumeNl, primed.volumeNl, "status agrees");
});

test("text output and progress: the volume left on stdout, a progress bar on stderr", async () => {
  const r = await flowrig("prime", "--port", tcp.port, "--pump", "A", "--volume", "100uL", "--rate", "600mL/h");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^pump A: infused 100 µL \(978 microsteps\) at 600 mL\/h; 1\.4\d\d mL left\n$/);
  assert.match(r.stderr, /prime pump A \[#+\] 100%/);
});

test("jog by microsteps both ways; the rate is checked against the pump's limit first", async () => {
  const [out] = await flowrigJson("jog", "--port", tcp.port, "--pump", "A", "--steps", "-1600", "--rate", "600mL/h");
  assert.is(out.movedSteps, -1600);
  const [back] = await flowrigJson("jog", "--port", tcp.port, "--pump", "A", "--steps", "1600", "--rate", "600mL/h");
  assert.is(back.movedSteps, 1600);
  assert.is(back.volumeNl, out.volumeBeforeNl);
  const fast = await flowrig("jog", "--port", tcp.port, "--pump", "A", "--steps", "10", "--rate", "7000mL/h");
  assert.is(fast.status, 2);
  assert.match(fast.stderr, /rate 7000 mL\/h exceeds pump A limit 6000 mL\/h \(maxRateUlPerH 6000000\)/);
  const tooMuch = await flowrig("withdraw", "--port", tcp.port, "--pump", "B", "--volume", "20mL");
  assert.is(tooMuch.status, 3);
  assert.match(tooMuch.stderr, /pump B has room to draw only 10 mL more \(it holds 0 mL\)/);
});

test("over a pty (serialport): status, withdraw and prime through --port /path", async () => {
  const [s] = await flowrigJson("status", "--port", pty.port);
  assert.is(s.state, "idle");
  const [drawn] = await flowrigJson("withdraw", "--port", pty.port, "--pump", "B", "--volume", "1mL", "--rate", "1200mL/h");
  const [primed] = await flowrigJson("prime", "--port", pty.port, "--pump", "B", "--volume", "0.5mL", "--rate", "1200mL/h");
  assert.ok(Math.abs(drawn.volumeNl - primed.volumeNl - 500_000) <= primed.pumpStatus.stepVolumeNl);
});

test.run();
