// The built firmware bundle on an emulated Pico answers the protocol as a host would use it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPL_KEY } from "../../protocol/schema.ts";
import { CFG_CAPACITY_UL, CFG_INNER_DIAMETER_UM, CFG_MAX_RATE_UL_PER_H, CFG_SYRINGE, ERR_BAD_ARGUMENT, SCHEMA_HASH } from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { DeviceError } from "../../protocol/host-link.ts";
import { settle } from "../../host/sim/virtual-time.ts";
import { seededRandom } from "../helpers/random.ts";
import { bootBoard } from "../helpers/firmware-board.ts";

test("identify: the bundle reports its schema hash, board and capabilities", async () => {
  const b = await bootBoard("espruino-pico");
  const id = await settle(b.clock, handshake(b.host, SCHEMA_HASH, seededRandom(1)));
  assert.is(id.schemaHash, SCHEMA_HASH);
  assert.is(id.board, "espruino-pico");
  assert.is(id.pumps, 2);
  assert.is(id.window, 4);
  assert.is(id.timerTickNs, b.profile.timerTickNs);
  assert.equal(b.emu.errors, []);
});

test("configuration: set, read back, refuse out-of-range values naming field and limit, change nothing", async () => {
  const b = await bootBoard("espruino-pico");
  await settle(b.clock, handshake(b.host, SCHEMA_HASH, seededRandom(2)));
  const set = await settle(b.clock, b.host.request("configSet", { key: CFG_MAX_RATE_UL_PER_H, index: 1, value: 5000000 }));
  assert.is(set.value, 5000000);
  const refused = await settle(b.clock, b.host.request("configSet", { key: CFG_MAX_RATE_UL_PER_H, index: 1, value: 30000000 }).catch((e) => e));
  assert.instance(refused, DeviceError);
  assert.is(refused.code, ERR_BAD_ARGUMENT);
  assert.is(refused.fieldName, "value");
  assert.is(refused.limit, 20000000);
  const badPump = await settle(b.clock, b.host.request("configGet", { key: CFG_MAX_RATE_UL_PER_H, index: 2 }).catch((e) => e));
  assert.is(badPump.fieldName, "index");
  assert.is(badPump.limit, 1);
  const read = await settle(b.clock, b.host.request("configGet", { key: CFG_MAX_RATE_UL_PER_H, index: 1 }));
  assert.is(read.value, 5000000, "the refused value changed nothing");
});

test("choosing a syringe from the library sets its diameter and capacity", async () => {
  const b = await bootBoard("espruino-pico");
  await settle(b.clock, handshake(b.host, SCHEMA_HASH, seededRandom(3)));
  await settle(b.clock, b.host.request("configSet", { key: CFG_SYRINGE, index: 1, value: 7 }));
  const d = await settle(b.clock, b.host.request("configGet", { key: CFG_INNER_DIAMETER_UM, index: 1 }));
  const c = await settle(b.clock, b.host.request("configGet", { key: CFG_CAPACITY_UL, index: 1 }));
  assert.equal([d.value, c.value], [26590, 60000]);
  const bad = await settle(b.clock, b.host.request("configSet", { key: CFG_SYRINGE, index: 1, value: 19 }).catch((e) => e));
  assert.is(bad.limit, 18);
});

test("clock and status: board time advances in virtual time; memory use is reported", async () => {
  const b = await bootBoard("espruino-pico");
  await settle(b.clock, handshake(b.host, SCHEMA_HASH, seededRandom(4)));
  const c1 = await settle(b.clock, b.host.request("getClock", {}));
  b.clock.runFor(60e6);
  const c2 = await settle(b.clock, b.host.request("getClock", {}));
  const dt = (c2.seconds - c1.seconds) + (c2.micros - c1.micros) / 1e6;
  assert.ok(dt >= 60 && dt < 60.1, `${dt} s`);
  const s = await settle(b.clock, b.host.request("getStatus", {}));
  assert.is(s.state, 0);
  assert.is(s.memTotal, 5100);
  assert.ok(s.memFree >= 0 && s.memFree < 5100, `free ${s.memFree}`);
});

test("repl: a wrong key is refused; the right one stops the pumps and gives USB back to the console", async () => {
  const b = await bootBoard("espruino-pico");
  await settle(b.clock, handshake(b.host, SCHEMA_HASH, seededRandom(5)));
  const wrong = await settle(b.clock, b.host.request("repl", { key: 1 }).catch((e) => e));
  assert.is(wrong.fieldName, "key");
  await settle(b.clock, b.host.request("setVolume", { pump: 0, volumeNl: 1_000_000 }));
  await settle(b.clock, b.host.request("setFlow", { rateA: 60_000, rateB: 0 }));
  await settle(b.clock, b.host.request("repl", { key: REPL_KEY }));
  b.clock.runFor(500e3);
  const at = b.rig.pumps[0].positionMicrosteps;
  b.clock.runFor(2e6);
  assert.is(b.rig.pumps[0].positionMicrosteps, at, "pumps stopped");
  let text = "";
  b.emu.host.onData((bytes) => { text += Buffer.from(bytes).toString("latin1"); });
  b.emu.evaluate(`print("REPL is back")`);
  b.clock.runFor(100e3);
  assert.match(text, /REPL is back/, "console output reaches the host on USB again");
});

test.run();
