// Stopping the pumps at any moment, also as a Stepper move ends but before its end event has run, halts them cleanly.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { STATE_IDLE } from "../../protocol/generated.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";

const FULL_NL = 10_000_000;

for (const boardId of ["espruino-pico", "espruino-wifi"]) {
  test(`${boardId}: 120 stops spread over the moves' phases: no firmware error, pumps idle, every step counted`, async () => {
    const b = await connectedBoard(boardId);
    const req = b.host.request.bind(b.host) as typeof b.host.request;
    for (const pump of [0, 1]) await b.ask(req("setVolume", { pump, volumeNl: FULL_NL }));
    const offset = async (pump: number) => (await b.ask(req("getPump", { pump }))).positionSteps - b.rig.pumps[pump].positionMicrosteps;
    const before = [await offset(0), await offset(1)];
    for (let i = 0; i < 120; i++) {
      await b.ask(req("setFlow", { rateA: 60_000, rateB: 300_000 }));
      b.clock.runFor(300_000 + i * 1_013); // each stop lands at another phase of the moves (on a Pico: also in a move's end event)
      await b.ask(req("stop", {}));
      assert.equal(b.emu.errors.map((e) => e.text), [], `stop ${i}`);
      assert.is((await b.ask(req("getStatus", {}))).state, STATE_IDLE);
    }
    b.clock.runFor(100_000);
    assert.equal([await offset(0), await offset(1)], before, "the board's positions still follow the pumps' physics");
  });
}

test.run();
