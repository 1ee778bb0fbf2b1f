// Espruino has no function hoisting: finds uses of a function declaration that run before the declaration does.
import type { Node } from "acorn";
import * as walk from "acorn-walk";

/** A use of `name` at `at` that runs before `name`'s declaration (`via`: the earlier function whose call reaches it). */
export interface EarlyUse {
  name: string;
  at: Node;
  declaredAt: number;
  via?: string;
}

type AnyNode = Node & Record<string, any>;

/** Identifiers read by `nodes` when they run, not counting code inside nested functions (run later, or never). */
function immediateReferences(nodes: Node[]): AnyNode[] {
  const refs: AnyNode[] = [];
  const visitors = {
    Function() { /* a nested function's body runs when it is called: not now */ },
    Identifier(n: Node) { refs.push(n as AnyNode); },
  };
  for (const n of nodes) walk.recursive(n, null, visitors);
  return refs;
}

/** Check one statement list (a program or a function body) and every function body inside it. */
function checkBody(statements: AnyNode[], out: EarlyUse[]): void {
  const declared = new Map<string, AnyNode>();
  for (const s of statements) if (s.type === "FunctionDeclaration" && s.id) declared.set(s.id.name as string, s);
  // For each function declared here: the functions declared here that its body calls directly.
  const calls = new Map<string, Set<string>>();
  for (const [name, fn] of declared) {
    const body = fn.body as AnyNode;
    calls.set(name, new Set(immediateReferences([...(fn.params as Node[]), body])
      .map((r) => r.name as string).filter((n) => declared.has(n))));
  }
  for (const s of statements) {
    if (s.type === "FunctionDeclaration") continue;
    for (const ref of immediateReferences([s])) {
      const name = ref.name as string;
      const decl = declared.get(name);
      if (decl === undefined) continue;
      if (decl.start > ref.start) { out.push({ name, at: ref, declaredAt: decl.start }); continue; }
      // Declared in time; follow what it calls when it runs now.
      const seen = new Set([name]);
      const queue = [name];
      while (queue.length > 0) {
        for (const next of calls.get(queue.shift()!) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
          const nextDecl = declared.get(next)!;
          if (nextDecl.start > ref.start) out.push({ name: next, at: ref, declaredAt: nextDecl.start, via: name });
        }
      }
    }
  }
}

/** Every use, in the program or any function body, of a same-scope function declaration before the declaration runs. */
export function findEarlyUses(program: Node): EarlyUse[] {
  const out: EarlyUse[] = [];
  checkBody((program as AnyNode).body as AnyNode[], out);
  walk.full(program, (node) => {
    const n = node as AnyNode;
    if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression")
      && n.body.type === "BlockStatement") checkBody(n.body.body as AnyNode[], out);
  });
  return out;
}
