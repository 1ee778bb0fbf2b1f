// Modules the Espruino Web IDE (or the `espruino` CLI) would upload with the code: `require("X")` in an upload makes
// the tool fetch https://www.espruino.com/modules/X.min.js and send `Modules.addCached("X", …)` before the code.
// The emulator has no IDE in front of it, so it provides them itself (EspruinoOptions.ideModules, default all of
// these); on a real board whatever flashes the firmware must upload them (or write them to Storage under the module
// name: `require` looks there too).
//
// SSD1306: an equivalent of espruino.com/modules/SSD1306.js as of its 2025-01 revision ("Make msb:false explicit"),
// I2C part only (connectSPI needs SPI, which the emulator lacks). Same init command bytes, same transfers: one
// `writeTo(addr, [0, cmd])` per command byte (init 50 ms after connect, callback at 100 ms), and `flip()` sends the
// column/page window (0x21 0 127, 0x22 0 7) then the buffer in 128-byte chunks each prefixed by the data control
// byte 0x40. The Graphics it returns is createArrayBuffer(128, 64, 1, {vertical_byte: true, msb: false}): the
// module revision before 2025-01 omitted msb:false, which on 2v25+ firmware (msb default true) mirrors every
// 8-pixel band vertically — upload the current module to a real board.
export const IDE_MODULES: Readonly<Record<string, string>> = {
  SSD1306: String.raw`
exports.connect = function (i2c, callback, options) {
  options = options || {};
  var height = options.height || 64;
  var width = options.width || 128;
  var addr = options.address || 0x3C;
  var x0 = (128 - width) / 2;
  var init = new Uint8Array([
    0xAE, 0xD5, 0x80, 0xA8, height - 1, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8,
    0xDA, (height == 64 || height == 48) ? 0x12 : 0x02, 0x81, options.contrast !== undefined ? options.contrast : 0xCF,
    0xD9, 0xF1, 0xDB, 0x40, 0xA4, 0xA6, 0xAF]);
  var win = [0x21, x0, x0 + width - 1, 0x22, 0, (height >> 3) - 1];
  var g = Graphics.createArrayBuffer(width, height, 1, { vertical_byte: true, msb: false });
  if (options.rst) digitalPulse(options.rst, 0, 10);
  setTimeout(function () { init.forEach(function (c) { i2c.writeTo(addr, [0, c]); }); }, 50);
  if (callback !== undefined) setTimeout(callback, 100);
  g.flip = function () {
    win.forEach(function (c) { i2c.writeTo(addr, [0, c]); });
    var chunk = new Uint8Array(129);
    chunk[0] = 0x40;
    for (var p = 0; p < this.buffer.length; p += 128) {
      chunk.set(new Uint8Array(this.buffer, p, 128), 1);
      i2c.writeTo(addr, chunk);
    }
  };
  g.setContrast = function (c) { i2c.writeTo(addr, 0, 0x81, c); };
  g.off = function () { i2c.writeTo(addr, 0, 0xAE); };
  g.on = function () { i2c.writeTo(addr, 0, 0xAF); };
  return g;
};
`,
};
