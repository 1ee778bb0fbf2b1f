// Inlines the bundle's top-level numeric constants: on Espruino each one is a variable for ever, a literal in code costs none.
import * as acorn from "acorn";
import * as esbuild from "esbuild";

type AnyNode = acorn.Node & Record<string, any>;

function numericLiteral(n: AnyNode | null | undefined): boolean {
  if (n === null || n === undefined) return false;
  if (n.type === "Literal") return typeof n.value === "number";
  return n.type === "UnaryExpression" && n.operator === "-" && n.argument.type === "Literal" && typeof n.argument.value === "number";
}

/**
 * The source with every top-level `var X = <number>` declarator in `names` taken out and declared `const` at the top
 * (a literal depends on nothing; esbuild inlines a constant only where its declaration comes first).
 */
function asConstants(code: string, program: AnyNode, names: Set<string>): string {
  let head = "";
  let out = "";
  let at = 0;
  for (const s of program.body as AnyNode[]) {
    if (s.type !== "VariableDeclaration" || s.kind !== "var") continue;
    const decls = s.declarations as AnyNode[];
    const moved = (d: AnyNode) => names.has(d.id.name) && numericLiteral(d.init);
    if (!decls.some(moved)) continue;
    out += code.slice(at, s.start);
    for (const d of decls) {
      if (moved(d)) head += `const ${code.slice(d.start, d.end)};`;
      else out += `var ${code.slice(d.start, d.end)};`;
    }
    at = s.end;
  }
  return head + out + code.slice(at);
}

/**
 * Every top-level numeric `var` that is never assigned becomes a literal at each use (esbuild keeps them when a literal
 * is longer than the name; on the board RAM matters, not bytes). esbuild does the scoping: a constant it finds assigned
 * stays a variable.
 */
export async function inlineConstants(code: string, supported: Record<string, boolean>): Promise<string> {
  const program = acorn.parse(code, { ecmaVersion: 2020, sourceType: "module" }) as AnyNode;
  const names = new Set<string>();
  for (const s of program.body as AnyNode[]) {
    if (s.type !== "VariableDeclaration" || s.kind !== "var") continue;
    for (const d of s.declarations as AnyNode[]) if (d.id.type === "Identifier" && numericLiteral(d.init)) names.add(d.id.name);
  }
  for (let attempt = 0; attempt < 4 && names.size > 0; attempt++) {
    try {
      const out = await esbuild.transform(asConstants(code, program, names), {
        // Names stay as they are (they were chosen to miss the board's globals); only syntax is minified again.
        format: "esm", minifySyntax: true, minifyWhitespace: true, treeShaking: true, target: "es2020", supported,
        legalComments: "none", charset: "ascii", logLevel: "silent",
      });
      return out.code;
    } catch (e) {
      const errors = (e as { errors?: esbuild.Message[] }).errors ?? [];
      const assigned = errors.map((m) => /Cannot assign to "([^"]+)" because it is a constant/.exec(m.text)?.[1]).filter((n): n is string => n !== undefined);
      if (assigned.length === 0) throw e;
      for (const n of assigned) names.delete(n);
    }
  }
  return code;
}
