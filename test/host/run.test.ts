// `flowrig run` as a user runs it: the real bin as a subprocess against `flowrig sim` (TCP, pty, a noisy and a cut link,
// a board with another schema, a recipe over the limits), checked through the run folder it leaves and the board's own state.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DeviceLink } from "../../protocol/device-link.ts";
import { CFG_HOST_TIMEOUT_MS, MSG_IDENTIFY, MSG_IDENTITY, PROTOCOL_VERSION, SCHEMA_HASH, STATE_IDLE } from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { seededRandom } from "../../host/sim/random.ts";
import { bin, env, flowrig, stopChild, TINY } from "./commands/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flowrig-run-"));

const recipePath = join(dir, "tiny.json");
writeFileSync(recipePath, JSON.stringify(TINY, null, 2));

interface Sim { child: ChildProcess; port: number; path?: string; lines: Record<string, unknown>[]; waitFor(pred: (l: Record<string, unknown>) => boolean): Promise<void> }

/** `flowrig sim --json …`, resolved once it is listening; `waitFor` resolves at the first JSON line that matches. */
function startSim(...args: string[]): Promise<Sim> {
  const child = spawn(process.execPath, [bin, "sim", "--json", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; done: () => void }[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      lines.push(record);
      for (const w of waiters.splice(0)) if (w.pred(record)) w.done(); else waiters.push(w);
      if (record.event === "listening") {
        resolve({
          child, port: record.port as number, path: record.path as string | undefined, lines,
          waitFor: (pred) => new Promise((done) => { if (lines.some(pred)) done(); else waiters.push({ pred, done }); }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`flowrig sim exited (${code}) before listening: ${stderr}`)));
  });
}

/** A host session of our own on the sim (after the CLI has let go of it). */
async function session(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const link = new HostLink((bytes) => socket.write(bytes));
  socket.on("data", (chunk) => link.feed(chunk));
  const identity = await handshake(link, SCHEMA_HASH);
  return { link, identity, close: () => { link.close(); socket.destroy(); } };
}

/** Checks a finished run folder: contiguous seqs from run.json's firstSeq, one summary row a step, plots, status. */
function checkFolder(out: string, status = "done"): { seqs: number[]; run: Record<string, any> } {
  const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
  assert.is(run.status, status);
  const lines = readFileSync(join(out, "samples.csv"), "utf8").trimEnd().split("\n").slice(1);
  const seqs = lines.map((l) => Number(l.split(",")[2]));
  seqs.forEach((s, i) => assert.is(s, run.firstSeq + i, `samples.csv line ${i + 2}: seq ${s}, expected ${run.firstSeq + i}`));
  const summary = readFileSync(join(out, "summary.csv"), "utf8").trimEnd().split("\n");
  assert.is(summary.length, 1 + TINY.steps.length, "summary.csv: a header and one row a step");
  for (const f of ["pl-time.svg", "pl-vs-precursor.svg"]) assert.ok(existsSync(join(out, f)), `${f} written`);
  assert.ok(run.files.includes("summary.csv"));
  return { seqs, run };
}

/** The board handed over everything: the next seq it will log is the folder's next, and all of it is acknowledged. */
async function checkBoardDrained(port: number, seqs: number[]): Promise<void> {
  const s = await session(port);
  try {
    const status = await s.link.request("getStatus", {});
    assert.is(status.sampleNext, seqs[seqs.length - 1] + 1, "every sample the board logged is in samples.csv");
    assert.is(status.sampleAcked, status.sampleNext, "and acknowledged");
  } finally {
    s.close();
  }
}

/**
 * A TCP proxy between the CLI and the sim that drops and corrupts bytes in both directions (seeded), and can cut
 * the connection. The sim takes one client at a time: the upstream closes with the client.
 */
async function faultProxy(target: number, o: { seed: number; drop: number; corrupt: number }) {
  const random = seededRandom(o.seed);
  const stats = { dropped: 0, corrupted: 0, connections: 0 };
  const pairs = new Set<[Socket, Socket]>();
  const mangle = (chunk: Buffer) => {
    const out: number[] = [];
    for (const byte of chunk) {
      if (random() < o.drop) { stats.dropped++; continue; }
      if (random() < o.corrupt) { stats.corrupted++; out.push(byte ^ (1 << Math.floor(random() * 8))); continue; }
      out.push(byte);
    }
    return Buffer.from(out);
  };
  const server: Server = createServer((client) => {
    stats.connections++;
    const upstream = connect(target, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on("data", (d) => upstream.write(mangle(d)));
    upstream.on("data", (d) => client.write(mangle(d)));
    const end = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    for (const s of pair) { s.on("close", end); s.on("error", end); }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  /** Cuts every connection now (a TCP link lost mid-run). */
  const cut = () => { for (const [a, b] of pairs) { a.destroy(); b.destroy(); } };
  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as { port: number }).port, stats, cut,
    close: () => (closed ??= new Promise<void>((resolve) => { cut(); server.close(() => resolve()); })),
  };
}

test("tcp: a short recipe end to end: contiguous samples, a summary row a step, plots, status done", async () => {
  const sim = await startSim("--listen", "tcp://127.0.0.1:0", "--speed", "20");
  try {
    const out = join(dir, "tcp");
    const r = await flowrig("run", recipePath, "--port", `tcp://127.0.0.1:${sim.port}`, "--out", out, "--json");
    assert.is(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.is(result.state, "done");
    assert.is(result.steps.length, 3);
    const { seqs, run } = checkFolder(out);
    assert.is(run.firstSeq, 0);
    // The board's memory as the run saw it: the Pico's pool, the lowest free no higher than at the start.
    assert.is(run.boardMemory.totalVars, 5100);
    assert.ok(run.boardMemory.freeAtStartVars > 0 && run.boardMemory.minFreeVars <= run.boardMemory.freeAtStartVars, JSON.stringify(run.boardMemory));
    assert.ok(run.boardMemory.minFreeVars <= run.boardMemory.freeAtEndVars);
    assert.ok(seqs.length >= 118 && seqs.length <= 122, `${seqs.length} samples for 30 s at 4 Hz`);
    await sim.waitFor((l) => l.event === "disconnected");
    await checkBoardDrained(sim.port, seqs);
  } finally {
    await stopChild(sim.child);
  }
});

test("pty: the same run over a serial device (socat pty)", async () => {
  const path = join(dir, "pty-port");
  const sim = await startSim("--pty", path, "--speed", "20");
  try {
    const out = join(dir, "pty");
    const r = await flowrig("run", recipePath, "--port", path, "--out", out);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /run done: /);
    const { seqs } = checkFolder(out);
    assert.ok(seqs.length >= 118, `${seqs.length} samples`);
  } finally {
    await stopChild(sim.child);
  }
});

test("noisy link (bytes dropped and corrupted both ways) and two cut connections: the run reconnects and keeps every sample", async () => {
  const sim = await startSim("--listen", "tcp://127.0.0.1:0", "--speed", "10");
  // At 10x the board's default 5 s host timeout is only 0.5 s of wall time, less than a reconnect with backoff takes on
  // a busy machine: give the board the 5 s of wall time it has on real hardware, as a user of a fast sim would.
  const setup = await session(sim.port);
  await setup.link.request("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 50_000 });
  setup.close();
  await sim.waitFor((l) => l.event === "disconnected");
  const proxy = await faultProxy(sim.port, { seed: 42, drop: 0.002, corrupt: 0.002 });
  try {
    const out = join(dir, "noisy");
    const child = spawn(process.execPath, [bin, "run", recipePath, "--port", `tcp://127.0.0.1:${proxy.port}`, "--out", out],
      { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d) => { stdout += d; });
    const cuts = new Set<string>();
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    createInterface({ input: child.stderr }).on("line", (line) => {
      stderr += line + "\n";
      // Cut the link as each of steps 2 and 3 begins (the progress line says so): twice mid-run.
      const m = /step ([23])\/3/.exec(line);
      if (m !== null && !cuts.has(m[1])) { cuts.add(m[1]); proxy.cut(); }
    });
    const status = await exited;
    assert.is(status, 0, stderr);
    assert.match(stdout, /run done: /);
    assert.is(cuts.size, 2, stderr);
    assert.match(stderr, /link lost/);
    assert.match(stderr, /reconnected to tcp:\/\/127\.0\.0\.1:\d+; carrying on from seq \d+/);
    assert.ok(proxy.stats.dropped > 0 && proxy.stats.corrupted > 0, JSON.stringify(proxy.stats));
    assert.ok(proxy.stats.connections >= 3, `${proxy.stats.connections} connections`);
    const { seqs } = checkFolder(out);
    assert.ok(seqs.length >= 118, `${seqs.length} samples`);
    await proxy.close();
    const count = (event: string) => sim.lines.filter((l) => l.event === event).length;
    await sim.waitFor(() => count("disconnected") === count("connected"));
    await checkBoardDrained(sim.port, seqs);
  } finally {
    await proxy.close();
    await stopChild(sim.child);
  }
});

test("a board speaking another schema is refused at identify: exit 5, the message says what to flash", async () => {
  const otherHash = (SCHEMA_HASH ^ 0x5a5a5a5a) >>> 0;
  const commands: number[] = [];
  const server = createServer((socket) => {
    const board = new DeviceLink((frame) => socket.write(Buffer.from(frame, "latin1")), (id) => {
      commands.push(id);
      if (id !== MSG_IDENTIFY) throw new Error(`command 0x${id.toString(16)} after a schema mismatch`);
      return [MSG_IDENTITY, [PROTOCOL_VERSION, otherHash, "9.9.9", "espruino-pico", 2, 1, 256, 58, 4, 1000, 4, 64, 7]];
    }, () => {});
    socket.on("data", (chunk) => board.receive(chunk));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const out = join(dir, "schema");
    const r = await flowrig("run", recipePath, "--port", `tcp://127.0.0.1:${port}`, "--out", out);
    assert.is(r.status, 5, r.stderr);
    assert.match(r.stderr, new RegExp(`schema 0x${otherHash.toString(16).padStart(8, "0")}`));
    assert.match(r.stderr, /Flash the matching firmware/);
    assert.equal(commands, [MSG_IDENTIFY], "nothing but identify reached the board");
    assert.not.ok(existsSync(out), "no run folder");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a recipe over a limit is refused before anything moves: exit 2, path and limit named, the board untouched", async () => {
  const sim = await startSim("--listen", "tcp://127.0.0.1:0", "--speed", "20");
  try {
    const bad = structuredClone(TINY);
    bad.steps[1].precursorMlPerH = 7000; // over the board's default maxRateUlPerH (6000 mL/h)
    const badPath = join(dir, "too-fast.json");
    writeFileSync(badPath, JSON.stringify(bad));
    const out = join(dir, "bad");
    const r = await flowrig("run", badPath, "--port", `tcp://127.0.0.1:${sim.port}`, "--out", out);
    assert.match(r.stderr, /too-fast\.json: steps\[1\]\.precursorMlPerH: 7000 exceeds the limit 6000/);
    assert.not.ok(existsSync(out), "no run folder");
    assert.not.ok(sim.lines.some((l) => l.event === "connected"), "the CLI never connected");
    const s = await session(sim.port);
    try {
      const status = await s.link.request("getStatus", {});
      assert.equal([status.state, status.rateA, status.rateB, status.sampleNext], [STATE_IDLE, 0, 0, 0]);
      for (const pump of [0, 1]) {
        const p = await s.link.request("getPump", { pump });
        assert.equal([p.positionSteps, p.deliveredNl, p.rate], [0, 0, 0], `pump ${pump} never moved`);
      }
    } finally {
      s.close();
    }
    assert.is(r.status, 2, `exit ${r.status} (a refused recipe is a usage error): ${r.stderr}`);
  } finally {
    await stopChild(sim.child);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
