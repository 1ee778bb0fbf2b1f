// What a function's code costs in Espruino variables: from flash by kind and parameters plus the scope a closure keeps;
// from RAM by its own text (nested functions excluded). The model as a whole: memory.ts.
import { parse } from "acorn";

type AstNode = { type: string; start: number; end: number; [k: string]: unknown };

const FUNCTION_NODES = new Set(["FunctionExpression", "FunctionDeclaration", "ArrowFunctionExpression", "ClassExpression", "ClassDeclaration"]);

/** Storage reads remembered as possible code (most recent first; memory.ts), and so scope tables kept; older ones are forgotten. */
export const MAX_FLASH_SOURCES = 8;

/** Per flash source: each function's [start, end) and the names its scope holds (parameters and its own declarations). */
const scopeTableOf = new Map<string, { start: number; end: number; names: number }[]>();

function scopesOf(source: string): { start: number; end: number; names: number }[] {
  let table = scopeTableOf.get(source);
  if (table !== undefined) return table;
  table = [];
  try {
    const program = parse(source, { ecmaVersion: "latest", sourceType: "script" }) as unknown as AstNode;
    const visit = (node: AstNode, owner: { names: number } | undefined): void => {
      let own = owner;
      if (FUNCTION_NODES.has(node.type) && node.type !== "ClassExpression" && node.type !== "ClassDeclaration") {
        const entry = { start: node.start, end: node.end, names: (node.params as unknown[] | undefined)?.length ?? 0 };
        table!.push(entry);
        own = entry;
      } else if (node.type === "VariableDeclarator" && owner !== undefined) {
        owner.names++;
      }
      for (const key in node) {
        const value = node[key];
        for (const c of Array.isArray(value) ? value : [value]) {
          if (c !== null && typeof c === "object" && typeof (c as AstNode).type === "string") visit(c as AstNode, own);
        }
      }
    };
    visit(program, undefined);
  } catch { /* not parsable as a script: no closures priced */ }
  if (scopeTableOf.size >= MAX_FLASH_SOURCES) scopeTableOf.clear();
  scopeTableOf.set(source, table);
  return table;
}

/** A kept scope: one variable for the scope, two per name (its name and, mostly, a value of its own) — fitted to 2v29. */
const SCOPE_BASE_COST = 1;
const SCOPE_NAME_COST = 2;

/**
 * A closure keeps its enclosing function's scope alive on Espruino (SCOPE_BASE_COST, plus SCOPE_NAME_COST per parameter and local):
 * invisible to reflection here, so it is read from the source — each closure is charged its scope (scopes shared by
 * several closures are charged to each, which errs towards the board having less room, never more).
 */
export function closureScopeCost(source: string, src: string): number {
  const at = source.indexOf(src);
  if (at < 0) return 0;
  let inner: { names: number } | undefined;
  let innerStart = -1;
  for (const f of scopesOf(source)) {
    if (f.start <= at && f.end >= at + src.length && !(f.start === at && f.end === at + src.length) && f.start > innerStart) {
      inner = f;
      innerStart = f.start;
    }
  }
  return inner === undefined ? 0 : SCOPE_BASE_COST + SCOPE_NAME_COST * inner.names;
}

/**
 * Variables a function whose code stays in flash costs beyond its own object, by kind (measured on Espruino 2v29's
 * Linux build, 13-byte variables, code loaded from Storage): one per parameter, plus the code reference and for a
 * declaration its name (2), for an expression or arrow 1, for a method 2; a class 4, 6 with a constructor (plus its
 * parameters), 2 fewer when it has methods (its prototype is then priced as an object of its own).
 */
export function flashCodeCost(fn: Function, src: string): number {
  if (src.startsWith("class")) {
    const ctor = /\bconstructor\s*\(([^)]*)\)/.exec(src);
    const params = ctor === null ? 0 : ctor[1].trim() === "" ? 0 : ctor[1].split(",").length;
    const proto: unknown = (fn as { prototype?: unknown }).prototype;
    const methods = typeof proto === "object" && proto !== null ? Object.getOwnPropertyNames(proto).length - 1 : 0;
    return (ctor === null ? 4 : 6 + params) - (methods > 0 ? 2 : 0);
  }
  if (src.startsWith("function")) return (/^function\s*\*?\s*\(/.test(src) ? 1 : 2) + fn.length;
  if (/^(async\s*)?(\(|[A-Za-z_$][\w$]*\s*=>)/.test(src)) return 1 + fn.length;
  return 2 + fn.length; // a method
}

/** The own text of a function: its source minus the spans of the functions, methods and classes nested in it. */
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
