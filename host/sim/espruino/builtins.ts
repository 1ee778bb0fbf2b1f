// Which standard built-ins exist on Espruino 2v29: allowlists taken from the "name" entries of src/jswrap_*.c.

/** Global names V8 provides that Espruino also has (everything else V8 puts on the global is deleted). */
export const GLOBALS_KEPT = [
  "Object", "Function", "Array", "Number", "Boolean", "String", "Date", "Promise", "RegExp", "JSON", "Math",
  "Error", "SyntaxError", "TypeError", "ReferenceError", "ArrayBuffer", "DataView",
  "Uint8Array", "Uint8ClampedArray", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
  "Float32Array", "Float64Array", "parseInt", "parseFloat", "isFinite", "isNaN", "eval",
  "encodeURIComponent", "decodeURIComponent", "Infinity", "NaN", "undefined", "globalThis",
];

/**
 * Own string-keyed properties kept on each object (symbols such as Symbol.iterator are always kept, so
 * `for…of` still works). `%TypedArray%` is the constructor every typed array inherits from.
 */
export const MEMBERS_KEPT: Readonly<Record<string, readonly string[]>> = {
  "Object": ["keys", "getOwnPropertyNames", "values", "entries", "fromEntries", "create", "getOwnPropertyDescriptor",
    "getOwnPropertyDescriptors", "defineProperty", "defineProperties", "getPrototypeOf", "setPrototypeOf", "assign"],
  "Array": ["isArray"],
  "Array.prototype": ["toString", "indexOf", "includes", "join", "push", "pop", "map", "forEach", "filter", "find",
    "findIndex", "some", "every", "reduce", "splice", "shift", "unshift", "slice", "sort", "concat", "fill", "reverse"],
  "String": ["fromCharCode"],
  "String.prototype": ["toString", "valueOf", "charAt", "charCodeAt", "indexOf", "lastIndexOf", "match", "replace",
    "replaceAll", "substring", "substr", "slice", "split", "toLowerCase", "toUpperCase", "trim", "concat",
    "startsWith", "endsWith", "includes", "repeat", "padStart", "padEnd"],
  "Math": ["E", "PI", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT2", "SQRT1_2", "abs", "acos", "asin", "atan", "atan2",
    "cos", "pow", "random", "round", "sin", "tan", "sqrt", "ceil", "floor", "exp", "log", "min", "max", "sign"],
  "Number": ["MAX_VALUE", "MIN_VALUE", "NEGATIVE_INFINITY", "POSITIVE_INFINITY", "NaN"],
  "Number.prototype": ["toFixed", "toString", "valueOf"],
  "Promise": ["all", "resolve", "reject"],
  "Promise.prototype": ["then", "catch"],
  "JSON": ["parse", "stringify"],
  "ArrayBuffer": [],
  "ArrayBuffer.prototype": ["byteLength"],
  "%TypedArray%": [],
  "%TypedArray%.prototype": ["buffer", "byteLength", "byteOffset", "length", "set", "map", "subarray", "indexOf",
    "includes", "join", "sort", "forEach", "reduce", "fill", "filter", "find", "findIndex", "reverse", "slice",
    "some", "every"],
  "Function.prototype": ["call", "apply", "bind", "toString"],
};

/** Run inside the context: delete every global and member not in the allowlists. */
export const SHAPE_SOURCE = `(function (globalsKept, membersKept) {
  var typed = Object.getPrototypeOf(Uint8Array);
  var always = ["constructor", "length", "name", "prototype", "arguments", "caller"];
  function resolve(path) {
    if (path === "%TypedArray%") return typed;
    if (path === "%TypedArray%.prototype") return typed.prototype;
    var parts = path.split("."), o = globalThis;
    for (var i = 0; i < parts.length; i++) o = o[parts[i]];
    return o;
  }
  var targets = Object.keys(membersKept).map(function (p) { return [resolve(p), membersKept[p]]; });
  targets.forEach(function (t) {
    Object.getOwnPropertyNames(t[0]).forEach(function (k) {
      if (t[1].indexOf(k) < 0 && always.indexOf(k) < 0 && !(t[0] === typed.prototype && k === "length")) delete t[0][k];
    });
  });
  Object.getOwnPropertyNames(globalThis).forEach(function (k) {
    if (globalsKept.indexOf(k) < 0) delete globalThis[k];
  });
})`;
