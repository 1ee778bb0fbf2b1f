// Espruino's JS-visible API, evaluated inside the vm context; every primitive is a host native in `N`.
export const PRELUDE_SOURCE = String.raw`(function (N) {
  var G = globalThis;
  function hidden(o, k, v) { Object.defineProperty(o, k, { value: v, writable: true, configurable: true }); }
  G.global = G;
  function InternalError(message) {
    if (!(this instanceof InternalError)) return new InternalError(message);
    this.message = message === undefined ? "" : String(message);
  }
  InternalError.prototype = Object.create(Error.prototype);
  hidden(InternalError.prototype, "name", "InternalError");
  hidden(InternalError.prototype, "constructor", InternalError);
  G.InternalError = InternalError;
  // Every Espruino object is an event emitter (jswrap_object.c): listeners live in hidden "#on<event>".
  var OP = Object.prototype;
  hidden(OP, "on", function (ev, fn) { var k = "#on" + ev; if (!this[k]) hidden(this, k, []); this[k].push(fn); return this; });
  hidden(OP, "addListener", OP.on);
  hidden(OP, "prependListener", function (ev, fn) { var k = "#on" + ev; if (!this[k]) hidden(this, k, []); this[k].unshift(fn); return this; });
  hidden(OP, "emit", function (ev) {
    var l = this["#on" + ev], args = [].slice.call(arguments, 1);
    if (l) l.slice().forEach(function (fn) { fn.apply(this, args); }, this);
  });
  hidden(OP, "removeListener", function (ev, fn) { var l = this["#on" + ev]; if (l && l.indexOf(fn) >= 0) l.splice(l.indexOf(fn), 1); });
  hidden(OP, "removeAllListeners", function (ev) {
    var self = this;
    Object.getOwnPropertyNames(this).forEach(function (k) { if (k.indexOf("#on") === 0 && (ev === undefined || k === "#on" + ev)) delete self[k]; });
  });
  hidden(Math, "clip", function (x, lo, hi) { return x < lo ? lo : x > hi ? hi : x; });
  hidden(Math, "wrap", function (x, max) { return ((x % max) + max) % max; });
  hidden(Math, "randInt", function (n) { return Math.floor(Math.random() * (n === undefined ? 4294967296 : n)); });
  Math.random = function () { return N.random(); };

  // Virtual-time clock and Date.
  G.getTime = function () { return N.nowUs() / 1e6; };
  G.setTime = function (s) { N.setTime(s); };
  var RealDate = Date;
  function VDate(a, b, c, d, e, f, g) {
    if (!(this instanceof VDate)) return new RealDate(N.nowUs() / 1000).toString();
    var n = arguments.length;
    var r = n === 0 ? new RealDate(N.nowUs() / 1000) : n === 1 ? new RealDate(a)
      : new RealDate(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, g || 0);
    Object.setPrototypeOf(r, VDate.prototype);
    return r;
  }
  VDate.prototype = RealDate.prototype;
  hidden(RealDate.prototype, "constructor", VDate);
  VDate.now = function () { return N.nowUs() / 1000; };
  VDate.parse = RealDate.parse;
  G.Date = VDate;

  function fmt(v) {
    if (typeof v === "string") return v;
    if (v !== null && typeof v === "object") { try { return JSON.stringify(v); } catch (e) { return String(v); } }
    return String(v);
  }
  G.print = function () { N.print([].map.call(arguments, fmt).join(" ")); };
  G.console = { log: G.print, info: G.print, warn: G.print, error: G.print, debug: G.print, trace: G.print };
  G.btoa = function (s) { return N.btoa(String(s)); };
  G.atob = function (s) { return N.atob(String(s)); };
  G.trace = function () {};

  function fnOf(f) { if (typeof f === "string") { var code = f; return function () { (0, eval)(code); }; } return f; }
  G.setTimeout = function (fn, ms) { return N.timerSet(fnOf(fn), ms, [].slice.call(arguments, 2), false); };
  G.setInterval = function (fn, ms) { return N.timerSet(fnOf(fn), ms, [].slice.call(arguments, 2), true); };
  G.clearTimeout = G.clearInterval = function (id) { N.timerClear(id); };
  G.changeInterval = function (id, ms) { N.timerChange(id, ms); };

  G.digitalWrite = function (pin, v) { N.digitalWrite(pin, v); };
  G.digitalRead = function (pin) { return N.digitalRead(pin); };
  G.pinMode = function (pin, mode, automatic) { return N.pinMode(pin, mode); };
  G.getPinMode = function (pin) { return N.getPinMode(pin); };
  G.digitalPulse = function (pin, value, time) { N.digitalPulse(pin, value, time); };
  G.analogRead = function (pin) { return N.analogRead(pin); };
  G.analogWrite = function (pin, value, opts) { N.analogWrite(pin, value, opts); };
  G.setWatch = function (fn, pin, opts) {
    fn = fnOf(fn);
    var p = String(pin);
    return N.setWatch(function (state, time, lastTime) { fn({ state: state, time: time, lastTime: lastTime, pin: p }); }, pin, opts, fn);
  };
  G.clearWatch = function (id) { N.clearWatch(id); };

  function Pin(name) { if (!(this instanceof Pin)) return new Pin(name); hidden(this, "_n", String(name)); }
  Pin.prototype.toString = function () { return this._n; };
  Pin.prototype.read = function () { return N.digitalRead(this._n) === 1; };
  Pin.prototype.write = function (v) { N.digitalWrite(this._n, v); };
  Pin.prototype.set = function () { N.digitalWrite(this._n, 1); };
  Pin.prototype.reset = function () { N.digitalWrite(this._n, 0); };
  Pin.prototype.toggle = function () { var v = N.digitalRead(this._n) ? 0 : 1; N.digitalWrite(this._n, v); return v === 1; };
  Pin.prototype.mode = function (m) { N.pinMode(this._n, m); };
  Pin.prototype.getMode = function () { return N.getPinMode(this._n); };
  G.Pin = Pin;

  function Serial(dev) { hidden(this, "_dev", dev); }
  Serial.prototype.setup = function (baud, opts) { N.serialSetup(this._dev, baud, opts); };
  Serial.prototype.write = function () { for (var i = 0; i < arguments.length; i++) N.serialWrite(this._dev, arguments[i]); };
  Serial.prototype.print = function (s) { N.serialWrite(this._dev, String(s)); };
  Serial.prototype.println = function (s) { N.serialWrite(this._dev, String(s) + "\r\n"); };
  Serial.prototype.setConsole = function (force) { N.setConsole(this._dev); };
  G.Serial = Serial;
  G.USB = new Serial("USB");
  G.Serial1 = new Serial("Serial1");
  G.LoopbackA = new Serial("LoopbackA");
  G.LoopbackB = new Serial("LoopbackB");

  if (N.hasStepper) {
    var Stepper = function Stepper(opts) {
      if (!(this instanceof Stepper)) throw new TypeError("Constructor should be called with 'new'");
      N.stepperInit(this, opts);
    };
    Stepper.prototype.moveTo = function (pos, opts) { return N.stepperMoveTo(this, pos, opts); };
    Stepper.prototype.stop = function (opts) { N.stepperStop(this, opts); };
    Stepper.prototype.getPosition = function () { return this.pos | 0; };
    G.Stepper = Stepper;
  }

  function StorageFile() {}
  StorageFile.prototype.read = function (len) { return N.sfRead(this, len | 0); };
  StorageFile.prototype.readLine = function () { return N.sfRead(this, -1); };
  StorageFile.prototype.write = function (data) { N.sfWrite(this, data); };
  StorageFile.prototype.erase = function () { N.sfErase(this); };
  StorageFile.prototype.getLength = function () { return N.sfGetLength(this); };
  var Storage = {
    read: function (name, offset, length) { return N.stRead(name, offset | 0, length | 0); },
    readJSON: function (name, noExceptions) {
      var s = N.stRead(name, 0, 0);
      if (s === undefined) return undefined;
      try { return JSON.parse(s); } catch (e) { if (noExceptions) return undefined; throw e; }
    },
    readArrayBuffer: function (name) { var s = N.stRead(name, 0, 0); return s === undefined ? undefined : E.toUint8Array(s).buffer; },
    write: function (name, data, offset, size) {
      if (data !== null && typeof data === "object" && !Array.isArray(data) && !(data instanceof ArrayBuffer) && !(data.buffer instanceof ArrayBuffer)) {
        data = JSON.stringify(data); offset = 0; size = 0;
      }
      return N.stWrite(name, data, offset | 0, size | 0);
    },
    writeJSON: function (name, data) { return N.stWrite(name, JSON.stringify(data), 0, 0); },
    erase: function (name) { N.stErase(name); },
    list: function (regex, filter) {
      return [].concat(N.stList(filter && filter.sf !== undefined ? !!filter.sf : undefined)).filter(function (n) {
        return regex === undefined || (typeof regex === "string" ? n === regex : regex.test(n));
      });
    },
    getFree: function () { return N.stFree(); },
    open: function (name, mode) { return N.stOpen(new StorageFile(), name, mode); },
  };
  // An ArrayBuffer has a length in Espruino (jswrap_object_length); modules such as SSD1306 rely on it.
  Object.defineProperty(ArrayBuffer.prototype, "length", { get: function () { return this.byteLength; }, configurable: true });

  // Graphics (graphics.ts): state lives host-side per object; chaining methods return the object.
  function Graphics() { throw new TypeError("Graphics is not a constructor: use Graphics.createArrayBuffer"); }
  var GP = Graphics.prototype;
  ["reset", "clear", "fillRect", "clearRect", "drawRect", "drawCircle", "fillCircle", "drawEllipse", "fillEllipse",
    "getPixel", "setPixel", "toColor", "setColor", "setBgColor", "getColor", "getBgColor", "setClipRect", "setFontBitmap",
    "setFontVector", "setFontAlign", "setFont", "getFont", "getFontHeight", "stringWidth", "stringMetrics", "drawString",
    "drawLine", "moveTo", "lineTo", "drawPoly", "fillPoly", "setRotation", "getModified", "getWidth", "getHeight", "getBPP"]
    .forEach(function (m) { hidden(GP, m, function () { return N.gfx(this, m, [].slice.call(arguments)); }); });
  hidden(GP, "flip", function () {});
  hidden(GP, "getFonts", function () {
    var r = ["4x6"], seen = {}, o = this, skip = ["setFontBitmap", "setFontAlign", "setFontPBF", "setFontCustom"];
    if (N.has6x8) r.push("6x8");
    for (; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      Object.getOwnPropertyNames(o).forEach(function (k) {
        if (k.length > 7 && k.indexOf("setFont") === 0 && skip.indexOf(k) < 0 && !seen[k]) { seen[k] = 1; r.push(k.substr(7)); }
      });
    }
    return r;
  });
  Graphics.createArrayBuffer = function (width, height, bpp, options) {
    var bytes = N.gfxCheck(width, height, bpp, options);
    var g = Object.create(GP);
    g.buffer = (options && options.buffer) || new ArrayBuffer(bytes);
    hidden(g, "\xFFgfx", new Uint8Array(g.buffer)); // the buffer's cost, for process.memory()
    N.gfxInit(g, width, height, bpp, options, g.buffer);
    return g;
  };
  G.Graphics = Graphics;

  // I2C (i2c.ts): hardware ports I2C1..I2C3, and software ports from new I2C().
  var softI2c = 0;
  function I2C() { if (!(this instanceof I2C)) return new I2C(); hidden(this, "_dev", "I2C#" + (++softI2c)); }
  I2C.prototype.setup = function (options) { N.i2cSetup(this._dev, options); };
  I2C.prototype.writeTo = function (address) { N.i2cWrite(this._dev, address, [].slice.call(arguments, 1)); };
  I2C.prototype.readFrom = function (address, quantity) { return new Uint8Array(N.i2cRead(this._dev, address, quantity)); };
  I2C.prototype.readReg = function (address, reg, quantity) {
    this.writeTo({ address: address, stop: false }, reg);
    return this.readFrom(address, quantity);
  };
  G.I2C = I2C;
  ["I2C1", "I2C2", "I2C3"].forEach(function (d) { var p = Object.create(I2C.prototype); hidden(p, "_dev", d); G[d] = p; });

  // Modules (jswrap_modules.c): the module list, then built-ins, then a Storage file of that name, then what the
  // IDE would have uploaded (modules.ts). A module's code runs with exports/module in scope and this = exports.
  var moduleCache = {};
  function evalModule(src) {
    var module = { exports: {} };
    (new Function("exports", "module", src)).call(module.exports, module.exports, module);
    return module.exports;
  }
  G.Modules = {
    addCached: function (id, src) {
      if (typeof id !== "string" || !(typeof src === "string" || typeof src === "function")) throw new Error("args must be addCached(string, string|function)");
      if (typeof src === "function") { var t = String(src); src = t.substring(t.indexOf("{") + 1, t.lastIndexOf("}")); }
      moduleCache[id] = evalModule(src);
    },
    removeCached: function (id) {
      if (!Object.prototype.hasOwnProperty.call(moduleCache, id)) throw new Error("Module " + JSON.stringify(id) + " not found");
      delete moduleCache[id];
    },
    removeAllCached: function () { moduleCache = {}; },
    getCached: function () { return Object.keys(moduleCache); },
  };
  G.require = function (name) {
    if (typeof name !== "string") throw new TypeError("Expecting module name as a string, got " + typeof name);
    if (Object.prototype.hasOwnProperty.call(moduleCache, name)) return moduleCache[name];
    var m;
    if (name === "Storage") m = Storage;
    else {
      var src = name.length <= 28 ? N.stRead(name, 0, 0) : undefined;
      if (src === undefined) src = N.ideModule(name);
      if (src !== undefined) m = evalModule(src);
    }
    if (m === undefined) throw new Error("Module " + JSON.stringify(name) + " not found");
    moduleCache[name] = m;
    return m;
  };

  G.E = {
    getSizeOf: function (v, depth) { return N.sizeOf(v); },
    enableWatchdog: function (timeout, isAuto) { N.enableWatchdog(timeout, isAuto === undefined ? true : !!isAuto); },
    kickWatchdog: function () { N.kick(); },
    CRC32: function (data) { return N.crc32(data); },
    setBootCode: function (code, alwaysFlash) { Storage.write(".bootcde", String(code)); },
    toUint8Array: function () { return new Uint8Array(N.toBytes([].slice.call(arguments))); },
    toString: function () { return N.bytesToString(N.toBytes([].slice.call(arguments))); },
    getErrorFlags: function () { return [].concat(N.errorFlags()); },
    hwRand: function () { return N.random() * 4294967296 | 0; },
    reboot: function () { N.reboot(); },
  };
  function memory() {
    var m = N.memory();
    return { free: m.free, usage: m.usage, total: m.total, history: 0, gc: 0, gctime: 0, blocksize: 13 };
  }
  G.process = { version: "2v29", env: { VERSION: "2v29", BOARD: "EMULATED" }, memory: memory };

  return {
    emit: function (target, ev, args) { target.emit.apply(target, [ev].concat(args)); },
    newObject: function () { return {}; },
    newArray: function () { return []; },
    StorageFile: StorageFile,
  };
})`;
