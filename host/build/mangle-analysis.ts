// Which property names the firmware's own code creates, and which of them code outside the firmware can reach (TypeScript's checker).
import { join, relative, resolve } from "node:path";
import ts from "typescript";

type Decl = ts.Declaration;

/** What the analysis found: every name the firmware creates, and the names something outside it reaches, each with why. */
export interface FirmwareNames {
  created: Set<string>;
  external: Map<string, string>;
}

/**
 * Walks the firmware's own sources in `program`: `own`, the bundled modules' absolute paths, and the type-only modules
 * they import from below `root` (the repository).
 */
export function analyseFirmwareNames(program: ts.Program, own: Set<string>, root: string): FirmwareNames {
  const checker = program.getTypeChecker();
  const created = new Set<string>();
  const external = new Map<string, string>();
  // The firmware's own sources: the bundled modules and the type-only modules they import (firmware/hal.ts);
  // not .d.ts files, libraries, or boards/ (the profile's type describes JSON the build inlines as is).
  const isOwnFile = (sf: ts.SourceFile) => {
    const f = resolve(sf.fileName);
    return own.has(f) || (!sf.isDeclarationFile && f.startsWith(root + "/") && !f.includes("/node_modules/")
      && !f.startsWith(join(root, "boards") + "/"));
  };
  /** Inside a `declare …` (or a .d.ts file): describes something that exists outside the firmware. */
  const isAmbient = (n: ts.Node) => n.getSourceFile().isDeclarationFile || ts.findAncestor(n, (a) =>
    ts.canHaveModifiers(a) && (ts.getModifiers(a) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) !== undefined;
  /** A declaration the firmware's own runtime code makes (not a type of something outside it). */
  const ownDecl = (d: Decl) => isOwnFile(d.getSourceFile()) && !isAmbient(d);
  let at: ts.Node | undefined; // the node being visited, named in the reasons
  const where = () => {
    if (at === undefined) return "";
    const sf = at.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(at.getStart());
    return ` (${relative(root, sf.fileName)}:${line + 1})`;
  };
  const markExternal = (name: string, why: string) => { if (!external.has(name)) external.set(name, why + where()); };
  const isAnyLike = (t: ts.Type) => (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;

  /**
   * Calls `onObject` with every object type in `type`, through unions, intersections, arrays and tuples, each once
   * per walk (`seen`); `any`/`unknown` stop the walk.
   */
  const eachObjectType = (type: ts.Type, seen: Set<ts.Type>, onObject: (t: ts.Type) => void): void => {
    if (seen.has(type) || isAnyLike(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) { for (const t of type.types) eachObjectType(t, seen, onObject); return; }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const t of checker.getTypeArguments(type as ts.TypeReference)) eachObjectType(t, seen, onObject);
      return;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0) return;
    onObject(type);
  };

  /** All property names of a type and of the object types of its properties (unions, arrays and tuples followed). */
  const markTypeProps = (type: ts.Type, why: string, seen = new Set<ts.Type>()): void => eachObjectType(type, seen, (t) => {
    for (const p of checker.getPropertiesOfType(t)) {
      markExternal(p.getName(), why);
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (decl !== undefined) markTypeProps(checker.getTypeOfSymbolAtLocation(p, decl), why, seen);
    }
    for (const sig of checker.getSignaturesOfType(t, ts.SignatureKind.Call)) {
      for (const param of sig.getParameters()) {
        const d = param.valueDeclaration;
        if (d !== undefined) markTypeProps(checker.getTypeOfSymbolAtLocation(param, d), why, seen);
      }
    }
  });

  /** Property names of object literals (created by the firmware) in a type: they go outside the firmware. */
  const markLiteralProps = (type: ts.Type, why: string, seen = new Set<ts.Type>()): void => eachObjectType(type, seen, (t) => {
    for (const p of checker.getPropertiesOfType(t)) {
      const decls = p.declarations ?? [];
      if (decls.some((d) => ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d)
        || (ts.isMethodDeclaration(d) && ts.isObjectLiteralExpression(d.parent)))) {
        markExternal(p.getName(), why);
        const d = decls[0];
        markLiteralProps(checker.getTypeOfSymbolAtLocation(p, d), why, seen);
      }
    }
  });

  /** Does this call or `new` run code outside the firmware (a built-in, Espruino's API, an `any` value)? */
  const callsOut = (call: ts.CallExpression | ts.NewExpression): boolean => {
    const sig = checker.getResolvedSignature(call);
    const decl = sig?.declaration;
    return decl === undefined || ts.isJSDocSignature(decl) || !ownDecl(decl);
  };

  /** Types that describe things outside the firmware: every member name of them keeps its spelling. */
  const markTypeNode = (node: ts.TypeNode | undefined, why: string) => {
    if (node === undefined) return;
    markTypeProps(checker.getTypeFromTypeNode(node), why);
  };

  /** Where an object literal's value goes: the call it is an argument of (through parentheses, arrays, ?:). */
  const consumingCall = (n: ts.Node): ts.CallExpression | ts.NewExpression | undefined => {
    let cur = n;
    while (ts.isParenthesizedExpression(cur.parent) || ts.isArrayLiteralExpression(cur.parent)
      || (ts.isConditionalExpression(cur.parent) && cur.parent.condition !== cur)
      || (ts.isBinaryExpression(cur.parent) && (cur.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken
        || cur.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken))) cur = cur.parent;
    const p = cur.parent;
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(cur as ts.Expression)) return p;
    return undefined;
  };

  const REFLECTION = new Set(["keys", "values", "entries", "assign", "getOwnPropertyNames", "getOwnPropertyDescriptor",
    "getOwnPropertyDescriptors", "defineProperty", "defineProperties", "stringify", "hasOwnProperty", "propertyIsEnumerable"]);

  const visit = (node: ts.Node): void => {
    at = node;
    // Declarations outside the firmware's runtime code (declare …): everything they type is outside.
    if ((ts.isVariableStatement(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)
      || ts.isModuleDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && isAmbient(node)) {
      const why = "typed by an ambient declaration";
      if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) markTypeNode(d.type, why);
      else if (ts.isFunctionDeclaration(node)) {
        for (const p of node.parameters) markTypeNode(p.type, why);
        markTypeNode(node.type, why);
      } else {
        const sym = node.name !== undefined && ts.isIdentifier(node.name) ? checker.getSymbolAtLocation(node.name) : undefined;
        if (sym !== undefined) markTypeProps(checker.getDeclaredTypeOfSymbol(sym), why);
        if (ts.isClassDeclaration(node)) {
          for (const m of node.members) if (m.name !== undefined && ts.isIdentifier(m.name)) markExternal(m.name.text, why);
        }
      }
      return;
    }
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return; // type positions: no runtime names
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;

    // Names created by the firmware's code.
    if ((ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)
      || ts.isSetAccessorDeclaration(node) || ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node))
      && node.name !== undefined) {
      const nm = node.name;
      if (ts.isIdentifier(nm)) created.add(nm.text);
      else if (ts.isStringLiteral(nm) || ts.isNumericLiteral(nm)) markExternal(nm.text, "quoted key");
      else if (ts.isComputedPropertyName(nm) && ts.isStringLiteralLike(nm.expression)) markExternal(nm.expression.text, "computed key");
    }
    if (ts.isParameter(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.PublicKeyword
      || m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword
      || m.kind === ts.SyntaxKind.ReadonlyKeyword) && ts.isIdentifier(node.name)) created.add(node.name.text);

    // An object literal whose keys something outside the firmware reads.
    if (ts.isObjectLiteralExpression(node)) {
      const ctx = checker.getContextualType(node);
      const call = consumingCall(node);
      for (const prop of node.properties) {
        if (prop.name === undefined || !ts.isIdentifier(prop.name)) continue;
        const name = prop.name.text;
        if (call !== undefined && callsOut(call)) { markExternal(name, "object literal handed out of the firmware"); continue; }
        if (ctx === undefined) continue; // an untyped literal: its uses are checked where they are
        const parts = ctx.isUnion() ? ctx.types : [ctx];
        const found = parts.map((t) => (isAnyLike(t) ? undefined : checker.getPropertyOfType(t, name)));
        if (parts.some(isAnyLike)) { markExternal(name, "object literal typed any"); continue; }
        const decls = found.flatMap((s) => s?.declarations ?? []);
        if (decls.length === 0 || decls.some((d) => !ownDecl(d))) markExternal(name, "object literal typed from outside");
      }
    }

    // Uses of a name: must resolve to the firmware's own declarations.
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      const name = node.name.text;
      const sym = checker.getSymbolAtLocation(node.name);
      const decls = sym?.declarations ?? [];
      if (decls.length === 0) markExternal(name, "used on an untyped or outside value");
      else if (decls.some((d) => !ownDecl(d))) markExternal(name, "used on a built-in or outside value");
    }
    if (ts.isElementAccessExpression(node)) {
      const arg = node.argumentExpression;
      if (ts.isStringLiteralLike(arg)) markExternal(arg.text, "x[\"name\"]");
      else if ((checker.getTypeAtLocation(arg).flags & ts.TypeFlags.NumberLike) === 0
        && checker.getIndexInfoOfType(checker.getTypeAtLocation(node.expression), ts.IndexKind.Number) === undefined) {
        markTypeProps(checker.getTypeAtLocation(node.expression), "x[k] with a non-numeric k");
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword) {
      if (ts.isStringLiteralLike(node.left)) markExternal(node.left.text, "\"name\" in x");
      markTypeProps(checker.getTypeAtLocation(node.right), "k in x");
    }
    if (ts.isForInStatement(node)) markTypeProps(checker.getTypeAtLocation(node.expression), "for…in");
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
      && REFLECTION.has(node.expression.name.text)) {
      for (const a of node.arguments) markTypeProps(checker.getTypeAtLocation(a), "reflection");
      markTypeProps(checker.getTypeAtLocation(node.expression.expression), "reflection");
    }

    // Values crossing the firmware's edge.
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && callsOut(node)) {
      for (const a of node.arguments ?? []) {
        const t = checker.getTypeAtLocation(a);
        markLiteralProps(t, "object literal handed out of the firmware");
        if (ts.isFunctionExpression(a) || ts.isArrowFunction(a)) {
          for (const p of a.parameters) markTypeNode(p.type, "parameter of a callback given to outside code");
        }
      }
    }
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && isAnyLike(checker.getTypeAtLocation(node.expression))) {
      markTypeNode(node.type, "outside value given a type");
    }
    if (ts.isVariableDeclaration(node) && node.type !== undefined && node.initializer !== undefined
      && isAnyLike(checker.getTypeAtLocation(node.initializer))) {
      markTypeNode(node.type, "outside value given a type");
    }
    if (ts.isReturnStatement(node) && node.expression !== undefined && isAnyLike(checker.getTypeAtLocation(node.expression))) {
      const fn = ts.findAncestor(node, ts.isFunctionLike);
      if (fn !== undefined && fn.type !== undefined) markTypeNode(fn.type, "outside value given a type");
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of program.getSourceFiles()) if (isOwnFile(sf)) visit(sf);
  return { created, external };
}
