// Shows the wire protocol at work: a host and a board endpoint over a noisy virtual 115200-baud line.
import { Scheduler } from "./scheduler.ts";
import { NO_FAULTS, serialLine, type LineFaults } from "./serial-line.ts";
import { settle, virtualLinkClock } from "./virtual-time.ts";
import { DeviceLink } from "../../protocol/device-link.ts";
import { CONFIG_KEYS } from "../../protocol/schema.ts";
import { MSG_CONFIG_GET, MSG_CONFIG_SET, MSG_IDENTIFY, MSG_IDENTITY, MSG_OK, SCHEMA_HASH } from "../../protocol/generated.ts";
import { Config } from "../../firmware/config.ts";
import { seededRandom } from "./random.ts";
import { handshake } from "../../protocol/handshake.ts";
import { DeviceError, HostLink } from "../../protocol/host-link.ts";

const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

/** A stand-in board: identify, and the firmware's own configuration table with its range checks (firmware/config.ts). */
function configBoard() {
  const config = new Config();
  return (id: number, args: number[]): unknown[] => {
    if (id === MSG_IDENTIFY) return [MSG_IDENTITY, [1, SCHEMA_HASH, "demo", "protocol-demo", 2, 1, 0, 58, 4, 1000, 0, 0, 0]];
    if (id === MSG_CONFIG_GET) return config.get(args[0], args[1]);
    if (id === MSG_CONFIG_SET) return config.set(args[0], args[1], args[2]);
    return [MSG_OK, []];
  };
}

async function session(faults: LineFaults, verbose: boolean) {
  const clock = new Scheduler();
  const random = seededRandom(42);
  let host!: HostLink;
  const toHost = serialLine(clock, random, faults, 115200, 100, (b) => host.feed(b));
  const device = new DeviceLink((frame) => toHost.send([...Buffer.from(frame, "latin1")]), configBoard() as never, () => {});
  const toDevice = serialLine(clock, random, faults, 115200, 1000, (b) => device.receive(b));
  let shown = 0;
  host = new HostLink((bytes) => {
    if (verbose && shown++ < 3) console.log(`  host → board  ${hex(bytes)}`);
    toDevice.send(bytes);
  }, { clock: virtualLinkClock(clock) });
  const identity = await settle(clock, handshake(host, SCHEMA_HASH, random));
  if (verbose) console.log(`identified ${identity.board}, firmware ${identity.firmware}, window ${identity.window}`);
  const key = CONFIG_KEYS.find((k) => k.name === "maxRateUlPerH")!;
  const reply = await settle(clock, host.request("configSet", { key: key.key, index: 1, value: 5_000_000 }));
  if (verbose) console.log(`configSet ${key.name}[B] = 5000000 µL/h → read back ${reply.value}`);
  const refused = await settle(clock, host.request("configSet", { key: key.key, index: 1, value: 30_000_000 }).catch((e: DeviceError) => e));
  if (verbose) console.log(`configSet ${key.name}[B] = 30000000 → ${(refused as Error).message}`);
  const many = Array.from({ length: 300 }, (_, i) => host.request("configSet", { key: 17, index: 0, value: 100 + i }));
  await settle(clock, Promise.all(many));
  return { host, toHost, toDevice, clock };
}

/** Prints one clean session frame by frame, then the tally of 300 commands over a noisy line. */
export async function runProtocolDemo(): Promise<void> {
  console.log("flowrig protocol demo: one session on a clean line, then 300 commands on a noisy one\n");
  await session(NO_FAULTS, true);
  const noisy = await session({ dropByte: 0.003, corruptByte: 0.003, duplicateChunk: 0.03 }, false);
  const s = noisy.host.stats;
  const lines = [noisy.toDevice.stats, noisy.toHost.stats];
  const sum = (k: "dropped" | "corrupted" | "duplicated") => lines[0][k] + lines[1][k];
  console.log(`\nnoisy line: ${sum("dropped")} bytes dropped, ${sum("corrupted")} corrupted, ${sum("duplicated")} chunks duplicated`);
  console.log(`all 300 commands answered in order in ${(noisy.clock.nowUs() / 1e6).toFixed(2)} virtual s: ` +
    `${s.retransmits} retransmissions, ${s.naksReceived} naks, RTT ${s.srttMs.toFixed(1)} ms`);
}
