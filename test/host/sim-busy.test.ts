// One host at a time on `flowrig sim --listen`: a second host is told the board is in use; an idle client is dropped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { connect, type Socket } from "node:net";
import { SCHEMA_HASH } from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { flowrig, startSim } from "./commands/harness.ts";

const portOf = (url: string) => Number(new URL(url).port);

test("a second host while one holds the board: a clear 'in use by another host', exit 4; the first carries on", async () => {
  const sim = await startSim("--listen", "tcp://127.0.0.1:0");
  const socket: Socket = connect(portOf(sim.port), "127.0.0.1");
  try {
    await new Promise((resolve) => socket.once("connect", resolve));
    const link = new HostLink((bytes) => socket.write(bytes));
    socket.on("data", (chunk) => link.feed(chunk));
    await handshake(link, SCHEMA_HASH);
    const r = await flowrig("status", "--port", sim.port);
    assert.is(r.status, 4, r.stderr);
    assert.match(r.stderr, `${sim.port}: the board is in use by another host`);
    const status = await link.request("getStatus", {});
    assert.type(status.timeMs, "number", "the first host's session is untouched");
    link.close();
  } finally {
    socket.destroy();
    await sim.stop();
  }
});

test("a raw client that never identifies is dropped after --identify-timeout; then a host gets the board", async () => {
  const sim = await startSim("--listen", "tcp://127.0.0.1:0", "--identify-timeout", "0.5");
  const idle = connect(portOf(sim.port), "127.0.0.1");
  idle.on("error", () => {});
  try {
    const closed = new Promise((resolve) => idle.once("close", resolve));
    const dropped = await sim.waitFor((l) => l.event === "refused" && String(l.detail).startsWith("dropped: no identify within 0.5 s"));
    assert.ok(dropped);
    await closed;
    const r = await flowrig("status", "--port", sim.port, "--json");
    assert.is(r.status, 0, r.stderr);
  } finally {
    idle.destroy();
    await sim.stop();
  }
});

test.run();
