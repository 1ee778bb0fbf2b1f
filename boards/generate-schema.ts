// Generates boards/schema.json (JSON Schema draft-07) from the interfaces in boards/profile.ts.
// Run: npx tsx boards/generate-schema.ts          (writes the file)
//      npx tsx boards/generate-schema.ts --check  (exit 1 if the committed file is stale)
import ts from "typescript";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type JsonSchema = { [keyword: string]: unknown };

const here = fileURLToPath(new URL(".", import.meta.url));
export const profilePath = here + "profile.ts";
export const schemaPath = here + "schema.json";

/** Type aliases emitted inline as a JSON Schema type instead of a $ref. */
const builtinAliases: Record<string, JsonSchema> = { Integer: { type: "integer" } };

/** JSDoc tags copied onto the schema, with how to read their text. */
const tagKeywords: Record<string, (text: string) => unknown> = {
  minimum: Number,
  maximum: Number,
  pattern: (text) => text.trim(),
};

/** Type references met during one generation, checked against the definitions at the end. */
let references: ts.TypeReferenceNode[] = [];

function fail(node: ts.Node, what: string): never {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  throw new Error(`${file.fileName}:${line + 1}: ${what} is not supported by generate-schema.ts`);
}

/** Description and keyword tags from a node's JSDoc. */
function docOf(node: ts.Node): JsonSchema {
  const out: JsonSchema = {};
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" ").replace(/\s*\n\s*/g, " ").trim();
  if (text !== "") out.description = text;
  for (const tag of ts.getJSDocTags(node)) {
    const read = tagKeywords[tag.tagName.text];
    if (read === undefined) fail(tag, `JSDoc tag @${tag.tagName.text}`);
    out[tag.tagName.text] = read(ts.getTextOfJSDocComment(tag.comment) ?? "");
  }
  return out;
}

function objectSchema(members: ts.NodeArray<ts.TypeElement>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const member of members) {
    if (!ts.isPropertySignature(member) || member.type === undefined) fail(member, "a non-property member");
    const name = member.name.getText();
    properties[name] = { ...docOf(member), ...typeSchema(member.type) };
    if (member.questionToken === undefined) required.push(name);
  }
  return { type: "object", properties, required, additionalProperties: false };
}

function typeSchema(node: ts.TypeNode): JsonSchema {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword: return { type: "string" };
    case ts.SyntaxKind.NumberKeyword: return { type: "number" };
    case ts.SyntaxKind.BooleanKeyword: return { type: "boolean" };
  }
  if (ts.isTypeReferenceNode(node) && node.typeArguments === undefined) {
    const name = node.typeName.getText();
    if (builtinAliases[name] !== undefined) return builtinAliases[name];
    references.push(node);
    return { $ref: `#/definitions/${name}` };
  }
  if (ts.isLiteralTypeNode(node)) {
    if (ts.isStringLiteral(node.literal)) return { const: node.literal.text };
    if (ts.isNumericLiteral(node.literal)) return { const: Number(node.literal.text) };
  }
  if (ts.isUnionTypeNode(node)) {
    const literals = node.types.filter((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
    if (literals.length === node.types.length) {
      return { type: "string", enum: literals.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text) };
    }
    return { oneOf: node.types.map(typeSchema) };
  }
  if (ts.isTupleTypeNode(node)) {
    const n = node.elements.length;
    return { type: "array", items: node.elements.map((e) => typeSchema(e as ts.TypeNode)), minItems: n, maxItems: n, additionalItems: false };
  }
  if (ts.isArrayTypeNode(node)) return { type: "array", items: typeSchema(node.elementType) };
  if (ts.isTypeLiteralNode(node)) return objectSchema(node.members);
  fail(node, `type "${node.getText()}"`);
}

/** The schema for BoardProfile, with every exported interface and alias of profile.ts as a definition. */
export function generateSchema(sourcePath = profilePath): JsonSchema {
  const text = readFileSync(sourcePath, "utf8");
  const syntaxErrors = ts.transpileModule(text, { fileName: sourcePath, reportDiagnostics: true }).diagnostics ?? [];
  if (syntaxErrors.length > 0) {
    throw new Error(ts.formatDiagnostics(syntaxErrors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => here, getNewLine: () => "\n" }));
  }
  const source = ts.createSourceFile(sourcePath, text, ts.ScriptTarget.Latest, true);
  const definitions: Record<string, JsonSchema> = {};
  references = [];
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      definitions[statement.name.text] = { ...docOf(statement), ...objectSchema(statement.members) };
    } else if (ts.isTypeAliasDeclaration(statement) && builtinAliases[statement.name.text] === undefined) {
      definitions[statement.name.text] = { ...docOf(statement), ...typeSchema(statement.type) };
    }
  }
  const missing = references.find((r) => definitions[r.typeName.getText()] === undefined);
  if (missing !== undefined) fail(missing, `type "${missing.getText()}" (not declared in this file)`);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "flowrig board profile",
    description: "GENERATED by boards/generate-schema.ts from boards/profile.ts; do not edit.",
    $ref: "#/definitions/BoardProfile",
    definitions,
  };
}

/** The schema file's exact text. */
export function schemaText(): string {
  return JSON.stringify(generateSchema(), null, 2) + "\n";
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const fresh = schemaText();
  if (process.argv.includes("--check")) {
    const committed = readFileSync(schemaPath, "utf8");
    if (committed !== fresh) {
      console.error("boards/schema.json is stale: run npx tsx boards/generate-schema.ts");
      process.exit(1);
    }
  } else {
    writeFileSync(schemaPath, fresh);
    console.log(`wrote ${schemaPath}`);
  }
}
