// Checks the portable core (firmware shared by the Espruino and Lua builds) against the subset both runtimes run alike.
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";

/** The firmware's root module: the portable core is everything it imports, less the runtimes' own modules. */
export const CORE_ROOT = "firmware/main.ts";
/**
 * Modules each runtime implements for itself (the named integer operations, buffers), the runtimes' folders, and the
 * Espruino entry (its composition root, until it moves to firmware/espruino/).
 */
const RUNTIME_MODULES = ["firmware/int.ts", "firmware/buffers.ts", "firmware/main.ts"];
const RUNTIME_FOLDERS = ["firmware/espruino/", "firmware/nodemcu/"];

export interface PortableProblem {
  file: string;
  line: number;
  column: number;
  construct: string;
}

const TYPED_ARRAYS = new Set(["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "Float32Array", "Float64Array"]);

function isRuntimeModule(file: string): boolean {
  return RUNTIME_MODULES.includes(file) || RUNTIME_FOLDERS.some((f) => file.startsWith(f));
}

/** The core's files (repository-relative), found by following imports from `root`. */
export function coreFiles(program: ts.Program, root = CORE_ROOT): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || (isRuntimeModule(file) && file !== root)) return;
    const source = program.getSourceFile(resolve(file));
    if (source === undefined) throw new Error(`${file}: not in the TypeScript program`);
    seen.add(file);
    for (const s of source.statements) {
      if (!ts.isImportDeclaration(s) && !ts.isExportDeclaration(s)) continue;
      const spec = s.moduleSpecifier;
      if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith(".")) continue;
      visit(relative(".", resolve(dirname(resolve(file)), spec.text)));
    }
  };
  visit(root);
  return [...seen].filter((f) => !isRuntimeModule(f)).sort();
}

/** Types a truthiness test treats differently in Lua (0 and "" are true there). */
function numberOrString(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(numberOrString);
  return (type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BigIntLike)) !== 0;
}

function holdsUndefined(type: ts.TypeNode): boolean {
  if (ts.isParenthesizedTypeNode(type)) return holdsUndefined(type.type);
  if (ts.isUnionTypeNode(type)) return type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword
    || (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
  return type.kind === ts.SyntaxKind.UndefinedKeyword;
}

/** Every construct of the core's files that typescript-to-lua and Lua 5.1 would not run as JavaScript does. */
export function checkPortable(program: ts.Program, files: string[]): PortableProblem[] {
  const checker = program.getTypeChecker();
  const problems: PortableProblem[] = [];
  for (const file of files) {
    const source = program.getSourceFile(resolve(file))!;
    const report = (node: ts.Node, construct: string): void => {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      problems.push({ file, line: line + 1, column: character + 1, construct });
    };
    const truthiness = (e: ts.Expression): void => {
      let x = e;
      while (ts.isParenthesizedExpression(x)) x = x.expression;
      if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken
        || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
        truthiness(x.left);
        truthiness(x.right);
        return;
      }
      if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) { truthiness(x.operand); return; }
      if (numberOrString(checker.getTypeAtLocation(x))) report(x, "truthiness test on a number or string (0 and \"\" are true in Lua: compare)");
    };
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node)) {
        const op = node.operatorToken.kind;
        // x >>> k with a literal k ≥ 1 is below 2^31: bit.rshift gives the same. x >>> 0 (or a variable shift) is not.
        const positiveShift = ts.isNumericLiteral(node.right) && Number(node.right.text) >= 1;
        if ((op === ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken || op === ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken)
          && !positiveShift) {
          report(node, "x >>> 0 (negative from Lua 5.1's bit library above 2^31: use u32)");
        }
        const zero = (e: ts.Expression) => ts.isNumericLiteral(e) && Number(e.text) === 0;
        if ((op === ts.SyntaxKind.BarToken || op === ts.SyntaxKind.BarEqualsToken) && (zero(node.left) || zero(node.right))) {
          report(node, "x | 0 (rounds or truncates differently per Lua bit library: use idiv)");
        }
        if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
          // A value-default (a || b) on objects is fine; on numbers and strings it is a truthiness test.
          truthiness(node.left);
        }
      }
      if (ts.isCallExpression(node) && node.getText(source).startsWith("Math.floor(") && node.arguments.length === 1) {
        let arg = node.arguments[0];
        while (ts.isParenthesizedExpression(arg)) arg = arg.expression;
        if (ts.isBinaryExpression(arg) && arg.operatorToken.kind === ts.SyntaxKind.SlashToken) report(node, "Math.floor(a / b) (wrong on NodeMCU's single floats: use idiv)");
      }
      if (ts.isForInStatement(node)) report(node, "for…in (key order and holes differ in Lua)");
      if ((ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) && node.expression !== undefined) truthiness(node.expression);
      if (ts.isForStatement(node) && node.condition !== undefined) truthiness(node.condition);
      if (ts.isConditionalExpression(node)) truthiness(node.condition);
      if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) truthiness(node.operand);
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && TYPED_ARRAYS.has(node.expression.text)) {
        report(node, `new ${node.expression.text} (no typed arrays in Lua: use the buffers module)`);
      }
      if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
        const name = node.typeName.text;
        if (name === "ArrayLike") report(node, "ArrayLike (indexes from 0 in JS, from 1 in Lua tables: use number[])");
        if (TYPED_ARRAYS.has(name)) report(node, `${name} type (use number[] from the buffers module)`);
        if (name === "Array" && node.typeArguments?.length === 1 && holdsUndefined(node.typeArguments[0])) report(node, "array holding undefined (a hole in a Lua table)");
      }
      if (ts.isArrayTypeNode(node) && holdsUndefined(node.elementType)) report(node, "array holding undefined (a hole in a Lua table)");
      if (ts.isArrayLiteralExpression(node) && node.elements.some((e) => e.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(e) && e.text === "undefined") || e.kind === ts.SyntaxKind.NullKeyword)) {
        report(node, "array holding undefined (a hole in a Lua table)");
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "push"
        && node.arguments.some((a) => ts.isIdentifier(a) && a.text === "undefined")) {
        report(node, "push(undefined) (a hole in a Lua table)");
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}

/** The project's TypeScript program (tsconfig.json), for checking the core. */
export function projectProgram(): ts.Program {
  const configFile = ts.readConfigFile(resolve("tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, resolve("."));
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
}

/** Throws one error listing every problem as file:line:col, if there are any. */
export function assertPortable(): string[] {
  const program = projectProgram();
  const files = coreFiles(program);
  const problems = checkPortable(program, files);
  if (problems.length > 0) {
    throw new Error(`the portable core (${files.length} files from ${CORE_ROOT}) leaves the subset Lua runs alike:\n`
      + problems.map((p) => `  ${p.file}:${p.line}:${p.column} ${p.construct}`).join("\n"));
  }
  return files;
}
