// Host CLI figures: cold start, getStatus round trip to the virtual rig over TCP, samples/s pulled over a 115200-baud
// line (a pacing proxy in front of `flowrig sim`) against the line's limit, and `npm start` wall time.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { encodeFrame } from "../protocol/frame.ts";
import { CFG_HOST_LOSS_POLICY, CFG_SAMPLE_PERIOD_MS, MSG_SAMPLES, MSG_SAMPLES_READ } from "../protocol/generated.ts";
import { encodeMessage } from "../protocol/messages.ts";
import { connectTransport } from "../host/client/connection.ts";
import { pullRange } from "../host/client/pull-samples.ts";
import { openTcpPort } from "../host/node/tcp-port.ts";
import { createRunFolder } from "../host/report/run-folder.ts";
import { figure } from "./report.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = join(root, "host/bin/flowrig.js");
const BAUD = 115200;
const LINE_BYTES_PER_S = BAUD / 10; // 8N1: 10 bits a byte
const SAMPLES = 300; // fits the Pico's RAM ring (256) plus its one spill file (128)

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };

function startSim(speed: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [bin, "sim", "--json", "--listen", "tcp://127.0.0.1:0", "--speed", speed], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const r = JSON.parse(line);
      if (r.event === "listening") resolve({ child, port: r.port });
    });
    child.once("exit", (code) => reject(new Error(`flowrig sim exited (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

/** A TCP proxy that paces each direction to `bytesPerS`, as a UART at that rate would (whole chunks, in order). */
async function pacingProxy(target: number, bytesPerS: number) {
  const sockets = new Set<Socket>();
  const pace = (from: Socket, to: Socket) => {
    let freeAt = 0;
    from.on("data", (chunk) => {
      const start = Math.max(performance.now(), freeAt);
      freeAt = start + (chunk.length * 1000) / bytesPerS;
      setTimeout(() => { if (!to.destroyed) to.write(chunk); }, freeAt - performance.now());
    });
  };
  const server = createServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    for (const s of [client, upstream]) { sockets.add(s); s.on("error", () => {}); s.on("close", () => { client.destroy(); upstream.destroy(); }); }
    pace(client, upstream);
    pace(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

async function coldStart(): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, "--help"], { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`flowrig --help exited ${r.status}`);
    times.push(performance.now() - t);
  }
  figure("cli.coldStart.median", median(times), "ms");
}

async function statusRoundTrip(): Promise<void> {
  const sim = await startSim("1");
  try {
    const conn = await connectTransport(await openTcpPort("127.0.0.1", sim.port));
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await conn.link.request("getStatus", {});
      times.push(performance.now() - t);
    }
    await conn.close();
    figure("cli.getStatusRtt.median", median(times), "ms");
    figure("cli.getStatusRtt.p95", percentile(times, 0.95), "ms");
  } finally {
    await stop(sim.child);
  }
}

async function pulledAt115200(): Promise<void> {
  const sim = await startSim("50");
  const dir = mkdtempSync(join(tmpdir(), "flowrig-bench-"));
  try {
    // Fill the board's log directly (manual flow at 20 samples/s of board time), then pull it through the paced line.
    const direct = await connectTransport(await openTcpPort("127.0.0.1", sim.port));
    await direct.link.request("configSet", { key: CFG_HOST_LOSS_POLICY, index: 0, value: 1 });
    await direct.link.request("configSet", { key: CFG_SAMPLE_PERIOD_MS, index: 0, value: 50 });
    for (const pump of [0, 1]) await direct.link.request("setVolume", { pump, volumeNl: 9_000_000 });
    await direct.link.request("setFlow", { rateA: 1000, rateB: 1000 });
    while ((await direct.link.request("getStatus", {})).sampleNext < SAMPLES) { /* ask until logged */ }
    await direct.link.request("stop", {});
    await direct.close();
    const proxy = await pacingProxy(sim.port, LINE_BYTES_PER_S);
    let conn;
    for (let attempt = 0; ; attempt++) { // the sim frees its one client slot once it has seen the direct close
      try { conn = await connectTransport(await openTcpPort("127.0.0.1", proxy.port)); break; } catch (e) { if (attempt > 50) throw e; await new Promise((r) => setTimeout(r, 20)); }
    }
    const run = createRunFolder(join(dir, "run"), { recipe: {}, configuration: [], board: { id: "bench", firmwareVersion: "" }, startIso: new Date().toISOString() }, { sync: false });
    const t = performance.now();
    const next = await pullRange(conn, run, 0, SAMPLES, []);
    const seconds = (performance.now() - t) / 1000;
    run.samples.close();
    await conn.close();
    await proxy.close();
    // The line's limit: a page of two samples is one samplesRead out and one samples frame back; full duplex, so
    // the reply direction binds (the request direction carries fewer bytes, plus one samplesAck per 128 samples).
    const read = encodeMessage("samplesRead", { from: 1000, max: 2 });
    const rec = { timeMs: 123456, segment: 0xffff, flags: 8, rateA: 1000, rateB: 1000, pl: 412345, dark: 7312 };
    const page = encodeMessage("samples", { from: 1000, next: 1300, records: [rec, rec] });
    const requestBytes = encodeFrame(7, MSG_SAMPLES_READ, read.payload).length;
    const replyBytes = encodeFrame(7, MSG_SAMPLES, page.payload).length;
    figure("cli.pull115200.samplesPerS", next / seconds, "samples/s");
    figure("cli.pull115200.lineLimit", (2 * LINE_BYTES_PER_S) / replyBytes, "samples/s");
    figure("cli.pull115200.pageRoundTripBytes", requestBytes + replyBytes, "bytes");
    figure("cli.pull115200.halfDuplexLimit", (2 * LINE_BYTES_PER_S) / (requestBytes + replyBytes), "samples/s");
  } finally {
    await stop(sim.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function npmStart(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-bench-start-"));
  try {
    const t = performance.now();
    const r = spawnSync("npm", ["start", "--silent", "--", "--out", join(dir, "run"), "--json"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
    const wall = (performance.now() - t) / 1000;
    // Exit 3 is a run that ended other than done (e.g. a hostLost fault on a starved machine): still timed, but said.
    if (r.status !== 0 && r.status !== 3) throw new Error(`npm start exited ${r.status}`);
    if (r.status === 3) console.log(`note: npm start ended ${JSON.parse(r.stdout.toString()).state}, not done`);
    figure("cli.npmStart.wall", wall, "s");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function cliBench(): Promise<void> {
  await coldStart();
  await statusRoundTrip();
  await pulledAt115200();
  await npmStart();
}

if (import.meta.url === `file://${process.argv[1]}`) await cliBench();
