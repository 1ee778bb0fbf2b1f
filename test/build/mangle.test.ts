// Property-name mangling: the firmware's own names get short, Espruino's API, built-ins and profile keys keep theirs.
import vm from "node:vm";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadBoard } from "../../boards/load.ts";
import { buildFirmware } from "../../host/build/bundle.ts";
import { planPropertyMangling } from "../../host/build/mangle.ts";
import { builtinMemberNames, FIRMWARE_KEEP, keptNames, profileKeyNames } from "../../host/build/mangle-keep.ts";
import { checkEspruinoSubset } from "../../host/build/subset-check.ts";

const FIXTURE = "test/build/fixtures/mangle/main.ts";
const OWN_NAMES = ["fileNameForLedger", "runningTotalOfEntries", "numberOfRecordedEntries", "recordEntry", "summaryLine",
  "entriesSoFar", "totalSoFar"];

interface Calls { writes: [string, string][]; steppers: Record<string, unknown>[]; moves: [number, Record<string, unknown>][];
  watches: [string, Record<string, unknown>][]; lines: string[] }

/** Runs a bundle against stand-ins for Storage, Stepper and setWatch that only answer to Espruino's names. */
function run(code: string): Calls {
  const calls: Calls = { writes: [], steppers: [], moves: [], watches: [], lines: [] };
  const ctx = vm.createContext({
    report: (line: string) => calls.lines.push(line),
    require: (name: string) => {
      assert.is(name, "Storage");
      return { write: (file: string, data: string) => { calls.writes.push([file, data]); return true; } };
    },
    Stepper: function (this: unknown, options: Record<string, unknown>) {
      calls.steppers.push(options);
      return { moveTo: (pos: number, o: Record<string, unknown>) => { calls.moves.push([pos, o]); return { then() {} }; } };
    },
    setWatch: (fn: (e: { state: boolean; time: number }) => void, pin: string, options: Record<string, unknown>) => {
      calls.watches.push([pin, options]);
      fn({ state: true, time: 1.5 });
    },
  });
  vm.runInContext(code, ctx, { filename: "mangled.js" });
  return JSON.parse(JSON.stringify(calls)) as Calls; // objects made inside the context: compare as plain data
}

const pico = loadBoard("espruino-pico");
const expectedLine = `${pico.link.kind} ${pico.timerTickNs} ${pico.pumps.length} pumps, ${pico.sensor.photodiode} 2 entries, total 7`;

test("mangled and unmangled builds of the fixture behave the same; Espruino's API keeps its names", async () => {
  for (const mangleProps of [false, true]) {
    const { code } = await buildFirmware({ entry: FIXTURE, boardId: "espruino-pico", mangleProps });
    assert.equal(checkEspruinoSubset(code, "mangle.js").filter((p) => p.level === "error"), []);
    const calls = run(code);
    assert.equal(calls.writes, [["flowrig.mangle", "2 entries, total 7"]], `mangleProps ${mangleProps}`);
    const step = pico.pumps[0].step;
    assert.equal(calls.steppers, [{ pins: [step, step, step, step], pattern: [0, 15], freq: 100 }]);
    assert.equal(calls.moves, [[14, { relative: true, freq: 50 }]]);
    assert.equal(calls.watches, [[pico.pumps[0].minEndstop, { repeat: true, edge: "both", debounce: 5 }]]);
    assert.equal(calls.lines, ["watch true 1.5", expectedLine]);
  }
});

test("an Espruino API call survives mangling by name in the bundle text", async () => {
  const { code, mangled } = await buildFirmware({ entry: FIXTURE, boardId: "espruino-pico", mangleProps: true });
  assert.match(code, /require\("Storage"\)\.write\(/);
  assert.match(code, /new Stepper\(\{pins:/);
  for (const name of ["pattern:", "freq:", ".moveTo(", "relative:", "repeat:", "edge:", "debounce:", ".state", ".time"]) {
    assert.ok(code.includes(name), name);
  }
  for (const name of ["write", "pins", "pattern", "freq", "moveTo", "relative", "state", "time", "repeat", "edge", "debounce"]) {
    assert.not.ok(mangled?.includes(name), name);
  }
});

test("the fixture's own fields, methods and object keys are shortened", async () => {
  const plain = await buildFirmware({ entry: FIXTURE, boardId: "espruino-pico" });
  const { code, bytes, mangled } = await buildFirmware({ entry: FIXTURE, boardId: "espruino-pico", mangleProps: true });
  for (const name of OWN_NAMES) {
    assert.ok(plain.code.includes(name), `unmangled build keeps ${name}`);
    assert.not.ok(code.includes(name), `${name} is shortened`);
    assert.ok(mangled?.includes(name), name);
  }
  assert.ok(bytes < plain.bytes, `${bytes} < ${plain.bytes}`);
});

test("the board profile's keys survive mangling (the profile is inlined as an object literal)", async () => {
  const { code, mangled } = await buildFirmware({ entry: FIXTURE, boardId: "espruino-pico", mangleProps: true });
  for (const key of profileKeyNames()) assert.not.ok(mangled?.includes(key), key);
  for (const key of ["pumps", "step", "minEndstop", "timerTickNs", "sensor", "photodiode", "link", "kind"]) {
    assert.ok(code.includes(`${key}:`), `${key}: in the inlined profile`);
  }
  // Only the keys the firmware reads are inlined: the rest would cost the board RAM for nothing.
  for (const key of ["variables", "flashStorageBytes", "notes", "reservedPins", "chip"]) {
    assert.not.ok(code.includes(`${key}:`), `${key}: left out of the inlined profile`);
  }
  assert.equal(run(code).lines.at(-1), expectedLine);
});

test("mangling defaults on for firmware/main.ts only; fixtures build unmangled", async () => {
  const fixture = await buildFirmware({ entry: FIXTURE, boardId: "espruino-pico" });
  assert.is(fixture.mangled, undefined);
  const firmware = await buildFirmware({ entry: "firmware/main.ts", boardId: "espruino-pico" });
  assert.ok((firmware.mangled ?? []).length > 100, String(firmware.mangled?.length));
  for (const name of ["plannedUntilMs", "spanSteps", "stepVolumePl"]) {
    assert.ok(firmware.mangled?.includes(name), name);
    assert.not.ok(firmware.code.includes(name), name);
  }
  const unmangled = await buildFirmware({ entry: "firmware/main.ts", boardId: "espruino-pico", mangleProps: false });
  assert.ok(unmangled.code.includes("plannedUntilMs"));
  assert.ok(firmware.bytes < unmangled.bytes * 0.9, `${firmware.bytes} vs ${unmangled.bytes}`);
  assert.equal(checkEspruinoSubset(firmware.code, "pico.js").filter((p) => p.level === "error"), []);
});

test("never mangled in the firmware: Espruino's API, built-ins, profile keys, names on outside values", async () => {
  const { mangled } = await buildFirmware({ entry: "firmware/main.ts", boardId: "espruino-pico" });
  const set = new Set(mangled);
  const keep = keptNames();
  for (const name of set) assert.not.ok(keep.has(name), `${name}: ${keep.get(name)}`);
  for (const name of ["read", "write", "erase", "list", "open", "getFree", "setup", "on", "setConsole", "moveTo", "stop",
    "getPosition", "pins", "pattern", "freq", "relative", "repeat", "edge", "debounce", "state", "time", "free", "total",
    "then", "length", "push", "pumps", "step", "dir", "enable", "kind", "baud", "rx", "tx", "path", "sf"]) {
    assert.not.ok(set.has(name), name);
  }
  const builtins = builtinMemberNames();
  for (const name of ["charCodeAt", "fromCharCode", "subarray", "padStart", "floor", "stringify", "then"]) assert.ok(builtins.has(name), name);
});

test("the plan keeps names used on an `any` value or handed out in a literal, with the place", () => {
  const plan = planPropertyMangling(["firmware/espruino/stepper-output.ts", "firmware/espruino/pin.ts"]);
  assert.ok(plan.names.includes("spanSteps"));
  assert.match(plan.kept.get("relative") ?? "", /object literal handed out of the firmware \(firmware\/espruino\/stepper-output\.ts:\d+\)/);
  assert.ok(plan.names.includes("invertDir") && !plan.kept.has("invertDir"));
  assert.not.ok(plan.names.includes("moveTo"));
  assert.ok(plan.regex.test("spanSteps") && !plan.regex.test("spanStepsX") && !plan.regex.test("moveTo"));
});

test("what keeps its spelling is declared: built-ins, Espruino's API and globals, profile keys, FIRMWARE_KEEP; nothing read from test/ or host/", () => {
  const reasons = new Set(keptNames().values());
  assert.equal([...reasons].sort(), ["Espruino API", "Espruino global", "JavaScript built-in", "board profile key",
    ...(Object.keys(FIRMWARE_KEEP).length > 0 ? ["declared in FIRMWARE_KEEP"] : [])].sort());
});

test.run();
