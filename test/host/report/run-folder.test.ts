// A run folder from start to finish: run.json, samples.csv while running, summary.csv and plots at the end, resume.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunFolder, finishRunFolder, openRunFolder, type RunMeta } from "../../../host/report/run-folder.ts";
import { TOLUENE_SWEEP, syntheticRun } from "./_fixtures.ts";

const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), "flowrig-run-")); made.push(d); return d; };
test.after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const meta: RunMeta = {
  recipe: { name: "toluene sweep", steps: TOLUENE_SWEEP },
  configuration: { pumpA: { role: "precursor", syringe: "BD 10 mL" }, pumpB: { role: "antisolvent", syringe: "BD 60 mL" } },
  board: { id: "espruino-pico", firmwareVersion: "0.1.0", schemaHash: "abcd" },
  startIso: "2025-01-02T03:00:00.000Z",
  runStartBoardS: 1000,
};

test("create → samples → clock pairs → finish leaves run.json, samples.csv, summary.csv and the plots", () => {
  const dir = join(tmp(), "runs", "sweep-1");
  const run = createRunFolder(dir, meta, { sync: false });
  assert.is(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).status, "running");
  run.addClockPair({ boardTimeS: 1000, hostTimeIso: "2025-01-02T03:00:00.000Z", roundTripMs: 4 });
  const { steps, samples } = syntheticRun(TOLUENE_SWEEP);
  run.samples.append(samples.map((s, seq) => ({
    boardTimeMs: (1000 + s.timeS) * 1000, hostTime: new Date(Date.parse(meta.startIso) + s.timeS * 1000), seq, segment: 0, tag: 0,
    label: "x", precursorUlPerH: 60000, antisolventUlPerH: 1000000, plUfs: s.pl, darkUfs: 100, flags: s.flags.length > 0 ? 4 : 0,
  })));
  assert.throws(() => createRunFolder(dir, meta), /already holds a run/);

  const { rows, files } = finishRunFolder(run, { steps, endIso: "2025-01-02T03:10:00.000Z" });
  assert.equal(files, ["run.json", "samples.csv", "summary.csv", "pl-time.svg", "pl-vs-antisolvent.svg"]);
  for (const f of files) assert.ok(existsSync(join(dir, f)), f);
  assert.ok(!existsSync(join(dir, "pl-vs-precursor.svg")));
  assert.ok(rows.every((r) => r.n === 90 && r.nSettling === 30), JSON.stringify(rows.map((r) => [r.n, r.nSettling])));
  const json = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
  assert.is(json.format, "flowrig-run/1");
  assert.is(json.status, "done");
  assert.is(json.endIso, "2025-01-02T03:10:00.000Z");
  assert.equal(json.board, meta.board);
  assert.equal(json.recipe, meta.recipe);
  assert.equal(json.clockAlignment, [{ boardTimeS: 1000, hostTimeIso: "2025-01-02T03:00:00.000Z", roundTripMs: 4 }]);
  assert.equal(json.files, files);
  assert.is(readFileSync(join(dir, "summary.csv"), "utf8").trimEnd().split("\n").length, 6);
});

test("openRunFolder resumes samples.csv after its last seq", () => {
  const dir = tmp();
  const run = createRunFolder(dir, meta);
  const rec = (seq: number) => ({ boardTimeMs: 1000000 + seq * 1000, hostTime: "2025-01-02T03:00:00.000Z", seq, precursorUlPerH: 0, antisolventUlPerH: 0, plUfs: 1, darkUfs: 0, flags: 0 });
  run.samples.append([rec(0), rec(1)]);
  run.samples.close();
  const again = openRunFolder(dir);
  assert.is(again.samples.lastSeq, 1);
  assert.is(again.meta.board.id, "espruino-pico");
  assert.throws(() => again.samples.append(rec(3)), /seq 3 does not follow the last seq 1/);
  again.samples.append(rec(2));
  const { files } = finishRunFolder(again, { steps: [], endIso: "2025-01-02T04:00:00.000Z", status: "stopped" });
  assert.equal(files, ["run.json", "samples.csv", "summary.csv", "pl-time.svg"]);
  assert.is(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).status, "stopped");
});

test.run();
