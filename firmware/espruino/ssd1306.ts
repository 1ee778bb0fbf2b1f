// Espruino HAL: an SSD1306 on I2C driven directly, so nothing has to be uploaded beside the firmware (a board booted from
// Storage has no IDE to send espruino.com's SSD1306 module): its init sequence, then flip() sends the Graphics buffer.

declare const Graphics: any;

/** Command bytes after power-up (as espruino.com/modules/SSD1306.js sends them for a 128×64 panel). */
function initCommands(height: number): number[] {
  return [0xae, 0xd5, 0x80, 0xa8, height - 1, 0xd3, 0x00, 0x40, 0x8d, 0x14, 0x20, 0x00, 0xa1, 0xc8,
    0xda, height === 64 || height === 48 ? 0x12 : 0x02, 0x81, 0xcf, 0xd9, 0xf1, 0xdb, 0x40, 0xa4, 0xa6, 0xaf];
}

/** A Graphics whose flip() draws on the panel; `ready` is called once the panel is initialised (100 ms). */
export function connectSsd1306(i2c: any, address: number, width: number, height: number, ready: () => void): any {
  const g = Graphics.createArrayBuffer(width, height, 1, { vertical_byte: true, msb: false });
  setTimeout(function () {
    const init = initCommands(height);
    for (let i = 0; i < init.length; i++) i2c.writeTo(address, [0, init[i]]);
  }, 50);
  setTimeout(ready, 100);
  g.flip = function () {
    const x0 = (128 - width) / 2;
    const window = [0x21, x0, x0 + width - 1, 0x22, 0, (height >> 3) - 1];
    for (let i = 0; i < window.length; i++) i2c.writeTo(address, [0, window[i]]);
    const chunk = new Uint8Array(129);
    chunk[0] = 0x40;
    for (let p = 0; p < g.buffer.length; p += 128) {
      chunk.set(new Uint8Array(g.buffer, p, 128), 1);
      i2c.writeTo(address, chunk);
    }
  };
  return g;
}
