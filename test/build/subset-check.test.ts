// The Espruino subset checker: every forbidden construct is found on its line; Espruino-valid code passes.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertEspruinoSubset, checkEspruinoSubset } from "../../host/build/subset-check.ts";

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

test("every forbidden construct in the fixture is reported on its own line", () => {
  const source = fixture("forbidden.js");
  const problems = checkEspruinoSubset(source, "forbidden.js");
  const expected = source.split("\n").map((text, i) => ({ line: i + 1, want: /\/\/ expect: (.+)$/.exec(text)?.[1] }))
    .filter((e) => e.want !== undefined);
  assert.ok(expected.length >= 50, "fixture lists the constructs");
  for (const { line, want } of expected) {
    const onLine = problems.filter((p) => p.line === line);
    assert.ok(onLine.some((p) => p.construct.startsWith(want!)),
      `line ${line}: expected "${want}", got ${JSON.stringify(onLine.map((p) => p.construct))}`);
  }
  const unexpected = problems.filter((p) => !expected.some((e) => e.line === p.line));
  assert.equal(unexpected, [], "no problem on an unmarked line");
});

test("regex literals are warnings; the rest are errors", () => {
  const [regex] = checkEspruinoSubset("var r = /a{2}/;", "r.js");
  assert.equal(regex.level, "warn");
  assert.equal(checkEspruinoSubset("var x = a?.b;", "x.js")[0].level, "error");
});

test("line, 1-based column and snippet point at the construct in minified code", () => {
  const [p] = checkEspruinoSubset("var a=1;var b=new Map;", "min.js");
  assert.equal({ line: p.line, column: p.column, snippet: p.snippet }, { line: 1, column: 19, snippet: "Map;" });
});

test("a clean fixture has no problems and passes the assertion", () => {
  assert.equal(checkEspruinoSubset(fixture("clean.js"), "clean.js"), []);
  assert.not.throws(() => assertEspruinoSubset(fixture("clean.js"), "clean.js"));
});

test("assertEspruinoSubset throws one error listing every problem as file:line:col", () => {
  try {
    assertEspruinoSubset("var o = {};\nvar {a} = o;\nvar b = Math.imul(1, 2);\n", "dist/x.js");
    assert.unreachable("should throw");
  } catch (e) {
    const message = (e as Error).message;
    assert.match(message, "dist/x.js:2:5: destructuring pattern (object) — {a} = o;");
    assert.match(message, "dist/x.js:3:9: Math.imul (missing) — Math.imul(1, 2);");
  }
});

test("a syntax error is one problem with its position", () => {
  const problems = checkEspruinoSubset("var a = ;", "bad.js");
  assert.equal(problems.length, 1);
  assert.match(problems[0].construct, /^syntax error/);
  assert.equal([problems[0].line, problems[0].column], [1, 9]);
});

test("module syntax is reported (the bundle must be a plain script)", () => {
  assert.match(checkEspruinoSubset("export var a = 1;", "m.js")[0].construct, /syntax error|module syntax/);
});

test("calls inside callbacks do not count as uses before the declaration", () => {
  const code = "setTimeout(function () { later(); }, 1);\nvar f = () => later();\nfunction later() {}\nf();\n";
  assert.equal(checkEspruinoSubset(code, "cb.js"), []);
});

test.run();
