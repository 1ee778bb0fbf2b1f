// The flowrig bin as a user runs it: help, version, usage errors, and the protocol demo.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../host/bin/flowrig.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

test("flowrig --help lists the commands", () => {
  const r = run("--help");
  assert.is(r.status, 0);
  assert.match(r.stdout, /Usage: flowrig/);
  assert.match(r.stdout, /demo/);
});

test("flowrig --version prints the package version", () => {
  const r = run("--version");
  assert.is(r.status, 0);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

test("an unknown command is a usage error (exit 2) with a message", () => {
  const r = run("frobnicate");
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test("flowrig demo runs a session and 300 commands over a noisy line", () => {
  const r = run("demo");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /identified protocol-demo/);
  assert.match(r.stdout, /refused: badArgument \(field value, limit 20000000\)/);
  assert.match(r.stdout, /all 300 commands answered in order/);
});

test.run();
