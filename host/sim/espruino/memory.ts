// Estimate of Espruino variables in use: a walk over what the firmware can reach, priced like a 32-bit build.
import { closureScopeCost, flashCodeCost, MAX_FLASH_SOURCES, nestedFunctionChars } from "./code-cost.ts";

/**
 * Cost model (variables of 13 bytes, 32-bit build), calibrated to reference/espruino.md "Memory" and to constructs
 * measured on Espruino 2v29's Linux build (5100 variables, code from Storage; test/sim/espruino/memory.test.ts):
 * - object or array: 1, plus 1 per own property / element, plus 1 per 9 characters of a property name past its first 4
 *   (a name variable holds 4, a StringExt 9: jsutils.h JSVAR_DATA_STRING_NAME_LEN, _MAX_LEN);
 *   a function's untouched default `prototype` ({constructor} only) costs nothing: Espruino makes it on demand;
 * - string value: 1 + floor(length / 9)  (a 1024-char string costs 114);
 * - a property's value shares its name's variable if it is undefined or an integer in -4096..4095 (the 13-bit
 *   reference field, jsvMakeIntoVariableName), or a boolean as an array element; any other number, a boolean as a
 *   named property, and null cost 1 more; an instance of a class or constructor: +INSTANCE_COST (2);
 * - typed array: 3 + ceil(byteLength / 13), its ArrayBuffer counted once (Uint8Array(1024) costs 82);
 * - function: 1, plus its own properties, plus its code:
 *   - code evaluated from a RAM string: 1 + floor(own text / 10), where the own text excludes nested functions,
 *     methods and classes (each is priced on its own function object) — a class's text is its constructor's
 *     and fields' only, its methods are priced once, on the prototype's method objects;
 *   - code that came from Storage (`.bootcde` at boot, or `eval(require("Storage").read(…))`): whatever its length
 *     (the body stays in flash) flashCodeCost by kind and parameters, plus, for a closure, the scope it keeps
 *     (closureScopeCost, read from the source: reflection cannot see it);
 *   - host natives and bound functions: 1.
 *   With 1 per global name (counted by the board), 200 small top-level functions (16.8 KB) cost 200 × 6 = 1200
 *   from Storage and 200 × (3 + 8) = 2200 from RAM: espruino.md measured 1204 and 2219.
 * Objects present right after boot (built-ins, the Espruino API) cost nothing until used: builtinCost prices the
 * built-in classes and peripherals the code in flash names.
 * Limitations: variables captured only by closures are invisible to reflection, so state held solely inside a
 * closure is not counted unless also reachable from the global object or a registered callback; provenance is
 * decided by text (a function is flash-resident if its source text is part of a string evaluated from or read out
 * of Storage in the current context); a live parent function uploaded as RAM text is priced without its nested
 * functions' text, although a real board keeps that text inside the parent's body too; espruino.md's "~200-char
 * body: 14" is not matched (this model says ~22: it follows the 200-function file and "1 variable per 10 chars").
 */
/** Characters of RAM-resident code text per variable. */
export const CODE_CHARS_PER_VAR = 10;

const MAX_TEXT_CACHE = 4096;

export class MemoryEstimator {
  private rom = new WeakSet<object>();
  /** Strings whose code lives in flash in the current context. */
  private flashSources: string[] = [];
  /** builtinCost for the newest flash source (sources change at boot and on a Storage read of code). */
  private builtinCache: { sources: string | undefined; cost: number } | undefined;
  /** Per function object: the variables its code costs (provenance never changes for an object). */
  private codeCosts = new WeakMap<object, number>();
  /** Per source text: its own length (text minus nested functions'). */
  private ownLengths = new Map<string, number>();

  /** A new context: nothing evaluated so far is in scope any more. */
  forgetSources(): void {
    this.flashSources = [];
  }

  /** Code about to be evaluated straight from Storage (boot from `.bootcde`). */
  addFlashSource(code: string): void {
    const i = this.flashSources.indexOf(code);
    if (i >= 0) this.flashSources.splice(i, 1);
    this.flashSources.unshift(code);
    if (this.flashSources.length > MAX_FLASH_SOURCES) this.flashSources.length = MAX_FLASH_SOURCES;
  }

  /** A string read out of Storage: if it may be code, functions later evaluated from it stay in flash. */
  noteStorageRead(s: unknown): void {
    if (typeof s === "string" && s.length >= 8 && (s.includes("function") || s.includes("=>") || s.includes("class"))) this.addFlashSource(s);
  }

  /**
   * Built-ins the code in flash uses: Espruino makes RAM variables for a built-in the first time it is used, named in
   * the root, and a peripheral keeps its set-up. Measured on 2v29's Linux build (first use minus a second use, and
   * E.getSizeOf(global, 1) of the booted firmware): a class 6 plus its name (Int32Array, Object, Graphics, Serial 8,
   * I2C 7, ArrayBufferView 9 once any typed array is used; String and Number once their methods are); Math, E, JSON 1
   * plus the name (2), process 3; USB, LoopbackA 9; Serial1 with setup and a data handler 27, I2C1 set up 19.
   */
  builtinCost(): number {
    if (this.builtinCache !== undefined && this.builtinCache.sources === this.flashSources[0]) return this.builtinCache.cost;
    let cost = 0;
    const text = this.flashSources.join("\n");
    const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(text);
    for (const name of BUILTIN_CLASSES) if (uses(name)) cost += CLASS_COST + nameCost(name);
    for (const name of BUILTIN_OBJECTS) if (uses(name)) cost += 1 + nameCost(name);
    if (TYPED_ARRAYS.some(uses)) cost += CLASS_COST + nameCost("ArrayBufferView");
    if (uses("String") || /\.(charCodeAt|charAt|indexOf|slice|substring|split)\(/.test(text)) cost += CLASS_COST + nameCost("String");
    if (uses("Number") || /\.toFixed\(/.test(text)) cost += CLASS_COST + nameCost("Number");
    let serial = false;
    let i2c = false;
    for (const name of PERIPHERALS) {
      if (!new RegExp(`\\b${name}\\b`).test(text)) continue;
      cost += 9;
      if (/^(Serial|USB|Loopback)/.test(name)) serial = true;
      if (name.startsWith("I2C")) i2c = true;
      if (new RegExp(`\\b${name}\\.setup\\(`).test(text)) cost += name.startsWith("I2C") ? 10 : 18;
    }
    if (serial) cost += CLASS_COST + nameCost("Serial");
    if (i2c) cost += CLASS_COST + nameCost("I2C");
    this.builtinCache = { sources: this.flashSources[0], cost };
    return cost;
  }

  /** Mark everything reachable now as built-in (cost 0, not walked). */
  markRom(roots: unknown[]): void {
    const seen = new Set<object>();
    const stack = [...roots];
    while (stack.length > 0) {
      const v = stack.pop();
      if (!isObj(v) || seen.has(v)) continue;
      seen.add(v);
      this.rom.add(v);
      for (const child of children(v, Object.getOwnPropertyNames(v))) stack.push(child);
    }
  }

  /** Variables used by everything reachable from `roots`. */
  estimate(roots: unknown[]): number {
    const seen = new Set<object>();
    let total = 0;
    const stack = [...roots];
    while (stack.length > 0) {
      const v = stack.pop();
      if (typeof v === "string") { total += stringCost(v); continue; }
      if (!isObj(v) || seen.has(v) || this.rom.has(v)) continue;
      seen.add(v);
      if (ArrayBuffer.isView(v)) {
        total += 3 + Math.ceil(v.byteLength / 13);
        stack.push(v.buffer);
        continue;
      }
      if (Object.prototype.toString.call(v) === "[object ArrayBuffer]") continue;
      const names = Object.getOwnPropertyNames(v);
      if (typeof v === "function") {
        for (const k of names) if (!FUNCTION_HIDDEN.has(k)) total += nameCost(k);
        total += 1 + this.codeCost(v);
      } else if (isDefaultPrototype(v, names)) {
        continue;
      } else {
        const isArray = Array.isArray(v);
        total += 1 + (isInstance(v) ? INSTANCE_COST : 0);
        for (const k of names) {
          if (isArray && k === "length") continue;
          const index = isArray && isIndex(k);
          total += index ? 1 : nameCost(k);
          const d = Object.getOwnPropertyDescriptor(v, k);
          if (d !== undefined && "value" in d && !sharesName(d.value, index)) total++;
        }
      }
      for (const child of children(v, names)) stack.push(child);
    }
    return total;
  }

  private codeCost(fn: Function): number {
    let cost = this.codeCosts.get(fn);
    if (cost !== undefined) return cost;
    let src = "";
    try { src = Function.prototype.toString.call(fn); } catch { /* revoked or exotic */ }
    if (src === "" || src.endsWith("[native code] }")) cost = 1;
    else {
      const source = this.flashSources.find((s) => s.includes(src));
      if (source !== undefined) cost = flashCodeCost(fn, src) + closureScopeCost(source, src);
      else cost = 1 + Math.floor(this.ownLength(src) / CODE_CHARS_PER_VAR);
    }
    this.codeCosts.set(fn, cost);
    return cost;
  }

  private ownLength(src: string): number {
    let n = this.ownLengths.get(src);
    if (n === undefined) {
      n = src.length - nestedFunctionChars(src);
      if (this.ownLengths.size >= MAX_TEXT_CACHE) this.ownLengths.clear();
      this.ownLengths.set(src, n);
    }
    return n;
  }
}

/** Variables a built-in class takes in RAM once used, besides its name in the root. */
const CLASS_COST = 6;
const TYPED_ARRAYS = ["Int8Array", "Uint8Array", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array"];
const BUILTIN_CLASSES = ["Object", "Array", "Function", "Error", "ArrayBuffer", "DataView", "Graphics", ...TYPED_ARRAYS];
const BUILTIN_OBJECTS = ["Math", "E", "JSON", "process"];
const PERIPHERALS = ["USB", "Serial1", "Serial2", "Serial3", "LoopbackA", "LoopbackB", "I2C1", "I2C2", "I2C3"];

const FUNCTION_HIDDEN = new Set(["length", "name", "prototype", "arguments", "caller"]);


/**
 * Variables an object made by `new` costs beyond its properties: its `__proto__` link, a 9-character name (a name variable
 * and a StringExt) whose value is the prototype (measured on 2v29: new K() costs 2 more than a plain object with K's fields).
 */
const INSTANCE_COST = 2;

/** An object made by `new` from a class or function. */
function isInstance(v: object): boolean {
  const p: unknown = Object.getPrototypeOf(v);
  if (p === null || typeof p !== "object") return false;
  const ctor = Object.getOwnPropertyDescriptor(p, "constructor")?.value;
  return typeof ctor === "function" && ctor.name !== "Object" && ctor.name !== "Array";
}

/**
 * Whether a simple value lives in its property name's variable (jsvar.c jsvMakeIntoVariableName; measured on 2v29):
 * undefined always, an integer within the 13-bit reference field's range, a boolean only under an array index.
 * Objects, functions and strings are priced on their own; null, floats and larger integers take a variable.
 */
function sharesName(x: unknown, arrayIndex: boolean): boolean {
  if (x === undefined || isObj(x) || typeof x === "string") return true;
  if (typeof x === "boolean") return arrayIndex;
  return typeof x === "number" && Number.isInteger(x) && x >= -4096 && x <= 4095;
}

/** Variables a property or global name takes: 1, and a StringExt per 9 characters past the first 4. */
export function nameCost(name: string): number {
  return name.length <= 4 ? 1 : 1 + Math.ceil((name.length - 4) / 9);
}

function isIndex(k: string): boolean {
  return /^(0|[1-9]\d*)$/.test(k);
}

function isObj(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

function stringCost(s: string): number {
  return 1 + Math.floor(s.length / 9);
}

/** `f.prototype` as the engine made it ({constructor: f} only): Espruino creates it only when used. */
function isDefaultPrototype(v: object, names: string[]): boolean {
  if (names.length !== 1 || names[0] !== "constructor") return false;
  const d = Object.getOwnPropertyDescriptor(v, "constructor");
  const ctor: unknown = d?.value;
  if (typeof ctor !== "function") return false;
  return Object.getOwnPropertyDescriptor(ctor, "prototype")?.value === v;
}

/** Property values (getters are not called; a function's engine-made `name`/`length` skipped) and the prototype. */
function children(v: object, names: string[]): unknown[] {
  const out: unknown[] = [Object.getPrototypeOf(v)];
  if (ArrayBuffer.isView(v)) { out.push(v.buffer); return out; }
  const isFn = typeof v === "function";
  for (const k of names) {
    if (isFn && k !== "prototype" && FUNCTION_HIDDEN.has(k)) continue;
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (d === undefined) continue;
    if ("value" in d) out.push(d.value);
    else out.push(d.get, d.set);
  }
  return out;
}
