// The firmware build: fixture modules → one Espruino-subset script that runs where Espruino's missing built-ins are gone.
import vm from "node:vm";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadBoard } from "../../boards/load.ts";
import { buildFirmware, type Lowering } from "../../host/build/bundle.ts";
import { buildAll, sizeTable } from "../../host/build/build.ts";
import { checkEspruinoSubset } from "../../host/build/subset-check.ts";

const fixtures = "test/build/fixtures";
const MISSING = ["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Reflect", "Proxy", "BigInt"];

/** Run a bundle in a fresh context without what Espruino lacks; returns what it passed to report(). */
function runLikeEspruino(code: string): string[] {
  const lines: string[] = [];
  const ctx = vm.createContext({ report: (line: string) => lines.push(line) });
  vm.runInContext(`${MISSING.map((g) => `delete globalThis.${g};`).join("")}
    delete Math.imul; delete Math.trunc; delete Array.from; delete Array.of; delete Object.freeze;`, ctx);
  assert.is(vm.runInContext("typeof Map + typeof Symbol + typeof Math.imul", ctx), "undefinedundefinedundefined");
  vm.runInContext(code, ctx, { filename: "bundle.js" });
  return lines;
}

const build = (entry: string, lowering?: Lowering, boardId = "espruino-pico") =>
  buildFirmware({ entry: `${fixtures}/${entry}`, boardId, lowering });

for (const lowering of ["espruino", "es5"] as const) {
  test(`${lowering}: the app fixture builds to a script in the subset that runs correctly`, async () => {
    const { code, bytes } = await build("app/main.ts", lowering);
    assert.is(bytes, Buffer.byteLength(code));
    assert.equal(checkEspruinoSubset(code, "app.js"), []);
    assert.not.match(code, /\bimport\b|\bexport\b|\brequire\(/);
    assert.not.match(code, /^\(\(\)=>\{|^\(function\(\)\{/, "plain script, no IIFE");
    const pico = loadBoard("espruino-pico");
    const version = JSON.parse(readFileSync("package.json", "utf8")).version;
    const names = pico.pumps.map((p, i) => `pump${i}:${p.step}(1)`).join(",");
    const sum = pico.pumps.reduce((s, _p, i) => s + (i + 1) * 1000, 0);
    assert.equal(runLikeEspruino(code), [`espruino-pico v${version} ${pico.timerTickNs} ns: ${names} total=${sum} doubled=${2 * sum}`]);
  });
}

test("board:profile and FLOWRIG_BOARD_ID follow the board; define adds constants", async () => {
  const wifi = await build("app/main.ts", "espruino", "espruino-wifi");
  assert.match(runLikeEspruino(wifi.code)[0], `espruino-wifi v`);
  assert.match(runLikeEspruino(wifi.code)[0], ` ${loadBoard("espruino-wifi").timerTickNs} ns`);
  const custom = await buildFirmware({ entry: `${fixtures}/app/main.ts`, boardId: "espruino-pico", define: { FLOWRIG_VERSION: '"9.9.9"' } });
  assert.match(runLikeEspruino(custom.code)[0], "espruino-pico v9.9.9 ");
});

test("espruino lowering lowers ?. ** ??= and class fields itself; instances do not share fields", async () => {
  const { code } = await build("modern/lowerable.ts");
  assert.equal(checkEspruinoSubset(code, "lowerable.js"), []);
  assert.equal(runLikeEspruino(code), ["3 1024 1 0 1 true"]);
});

test("espruino lowering refuses destructuring, defaults, rest and spread at their source lines", async () => {
  try {
    await build("modern/main.ts");
    assert.unreachable("should fail");
  } catch (e) {
    const message = (e as Error).message;
    assert.match(message, /modern\/main\.ts:4:\d+: destructuring is not in Espruino's subset/);
    assert.match(message, /modern\/main\.ts:4:\d+: default arguments/);
    assert.match(message, /modern\/main\.ts:7:\d+: destructuring/);
    assert.match(message, /modern\/main\.ts:8:\d+: array spread/);
  }
});

test("es5 lowering compiles the same source to a subset script (helpers without Array.prototype.x)", async () => {
  const { code } = await build("modern/main.ts", "es5");
  assert.equal(checkEspruinoSubset(code, "modern-es5.js"), []);
  assert.not.match(code, /Array\.prototype|Object\.prototype/);
  assert.equal(runLikeEspruino(code), ["2 11 1+2+3"]);
});

test("object spread lowered by esbuild uses helpers Espruino lacks: the check catches them", async () => {
  const { code } = await buildFirmware({ entry: `${fixtures}/modern/spread.ts`, boardId: "espruino-pico" });
  const constructs = checkEspruinoSubset(code, "spread.js").map((p) => p.construct);
  assert.ok(constructs.some((c) => c.startsWith("Object.prototype.")), constructs.join("; "));
});

test("a bundle that relies on function hoisting is caught", async () => {
  const { code } = await build("hoisting.ts");
  const problems = checkEspruinoSubset(code, "hoisting.js");
  assert.ok(problems.some((p) => /before its declaration/.test(p.construct)), JSON.stringify(problems));
});

test("minified names never take an Espruino global's name (E, pins, LED1)", async () => {
  const { code } = await build("app/main.ts");
  const declared = [...code.matchAll(/(?:var|let|const|function|class)\s+([\w$]+)/g)].map((m) => m[1]);
  for (const name of declared) assert.not.match(name, /^(E|[A-H]\d{1,2}|LED\d?|BTN\d?|USB|Pin)$/, name);
});

test("buildAll writes one file per board and a size table", async () => {
  const outDir = mkdtempSync(join(tmpdir(), "flowrig-build-"));
  const builds = await buildAll({ entry: `${fixtures}/app/main.ts`, boards: ["espruino-pico", "espruino-linux"], outDir });
  assert.equal(builds.map((b) => b.boardId), ["espruino-pico", "espruino-linux"]);
  for (const b of builds) assert.is(readFileSync(b.outFile, "utf8").length, b.bytes);
  assert.match(sizeTable(builds), /espruino-pico\s+\d+/);
});

test.run();
