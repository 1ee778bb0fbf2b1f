// Property-name mangling for the firmware bundle: which property names the firmware's own code owns, so that
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
//    the bundle reaches by spelling (declared here; the build reads nothing from test/ or host/).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { ESPRUINO_GLOBALS } from "./espruino-globals.ts";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "../..");

/**
 * Members of Espruino 2v29's API objects the firmware does or may use (src/jswrap_*.c): Storage, StorageFile,
 * Stepper, Serial/USB, setWatch options and events, process, E, Pin, analogWrite/digitalPulse options, Graphics,
 * I2C/SPI, Waveform, Espruino's extra members of built-ins (Object.prototype.on/emit…). Kept by name even when the
 * type analysis would not see a use (the firmware often reaches them through `any`).
 */
const ESPRUINO_MEMBERS = [
  // Storage / StorageFile
  "read", "readJSON", "readArrayBuffer", "write", "writeJSON", "list", "hash", "erase", "eraseAll", "open", "getFree",
  "getStats", "compact", "debug", "optimise", "readLine", "getLength", "pipe", "sf", "fileBytes", "fileCount",
  "freeBytes", "totalBytes", "trashBytes", "trashCount",
  // Stepper
  "pins", "pattern", "offpattern", "freq", "relative", "turnOff", "moveTo", "stop", "getPosition", "setPosition",
  "running", "pos",
  // Serial, USB, Loopback, Telnet
  "setup", "on", "write", "print", "println", "setConsole", "available", "inject", "find", "baudrate", "rx", "tx",
  "ck", "cts", "bytesize", "parity", "stopbits", "flow", "path", "errors", "data", "error", "framing", "removeListener",
  "removeAllListeners", "emit", "prependListener", "isConnected",
  // setWatch options and event
  "repeat", "edge", "debounce", "irq", "hispeed", "state", "time", "lastTime", "pin",
  // process
  "memory", "free", "usage", "total", "history", "gc", "gctime", "blocksize", "stackEndAddress", "stackFree",
  "flash_start", "flash_binary_end", "flash_code_start", "flash_length", "env", "version", "VERSION", "GIT_COMMIT",
  "BOARD", "RAM", "FLASH", "SPIFLASH", "STORAGE", "SERIAL", "CONSOLE", "MODULES", "EXPTR", "uptime",
  // E
  "enableWatchdog", "kick", "getSizeOf", "CRC32", "setBootCode", "getTemperature", "getAnalogVRef", "hwRand",
  "reboot", "showMessage", "setConsole", "getConsole", "toString", "toUint8Array", "toArrayBuffer", "toJS",
  "clip", "sum", "variance", "convolve", "FFT", "interpolate", "interpolate2d", "mapInPlace", "lookupNoCase",
  "getErrorFlags", "setClock", "getClock", "errorFlag", "memoryArea", "dumpStr", "setFlags", "getFlags",
  "dumpFreeList", "dumpVariables", "defrag", "asm", "compiledC", "nativeCall", "getAddressOf", "reverseByte",
  "setTimeZone", "setDST", "srand", "openFile", "unmountSD", "connectSDCard", "setUSBHID", "sendUSBHID",
  "enableWatchdog", "getWatchdog", "setPassword", "lockConsole", "decodeUTF8", "encodeUTF8", "getRTCPrescaler",
  "setRTCPrescaler", "getBattery", "pipe", "stopEventPropagation", "dump", "kill", "init", "errors", "warning",
  "watchdog", "storage", "flash", "adc", "dac",
  // Pin
  "set", "reset", "mode", "getMode", "toggle", "getInfo", "port", "num", "analog", "functions", "channel",
  // analogWrite / digitalPulse / pinMode options
  "soft", "forceSoft",
  // I2C, SPI, OneWire, Waveform, Graphics (the benchtop UI)
  "scl", "sda", "bitrate", "writeTo", "readFrom", "mosi", "miso", "sck", "send", "send4bit", "send8bit",
  "startOutput", "startInput", "buffer", "buffer2", "doubleBuffer", "createArrayBuffer", "createCallback",
  "msb", "vertical_byte", "zigzag", "color_order", "interleavex", "setFont", "setFontAlign", "drawString",
  "drawLine", "drawRect", "fillRect", "clearRect", "clear", "flip", "setColor", "setBgColor", "getWidth",
  "getHeight", "stringWidth", "setPixel", "getPixel", "drawImage", "drawCircle", "fillCircle", "drawPoly",
  "fillPoly", "setRotation", "lineTo", "moveTo", "getFonts", "getFontHeight", "setFontVector", "setFont4x6",
  "setFont6x8", "setFontBitmap", "width", "height", "bpp", "transparent", "palette", "rotate", "scale",
  // Promise, Error, modules
  "then", "catch", "resolve", "reject", "all", "message", "name", "stack", "connect", "exports",
  // Object.prototype additions, Function.prototype additions
  "clone", "replaceWith", "bind",
];

/** ECMAScript's standard global objects whose own members (and prototypes' members) are built-in names. */
const STANDARD_GLOBALS = [
  "Object", "Function", "Array", "Number", "Boolean", "String", "Symbol", "Date", "Promise", "RegExp", "Error",
  "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "AggregateError", "JSON",
  "Math", "ArrayBuffer", "SharedArrayBuffer", "DataView", "Map", "Set", "WeakMap", "WeakSet", "WeakRef",
  "FinalizationRegistry", "Reflect", "Proxy", "BigInt", "Atomics", "Intl", "Int8Array", "Uint8Array",
  "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array",
  "BigInt64Array", "BigUint64Array",
];

/** Own property names of `value` and of every object on its prototype chain. */
function namesAlongChain(value: unknown, into: Set<string>): void {
  let o = value as object | null;
  while (o !== null && (typeof o === "object" || typeof o === "function")) {
    for (const n of Object.getOwnPropertyNames(o)) into.add(n);
    o = Object.getPrototypeOf(o) as object | null;
  }
}

/** Every member name of the host's JavaScript built-ins (constructors, prototypes, iterators, typed arrays). */
export function builtinMemberNames(): Set<string> {
  const names = new Set<string>();
  const g = globalThis as Record<string, unknown>;
  for (const n of Object.getOwnPropertyNames(globalThis)) names.add(n);
  for (const id of STANDARD_GLOBALS) {
    const v = g[id];
    if (v === undefined) continue;
    namesAlongChain(v, names);
    const proto = (v as { prototype?: unknown }).prototype;
    if (proto !== undefined) namesAlongChain(proto, names);
  }
  namesAlongChain(Object.getPrototypeOf(Int8Array), names); // %TypedArray%
  namesAlongChain(Object.getPrototypeOf(Int8Array.prototype), names);
  namesAlongChain([][Symbol.iterator](), names); // array iterator, %IteratorPrototype%
  namesAlongChain(""[Symbol.iterator](), names);
  namesAlongChain(new Map().entries(), names);
  namesAlongChain(/x/.exec("x"), names); // match arrays: index, input, groups
  namesAlongChain({ next() { return { value: 0, done: true }; } }, names);
  for (const n of ["value", "done", "next", "return", "throw", "index", "input", "groups", "lastIndex", "callee",
    "caller", "arguments", "prototype", "constructor", "__proto__", "__defineGetter__", "__defineSetter__",
    "get", "set", "default", "__esModule", "enumerable", "configurable", "writable", "toJSON", "valueOf", "toString", "then", "length"]) names.add(n);
  return names;
}

/** Every key of every board profile (recursively), and every member of the profile's TypeScript type. */
export function profileKeyNames(): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) { for (const x of v) walk(x); return; }
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) { names.add(k); walk(x); }
  };
  const boards = join(ROOT, "boards");
  for (const f of readdirSync(boards)) if (f.endsWith(".json")) walk(JSON.parse(readFileSync(join(boards, f), "utf8")));
  const src = readFileSync(join(boards, "profile.ts"), "utf8");
  for (const m of src.matchAll(/^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:/gm)) names.add(m[1]);
  return names;
}

/**
 * Firmware property names that code outside the bundle reaches by their spelling, each with why. Nothing does today:
 * the host and the tests talk to the shipped firmware through the protocol, and test fixtures are built unmangled.
 * A name a REPL command or a test must reach on the shipped bundle is declared here, not found by scanning.
 */
export const FIRMWARE_KEEP: Record<string, string> = {};

/** Names that must keep their spelling whatever the firmware's own code does with them, each with why. */
export function keptNames(): Map<string, string> {
  const kept = new Map<string, string>();
  const add = (names: Iterable<string>, why: string) => { for (const n of names) if (!kept.has(n)) kept.set(n, why); };
  add(builtinMemberNames(), "JavaScript built-in");
  add(ESPRUINO_MEMBERS, "Espruino API");
  add(ESPRUINO_GLOBALS, "Espruino global");
  add(profileKeyNames(), "board profile key");
  add(Object.keys(FIRMWARE_KEEP), "declared in FIRMWARE_KEEP");
  return kept;
}

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

type Decl = ts.Declaration;

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
  const checker = program.getTypeChecker();
  const created = new Set<string>();
  const external = new Map<string, string>();
  // The firmware's own sources: the bundled modules and the type-only modules they import (firmware/hal.ts);
  // not .d.ts files, libraries, or boards/ (the profile's type describes JSON the build inlines as is).
  const isOwnFile = (sf: ts.SourceFile) => {
    const f = resolve(sf.fileName);
    return own.has(f) || (!sf.isDeclarationFile && f.startsWith(ROOT + "/") && !f.includes("/node_modules/")
      && !f.startsWith(join(ROOT, "boards") + "/"));
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
    return ` (${relative(ROOT, sf.fileName)}:${line + 1})`;
  };
  const markExternal = (name: string, why: string) => { if (!external.has(name)) external.set(name, why + where()); };
  const isAnyLike = (t: ts.Type) => (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;

  /** All property names of a type and of the object types of its properties (unions, arrays and tuples followed). */
  const markTypeProps = (type: ts.Type, why: string, seen = new Set<ts.Type>()): void => {
    if (seen.has(type) || isAnyLike(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) { for (const t of type.types) markTypeProps(t, why, seen); return; }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const t of checker.getTypeArguments(type as ts.TypeReference)) markTypeProps(t, why, seen);
      return;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0) return;
    for (const p of checker.getPropertiesOfType(type)) {
      markExternal(p.getName(), why);
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (decl !== undefined) markTypeProps(checker.getTypeOfSymbolAtLocation(p, decl), why, seen);
    }
    for (const sig of checker.getSignaturesOfType(type, ts.SignatureKind.Call)) {
      for (const param of sig.getParameters()) {
        const d = param.valueDeclaration;
        if (d !== undefined) markTypeProps(checker.getTypeOfSymbolAtLocation(param, d), why, seen);
      }
    }
  };

  /** Property names of object literals (created by the firmware) in a type: they go outside the firmware. */
  const markLiteralProps = (type: ts.Type, why: string, seen = new Set<ts.Type>()): void => {
    if (seen.has(type) || isAnyLike(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) { for (const t of type.types) markLiteralProps(t, why, seen); return; }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const t of checker.getTypeArguments(type as ts.TypeReference)) markLiteralProps(t, why, seen);
      return;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0) return;
    for (const p of checker.getPropertiesOfType(type)) {
      const decls = p.declarations ?? [];
      if (decls.some((d) => ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d)
        || (ts.isMethodDeclaration(d) && ts.isObjectLiteralExpression(d.parent)))) {
        markExternal(p.getName(), why);
        const d = decls[0];
        markLiteralProps(checker.getTypeOfSymbolAtLocation(p, d), why, seen);
      }
    }
  };

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
