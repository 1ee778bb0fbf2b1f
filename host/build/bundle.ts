// Espruino's firmware build: TypeScript modules → one minified plain script in Espruino's JS subset, board profile inlined.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as esbuild from "esbuild";
import ts from "typescript";
import { loadBoard, type BoardProfile } from "../../boards/load.ts";
import { FIRMWARE_PROFILE_KEYS } from "../../boards/firmware-profile.ts";
import { reserveGlobalsSource } from "./espruino-globals.ts";
import { inlineConstants } from "./inline-constants.ts";
import { integerLiterals } from "./integer-literals.ts";
import { planPropertyMangling, type ManglePlan } from "./mangle.ts";

/**
 * How syntax Espruino lacks is lowered.
 * - "espruino" (default, smallest): esbuild keeps what Espruino parses (let/const, arrows, classes, template
 *   literals, for…of, shorthand/methods, `??`) and lowers `?.`, `**`, `??=`/`||=`/`&&=`, class fields and
 *   object spread; destructuring, default/rest parameters and array spread fail the build at their source line.
 * - "es5": the bundle is compiled to ES5 by TypeScript (lowers those too, with TypeScript's helpers), then minified.
 */
export type Lowering = "espruino" | "es5";

export interface BuildOptions {
  /** Entry module, relative to the working directory or absolute (the firmware: FIRMWARE_ENTRY). */
  entry: string;
  /** Board profile id (boards/<id>.json); inlined as the module "board:profile" and as FLOWRIG_BOARD_ID. */
  boardId: string;
  /** A validated profile to inline instead of boards/<boardId>.json (a wiring variant, e.g. in tests). */
  profile?: BoardProfile;
  /** Extra compile-time constants (esbuild `define`: identifier → JS expression text). */
  define?: Record<string, string>;
  /** Also write the bundle here (directories are created). */
  outFile?: string;
  lowering?: Lowering;
  /** Return a source map (lowering "espruino" only: TypeScript's ES5 pass would break the mapping). */
  sourcemap?: boolean;
  /**
   * Shorten the property names the firmware's own code owns (host/build/mangle.ts decides which: class fields and
   * methods, internal object keys; never Espruino's API, built-ins, profile keys or FIRMWARE_KEEP's, mangle-keep.ts).
   * Default: on for the firmware's entry (FIRMWARE_ENTRY), off for other entries (test fixtures hand their
   * objects to tests by property name).
   */
  mangleProps?: boolean;
}

export interface BuildResult {
  code: string;
  /** UTF-8 size of `code`: what is written to the board's Storage. */
  bytes: number;
  /** Source map JSON (v3) when `sourcemap` was asked for. */
  map?: string;
  /** The property names that were shortened, when mangleProps was on. */
  mangled?: string[];
}

/** The firmware's entry: builds of it mangle property names unless told otherwise. */
export const FIRMWARE_ENTRY = "firmware/main.ts";

const plans = new Map<string, ManglePlan>();

/** The mangling plan for a set of bundled sources (cached per process on the sources' paths and times). */
function manglePlan(inputs: string[]): ManglePlan {
  // The analysis reads TypeScript: a JavaScript or JSON module (other than the inlined profile) would go unchecked.
  const unchecked = inputs.filter((f) => f !== "flowrig-entry.js" && !f.startsWith("board-profile:")
    && (!/\.tsx?$/.test(f) || f.endsWith(".d.ts") || f.includes("node_modules")));
  if (unchecked.length > 0) {
    throw new Error(`firmware build failed: property mangling checks TypeScript modules only, not ${unchecked.join(", ")} (build with mangleProps: false)`);
  }
  const files = inputs.filter((f) => /\.tsx?$/.test(f)).map((f) => resolve(f)).sort();
  const key = files.map((f) => `${f}@${statSync(f).mtimeMs}`).join("\n");
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = planPropertyMangling(files);
    plans.set(key, plan);
  }
  return plan;
}

/** esbuild features turned off so that esbuild lowers them (or refuses, naming the source line). */
const NOT_IN_ESPRUINO: Record<string, boolean> = {
  "optional-chain": false, "exponent-operator": false, "logical-assignment": false, "class-field": false,
  "class-static-field": false, "class-private-field": false, "class-private-method": false,
  "class-private-accessor": false, "class-private-static-field": false, "class-private-static-method": false,
  "class-private-static-accessor": false, "class-private-brand-check": false, "class-static-blocks": false,
  "object-rest-spread": false, destructuring: false, "default-argument": false, "rest-argument": false,
  "array-spread": false, "async-await": false, "async-generator": false, generator: false, "for-await": false,
  bigint: false, "top-level-await": false, "regexp-lookbehind-assertions": false, "regexp-named-capture-groups": false,
  "regexp-sticky-and-unicode-flags": false, "regexp-dot-all-flag": false, "regexp-unicode-property-escapes": false,
  "regexp-match-indices": false, "regexp-set-notation": false, "unicode-escapes": false, "import-meta": false,
};

/** Espruino's `require` is its module loader; hidden from esbuild's bundler under this name, restored at the end. */
const REQUIRE_ALIAS = "__flowrig_espruino_require";

/**
 * Resolves "board:profile" to the board's validated JSON, only the keys the firmware reads: the default export is the
 * object, `boardProfile()` makes a fresh copy each call (a pure call: when only boardProfile is imported, no copy stays).
 */
export function boardProfilePlugin(boardId: string, override?: BoardProfile): esbuild.Plugin {
  return {
    name: "flowrig-board-profile",
    setup(build) {
      build.onResolve({ filter: /^board:profile$/ }, () => ({ path: boardId, namespace: "board-profile" }));
      build.onLoad({ filter: /.*/, namespace: "board-profile" }, (args) => {
        const full = override ?? loadBoard(args.path);
        const profile = Object.fromEntries(FIRMWARE_PROFILE_KEYS.filter((k) => full[k] !== undefined).map((k) => [k, full[k]]));
        const contents = `export function boardProfile() { return ${JSON.stringify(profile)}; }\n` +
          "export default /* @__PURE__ */ boardProfile();\n";
        return { contents, loader: "js" };
      });
    },
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** esbuild's first error, rewritten for people who write firmware. */
function explain(e: unknown): Error {
  const errors = (e as { errors?: esbuild.Message[] }).errors;
  if (errors === undefined || errors.length === 0) return e as Error;
  const lines = errors.map((m) => {
    const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : "";
    const text = m.text.replace(/^Transforming (.+) to the configured target environment .* is not supported yet$/,
      "$1 is not in Espruino's subset (rewrite it, or build with lowering \"es5\")");
    return `${where}${text}`;
  });
  return new Error(`firmware build failed:\n  ${lines.join("\n  ")}`);
}

/** Stage 1: bundle every module into one ES module without imports (unminified for "es5", minified otherwise). */
async function bundleModules(opts: BuildOptions, lowering: Lowering, mangle?: ManglePlan): Promise<esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] }> {
  const define: Record<string, string> = {
    FLOWRIG_BOARD_ID: JSON.stringify(opts.boardId), FLOWRIG_VERSION: JSON.stringify(packageVersion()),
    FLOWRIG_HAS_STEPPER: JSON.stringify((opts.profile ?? loadBoard(opts.boardId)).hasStepper),
    require: REQUIRE_ALIAS, ...opts.define,
  };
  const minify = lowering === "espruino";
  const result = await esbuild.build({
    stdin: {
      contents: `import ${JSON.stringify(resolve(opts.entry))};${minify ? reserveGlobalsSource() : ""}`,
      resolveDir: resolve("."), sourcefile: "flowrig-entry.js", loader: "js",
    },
    bundle: true, write: false, format: "esm", platform: "neutral", target: "es2020",
    supported: lowering === "espruino" ? NOT_IN_ESPRUINO : {},
    minify, treeShaking: true, legalComments: "none", charset: "ascii", define,
    sourcemap: minify && opts.sourcemap === true ? "external" : false, outfile: "firmware.js",
    plugins: [boardProfilePlugin(opts.boardId, opts.profile)], logLevel: "silent",
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: false } },
    metafile: true, ...(mangle !== undefined ? { mangleProps: mangle.regex, mangleQuoted: false, mangleCache: mangle.reserved } : {}),
  }).catch((e: unknown) => { throw explain(e); });
  return result;
}

/** Stage 2 of "es5": TypeScript lowers the single bundle to ES5; esbuild minifies it without adding syntax back. */
async function lowerToEs5(code: string): Promise<string> {
  const es5 = ts.transpileModule(code, {
    fileName: "firmware.js", reportDiagnostics: false,
    compilerOptions: {
      target: ts.ScriptTarget.ES5, module: ts.ModuleKind.ESNext, ignoreDeprecations: "6.0", allowJs: true,
      downlevelIteration: false, importHelpers: false, removeComments: true,
    },
  }).outputText
    // Helpers are declared as `(this && this.__x) || function…`: a top-level `this` would make esbuild wrap CommonJS.
    .replace(/\(this && this\.(__\w+)\) \|\| /g, "")
    // Espruino reads `Array.prototype.slice` etc. as undefined; `[].slice` works.
    .replace(/\bArray\.prototype\.(\w+)\.(call|apply)\(/g, "[].$1.$2(")
    .replace(/\bObject\.prototype\.(\w+)\.(call|apply)\(/g, "({}).$1.$2(");
  const out = await esbuild.transform(es5 + reserveGlobalsSource(), {
    format: "esm", target: "es5", minify: true, treeShaking: true, legalComments: "none", charset: "ascii",
  }).catch((e: unknown) => { throw explain(e); });
  return out.code;
}

/** Build the firmware for one board: TypeScript → one minified script for Espruino (see Lowering). */
export async function buildFirmware(opts: BuildOptions): Promise<BuildResult> {
  const lowering = opts.lowering ?? "espruino";
  const mangle = opts.mangleProps ?? resolve(opts.entry) === resolve(FIRMWARE_ENTRY);
  let built = await bundleModules(opts, lowering);
  let plan: ManglePlan | undefined;
  if (mangle) {
    // Which sources went in is known after bundling: plan on them, then bundle again with the names shortened.
    plan = manglePlan(Object.keys(built.metafile?.inputs ?? {}));
    if (plan.names.length > 0) built = await bundleModules(opts, lowering, plan);
  }
  const files = built.outputFiles;
  const js = files.find((f) => f.path.endsWith(".js"));
  if (js === undefined) throw new Error("firmware build failed: esbuild wrote no JavaScript");
  let code = lowering === "es5" ? await lowerToEs5(js.text) : await inlineConstants(js.text, NOT_IN_ESPRUINO);
  if (lowering === "espruino") code = integerLiterals(code);
  code = code.replace(new RegExp(`\\b${REQUIRE_ALIAS}\\b`, "g"), "require").trimEnd() + "\n";
  const map = files.find((f) => f.path.endsWith(".map"))?.text;
  if (opts.outFile !== undefined) {
    mkdirSync(dirname(resolve(opts.outFile)), { recursive: true });
    writeFileSync(opts.outFile, code);
  }
  return {
    code, bytes: Buffer.byteLength(code, "utf8"), ...(map !== undefined ? { map } : {}),
    ...(plan !== undefined ? { mangled: plan.names } : {}),
  };
}
