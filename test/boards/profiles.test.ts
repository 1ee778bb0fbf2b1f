// Every board profile in boards/ loads and validates; listBoards/loadBoard behave.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listBoards, loadBoard } from "../../boards/load.ts";
import { DRIVERS } from "../../boards/drivers.ts";
import { CHIPS } from "../../boards/pins.ts";

const expected = ["espruino-esp32", "espruino-linux", "espruino-original", "espruino-pico", "espruino-wifi"];

test("listBoards finds every profile and not the schema", () => {
  assert.equal(listBoards(), expected);
});

for (const id of expected) {
  test(`${id} loads and validates`, () => {
    const board = loadBoard(id);
    assert.is(board.$schema, "./schema.json");
    assert.is(board.pumps.length, 2);
    assert.ok(CHIPS[board.chip] !== undefined);
    for (const pump of board.pumps) assert.ok(DRIVERS[pump.driver] !== undefined);
  });
}

test("figures from Espruino's board files", () => {
  const pico = loadBoard("espruino-pico");
  assert.is(pico.variables, 5100);
  assert.is(pico.hasStepper, true);
  assert.is(pico.pulseQueueLength, 16);
  assert.equal(pico.link, { kind: "usb" });
  assert.is(loadBoard("espruino-original").variables, 2756);
  assert.is(loadBoard("espruino-wifi").hasStepper, false);
  assert.is(loadBoard("espruino-esp32").variables, 16383);
  assert.equal(loadBoard("espruino-linux").link, { kind: "serial-path", port: "Serial1", path: "/tmp/flowrig-link", baud: 115200 });
});

test("loadBoard of an unknown id names the file and lists the boards", () => {
  assert.throws(() => loadBoard("espruino-pcio"), (e: Error) =>
    e.message.includes("boards/espruino-pcio.json: no such board") && e.message.includes("espruino-pico"));
});

test.run();
