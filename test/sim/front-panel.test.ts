// The virtual rig's front panel: the board profile's SSD1306 and buttons are wired under the firmware's pins.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bootVirtualRig } from "../../host/sim/virtual-rig.ts";

test("code on the virtual Pico draws on the profile's SSD1306 and sees the profile's buttons", async () => {
  const v = await bootVirtualRig({ boardId: "espruino-pico" });
  const d = v.profile.display;
  v.emu.evaluate(`
    I2C1.setup({ scl: "${d.scl}", sda: "${d.sda}", bitrate: 400000 });
    var panelPresses = 0;
    setWatch(function () { panelPresses++; }, "${v.profile.buttons.select.replace(/^[!^]+/, "")}", { repeat: true, edge: "falling", debounce: 10 });
    var panel = require("SSD1306").connect(I2C1, function () {
      panel.setFont("4x6"); panel.drawString("flowrig", 10, 10); panel.fillRect(0, 60, 127, 63); panel.flip();
    }, { address: ${d.address} });
  `);
  v.clock.runFor(500e3);
  assert.ok(v.display.frames.length >= 1, "a frame reached the display");
  const lit = v.display.pixels().reduce((n, p) => n + (p ? 1 : 0), 0);
  assert.ok(lit > 128 * 4, `${lit} pixels lit (the bar alone is 512)`);
  v.buttons.press("select", 100);
  v.clock.runFor(300e3);
  assert.is(v.emu.evaluate("panelPresses"), 1, "one debounced press");
  assert.equal(v.emu.errors, []);
});

test.run();
