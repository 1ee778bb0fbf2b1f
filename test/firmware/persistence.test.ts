// Configuration in flash: kept across reboots, a power cut during a save keeps the old one, a corrupt store is reported.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CAUSE_FLASH, CFG_LEAD_UM, CFG_MAX_RATE_UL_PER_H, CFG_SAMPLE_PERIOD_MS, FAULT_CONFIG_CORRUPT, SCHEMA_HASH, STATE_FAULT, STATE_IDLE,
} from "../../protocol/generated.ts";
import { handshake } from "../../protocol/handshake.ts";
import { HostLink } from "../../protocol/host-link.ts";
import { settle, virtualLinkClock } from "../../host/sim/virtual-time.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";
import { seededRandom } from "../helpers/random.ts";

type Board = Awaited<ReturnType<typeof connectedBoard>>;

/** Power comes back: the firmware boots from flash; a new host session is opened. */
async function reboot(b: Board) {
  b.emu.boot();
  b.clock.runFor(500e3);
  const host = new HostLink((bytes) => b.emu.host.write(bytes), { clock: virtualLinkClock(b.clock) });
  b.emu.host.onData((bytes) => host.feed(bytes));
  const identity = await settle(b.clock, handshake(host, SCHEMA_HASH, seededRandom(5)));
  return { host, identity, get: (key: number, index: number) => settle(b.clock, host.request("configGet", { key, index })).then((r) => r.value) };
}

test("a saved configuration survives a power cut; the boot count goes up", async () => {
  const b = await connectedBoard("espruino-pico");
  const before = (await b.ask(b.host.request("identify", { session: 77 }))).bootCount;
  await b.ask(b.host.request("configSet", { key: CFG_LEAD_UM, index: 1, value: 8000 }));
  await b.ask(b.host.request("configSet", { key: CFG_SAMPLE_PERIOD_MS, index: 0, value: 250 }));
  await b.ask(b.host.request("configSave", {}));
  await b.ask(b.host.request("configSet", { key: CFG_MAX_RATE_UL_PER_H, index: 0, value: 1000 })); // not saved
  b.emu.powerCut();
  const r = await reboot(b);
  assert.is(r.identity.bootCount, before + 1);
  assert.equal([await r.get(CFG_LEAD_UM, 1), await r.get(CFG_SAMPLE_PERIOD_MS, 0), await r.get(CFG_MAX_RATE_UL_PER_H, 0)], [8000, 250, 6_000_000]);
  const status = await settle(b.clock, r.host.request("getStatus", {}));
  assert.equal([status.state, status.faults], [STATE_IDLE, 0]);
});

test("a power cut at any byte of a save leaves the old or the new configuration, never a fault", async () => {
  const b = await connectedBoard("espruino-pico");
  await b.ask(b.host.request("configSet", { key: CFG_LEAD_UM, index: 0, value: 4000 }));
  await b.ask(b.host.request("configSave", {}));
  let host = b.host;
  let sawOld = 0;
  let sawNew = 0;
  for (let cut = 0; cut < 400; cut += 3) {
    await settle(b.clock, host.request("configSet", { key: CFG_LEAD_UM, index: 0, value: 6000 }));
    b.emu.storageFaults.cutAfterBytes(cut);
    host.request("configSave", {}).catch(() => {});
    b.clock.runFor(100e3);
    b.emu.storageFaults.cutAfterBytes(Number.MAX_SAFE_INTEGER); // a save shorter than `cut` leaves it armed: disarm
    const r = await reboot(b);
    host = r.host;
    const lead = await r.get(CFG_LEAD_UM, 0);
    assert.ok(lead === 4000 || lead === 6000, `cut after ${cut} bytes: lead ${lead}`);
    if (lead === 4000) sawOld++;
    else sawNew++;
    const status = await settle(b.clock, host.request("getStatus", {}));
    assert.is(status.faults & FAULT_CONFIG_CORRUPT, 0, `cut after ${cut} bytes reported a corrupt store`);
    // Back to the old configuration for the next round.
    await settle(b.clock, host.request("configSet", { key: CFG_LEAD_UM, index: 0, value: 4000 }));
    await settle(b.clock, host.request("configSave", {}));
  }
  assert.ok(sawOld > 0 && sawNew > 0, `cuts landed both before (${sawOld}) and after (${sawNew}) the save took`);
});

test("a corrupt store: defaults in force, a reported fault naming the flash, and the board still answers", async () => {
  const b = await connectedBoard("espruino-pico");
  await b.ask(b.host.request("configSet", { key: CFG_LEAD_UM, index: 0, value: 8000 }));
  await b.ask(b.host.request("configSave", {}));
  const files = JSON.parse(String(b.emu.evaluate(`JSON.stringify(require("Storage").list(/flowrig\\.cfg/))`))) as string[];
  assert.ok(files.length > 0, "the configuration is in flash");
  for (const f of files) {
    b.emu.evaluate(`(function(){var s=require("Storage"),d=s.read(${JSON.stringify(f)}),x="";for(var i=0;i<d.length;i++)x+=String.fromCharCode(d.charCodeAt(i)^0x5a);s.erase(${JSON.stringify(f)});s.write(${JSON.stringify(f)},x);})()`);
  }
  b.emu.powerCut();
  const r = await reboot(b);
  const status = await settle(b.clock, r.host.request("getStatus", {}));
  assert.equal([status.state, status.faults & FAULT_CONFIG_CORRUPT, status.cause], [STATE_FAULT, FAULT_CONFIG_CORRUPT, CAUSE_FLASH]);
  assert.is(await r.get(CFG_LEAD_UM, 0), 2000, "defaults in force");
  assert.equal(b.emu.errors, [], "no crash");
  await settle(b.clock, r.host.request("clearFault", {}));
  assert.is((await settle(b.clock, r.host.request("getStatus", {}))).state, STATE_IDLE);
});

test.run();
