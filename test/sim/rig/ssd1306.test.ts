import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeBoard } from "../espruino/_board.ts";
import { Ssd1306, WIDTH, HEIGHT } from "../../../host/sim/rig/ssd1306.ts";
import { decodePng } from "../../../host/sim/png.ts";

const calm = { timerTickNs: 1000, pulseQueueLength: 16, hasStepper: true, callbackLatencyUs: { typical: 0, max: 0 }, adcBits: 12 };

/** Firmware as it will be written: Espruino's SSD1306 module on I2C1 (Pico pins B6/B7, address 60). */
const FIRMWARE = `
I2C1.setup({scl: "B6", sda: "B7"});
var flips = [];
var g = require("SSD1306").connect(I2C1, function () {
  g.drawString("Hello", 0, 0);
  g.drawRect(10, 10, 117, 53);
  g.drawLine(0, 63, 127, 20);
  g.setFont("Vector", 14).drawString("42", 60, 30);
  var t0 = getTime(); g.flip(); flips.push(getTime() - t0);
}, {address: 60});
`;

function setup() {
  const b = makeBoard({ timing: calm });
  const oled = new Ssd1306({ pins: b.pins, scl: "B6", sda: "B7", address: 60 });
  return { ...b, oled };
}

test("the SSD1306 module's init + flip lands the Graphics buffer in the display exactly", () => {
  const { clock, emu, oled } = setup();
  emu.load(FIRMWARE);
  clock.runUntil(1e6);
  assert.equal(emu.errors.map((e) => e.text), []);
  assert.ok(oled.displayOn && oled.chargePump && oled.lit);
  assert.is(oled.addressingMode, 0);
  assert.is(oled.contrast, 0xcf);
  assert.ok(oled.segRemap && oled.comScanDec);
  // GDDRAM is the buffer byte for byte (vertical_byte, msb:false = the controller's page layout).
  const buf = emu.evaluate("[].slice.call(new Uint8Array(g.buffer))") as number[];
  assert.equal([...oled.ram], [...buf]);
  // And the panel shows what getPixel says, pixel for pixel.
  const px = oled.pixels();
  const fromG = emu.evaluate(`(function(){ var a = []; for (var y = 0; y < 64; y++) for (var x = 0; x < 128; x++) a.push(g.getPixel(x, y)); return a; })()`) as number[];
  assert.equal([...px], [...fromG]);
  assert.ok(px.reduce((s, v) => s + v, 0) > 300);
  assert.is(oled.ascii(0, 0, 20, 5), [
    "#.#.....##..##......",
    "#.#..#...#...#...#..",
    "###.###..#...#..#.#.",
    "#.#.#....#...#..#.#.",
    "#.#..##.###.###..#..",
  ].join("\n"));
  // One frame, completed by the last data byte; the flip blocked JS for the whole transfer at 100 kHz:
  // 6 command writes of 2 bytes + 8 data writes of 129 bytes, each START + address + data (9 clocks a byte) + STOP.
  assert.is(oled.frameCount, 1);
  const flipUs = (6 * (1 + 9 * 3 + 1) + 8 * (1 + 9 * 130 + 1)) * 10;
  assert.ok(Math.abs((emu.evaluate("flips[0]") as number) * 1e6 - flipUs) < 2, `flip took ${(emu.evaluate("flips[0]") as number) * 1e6} µs, expected ${flipUs}`);
  assert.ok(oled.frames[0].timeUs > 100_000 && oled.frames[0].timeUs < 100_000 + flipUs + 50, `frame at ${oled.frames[0].timeUs}`);
  assert.is(oled.dataBytes, 1024);
  assert.is(oled.commandBytes, 25 + 6);
});

test("contrast, off/on, invert, bitrate; a second flip is a second frame; no device → timeout", () => {
  const { clock, emu, oled } = setup();
  emu.load(FIRMWARE.replace(`I2C1.setup({scl: "B6", sda: "B7"})`, `I2C1.setup({scl: "B6", sda: "B7", bitrate: 400000})`));
  clock.runUntil(1e6);
  const hash = oled.hash();
  assert.ok(emu.evaluate("flips[0]") as number < 0.03);
  emu.evaluate("g.setContrast(10)");
  clock.runFor(1000);
  assert.is(oled.contrast, 10);
  emu.evaluate("g.off()");
  clock.runFor(1000);
  assert.is(oled.displayOn, false);
  assert.is(oled.pixels().reduce((s, v) => s + v, 0), 0);
  emu.evaluate("g.on(); I2C1.writeTo(60, 0, 0xA7)");
  clock.runFor(1000);
  const inv = oled.pixels();
  assert.is(inv.reduce((s, v) => s + v, 0), WIDTH * HEIGHT - oled.ram.reduce((s, b) => s + [...b.toString(2)].filter((c) => c === "1").length, 0));
  emu.evaluate("I2C1.writeTo(60, [0, 0xA6]); g.clear(); g.fillRect(0, 0, 7, 7); g.flip()");
  clock.runFor(1000);
  assert.is(oled.frameCount, 2);
  assert.is.not(oled.hash(), hash);
  assert.is(oled.ascii(0, 0, 9, 9).split("\n")[0], "########.");
  assert.throws(() => emu.evaluate("I2C1.writeTo(0x3D, [0, 0xAF])"), /Timeout on I2C Write Transmit Mode 2/);
  assert.throws(() => emu.evaluate("I2C2.writeTo(60, 1)"), /I2C device not responding/);
  assert.throws(() => emu.evaluate("I2C1.setup({scl: 'B6', sda: 'B7', bitrate: 50})"), /Invalid I2C bitrate/);
});

test("toPng encodes the panel; inflating it gives the same pixels back", () => {
  const { clock, emu, oled } = setup();
  emu.load(FIRMWARE);
  clock.runUntil(1e6);
  const png = oled.toPng(2);
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const img = decodePng(png);
  assert.is(img.width, 256);
  assert.is(img.height, 128);
  const px = oled.pixels();
  let mismatches = 0;
  for (let y = 0; y < 128; y++) for (let x = 0; x < 256; x++) if ((img.data[y * 256 + x] > 0 ? 1 : 0) !== px[(y >> 1) * WIDTH + (x >> 1)]) mismatches++;
  assert.is(mismatches, 0);
});

test("decoding: page addressing, column/page windows, Co=1 single bytes, start line, COM scan without remap", () => {
  const { emu, oled, clock } = setup();
  emu.load(`I2C1.setup({scl: "B6", sda: "B7"});
    I2C1.writeTo(60, 0, 0x8D, 0x14, 0xAF, 0xA1, 0xC8, 0x20, 0x02, 0xB3, 0x05, 0x11);   // page mode, page 3, column 0x15
    I2C1.writeTo(60, 0x40, 0xFF, 0x81);                                                // two columns at page 3
    I2C1.writeTo(60, 0x80, 0x20, 0x80, 0x00, 0x80, 0x21, 0x80, 100, 0x80, 101, 0x80, 0x22, 0x80, 7, 0x80, 7, 0x40, 1, 2, 3);`);
  clock.runFor(100_000);
  assert.is(oled.ram[3 * 128 + 0x15], 0xff);
  assert.is(oled.ram[3 * 128 + 0x16], 0x81);
  assert.equal([oled.ram[7 * 128 + 100], oled.ram[7 * 128 + 101], oled.ram[7 * 128 + 100 + 0]], [3, 2, 3]); // 1, 2 then wraps to 100
  assert.is(oled.frameCount, 1); // the window wrapped once
  const p = oled.pixels();
  assert.is(p[24 * WIDTH + 0x15], 1);
  assert.is(p[31 * WIDTH + 0x15], 1);
  assert.is(p[25 * WIDTH + 0x16], 0);
  emu.evaluate("I2C1.writeTo(60, 0, 0xC0)"); // COM scan normal: the panel shows the image upside down
  clock.runFor(100_000);
  assert.is(oled.pixels()[(63 - 24) * WIDTH + 0x15], 1);
});

test.run();
