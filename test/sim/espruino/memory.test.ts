// process.memory() / E.getSizeOf against reference/espruino.md "Memory" (32-bit build figures).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildFirmware } from "../../../host/build/bundle.ts";
import { nestedFunctionChars } from "../../../host/sim/espruino/code-cost.ts";
import { bootVirtualRig } from "../../../host/sim/virtual-rig.ts";
import { makeBoard } from "./_board.ts";

/** espruino.md: "a 16.8 KB file of 200 small functions" — 200 declarations of 84 characters each (with the newline). */
function smallFunctions(n: number): string {
  let code = "";
  for (let i = 0; i < n; i++) {
    const k = String(i).padStart(3, "0");
    const line = `function f${k}(a,b){var c=a*${k}+b;if(c>99)c-=99;return c*0.5+Math.sqrt(a*a+b*b)-${k}}`;
    code += line.padEnd(83, " ") + "\n";
  }
  return code;
}

const usage = (emu: { memory(): { usage: number } }) => emu.memory().usage;
const within = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= want * tol, `${what}: ${got} variables, espruino.md measured ${want} (±${tol * 100}%)`);

test("200 small functions: ≈1204 variables evaluated from Storage, ≈2219 from a RAM string (±5%)", () => {
  const code = smallFunctions(200);
  assert.is(code.length, 16800);

  const flash = makeBoard().emu;
  flash.load("");
  flash.evaluate(`require("Storage").write("fns", ${JSON.stringify(code)})`);
  const f0 = usage(flash);
  flash.evaluate(`eval(require("Storage").read("fns"))`);
  assert.is(flash.evaluate("typeof f199"), "function");
  within(usage(flash) - f0, 1204, 0.05, "eval(Storage.read)");

  const ram = makeBoard().emu;
  ram.load("");
  const r0 = usage(ram);
  ram.evaluate(code);
  within(usage(ram) - r0, 2219, 0.05, "RAM string");
});

test("boot from .bootcde is priced as flash; the same code uploaded as text is priced as RAM", () => {
  const code = smallFunctions(200);
  const { emu } = makeBoard();
  emu.load("");
  const base = usage(emu);
  emu.evaluate(`require("Storage").write(".bootcde", ${JSON.stringify(code)})`);
  emu.boot();
  within(usage(emu) - base, 1204, 0.05, "boot from .bootcde");
  emu.load(code);
  within(usage(emu) - base, 2219, 0.05, "load() of the same text");
});

test("built-ins named by the booted code cost what 2v29 measured: a class 6 + its name, Math 2, ArrayBufferView 9", () => {
  const booted = (code: string) => {
    const { emu } = makeBoard();
    emu.load("");
    emu.evaluate(`require("Storage").write(".bootcde", ${JSON.stringify(code)})`);
    emu.boot();
    return usage(emu);
  };
  const named = booted("function f(){return [new Int32Array(1),Math.abs(1),Graphics]}");
  const unnamed = booted("function f(){return [new Qnt32Array(1),Qath.abs(1),Qraphics]}"); // the same code, no built-in
  // Int32Array 8, the typed arrays' ArrayBufferView 9, Math 2, Graphics 8 (first use minus a second use on 2v29's Linux build)
  assert.is(named - unnamed, 8 + 9 + 2 + 8);
});

/** Per-construct costs measured on Espruino 2v29's Linux build (5100 variables, 32-bit), code evaluated from Storage. */
const MEASURED = `var R={};function u(){return process.memory().usage}var a0=u(),a1=u();
a0=u();var C0=class{};a1=u();R.c0=a1-a0;
a0=u();var C1=class{constructor(){this.a=1}};a1=u();R.c1=a1-a0;
a0=u();var C2=class{constructor(){this.a=1}m(){return 1}};a1=u();R.c2=a1-a0;
a0=u();var C3=class{constructor(){this.a=1}m(){return 1}n(x,y){return x}};a1=u();R.c3=a1-a0;
a0=u();var F1=function(){return 1};a1=u();R.f0=a1-a0;
a0=u();var F3=function(a,b,c){return a};a1=u();R.f3=a1-a0;
a0=u();var mk=function(q){var v=5;var w="str";return function(){return v}};var cl=mk(1);a1=u();R.closure=a1-a0;`;
const REAL = { c0: 7, c1: 9, c2: 13, c3: 19, f0: 4, f3: 7, closure: 15 };

/** Runs a measuring script from Storage (as it ran on the real interpreter) and returns its R as a plain object. */
function measureFromStorage(script: string): Record<string, number> {
  const emu = makeBoard().emu;
  emu.load("");
  emu.evaluate(`require("Storage").write("cal", ${JSON.stringify(script)})`);
  emu.evaluate(`eval(require("Storage").read("cal"))`);
  return { ...(emu.evaluate("R") as Record<string, number>) }; // a plain copy: the board's object is of another realm
}

test("classes, functions and closures from Storage cost what the real interpreter measured (±1)", () => {
  const got = measureFromStorage(MEASURED);
  for (const [k, want] of Object.entries(REAL)) {
    const tol = 1;
    assert.ok(Math.abs(got[k] - want) <= tol, `${k}: ${got[k]} variables, the real interpreter ${want} (±${tol})`);
  }
});

/** Property names and values, measured the same way on 2v29's Linux build (jsvar.c jsvMakeIntoVariableName). */
const MEASURED_NAMES = `var R={};function u(){return process.memory().usage}var a0=u(),a1=u();var o={};var ar=[];ar.push(0);
a0=u();o.abcd=1;a1=u();R.n4=a1-a0;
a0=u();o.abcde=1;a1=u();R.n5=a1-a0;
a0=u();o.abcdefghijklm=1;a1=u();R.n13=a1-a0;
a0=u();o.abcdefghijklmn=1;a1=u();R.n14=a1-a0;
a0=u();o.b1=4095;a1=u();R.i4095=a1-a0;
a0=u();o.b2=4096;a1=u();R.i4096=a1-a0;
a0=u();o.b3=-4097;a1=u();R.im4097=a1-a0;
a0=u();o.b4=true;a1=u();R.bool=a1-a0;
a0=u();o.b5=null;a1=u();R.nul=a1-a0;
a0=u();o.b6=undefined;a1=u();R.undef=a1-a0;
a0=u();o.b7=1.5;a1=u();R.flt=a1-a0;
a0=u();o.b8="abcdefgh";a1=u();R.s8=a1-a0;
a0=u();o.b9="abcdefghi";a1=u();R.s9=a1-a0;
a0=u();ar.push(null);a1=u();R.anull=a1-a0;
a0=u();ar.push(undefined);a1=u();R.aundef=a1-a0;
a0=u();ar.push(5000);a1=u();R.a5000=a1-a0;
a0=u();o.b1=5000;a1=u();R.set5000=a1-a0;
a0=u();var K=class{constructor(){this.running=false;this.state=0;this.x=0}};var k1=new K();a1=u();
var h=[0,0];a0=u();h[0]={running:false,state:0,x:0};a1=u();R.plain=a1-a0;
a0=u();h[1]=new K();a1=u();R.inst=a1-a0;
a0=u();var gl_abcdefg=1;a1=u();R.g7=a1-a0;`;
const REAL_NAMES = { n4: 1, n5: 2, n13: 2, n14: 3, i4095: 1, i4096: 2, im4097: 2, bool: 2, nul: 2, undef: 1, flt: 2, s8: 2, s9: 3,
  anull: 2, aundef: 1, a5000: 2, set5000: 1, plain: 7, inst: 9, g7: 2 };

test("property names and values cost what the real interpreter measured (exactly)", () => {
  assert.equal(measureFromStorage(MEASURED_NAMES), REAL_NAMES);
});

test("nested functions and class methods are priced once, on their own function objects", () => {
  const body = "var s=0;for(var i=0;i<n;i++){s+=i*i;if(s>1000)s-=1000;}".repeat(6); // 330 chars: ~33 variables
  const { emu } = makeBoard();
  emu.load("");
  const alone = emu.evaluate(`E.getSizeOf(function(n){${body}return s;})`) as number;
  const pair = emu.evaluate(`var outer = function(){return function(n){${body}return s;};}; var inner = outer(); E.getSizeOf([outer, inner])`) as number;
  // [outer, inner]: the array (1 + 2) + outer's own short text (~3) + inner (as alone); double counting would add ~33.
  assert.ok(pair - alone <= 8, `outer + inner cost ${pair}, inner alone ${alone}`);
  assert.ok(alone >= 30 && alone <= 40, `a 350-char function from RAM costs ${alone}`);

  // espruino.md: a class with 5 small methods costs 29.
  const methods = [0, 1, 2, 3, 4].map((i) => `m${i}(x){return this.v*x+${i}}`).join("");
  const cls = emu.evaluate(`E.getSizeOf(class K{constructor(){this.v=1}${methods}})`) as number;
  within(cls, 29, 0.2, "class with 5 small methods");
});

test("own text of a function excludes nested functions, methods and classes", () => {
  assert.is(nestedFunctionChars("function f(){return [1].map(x=>x)}"), "x=>x".length);
  assert.is(nestedFunctionChars("class A{constructor(){this.f=()=>1}m(){return 2}static s(){}}"), "()=>1".length + "m(){return 2}".length + "static s(){}".length - "static".length);
  assert.is(nestedFunctionChars("m(){return function(){}}"), "function(){}".length);
  assert.is(nestedFunctionChars("get g(){return 1}"), 0);
  assert.is(nestedFunctionChars("not ( code"), 0);
});

test("typed arrays and strings keep their espruino.md figures", () => {
  const { emu } = makeBoard();
  emu.load("");
  assert.is(emu.evaluate("E.getSizeOf(new Uint8Array(1024))"), 82);
  assert.is(emu.evaluate("E.getSizeOf(new Array(1025).join('x'))"), 114);
  const before = usage(emu);
  emu.evaluate("var a = new Uint8Array(1024), s = new Array(1025).join('y');");
  assert.is(usage(emu) - before, 2 + 82 + 114);
});

test("the shipped Pico firmware, booted from Storage, fits its 5100-variable pool with room; polling is cheap", async () => {
  const build = await buildFirmware({ entry: "firmware/main.ts", boardId: "espruino-pico" });
  const v = await bootVirtualRig();
  assert.equal(v.emu.errors.map((e) => e.text), []);
  const m = v.emu.memory();
  assert.is(m.total, 5100);
  assert.ok(m.usage < 0.75 * m.total, `firmware (${build.code.length} chars) uses ${m.usage} of ${m.total} variables`);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) v.emu.memory();
  const ms = (performance.now() - t0) / 20;
  assert.ok(ms < 25, `memory() takes ${ms.toFixed(2)} ms`);
});

test.run();
