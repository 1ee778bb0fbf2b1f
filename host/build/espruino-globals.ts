// Global names an Espruino board defines, which minified top-level names of the firmware bundle must never take.
import { CHIPS } from "../../boards/pins.ts";

/** Espruino 2v29's own globals (src/jswrap_*.c "type": "variable"/"function"/"class"/"object" at global scope). */
const ESPRUINO_API = [
  "E", "LED", "LED1", "LED2", "LED3", "LED4", "BTN", "BTN1", "BTN2", "BTN3", "BTN4", "USB", "Serial", "Serial1",
  "Serial2", "Serial3", "Serial4", "Serial5", "Serial6", "LoopbackA", "LoopbackB", "Telnet", "Bluetooth", "I2C",
  "I2C1", "I2C2", "I2C3", "SPI", "SPI1", "SPI2", "SPI3", "Pin", "Stepper", "Waveform", "Graphics", "Modules",
  "Flash", "Storage", "StorageFile", "NRF", "Puck", "Pixl", "Bangle", "Wifi", "ESP32", "ESP8266", "Trig",
  "OneWire", "Ethernet", "Microbit", "Badge", "Terminal", "Unistroke", "Tensorflow", "global", "globalThis",
  "process", "console", "require", "arguments", "getTime", "setTime", "setInterval",
  "setTimeout", "clearInterval", "clearTimeout", "changeInterval", "setWatch", "clearWatch", "digitalRead",
  "digitalWrite", "digitalPulse", "analogRead", "analogWrite", "pinMode", "getPinMode", "peek8", "peek16",
  "peek32", "poke8", "poke16", "poke32", "setBusyIndicator", "setSleepIndicator", "setDeepSleep", "reset",
  "load", "save", "dump", "edit", "echo", "trace", "print", "getSerial", "shiftOut", "btoa", "atob",
  "HIGH", "LOW", "Infinity", "NaN", "undefined", "eval", "Object", "Function", "Array", "Number", "Boolean",
  "String", "Date", "Promise", "RegExp", "JSON", "Math", "Error", "SyntaxError", "TypeError", "ReferenceError",
  "InternalError", "ArrayBuffer", "ArrayBufferView", "DataView", "Uint8Array", "Uint8ClampedArray", "Int8Array",
  "Uint16Array", "Int16Array", "Uint24Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array",
  "parseInt", "parseFloat", "isFinite", "isNaN", "encodeURIComponent", "decodeURIComponent", "escape", "unescape",
];

/** Every global name above plus every pin name of every chip a board profile can name. */
export const ESPRUINO_GLOBALS: readonly string[] = [
  ...new Set([...ESPRUINO_API, ...Object.values(CHIPS).flatMap((chip) => chip.pins)]),
];

/**
 * Source of a never-called function that mentions every Espruino global. esbuild's renamer never gives a
 * minified symbol the name of an unbound global mentioned anywhere in the input, even in code it then drops.
 */
export function reserveGlobalsSource(): string {
  return `\nfunction __flowrigReserveEspruinoGlobals() { return [${ESPRUINO_GLOBALS.join(", ")}]; }\n`;
}
