// host/client (its index.ts) and protocol/ bundle for the browser with nothing of Node: no builtin module, no Buffer, process or require.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("../../../", import.meta.url));
/** Node's globals a page does not have. */
const NODE_GLOBALS = ["Buffer", "process", "require", "global", "__dirname", "__filename", "setImmediate"];
const MARK = "__node_global_";
const builtin = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

interface Findings { builtins: string[]; globals: string[]; inputs: string[] }

/** Bundles the entries for a browser, no externals; every Node builtin imported and every Node global used, by file. */
async function browserBundle(entryPoints: string[] | undefined, stdin?: string): Promise<Findings> {
  const builtins: string[] = [];
  const result = await esbuild.build({
    absWorkingDir: root, entryPoints, stdin: stdin === undefined ? undefined : { contents: stdin, resolveDir: root, loader: "ts" },
    bundle: true, platform: "browser", format: "esm", write: false, outdir: "/browser-bundle", metafile: true, logLevel: "silent",
    // An unbound Node global becomes a marker (esbuild leaves locally declared names alone); strings and comments are not touched.
    define: Object.fromEntries(NODE_GLOBALS.map((g) => [g, `${MARK}${g}`])),
    plugins: [{
      name: "node-builtins",
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) => {
          if (!builtin.has(args.path)) return undefined;
          builtins.push(`${args.importer.replace(root, "")} imports ${args.path}`);
          return { path: args.path, external: true };
        });
      },
    }],
  });
  const text = result.outputFiles.map((f) => f.text).join("\n");
  const globals = NODE_GLOBALS.filter((g) => text.includes(`${MARK}${g}`));
  return { builtins, globals, inputs: Object.keys(result.metafile.inputs) };
}

const tsIn = (dir: string) => readdirSync(`${root}${dir}`).filter((f) => f.endsWith(".ts")).map((f) => `${dir}/${f}`);

test("the check finds a Node builtin and a Node global (it can fail)", async () => {
  const found = await browserBundle(undefined, 'import { readFileSync } from "node:fs"; export const a = readFileSync; export const b = Buffer.from("x"); export const c = process.env;');
  assert.equal(found.builtins, ["<stdin> imports node:fs"]);
  assert.equal(found.globals, ["Buffer", "process"]);
  const local = await browserBundle(undefined, "const process = { env: {} }; export const c = process.env; export const s = 'a process, a Buffer';");
  assert.equal(local.globals, [], "a local binding or a word in a string is not Node");
});

test("host/client/index.ts and protocol/ need nothing of Node", async () => {
  const entries = ["host/client/index.ts", ...tsIn("protocol")];
  const found = await browserBundle(entries);
  assert.equal(found.builtins, [], found.builtins.join("\n"));
  assert.equal(found.globals, [], `Node globals used: ${found.globals.join(", ")}`);
  // The index is the whole library: every client module is in the bundle.
  const missing = tsIn("host/client").filter((f) => !found.inputs.includes(f));
  assert.equal(missing, [], `not reachable from host/client/index.ts: ${missing.join(", ")}`);
});

test.run();
