// A fresh node:vm context shaped like Espruino's global scope: missing built-ins removed, Espruino API installed.
import vm from "node:vm";
import { GLOBALS_KEPT, MEMBERS_KEPT, SHAPE_SOURCE } from "./builtins.ts";
import { PRELUDE_SOURCE } from "./prelude.ts";

export interface PreludeExports {
  emit(target: object, event: string, args: unknown[]): void;
  newObject(): Record<string, unknown>;
  newArray(): unknown[];
  StorageFile: new () => Record<string, unknown>;
}

/** Create the context: shape the built-ins, then run the prelude with the host's native functions. */
export function createEspruinoContext(natives: Record<string, unknown>): { ctx: vm.Context; exports: PreludeExports } {
  const ctx = vm.createContext({}, { name: "espruino", microtaskMode: "afterEvaluate" });
  const toCtx = (v: unknown): unknown => vm.runInContext(`(${JSON.stringify(v)})`, ctx);
  (vm.runInContext(SHAPE_SOURCE, ctx) as (g: unknown, m: unknown) => void)(toCtx(GLOBALS_KEPT), toCtx(MEMBERS_KEPT));
  const prelude = vm.runInContext(PRELUDE_SOURCE, ctx, { filename: "espruino-prelude.js" }) as (n: unknown) => PreludeExports;
  return { ctx, exports: prelude(natives) };
}
