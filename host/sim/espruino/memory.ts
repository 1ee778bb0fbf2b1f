// Estimate of Espruino variables in use: a walk over what the firmware can reach, priced like a 32-bit build.
/**
 * Cost model (variables of 13 bytes; figures from reference/espruino.md, 32-bit build):
 * - object or array: 1, plus 1 per own property / element (name and small value share a variable);
 * - string value: 1 + floor(length / 9)  (a 1024-char string costs 114);
 * - number, boolean, null, undefined as a property value: nothing beyond the property;
 * - typed array: 3 + ceil(byteLength / 13), its ArrayBuffer counted once (Uint8Array(1024) costs 82);
 * - function: 2 + ceil(source length / 10), plus its own properties (code text kept in RAM);
 * Objects present right after boot (built-ins, the Espruino API) cost nothing: they live in flash.
 * Limitation: variables captured only by closures are invisible to reflection, so state held solely inside a
 * closure (e.g. an IIFE bundle's module scope) is not counted unless also reachable from the global object or a
 * registered callback's own properties. Function source text is counted per function object (nested overcounts).
 */
export class MemoryEstimator {
  private rom = new WeakSet<object>();

  /** Mark everything reachable now as built-in (cost 0, not walked). */
  markRom(roots: unknown[]): void {
    const seen = new Set<object>();
    const stack = [...roots];
    while (stack.length > 0) {
      const v = stack.pop();
      if (!isObj(v) || seen.has(v)) continue;
      seen.add(v);
      this.rom.add(v);
      for (const child of children(v)) stack.push(child);
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
      total += ownCost(v);
      for (const child of children(v)) stack.push(child);
    }
    return total;
  }
}

function isObj(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

function stringCost(s: string): number {
  return 1 + Math.floor(s.length / 9);
}

function ownCost(v: object): number {
  if (ArrayBuffer.isView(v)) return 3 + Math.ceil(v.byteLength / 13);
  if (Object.prototype.toString.call(v) === "[object ArrayBuffer]") return 0;
  let cost = 1 + ownKeys(v).length;
  if (typeof v === "function") {
    let src = "";
    try { src = Function.prototype.toString.call(v); } catch { /* revoked or exotic */ }
    cost += 1 + (src.includes("[native code]") ? 0 : Math.ceil(src.length / 10));
  }
  return cost;
}

function ownKeys(v: object): string[] {
  const keys = Object.getOwnPropertyNames(v);
  if (typeof v === "function") return keys.filter((k) => k !== "length" && k !== "name" && k !== "prototype" && k !== "arguments" && k !== "caller");
  if (Array.isArray(v)) return keys.filter((k) => k !== "length");
  return keys;
}

/** Property values (getters are not called), the prototype, and a typed array's buffer. */
function children(v: object): unknown[] {
  const out: unknown[] = [Object.getPrototypeOf(v)];
  if (ArrayBuffer.isView(v)) { out.push(v.buffer); return out; }
  for (const k of Object.getOwnPropertyNames(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (d === undefined) continue;
    if ("value" in d) out.push(d.value);
    else out.push(d.get, d.set);
  }
  return out;
}
