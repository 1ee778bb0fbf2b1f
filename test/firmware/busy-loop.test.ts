// A board whose JS loop is busy (every callback late by a fifth of a second) keeps its pumps on plan: no backlog, no fault.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadBoard } from "../../boards/load.ts";
import { STATE_IDLE, STATE_MANUAL } from "../../protocol/generated.ts";
import { connectedBoard } from "../helpers/firmware-board.ts";

const FULL_NL = 10_000_000;
/** Measured on Espruino 2v29's Linux build under qemu during a run: callbacks 0.15–0.26 s late, for minutes. */
const BUSY = { typical: 200_000, max: 400_000 };

for (const boardId of ["espruino-pico", "espruino-wifi", "espruino-linux"]) {
  test(`${boardId}, callbacks ~0.2 s late: 60 s of 60 + 300 mL/h runs without a stepOutput fault and delivers rate × time`, async () => {
    const profile = { ...loadBoard(boardId), callbackLatencyUs: BUSY };
    const b = await connectedBoard(boardId, { profile });
    const req = b.host.request.bind(b.host) as typeof b.host.request;
    for (const pump of [0, 1]) await b.ask(req("setVolume", { pump, volumeNl: FULL_NL }));
    const t0 = b.clock.nowUs();
    await b.ask(req("setFlow", { rateA: 60_000, rateB: 300_000 }));
    for (let s = 0; s < 60; s++) {
      b.clock.runFor(1e6);
      const status = await b.ask(req("getStatus", {}));
      assert.is(status.state, STATE_MANUAL, `still flowing after ${s + 1} s (faults ${status.faults}, cause ${status.cause})`);
    }
    await b.ask(req("stop", {}));
    const t1 = b.clock.nowUs();
    b.clock.runFor(2e6);
    assert.is((await b.ask(req("getStatus", {}))).state, STATE_IDLE);
    for (const [i, rateUlPerH] of [[0, 60_000], [1, 300_000]] as const) {
      const pump = b.rig.pumps[i];
      const wantNl = (rateUlPerH * 1000 * (t1 - t0)) / 3.6e9;
      // Late callbacks cost at most a late span's steps at the start and the stop's own lateness at the end.
      const slackNl = (rateUlPerH * 1000 * (2 * BUSY.max)) / 3.6e9 + 2 * pump.nlPerMicrostep;
      assert.ok(Math.abs(pump.deliveredNl - wantNl) <= slackNl, `${pump.name}: ${pump.deliveredNl.toFixed(0)} nL, want ${wantNl.toFixed(0)} ± ${slackNl.toFixed(0)}`);
    }
    assert.equal(b.emu.errors.map((e) => e.text), []);
  });
}

test.run();
