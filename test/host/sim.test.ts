// `flowrig sim` as a host tool sees it: the real bin serving the firmware over loopback TCP and a socat pty.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, createReadStream, existsSync, mkdtempSync, openSync, rmSync, write } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CFG_HOST_TIMEOUT_MS, SCHEMA_HASH, STATE_MANUAL } from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { Pacer } from "../../host/sim/pacer.ts";
import { ptyTransport } from "../../host/sim/pty.ts";
import { Scheduler } from "../../host/sim/scheduler.ts";
import type { SimLink, TransportNote } from "../../host/sim/serve.ts";
import { tcpTransport } from "../../host/sim/tcp.ts";

const bin = fileURLToPath(new URL("../../host/bin/flowrig.js", import.meta.url));
const env = { ...process.env, NO_COLOR: "1" };
const FULL_NL = 10_000_000;
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

/** Starts `flowrig sim …` and resolves with the child and its JSON listening record once it is serving. */
function startSim(...args: string[]): Promise<{ child: ChildProcess; listening: Record<string, unknown>; lines: Record<string, unknown>[]; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, "sim", "--json", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      lines.push(record);
      if (record.event === "listening") resolve({ child, listening: record, lines, stderr: () => stderr });
    });
    child.once("exit", (code) => reject(new Error(`flowrig sim exited (${code}) before listening: ${stderr}`)));
  });
}

/** SIGTERM, then the exit code once the process has gone. */
function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code))); // close: stderr read to its end
  child.kill("SIGTERM");
  return exited;
}

/** A real host session over any byte pipe: handshake, configuration, manual flow, volume going down. */
async function session(link: HostLink): Promise<void> {
  const identity = await handshake(link, SCHEMA_HASH);
  assert.is(identity.board, "espruino-pico");
  const set = await link.request("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 60_000 });
  assert.is(set.value, 60_000);
  assert.is((await link.request("configGet", { key: CFG_HOST_TIMEOUT_MS, index: 0 })).value, 60_000);
  const filled = await link.request("setVolume", { pump: 0, volumeNl: FULL_NL });
  assert.ok(FULL_NL - filled.volumeNl < filled.stepVolumePl / 1000, `filled to ${filled.volumeNl} nL (whole microsteps)`);
  await link.request("setVolume", { pump: 1, volumeNl: FULL_NL });
  await link.request("setFlow", { rateA: 600_000, rateB: 300_000 });
  const status = await link.request("getStatus", {});
  assert.is(status.state, STATE_MANUAL);
  assert.equal([status.rateA, status.rateB], [600_000, 300_000]);
  // The board's clock runs on (50× the wall clock): ask until the syringe has visibly emptied a little.
  let pump = await link.request("getPump", { pump: 0 });
  for (let asked = 1; pump.volumeNl > filled.volumeNl - 20_000 && asked < 2000; asked++) pump = await link.request("getPump", { pump: 0 });
  assert.ok(pump.volumeNl <= filled.volumeNl - 20_000, `pump A still holds ${pump.volumeNl} nL`);
  assert.is(pump.rate, 600_000);
  await link.request("stop", {});
}

function assertStopped(lines: Record<string, unknown>[], stderr: string): void {
  const summary = lines.find((l) => l.event === "stopped");
  assert.ok(summary !== undefined, "a summary when stopped");
  assert.ok((summary.virtualMs as number) > 0);
  assert.ok((summary.bytesToBoard as number) > 0 && (summary.bytesFromBoard as number) > 0);
  assert.is(summary.firmwareErrors, 0, `firmware errors: ${stderr}`);
  // The pacer never runs the board ahead of speed × wall time (50×, plus a slice of slack).
  assert.ok((summary.virtualMs as number) <= 50 * (summary.wallMs as number) + 500, `ran ${summary.virtualMs} ms in ${summary.wallMs} ms`);
}

test("tcp: a host session over a socket, then SIGTERM prints the summary and exits 0", async () => {
  const { child, listening, lines, stderr } = await startSim("--listen", "tcp://127.0.0.1:0", "--speed", "50");
  try {
  assert.is(listening.transport, "tcp");
  assert.ok((listening.port as number) > 0);
  assert.is(listening.url, `tcp://127.0.0.1:${listening.port}`);
  const socket: Socket = connect(listening.port as number, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const link = new HostLink((bytes) => socket.write(bytes));
  socket.on("data", (chunk) => link.feed(chunk));
  await session(link);
  socket.destroy();
  assert.is(await stop(child), 0);
  assert.ok(lines.some((l) => l.event === "connected"));
  assertStopped(lines, stderr());
  } finally {
    if (child.exitCode === null) await stop(child);
  }
});

test("pty: a host session through the socat pty, then SIGTERM removes the port and exits 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-sim-"));
  const path = join(dir, "port");
  const { child, listening, lines, stderr } = await startSim("--pty", path, "--speed", "50");
  const port = openPty(path);
  try {
    assert.equal([listening.transport, listening.path], ["pty", path]);
    const link = new HostLink(port.write);
    port.input.on("data", (chunk) => link.feed(chunk as Buffer));
    await session(link);
    assert.is(await stop(child), 0);
    assertStopped(lines, stderr());
    assert.not.ok(existsSync(path), "the pty link is removed");
  } finally {
    if (child.exitCode === null) await stop(child); // SIGTERM: the simulator stops socat, which ends our read
    await port.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad arguments: exit 2 with a message that says what is allowed, nothing started", async () => {
  const run = (...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, "sim", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
  const cases: [string[], RegExp][] = [
    [["--board", "nope"], /unknown board "nope"; boards: .*espruino-pico/],
    [["--listen", "tcp://0.0.0.0:7000"], /not loopback; .*127\.0\.0\.1/],
    [["--listen", "tcp://127.0.0.1"], /has no port/],
    [["--listen", "udp://127.0.0.1:7000"], /only tcp:\/\//],
    [["--listen", "tcp://127.0.0.1:0", "--pty", "/tmp/x"], /cannot be used with/],
    [["--speed", "-1"], /speed must be a number ≥ 0/],
    [["--pty", "/no/such/dir/port"], /directory \/no\/such\/dir does not exist/],
  ];
  const results = await Promise.all(cases.map(([args]) => run(...args)));
  for (const [i, [args, message]] of cases.entries()) {
    const r = results[i];
    assert.is(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.match(r.stdout, /listening/);
  }
});

/** A host tool's end of the pty, opened as a file; `close` after the simulator (socat) has gone, which ends the read. */
function openPty(path: string) {
  const flags = constants.O_RDWR | constants.O_NOCTTY;
  const input = createReadStream(path, { fd: openSync(path, flags) });
  input.on("error", () => {}); // EIO once socat is gone
  const inputClosed = new Promise<void>((resolve) => input.once("close", () => resolve()));
  const writeFd = openSync(path, flags);
  return {
    input,
    write: (bytes: Uint8Array) => write(writeFd, bytes, () => {}),
    close: async () => {
      input.destroy();
      await inputClosed;
      closeSync(writeFd);
    },
  };
}

/** A SimLink that records what a transport delivers. */
function recordingLink() {
  const received: number[] = [];
  const notes: TransportNote[] = [];
  const waiters: (() => void)[] = [];
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  const link: SimLink = {
    toBoard: (bytes) => { received.push(...bytes); wake(); },
    note: (n) => { notes.push(n); wake(); },
    failed: (e) => { throw e; },
  };
  /** Resolves once `done()` holds (checked whenever the transport delivers something). */
  const until = (done: () => boolean) => new Promise<void>((resolve) => {
    const check = () => { if (done()) resolve(); else waiters.push(check); };
    check();
  });
  return { link, received, notes, until };
}

function readAll(stream: NodeJS.EventEmitter, count: number): Promise<number[]> {
  const got: number[] = [];
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      got.push(...chunk);
      if (got.length >= count) { stream.off("data", onData); resolve(got); }
    };
    stream.on("data", onData);
  });
}

test("tcp transport: all 256 byte values both ways; a second client is refused while one is connected", async () => {
  const transport = tcpTransport({ host: "127.0.0.1", port: 0 });
  const r = recordingLink();
  const port = Number(new URL(await transport.open(r.link)).port);
  const first = connect(port, "127.0.0.1");
  await r.until(() => r.notes.length === 1);
  assert.is(r.notes[0].kind, "connected");
  const second = connect(port, "127.0.0.1");
  const secondClosed = new Promise((resolve) => { second.on("error", () => {}); second.once("close", resolve); });
  await r.until(() => r.notes.length === 2);
  assert.is(r.notes[1].kind, "refused");
  await secondClosed;
  first.write(ALL_BYTES);
  await r.until(() => r.received.length === 256);
  assert.equal(r.received, [...ALL_BYTES]);
  const echoed = readAll(first, 256);
  assert.ok(transport.write(ALL_BYTES));
  assert.equal(await echoed, [...ALL_BYTES]);
  first.destroy();
  await r.until(() => r.notes.length === 3);
  assert.is(r.notes[2].kind, "disconnected");
  assert.not.ok(transport.write(ALL_BYTES), "nobody to take the board's output");
  const third = connect(port, "127.0.0.1");
  await r.until(() => r.notes.length === 4);
  assert.is(r.notes[3].kind, "connected", "the next client is accepted");
  third.destroy();
  await transport.close();
});

test("pty transport: all 256 byte values both ways through the socat pair", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-pty-"));
  const path = join(dir, "port");
  const transport = ptyTransport({ path });
  const r = recordingLink();
  assert.is(await transport.open(r.link), path);
  const port = openPty(path);
  try {
    port.write(ALL_BYTES);
    await r.until(() => r.received.length === 256);
    assert.equal(r.received, [...ALL_BYTES]);
    const echoed = readAll(port.input, 256);
    assert.ok(transport.write(ALL_BYTES));
    assert.equal(await echoed, [...ALL_BYTES]);
  } finally {
    await transport.close();
    await port.close();
  }
  assert.not.ok(existsSync(path));
  rmSync(dir, { recursive: true, force: true });
});

test("pacer: virtual time never runs ahead of speed × wall time; max speed still lets the event loop in", async () => {
  const clock = new Scheduler();
  const paced = new Pacer(clock, 50);
  const wallStart = performance.now();
  paced.start();
  await new Promise<void>((resolve) => clock.at(1e6, () => resolve()));
  paced.stop();
  assert.ok(performance.now() - wallStart >= 1000 / 50, "1 virtual second at 50× takes at least 20 ms");

  const fast = new Scheduler();
  const unlimited = new Pacer(fast, Infinity);
  let eventLoopTurns = 0;
  const counter = setInterval(() => { eventLoopTurns++; }, 1);
  unlimited.start();
  await new Promise<void>((resolve) => fast.at(600e6, () => resolve()));
  unlimited.stop();
  clearInterval(counter);
  assert.ok(eventLoopTurns > 0, "timers ran while ten virtual minutes passed");
});

test.run();
