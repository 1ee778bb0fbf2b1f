// The property names firmware mangling never shortens: JavaScript built-ins, Espruino's API and globals, profile keys, FIRMWARE_KEEP.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ESPRUINO_GLOBALS } from "./espruino-globals.ts";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "../..");

/**
 * Members of Espruino 2v29's API objects the firmware does or may use (src/jswrap_*.c): Storage, StorageFile,
 * Stepper, Serial/USB, setWatch options and events, process, E, Pin, analogWrite/digitalPulse options, Graphics,
 * I2C/SPI, Waveform, Espruino's extra members of built-ins (Object.prototype.on/emit…). Kept by name even when the
 * type analysis would not see a use (the firmware often reaches them through `any`).
 */
export const ESPRUINO_MEMBERS = [
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
