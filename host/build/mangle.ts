// Property-name mangling for the Espruino firmware bundle: which property names the firmware's own code owns, so that
// esbuild's `mangleProps` may shorten them, and every name that must keep its spelling.
//
// A name is mangled only when all of these hold (an allow-list, not a deny-list):
// 1. the firmware's own (bundled, non-ambient) code creates it: a class member, a `this.x` field, an object
//    literal's key;
// 2. every use of the name in the bundled code resolves, through the TypeScript checker, to such a declaration:
//    no use on an `any` value, on a built-in, on anything declared `declare`/in a .d.ts (Espruino's API, the board
//    profile's type), on an interface that an ambient declaration or an `any` value is typed with, in an object
//    literal handed to code outside the firmware, in a quoted key, `x["name"]`, `"name" in x`, or in reflection
//    (`Object.keys`, `JSON.stringify`, `for…in`, `x[k]` with a string k);
// 3. it is on none of the keep lists: JavaScript built-in members (collected from this host's own built-ins),
//    Espruino's API members, the board profiles' keys, Espruino's globals, and FIRMWARE_KEEP, the names code outside
//    the bundle reaches by spelling (mangle-keep.ts; the build reads nothing from test/ or host/).
// The analysis behind 1 and 2 is mangle-analysis.ts.
import { dirname, join, resolve } from "node:path";
import ts from "typescript";
import { analyseFirmwareNames } from "./mangle-analysis.ts";
import { builtinMemberNames, ESPRUINO_MEMBERS, keptNames } from "./mangle-keep.ts";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "../..");

export interface ManglePlan {
  /** Property names esbuild may shorten (sorted). */
  names: string[];
  /** Names the firmware creates that keep their spelling, and why. */
  kept: Map<string, string>;
  /** `^(name|…)$` for esbuild's mangleProps (matches nothing when `names` is empty). */
  regex: RegExp;
  /**
   * esbuild's mangleCache: the built-ins' and Espruino's member names marked `false`, so that no shortened name
   * comes out as one of them (a method shortened to `at` would shadow a built-in and trip the subset check).
   */
  reserved: Record<string, false>;
}

/** Analyse the bundled TypeScript sources (absolute paths) and decide which property names may be mangled. */
export function planPropertyMangling(files: string[]): ManglePlan {
  const own = new Set(files.map((f) => resolve(f)).filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts")));
  const rootNames = [...own];
  const ambient = join(ROOT, "firmware/ambient.d.ts");
  rootNames.push(ambient);
  const program = ts.createProgram({
    rootNames,
    options: {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true, noEmit: true, allowImportingTsExtensions: true, resolveJsonModule: true, skipLibCheck: true,
      lib: ["lib.es2022.d.ts"], types: [], noLib: false,
      paths: { "board:profile": [join(ROOT, "boards/profile-module.d.ts")] },
    },
  });
  for (const f of own) {
    if (program.getSourceFile(f) === undefined) throw new Error(`property mangling: TypeScript did not load ${f}`);
  }
  const { created, external } = analyseFirmwareNames(program, own, ROOT);

  const keep = keptNames();
  const kept = new Map<string, string>();
  const names: string[] = [];
  for (const name of [...created].sort()) {
    const why = external.get(name) ?? keep.get(name);
    if (why !== undefined) kept.set(name, why);
    else names.push(name);
  }
  const regex = names.length > 0 ? new RegExp(`^(?:${names.map((n) => n.replace(/\$/g, "\\$")).join("|")})$`) : /^(?!)$/;
  const reserved: Record<string, false> = {};
  for (const n of [...builtinMemberNames(), ...ESPRUINO_MEMBERS, ...kept.keys()]) reserved[n] = false;
  return { names, kept, regex, reserved };
}
