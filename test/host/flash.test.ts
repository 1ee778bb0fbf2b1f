// Flashing through the Espruino REPL: repl handback → .bootcde written in chunks → CRC read back → load() → identify.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { buildFirmware } from "../../host/build/bundle.ts";
import { flashBundle } from "../../host/client/flash.ts";
import { FlashError, type FlashPhase } from "../../host/client/flash-error.ts";
import { quoteForRepl, writeLines } from "../../host/client/repl-lines.ts";
import { crc32 } from "../../protocol/crc32.ts";
import { pushTransport } from "../../host/client/transport.ts";
import { bootVirtualRig } from "../../host/sim/virtual-rig.ts";
import { settle, virtualLinkClock } from "../../host/sim/virtual-time.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { SCHEMA_HASH } from "../../protocol/generated.ts";

const bin = fileURLToPath(new URL("../../host/bin/flowrig.js", import.meta.url));
const version = (v: string) => ({ FLOWRIG_VERSION: JSON.stringify(v) });
const build = async (v: string) => (await buildFirmware({ entry: "firmware/main.ts", boardId: "espruino-pico", define: version(v) })).code;

/** A virtual Pico running the shipped firmware, and a ByteTransport to it whose sends may be tampered with. */
async function board(tamper: (text: string) => string = (t) => t) {
  const v = await bootVirtualRig({ boardId: "espruino-pico" });
  const t = pushTransport("virtual espruino-pico", (bytes) => {
    v.emu.host.write(new Uint8Array(Buffer.from(tamper(Buffer.from(bytes).toString("latin1")), "latin1")));
  }, async () => {});
  v.emu.host.onData((bytes) => t.push(bytes));
  return { ...v, transport: t.transport, clock: v.clock, linkClock: virtualLinkClock(v.clock) };
}

test("quoting and chunk lines: ASCII only, nothing the line editor reacts to, offset 0 creates the file", () => {
  const q = quoteForRepl('a"b\\c\n\x7f\x03\x10');
  assert.is(q, '"a\\x22b\\x5cc\\x0a\\x7f\\x03\\x10"');
  assert.is(Function(`return ${q}`)(), 'a"b\\c\n\x7f\x03\x10');
  const lines = writeLines("x".repeat(2500), 1024);
  assert.equal(lines.map((l) => [l.offset, l.length]), [[0, 1024], [1024, 1024], [2048, 452]]);
  assert.match(lines[0].line, /,0,2500\)\)$/);
  assert.match(lines[1].line, /,1024\)\)$/);
  for (const l of lines) assert.ok(!/[\x00-\x1f\x7f]/.test(l.line));
  assert.is(crc32(Buffer.from("123456789")), 0xcbf43926);
});

test("flash a board running the firmware: handback, write, CRC, load(), the new firmware identifies", async () => {
  const next = await build("9.9.9-next");
  const b = await board();
  const phases: FlashPhase[] = [];
  const written: number[] = [];
  const result = await settle(b.clock, flashBundle(b.transport, next, {
    clock: b.linkClock, boardId: "espruino-pico", firmware: "9.9.9-next",
    onProgress: (p) => {
      if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
      if (p.phase === "write") written.push(p.written);
      assert.is(p.total, next.length);
    },
  }));
  assert.equal(phases, ["identify", "handback", "sync", "write", "verify", "reboot", "check"]);
  assert.is(written[written.length - 1], next.length);
  assert.ok(written.every((w, i) => i === 0 || w > written[i - 1]), "progress only goes up");
  assert.is(result.previous?.firmware, "0.1.0");
  assert.is(result.identity.firmware, "9.9.9-next");
  assert.is(result.identity.board, "espruino-pico");
  assert.is(result.identity.schemaHash, SCHEMA_HASH);
  assert.is(result.identity.bootCount, result.previous!.bootCount + 1, "the board rebooted into it");
  assert.is(result.crc, crc32(Buffer.from(next, "latin1")));
  assert.is(result.chunks, Math.ceil(next.length / 1024));
  assert.is(b.emu.board.flash.read(".bootcde", 0, 0), next, "Storage holds exactly the bundle");
  assert.equal(b.emu.errors, []);
  assert.is(b.emu.board.rt.consoleDevice, "LoopbackA", "the new firmware owns the link again");
});

test("a firmware that fails while booting is reported with what the board printed, not as a silent identify timeout", async () => {
  const broken = "var flowrigBoot = 1;\nundefinedFunctionAtBoot();\n";
  const b = await board();
  const error = await settle(b.clock, flashBundle(b.transport, broken, { clock: b.linkClock, boardId: "espruino-pico", bootTimeoutMs: 3000 })
    .then(() => undefined, (e: unknown) => e));
  assert.instance(error, FlashError);
  assert.is((error as FlashError).phase, "check");
  assert.match((error as Error).message, /did not start after load\(\)/);
  assert.match((error as Error).message, /undefinedFunctionAtBoot/, "the board's own error is in the message");
});

test("a chunk corrupted on the wire is caught by the CRC read-back: reported, .bootcde erased, nothing rebooted", async () => {
  const next = await build("9.9.9-next");
  let corrupted = 0;
  // Flip one letter inside the string literal of the chunk at offset 2048, every time it is sent.
  const b = await board((text) => {
    if (!text.includes('"W2048"')) return text;
    const start = text.indexOf('".bootcde","') + 12;
    const at = text.slice(start).search(/[a-y]/) + start;
    corrupted++;
    return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) + 1) + text.slice(at + 1);
  });
  const generation = () => b.emu.board.rt.generation;
  const notes: string[] = [];
  let before = -1;
  const error = await settle(b.clock, flashBundle(b.transport, next, {
    clock: b.linkClock, boardId: "espruino-pico", retries: 1, onNote: (n) => notes.push(n),
    onProgress: (p) => { if (p.phase === "sync" && before < 0) before = generation(); },
  }).catch((e) => e));
  assert.instance(error, FlashError);
  assert.is(error.phase, "verify");
  assert.match(error.message, /CRC-32 of \.bootcde is 0x[0-9a-f]{8}, the bundle's is 0x[0-9a-f]{8}/);
  assert.is(error.rebooted, false);
  assert.is(corrupted, 2, "written twice (one retry), corrupted both times");
  assert.is(notes.filter((n) => n.startsWith("read-back check failed")).length, 2);
  b.clock.runFor(2e6);
  assert.is(generation(), before, "no load(), no reboot since the handback");
  assert.is(b.emu.board.flash.read(".bootcde", 0, 0), undefined, "no half-broken boot code left for a power cycle");
  assert.is(b.emu.board.rt.consoleDevice, "USB", "the board stays at its REPL, ready for another try");
});

test("a one-off corruption is repaired by rewriting the whole file", async () => {
  const next = await build("9.9.9-next");
  let corrupted = 0;
  const b = await board((text) => {
    if (corrupted > 0 || !text.includes('"W1024"')) return text;
    corrupted++;
    const start = text.indexOf('".bootcde","') + 12;
    const at = text.slice(start).search(/[a-y]/) + start;
    return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) + 1) + text.slice(at + 1);
  });
  const result = await settle(b.clock, flashBundle(b.transport, next, { clock: b.linkClock, firmware: "9.9.9-next" }));
  assert.is(result.attempts, 2);
  assert.is(b.emu.board.flash.read(".bootcde", 0, 0), next);
});

/** Starts `flowrig sim` and resolves with its TCP url once it listens. */
function startSim(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, "sim", "--json", "--listen", "tcp://127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const r = JSON.parse(line) as { event: string; url: string };
      if (r.event === "listening") resolve({ child, url: r.url });
    });
    child.once("exit", (code) => reject(new Error(`flowrig sim exited (${code}): ${stderr}`)));
  });
}

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => { stdout += d; });
  child.stderr!.on("data", (d) => { stderr += d; });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

async function identifyOver(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise((r) => socket.once("connect", r));
  const link = new HostLink((bytes) => socket.write(bytes));
  socket.on("data", (d) => link.feed(d));
  try { return await handshake(link, SCHEMA_HASH); } finally { link.close(); socket.destroy(); }
}

test("flowrig flash over TCP against flowrig sim: old firmware in, new firmware answering", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowrig-flash-"));
  const oldFile = join(dir, "old.js");
  writeFileSync(oldFile, await build("0.0.1-old"));
  const { child, url } = await startSim();
  try {
    const down = await run("flash", "--board", "espruino-pico", "--port", url, "--bundle", oldFile);
    assert.is(down.code, 0, down.stderr);
    assert.match(down.stdout, /flashed espruino-pico .*firmware 0\.0\.1-old \(was 0\.1\.0\) answers/);
    assert.is((await identifyOver(url)).firmware, "0.0.1-old");

    const up = await run("flash", "--board", "espruino-pico", "--port", url);
    assert.is(up.code, 0, up.stderr);
    assert.match(up.stdout, /CRC-32 0x[0-9a-f]{8} verified; firmware 0\.1\.0 \(was 0\.0\.1-old\) answers/);
    assert.match(up.stderr, /\[#{30}\] +\d+\/\d+ bytes/, "a progress bar in bytes");
    const now = await identifyOver(url);
    assert.is(now.firmware, "0.1.0");
    assert.is(now.board, "espruino-pico");

    const refused = await run("flash", "--board", "nope", "--port", url);
    assert.is(refused.code, 2);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
});

test("a board whose Storage cannot hold the firmware is refused before anything is sent", async () => {
  const r = await run("flash", "--board", "espruino-original", "--port", "tcp://127.0.0.1:9");
  assert.is(r.code, 2);
  assert.match(r.stderr, /firmware is \d+ bytes but espruino-original has 20480 bytes of Storage/);
});

test.run();
