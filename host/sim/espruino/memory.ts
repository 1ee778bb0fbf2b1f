// Estimate of Espruino variables in use: a walk over what the firmware can reach, priced like a 32-bit build.
import { parse } from "acorn";

/**
 * Cost model (variables of 13 bytes, 32-bit build), calibrated to reference/espruino.md "Memory":
 * - object or array: 1, plus 1 per own property / element (name and small value share a variable);
 *   a function's untouched default `prototype` ({constructor} only) costs nothing: Espruino makes it on demand;
 * - string value: 1 + floor(length / 9)  (a 1024-char string costs 114);
 * - number, boolean, null, undefined as a property value: nothing beyond the property;
 * - typed array: 3 + ceil(byteLength / 13), its ArrayBuffer counted once (Uint8Array(1024) costs 82);
 * - function: 1, plus its own properties, plus its code:
 *   - code evaluated from a RAM string: 1 + floor(own text / 10), where the own text excludes nested functions,
 *     methods and classes (each is priced on its own function object) — a class's text is its constructor's
 *     and fields' only, its methods are priced once, on the prototype's method objects;
 *   - code that came from Storage (`.bootcde` at boot, or `eval(require("Storage").read(…))`): at most
 *     FLASH_CODE_COST (4) whatever its length — the body stays in flash, the function keeps a reference to it and
 *     its parameters — and never more than the same code from RAM would cost;
 *   - host natives and bound functions: 1.
 *   With 1 per global name (counted by the board), 200 small top-level functions (16.8 KB) cost 200 × 6 = 1200
 *   from Storage and 200 × (3 + 8) = 2200 from RAM: espruino.md measured 1204 and 2219.
 * Objects present right after boot (built-ins, the Espruino API) cost nothing: they live in flash.
 * Limitations: variables captured only by closures are invisible to reflection, so state held solely inside a
 * closure is not counted unless also reachable from the global object or a registered callback; provenance is
 * decided by text (a function is flash-resident if its source text is part of a string evaluated from or read out
 * of Storage in the current context); a live parent function uploaded as RAM text is priced without its nested
 * functions' text, although a real board keeps that text inside the parent's body too; espruino.md's "~200-char
 * body: 14" is not matched (this model says ~22: it follows the 200-function file and "1 variable per 10 chars").
 */
export const FLASH_CODE_COST = 4;
/** Characters of RAM-resident code text per variable. */
export const CODE_CHARS_PER_VAR = 10;

/** Storage reads remembered as possible code (most recent first); older ones are forgotten. */
const MAX_FLASH_SOURCES = 8;
const MAX_TEXT_CACHE = 4096;

export class MemoryEstimator {
  private rom = new WeakSet<object>();
  /** Strings whose code lives in flash in the current context. */
  private flashSources: string[] = [];
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
        total += 1 + countOwn(names, FUNCTION_HIDDEN) + this.codeCost(v);
      } else if (isDefaultPrototype(v, names)) {
        continue;
      } else {
        total += 1 + (Array.isArray(v) ? countOwn(names, ARRAY_HIDDEN) : names.length);
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
    else if (this.flashSources.some((s) => s.includes(src))) cost = Math.min(FLASH_CODE_COST, 1 + Math.floor(src.length / CODE_CHARS_PER_VAR));
    else cost = 1 + Math.floor(this.ownLength(src) / CODE_CHARS_PER_VAR);
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

const FUNCTION_HIDDEN = new Set(["length", "name", "prototype", "arguments", "caller"]);
const ARRAY_HIDDEN = new Set(["length"]);

function countOwn(names: string[], hidden: Set<string>): number {
  let n = 0;
  for (const k of names) if (!hidden.has(k)) n++;
  return n;
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

// ---- own text of a function: its source minus the spans of the functions, methods and classes nested in it ----

type AstNode = { type: string; start: number; end: number; [k: string]: unknown };

const FUNCTION_NODES = new Set(["FunctionExpression", "FunctionDeclaration", "ArrowFunctionExpression", "ClassExpression", "ClassDeclaration"]);

/** Characters of `src` (a Function.prototype.toString result) that belong to nested function objects. */
export function nestedFunctionChars(src: string): number {
  const root = parseFunctionText(src);
  if (root === undefined) return 0;
  let nested = 0;
  const visit = (node: AstNode, isRootClass: boolean): void => {
    for (const key in node) {
      if (key === "type" || key === "start" || key === "end") continue;
      const value = node[key];
      const items = Array.isArray(value) ? value : [value];
      for (const c of items) {
        if (c === null || typeof c !== "object" || typeof (c as AstNode).type !== "string") continue;
        const child = c as AstNode;
        const isMethod = child.type === "MethodDefinition" || (child.type === "Property" && (child.method === true || child.kind !== "init"));
        if (isMethod) {
          if (isRootClass && child.kind === "constructor") { visit(child.value as AstNode, false); continue; }
          nested += child.end - child.start - (child.static === true ? "static".length : 0);
          continue;
        }
        if (FUNCTION_NODES.has(child.type)) { nested += child.end - child.start; continue; }
        visit(child, isRootClass && child.type === "ClassBody");
      }
    }
  };
  visit(root, root.type === "ClassExpression");
  return nested;
}

/** The function node for a function's text: a function, arrow or class is an expression; a method needs a class. */
function parseFunctionText(src: string): AstNode | undefined {
  try {
    const program = parse(`(${src}\n)`, { ecmaVersion: "latest" }) as unknown as { body: { expression?: AstNode }[] };
    const e = program.body.length === 1 ? program.body[0].expression : undefined;
    if (e !== undefined && FUNCTION_NODES.has(e.type)) return e;
  } catch { /* not an expression: a method */ }
  try {
    const program = parse(`(class{${src}\n})`, { ecmaVersion: "latest" }) as unknown as { body: { expression: { body: { body: AstNode[] } } }[] };
    const members = program.body[0].expression.body.body;
    if (members.length === 1 && members[0].type === "MethodDefinition") return members[0].value as AstNode;
  } catch { /* unparsable: count all of it */ }
  return undefined;
}
