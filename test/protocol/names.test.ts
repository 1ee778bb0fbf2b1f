// The name tables for people come from the schema: states, causes, faults, pump and sample flags, and which states run a program.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { causeName, faultExplanation, faultNames, faultSummary, isRunning, sampleFlagNames, stateName } from "../../protocol/names.ts";
import { CAUSES, FAULTS, STATES } from "../../protocol/schema.ts";

test("every state code has its schema name; unknown codes say what they are", () => {
  for (const s of STATES) assert.is(stateName(s.code), s.name);
  assert.is(stateName(99), "state 99");
  assert.is(causeName(CAUSES[1].code), CAUSES[1].name);
});

test("a program is on exactly while running or paused", () => {
  assert.equal(STATES.filter((s) => isRunning(s.code)).map((s) => s.name), ["running", "paused"]);
});

test("flag bits become names in bit order; faults carry their cause and meaning", () => {
  assert.equal(sampleFlagNames(0), []);
  assert.equal(sampleFlagNames(0b10101), ["saturated", "ramping", "spilled"]);
  const estop = FAULTS.find((f) => f.name === "estop")!;
  assert.equal(faultNames(1 << estop.bit), ["estop"]);
  assert.is(faultSummary({ faults: 0, cause: 0 }), "none");
  assert.is(faultExplanation({ faults: 0, cause: 0 }), "");
  assert.match(faultExplanation({ faults: 1 << estop.bit, cause: 0 }), `estop (${causeName(0)}): ${estop.doc}`);
});

test.run();
