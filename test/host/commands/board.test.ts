// info, status, monitor, stop and estop as a user runs them: the real bin against `flowrig sim` over TCP.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { encodeFrame, FrameReader } from "../../../protocol/frame.ts";
import { encodeMessage } from "../../../protocol/messages.ts";
import { SCHEMA_HASH } from "../../../protocol/generated.ts";
import { bin, flowrig, flowrigJson, startSim, type Sim } from "./harness.ts";

let sim: Sim;

test.before(async () => { sim = await startSim("--listen", "tcp://127.0.0.1:0"); });
test.after(async () => { await sim.stop(); });

test("info: identity and capabilities, as JSON and as text", async () => {
  const [info] = await flowrigJson("info", "--port", sim.port);
  assert.is(info.board, "espruino-pico");
  assert.is(info.schemaHash, `0x${SCHEMA_HASH.toString(16).toUpperCase()}`);
  assert.is(info.capabilities.pumps, 2);
  assert.is(info.capabilities.window, 4);
  const text = await flowrig("info", "--port", sim.port);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, /board\s+espruino-pico/);
  assert.match(text.stdout, /protocol\s+v1, schema 0xDEB4D914 \(matches this host\)/);
  assert.not.match(text.stdout, /\x1b\[/, "no colour when not a TTY");
});

test("status: state, rates, volumes per pump, PL, faults and memory", async () => {
  const [s] = await flowrigJson("status", "--port", sim.port);
  assert.is(s.state, "idle");
  assert.is(s.program, null);
  assert.equal([s.rateAMlPerH, s.rateBMlPerH], [0, 0]);
  assert.equal(s.pumps.map((p: { pump: string }) => p.pump), ["A", "B"]);
  assert.is(s.pumps[0].syringe, "BD 10 mL");
  assert.is(typeof s.pumps[0].volumeNl, "number");
  assert.is(typeof s.plUfs, "number");
  assert.equal(s.faults, []);
  assert.is(s.cause, "none");
  assert.ok(s.memory.free > 0 && s.memory.free < s.memory.total);
  const text = await flowrig("status", "--port", sim.port);
  assert.is(text.status, 0, text.stderr);
  for (const line of [/state\s+idle/, /flow\s+A 0 mL\/h\s+B 0 mL\/h/, /pump A\s+\d+\.\d{3} mL left in BD 10 mL/, /PL\s+-?\d+ ppm FS/, /faults\s+none/, /memory\s+\d+ of 5100 variables free/]) {
    assert.match(text.stdout, line);
  }
});

test("monitor --count: one JSON line per poll; text lines carry a PL sparkline", async () => {
  const polls = await flowrigJson("monitor", "--port", sim.port, "--count", "3", "--interval", "0.1");
  assert.equal(polls.map((p) => p.poll), [1, 2, 3]);
  for (const p of polls) {
    assert.is(p.state, "idle");
    assert.is(p.pumps.length, 2);
    assert.is(typeof p.plUfs, "number");
  }
  assert.ok(polls[2].boardTimeMs > polls[0].boardTimeMs, "the board clock moves between polls");
  const text = await flowrig("monitor", "--port", sim.port, "--count", "2", "--interval", "0.1");
  assert.is(text.status, 0, text.stderr);
  const lines = text.stdout.trim().split("\n");
  assert.is(lines.length, 2);
  assert.match(lines[1], /idle\s+seg -\s+A 0 mL\/h \d+\.\d\d mL\s+B 0 mL\/h \d+\.\d\d mL\s+PL -?\d+ [▁▂▃▄▅▆▇█]{2}$/);
});

test("monitor runs until Ctrl-C (SIGINT), then exits 0", async () => {
  const child = spawn(process.execPath, [bin, "monitor", "--port", sim.port, "--json", "--interval", "0.1"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines: string[] = [];
  await new Promise<void>((resolve) => createInterface({ input: child.stdout }).on("line", (line) => { lines.push(line); if (lines.length === 2) resolve(); }));
  child.kill("SIGINT");
  assert.is(await exited, 0);
  assert.is(JSON.parse(lines[1]).poll, 2);
});

test("stop when idle is no error; estop faults the board; stop --clear-fault brings it back to idle", async () => {
  const [idle] = await flowrigJson("stop", "--port", sim.port);
  assert.equal([idle.before, idle.stopped, idle.state], ["idle", false, "idle"]);
  const [estop] = await flowrigJson("estop", "--port", sim.port);
  assert.equal([estop.state, estop.faults, estop.cause], ["fault", ["estop"], "host.estop"]);
  const faulted = await flowrig("status", "--port", sim.port);
  assert.match(faulted.stdout, /faults\s+estop \(cause host\.estop\)/);
  const plain = await flowrig("stop", "--port", sim.port);
  assert.is(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /nothing to stop: the board is fault\nfault: estop \(cause host\.estop\); flowrig stop --clear-fault acknowledges it/);
  const [cleared] = await flowrigJson("stop", "--port", sim.port, "--clear-fault");
  assert.equal([cleared.before, cleared.cleared, cleared.state, cleared.faults], ["fault", true, "idle", []]);
});

test("a firmware with another schema is refused at identify: exit 5 with the handshake's advice", async () => {
  // A board that answers identify with a different schema hash, and nothing else.
  const server = createServer((socket) => {
    const reader = new FrameReader((body) => {
      const { id, payload } = encodeMessage("identity", {
        protocolVersion: 1, schemaHash: 0x12345678, firmware: "0.0.9", board: "espruino-pico", pumps: 2, sensorChannels: 1,
        sampleCapacity: 256, maxPayload: 58, window: 4, timerTickNs: 954, programSlots: 4, maxSegments: 64, bootCount: 1,
      });
      socket.write(Uint8Array.from(encodeFrame(body[0], id, payload)));
    }, () => {});
    socket.on("data", (chunk) => reader.pushAll(chunk));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const results = await Promise.all([flowrig("status", "--port", port), flowrig("config", "get", "--port", port), flowrig("stop", "--port", port)]);
    for (const r of results) {
      assert.is(r.status, 5, r.stderr);
      assert.match(r.stderr, /runs firmware 0\.0\.9 speaking protocol v1 schema 0x12345678, but this host speaks v1 schema 0xdeb4d914\. Flash the matching firmware: npx flowrig flash --board espruino-pico/);
      assert.is(r.stdout, "");
    }
  } finally {
    server.close();
  }
});

test("no board there: exit 4 (link error) naming the port", async () => {
  const r = await flowrig("info", "--port", "tcp://127.0.0.1:9");
  assert.is(r.status, 4);
  assert.match(r.stderr, /cannot reach tcp:\/\/127\.0\.0\.1:9/);
});

test.run();
