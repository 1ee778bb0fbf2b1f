// `flowrig pull` after the host went away mid-run: the real bin against `flowrig sim` over TCP. Resumes at lastSeq + 1
// with no gap and no duplicate, follows the program to its end, finishes the folder; running it again changes nothing;
// a folder from the board's previous boot is closed as interrupted (power-cycle.test.ts has real power cuts); another
// board (boot count gone back, numbering below the folder's, another schema) is refused without writing anything.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DeviceLink } from "../../protocol/device-link.ts";
import { CFG_HOST_LOSS_POLICY, MSG_IDENTIFY, MSG_IDENTITY, PROTOCOL_VERSION, SCHEMA_HASH } from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { bin, env, flowrig, stopChild, TINY } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-pull-"));

const recipePath = join(dir, "tiny.json");
writeFileSync(recipePath, JSON.stringify(TINY, null, 2));
/** TINY with a 60 s last step: 6 s of wall time at 10× after the kill to hold the board (pause) however loaded the machine. */
const LONGER = { ...TINY, steps: [TINY.steps[0], TINY.steps[1], { ...TINY.steps[2], durationS: 60 }] };
const longerPath = join(dir, "longer.json");
writeFileSync(longerPath, JSON.stringify(LONGER, null, 2));

interface Sim { child: ChildProcess; port: number; url: string; lines: Record<string, unknown>[]; idle(): Promise<void> }

/** `flowrig sim --json` on TCP; `idle()` resolves once no client is connected (the sim takes one at a time). */
function startSim(speed: number): Promise<Sim> {
  const child = spawn(process.execPath, [bin, "sim", "--json", "--listen", "tcp://127.0.0.1:0", "--speed", String(speed)], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  const count = (event: string) => lines.filter((l) => l.event === event).length;
  const isIdle = () => count("connected") === count("disconnected");
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      lines.push(record);
      if (isIdle()) for (const w of waiters.splice(0)) w();
      if (record.event === "listening") {
        resolve({
          child, port: record.port as number, url: record.url as string, lines,
          idle: () => new Promise((done) => { if (isIdle()) done(); else waiters.push(done); }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`flowrig sim exited (${code}) before listening: ${stderr}`)));
  });
}

/** Starts `flowrig run` and SIGKILLs it as soon as its progress line says step 2 began; resolves when it is gone. */
function runAndKill(sim: Sim, out: string, recipe = recipePath): Promise<void> {
  const child = spawn(process.execPath, [bin, "run", recipe, "--port", sim.url, "--out", out], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr }).on("line", (line) => {
      stderr += line + "\n";
      if (/step 2\/3/.test(line)) child.kill("SIGKILL");
    });
    child.once("exit", (code, signal) => signal === "SIGKILL" ? resolve() : reject(new Error(`flowrig run ended (${code}) before it was killed: ${stderr}`)));
  });
}

async function session(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const link = new HostLink((bytes) => socket.write(bytes));
  socket.on("data", (chunk) => link.feed(chunk));
  await handshake(link, SCHEMA_HASH);
  return { link, close: () => { link.close(); socket.destroy(); } };
}

function seqsOf(out: string): number[] {
  return readFileSync(join(out, "samples.csv"), "utf8").trimEnd().split("\n").slice(1).map((l) => Number(l.split(",")[2]));
}

function runJson(out: string): Record<string, any> {
  return JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
}

/** Every file's bytes and modification time: what "changes nothing" means. */
function snapshot(out: string): Record<string, string> {
  return Object.fromEntries(readdirSync(out).sort().map((f) => [f, `${statSync(join(out, f)).mtimeMs} ${readFileSync(join(out, f), "base64")}`]));
}

function assertContiguous(out: string): number[] {
  const seqs = seqsOf(out);
  const first = runJson(out).firstSeq;
  seqs.forEach((s, i) => assert.is(s, first + i, `samples.csv line ${i + 2}: seq ${s}, expected ${first + i} (no gap, no duplicate)`));
  return seqs;
}

test("host killed mid-run, board carries on (hostLossPolicy 1): pull --no-follow, then pull follows to the end; a third pull changes nothing", async () => {
  const sim = await startSim(10);
  try {
    const s = await session(sim.port); // the operator chose "carry on without the host" on this board
    await s.link.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 });
    s.close();
    await sim.idle();
    const out = join(dir, "carry-on");
    await runAndKill(sim, out, longerPath);
    const before = seqsOf(out);
    assert.ok(before.length > 0 && before.length < 100, `${before.length} samples on disk when killed`);
    assert.is(runJson(out).status, "running");
    await sim.idle();
    // Hold the program (paused is still a program on) so the partial pull finds it on however long the bin takes to start.
    const hold = await session(sim.port);
    await hold.link.request("pause", {});
    hold.close();
    await sim.idle();

    const partial = await flowrig("pull", "--port", sim.url, "--out", out, "--no-follow");
    assert.is(partial.status, 0, partial.stderr);
    assert.match(partial.stdout, /the program is still running: pull again/);
    assert.match(partial.stderr, /resuming .* at seq \d+ \(board: paused/);
    assert.is(runJson(out).status, "running");
    assertContiguous(out);
    await sim.idle();
    const go = await session(sim.port);
    await go.link.request("resume", {});
    go.close();
    await sim.idle();

    const r = await flowrig("pull", "--port", sim.url, "--out", out, "--json");
    assert.is(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.is(result.state, "done");
    const seqs = assertContiguous(out);
    // 80 s at 4 Hz, plus what the board logged while it was held paused (however long that took): all checked below.
    assert.ok(seqs.length >= 318, `${seqs.length} samples for 80 s at 4 Hz`);
    assert.equal(seqs.slice(0, before.length), before, "what was on disk is kept as it was");
    const run = runJson(out);
    assert.is(run.status, "done");
    for (const f of ["summary.csv", "pl-time.svg", "pl-vs-precursor.svg"]) assert.ok(run.files.includes(f), f);
    assert.is(readFileSync(join(out, "summary.csv"), "utf8").trimEnd().split("\n").length, 4);
    await sim.idle();
    const board = await session(sim.port);
    const status = await board.link.request("getStatus", {});
    board.close();
    assert.is(status.sampleNext, seqs[seqs.length - 1] + 1, "the folder has every sample the board logged");
    assert.is(status.sampleAcked, status.sampleNext, "all acknowledged");
    await sim.idle();

    const snap = snapshot(out);
    const again = await flowrig("pull", "--port", sim.url, "--out", out);
    assert.is(again.status, 0, again.stderr);
    assert.match(again.stdout, /already finished \(done, seq \d+…\d+\): nothing to pull/);
    assert.equal(snapshot(out), snap, "a second pull changes nothing");
  } finally {
    await stopChild(sim.child);
  }
});

test("host killed, board stops (default hostLossPolicy 0): pull finishes the folder as a fault; a folder from the board's previous boot is closed as interrupted, one from a later boot refused untouched", async () => {
  let sim = await startSim(20);
  try {
    const out = join(dir, "stops");
    await runAndKill(sim, out);
    await sim.idle();
    const copy = join(dir, "stops-copy");
    cpSync(out, copy, { recursive: true });
    const tamper = (name: string, change: number) => {
      const folder = join(dir, name);
      cpSync(out, folder, { recursive: true });
      const meta = runJson(folder);
      meta.board.bootCount += change;
      writeFileSync(join(folder, "run.json"), JSON.stringify(meta, null, 2) + "\n");
      return folder;
    };
    const earlier = tamper("stops-earlier-boot", -1); // as if the run had been started before the board's last restart
    const later = tamper("stops-later-boot", +1); // a boot this board has not had yet: another board, or an erased one

    const r = await flowrig("pull", "--port", sim.url, "--out", out);
    assert.is(r.status, 3, r.stderr);
    assert.match(r.stdout, /run fault: /);
    assert.match(r.stderr, /fault: hostLost \(host\.link\)/);
    assert.is(runJson(out).status, "fault");
    assertContiguous(out);
    await sim.idle();

    // A restart ends the run's program: the folder is closed with what it holds (this board spilled nothing to recover).
    const seqsBefore = seqsOf(earlier);
    const restarted = await flowrig("pull", "--port", sim.url, "--out", earlier);
    assert.is(restarted.status, 4, restarted.stderr);
    assert.match(restarted.stderr, /the board restarted mid-run \(boot count 0 → 1: a power cut or a reset\)/);
    assert.match(restarted.stderr, /is closed as interrupted with \d+ samples: summary\.csv and the plots/);
    assert.match(restarted.stderr, /flowrig run \S+remaining-steps\.json --port tcp:\/\/127\.0\.0\.1:\d+ +re-runs steps \d-3/);
    const meta = runJson(earlier);
    assert.is(meta.status, "interrupted");
    assert.is(meta.interruption.recoveredSamples, 0);
    for (const f of ["summary.csv", "pl-time.svg", "remaining-steps.json"]) assert.ok(meta.files.includes(f), f);
    assert.equal(seqsOf(earlier), seqsBefore, "the samples kept as they were");
    await sim.idle();

    const snap = snapshot(later);
    const other = await flowrig("pull", "--port", sim.url, "--out", later);
    assert.is(other.status, 4, other.stderr);
    assert.match(other.stderr, /the board's boot count went back since .* \(boot count 2 → 1\).*nothing was written/);
    assert.equal(snapshot(later), snap, "nothing written");

    // A fresh board process: its numbering starts again at 0, below what the folder holds.
    await stopChild(sim.child);
    sim = await startSim(20);
    const snapCopy = snapshot(copy);
    const fresh = await flowrig("pull", "--port", sim.url, "--out", copy);
    assert.not.equal(fresh.status, 0);
    assert.match(fresh.stderr, /restarted/);
    assert.match(fresh.stderr, /nothing was written/);
    assert.equal(snapshot(copy), snapCopy, "nothing written");
  } finally {
    await stopChild(sim.child);
  }
});

test("pull refuses: another schema (exit 5), --port sim and a folder that is not a run (exit 2)", async () => {
  const out = join(dir, "schema");
  cpSync(join(dir, "stops-copy"), out, { recursive: true });
  const otherHash = (SCHEMA_HASH ^ 0x0f0f0f0f) >>> 0;
  const server = createServer((socket) => {
    const board = new DeviceLink((frame) => socket.write(Buffer.from(frame, "latin1")), (id) => {
      if (id !== MSG_IDENTIFY) throw new Error("only identify may reach a board with another schema");
      return [MSG_IDENTITY, [PROTOCOL_VERSION, otherHash, "9.9.9", "espruino-pico", 2, 1, 256, 58, 4, 1000, 4, 64, 1]];
    }, () => {});
    socket.on("data", (chunk) => board.receive(chunk));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const snap = snapshot(out);
    const r = await flowrig("pull", "--port", `tcp://127.0.0.1:${(server.address() as { port: number }).port}`, "--out", out);
    assert.is(r.status, 5, r.stderr);
    assert.match(r.stderr, /Flash the matching firmware/);
    assert.equal(snapshot(out), snap, "nothing written");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const sim = await flowrig("pull", "--port", "sim", "--out", out);
  assert.is(sim.status, 2);
  assert.match(sim.stderr, /holds no run/);
  const none = await flowrig("pull", "--port", "tcp://127.0.0.1:9", "--out", join(dir, "nowhere"));
  assert.is(none.status, 2);
  assert.match(none.stderr, /not a run folder/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
