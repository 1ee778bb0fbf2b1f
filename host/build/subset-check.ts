// Checks a JavaScript bundle against Espruino 2v29's subset: every construct it rejects, lacks or runs differently.
import * as acorn from "acorn";
import type { Node } from "acorn";
import * as walk from "acorn-walk";
import { findEarlyUses } from "./hoisting.ts";

export interface Problem {
  /** What Espruino does not support, in words ("destructuring pattern", "Math.imul (missing)"). */
  construct: string;
  /** 1-based line and column of the construct in the checked code. */
  line: number;
  column: number;
  /** The code there (first line, up to 60 characters). */
  snippet: string;
  /** "error": SyntaxError/ReferenceError/wrong result on a board; "warn": works only in part (regexes). */
  level: "error" | "warn";
}

type AnyNode = Node & Record<string, any>;

const MISSING_GLOBALS = new Set(["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "Proxy", "Reflect", "BigInt"]);
const MISSING_STATICS: Record<string, string[]> = {
  Math: ["imul", "trunc", "log2", "log10", "log1p", "expm1", "hypot", "clz32", "fround", "cbrt", "sinh", "cosh", "tanh"],
  Array: ["from", "of"],
  Object: ["freeze", "isFrozen", "seal", "preventExtensions", "getOwnPropertySymbols"],
  Promise: ["race", "allSettled", "any"],
  Uint8Array: ["from", "of"],
  Number: ["isInteger", "isSafeInteger", "EPSILON", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER"],
  String: ["raw", "fromCodePoint"],
};
/** Methods missing on instances (matched by name on any object: the checker does not know types). */
const MISSING_METHODS = new Set(["lastIndexOf", "reduceRight", "flat", "flatMap", "at", "finally", "trimStart",
  "trimEnd", "codePointAt", "normalize", "copyWithin", "findLast", "findLastIndex", "toSorted", "toReversed"]);
/** Built-ins whose `.prototype.x` reads as undefined on Espruino (use `[].slice.call(x)`). */
const PROTOTYPE_OWNERS = new Set(["Array", "Object", "String", "Number", "Function", "Uint8Array"]);
const ASSIGN_OPS: Record<string, string> = { "**=": "**= operator", "??=": "??= operator", "||=": "||= operator", "&&=": "&&= operator" };

function name(n: AnyNode | undefined): string | undefined {
  return n !== undefined && n.type === "Identifier" ? (n.name as string) : undefined;
}

/** Is this Identifier a read of a variable (not a property name, key or declared name)? */
function isReference(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (parent === undefined) return true;
  switch (parent.type) {
    case "MemberExpression": return parent.object === node || parent.computed === true;
    case "Property": return parent.value === node || parent.computed === true;
    case "MethodDefinition": case "PropertyDefinition": return parent.value === node || parent.computed === true;
    case "VariableDeclarator": return parent.init === node;
    case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
      return parent.body === node;
    case "ClassDeclaration": case "ClassExpression": return parent.superClass === node;
    case "LabeledStatement": case "BreakStatement": case "ContinueStatement": case "CatchClause": return false;
    default: return true;
  }
}

/** The construct a node is, if Espruino rejects or lacks it; undefined when it is fine. */
function classify(node: AnyNode, parent: AnyNode | undefined): [string, Problem["level"]] | undefined {
  switch (node.type) {
    case "ObjectPattern": return ["destructuring pattern (object)", "error"];
    case "ArrayPattern": return ["destructuring pattern (array)", "error"];
    case "RestElement": return ["rest element (...)", "error"];
    case "SpreadElement": return ["spread element (...)", "error"];
    case "AssignmentPattern": return ["default value (parameter or destructuring)", "error"];
    case "ChainExpression": return ["optional chaining ?.", "error"];
    case "BinaryExpression": return node.operator === "**" ? ["** operator", "error"] : undefined;
    case "AssignmentExpression": return ASSIGN_OPS[node.operator] !== undefined ? [ASSIGN_OPS[node.operator], "error"] : undefined;
    case "Property": return node.computed ? ["computed object key {[k]: v}", "error"] : undefined;
    case "MethodDefinition":
      if (node.key.type === "PrivateIdentifier") return ["private #method", "error"];
      return node.computed ? ["computed class member key", "error"] : undefined;
    case "TaggedTemplateExpression": return ["tagged template", "error"];
    case "PropertyDefinition":
      if (node.key.type === "PrivateIdentifier") return ["private #field", "error"];
      return ["class field (Espruino puts it on the prototype)", "error"];
    case "StaticBlock": return ["class static block", "error"];
    case "LabeledStatement": return ["labelled statement", "error"];
    case "AwaitExpression": return ["await", "error"];
    case "YieldExpression": return ["yield", "error"];
    case "ForInStatement": return ["for…in (not in the portable subset; use Object.keys)", "error"];
    case "ForOfStatement": return node.await ? ["for await…of", "error"] : undefined;
    case "ImportDeclaration": case "ExportNamedDeclaration": case "ExportDefaultDeclaration":
    case "ExportAllDeclaration": case "ImportExpression": return ["module syntax (import/export)", "error"];
    case "MetaProperty": return [`${node.meta.name}.${node.property.name}`, "error"];
    case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
      if (node.async) return ["async function", "error"];
      return node.generator ? ["generator function", "error"] : undefined;
    case "Literal":
      if (node.bigint !== undefined) return ["BigInt literal", "error"];
      return node.regex !== undefined ? ["regex literal (Espruino lacks ?, {n}, \\b, (?:): check it matches)", "warn"] : undefined;
    case "Identifier":
      return MISSING_GLOBALS.has(node.name) && isReference(node, parent) ? [`${node.name} (missing global)`, "error"] : undefined;
    case "MemberExpression": {
      if (node.property.type === "PrivateIdentifier") return ["private #field", "error"];
      if (node.computed) return undefined;
      const prop = node.property.name as string;
      const owner = name(node.object);
      if (owner !== undefined && MISSING_STATICS[owner]?.includes(prop)) return [`${owner}.${prop} (missing)`, "error"];
      const proto = node.object.type === "MemberExpression" && !node.object.computed ? node.object as AnyNode : undefined;
      const protoOwner = proto !== undefined && proto.property.name === "prototype" ? name(proto.object) : undefined;
      if (protoOwner !== undefined && PROTOTYPE_OWNERS.has(protoOwner)) {
        return [`${protoOwner}.prototype.${prop} (reads as undefined; use [].${prop} or ({}).${prop})`, "error"];
      }
      // Only calls count: `.at` or `.finally` may be a plain field of the firmware's own objects.
      const called = parent?.type === "CallExpression" && parent.callee === node;
      return MISSING_METHODS.has(prop) && called ? [`.${prop} (missing method)`, "error"] : undefined;
    }
    case "CallExpression": {
      const arg = node.arguments[0] as AnyNode | undefined;
      const local = arg?.type === "Literal" && typeof arg.value === "string" && /^\.{0,2}\//.test(arg.value);
      return name(node.callee) === "require" && local ? ["require() of a local module (not bundled)", "error"] : undefined;
    }
    default: return undefined;
  }
}

/** Every construct in `code` that Espruino 2v29 rejects, lacks or runs differently, in source order. */
export function checkEspruinoSubset(code: string, fileName: string): Problem[] {
  const lines = code.split("\n");
  const at = (offset: number, construct: string, level: Problem["level"]): Problem => {
    const pos = acorn.getLineInfo(code, offset);
    const snippet = lines[pos.line - 1].slice(pos.column, pos.column + 60).trim();
    return { construct, line: pos.line, column: pos.column + 1, snippet, level };
  };
  let program: Node;
  try {
    program = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script", locations: true, allowHashBang: true });
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    return [at(err.pos ?? 0, `syntax error: ${err.message.replace(/ \(\d+:\d+\)$/, "")}`, "error")];
  }
  const problems: Problem[] = [];
  walk.fullAncestor(program, (node, _state, ancestors) => {
    const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
    const found = classify(node as AnyNode, parent);
    if (found !== undefined) problems.push(at(node.start, found[0], found[1]));
  });
  for (const use of findEarlyUses(program)) {
    const declared = acorn.getLineInfo(code, use.declaredAt);
    const how = use.via !== undefined ? `call to ${use.via}() runs ${use.name}()` : `use of ${use.name}()`;
    problems.push(at(use.at.start, `${how} before its declaration at ${declared.line}:${declared.column + 1} (no function hoisting)`, "error"));
  }
  // One problem per place and construct (a pattern inside a pattern is reported once per node anyway).
  const seen = new Set<string>();
  return problems
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((p) => { const key = `${p.line}:${p.column}:${p.construct}`; return !seen.has(key) && seen.add(key) !== undefined; });
}

/** Throw one Error listing every problem as `file:line:col: construct — snippet` if any is an error. */
export function assertEspruinoSubset(code: string, fileName: string): Problem[] {
  const problems = checkEspruinoSubset(code, fileName);
  if (problems.some((p) => p.level === "error")) {
    const list = problems.map((p) => `  ${fileName}:${p.line}:${p.column}: ${p.level === "warn" ? "warning: " : ""}${p.construct} — ${p.snippet}`);
    throw new Error(`${fileName} is not in Espruino's subset:\n${list.join("\n")}`);
  }
  return problems;
}
