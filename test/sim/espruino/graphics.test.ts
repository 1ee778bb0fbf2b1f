import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeBoard } from "./_board.ts";
import { FONT_4X6_ROWS } from "../../../host/sim/espruino/fonts.ts";
import type { Espruino } from "../../../host/sim/espruino/index.ts";

/** Pixels of Graphics `g` in the board as text art ('#' set). */
function art(emu: Espruino, w: number, h: number, name = "g"): string {
  const bits = emu.evaluate(`(function(){ var s = ""; for (var y = 0; y < ${h}; y++) { for (var x = 0; x < ${w}; x++) s += ${name}.getPixel(x, y) ? "#" : "."; s += "\\n"; } return s; })()`) as string;
  return bits.trimEnd();
}

/** A value from the board as plain host data (context arrays have another realm's prototype). */
const ev = (emu: Espruino, code: string): unknown => JSON.parse(JSON.stringify(emu.evaluate(code)));

/** The 4x6 glyph of `ch` straight from the C table's text: 6 rows of 3 pixels ('X' set). */
function glyph(ch: string): string[] {
  const idx = ch.charCodeAt(0) - 33;
  const block = Math.floor(idx / 5) * 6;
  return Array.from({ length: 6 }, (_, y) => FONT_4X6_ROWS[block + y].split(" ")[idx % 5]);
}

test('drawString("Hello") in the 4x6 font sets exactly the pixels of Espruino\'s glyphs', () => {
  const { emu } = makeBoard();
  emu.load(`var g = Graphics.createArrayBuffer(24, 6, 1); g.drawString("Hello", 1, 0);`);
  assert.is(art(emu, 24, 6), [
    ".#.#.....##..##.........",
    ".#.#..#...#...#...#.....",
    ".###.###..#...#..#.#....",
    ".#.#.#....#...#..#.#....",
    ".#.#..##.###.###..#.....",
    "........................",
  ].join("\n"));
  // Column by column against the font table: each character is 3 pixel columns + 1 blank, starting at x = 1.
  const rows = art(emu, 24, 6).split("\n");
  [..."Hello"].forEach((ch, k) => {
    const gl = glyph(ch);
    for (let y = 0; y < 6; y++) {
      for (let c = 0; c < 3; c++) assert.is(rows[y][1 + 4 * k + c], gl[y][c] === "X" ? "#" : ".", `${ch} row ${y} col ${c}`);
      assert.is(rows[y][1 + 4 * k + 3], ".", `${ch} gap column`);
    }
  });
  assert.is(emu.evaluate(`g.stringWidth("Hello")`), 20);
  assert.is(emu.evaluate(`g.getFontHeight()`), 6);
  // Scaled: "4x6:2" doubles every pixel.
  emu.evaluate(`g.clear().setFont("4x6:2").drawString("H", 0, 0)`);
  assert.is(art(emu, 8, 2), "##..##..\n##..##..");
  assert.is(emu.evaluate(`g.getFont()`), "4x6:2");
  // solid background fills the unset pixels (and the gap column) with the background colour.
  emu.evaluate(`g.clear(true).setBgColor(1).setColor(0).drawString("!", 0, 0, true)`);
  assert.is(art(emu, 5, 6), "#.##.\n#.##.\n#.##.\n####.\n#.##.\n####.");
});

test("buffer layout: msb (default since 2v25), msb:false, vertical_byte, 8 bpp", () => {
  const { emu } = makeBoard();
  emu.load(`var a = Graphics.createArrayBuffer(16, 2, 1, {msb: true}); a.setPixel(0, 0); a.setPixel(9, 0); a.setPixel(15, 1);
    var b = Graphics.createArrayBuffer(16, 2, 1, {msb: false}); b.setPixel(0, 0); b.setPixel(9, 0);
    var d = Graphics.createArrayBuffer(16, 2, 1); d.setPixel(1, 0);
    var v = Graphics.createArrayBuffer(128, 64, 1, {vertical_byte: true, msb: false}); v.setPixel(0, 1); v.setPixel(1, 8); v.setPixel(127, 63);
    var vm = Graphics.createArrayBuffer(128, 64, 1, {vertical_byte: true}); vm.setPixel(0, 0);
    var e = Graphics.createArrayBuffer(8, 8, 8); e.drawLine(0, 0, 7, 7);
    function bytes(g) { return [].slice.call(new Uint8Array(g.buffer)); }`);
  assert.equal(ev(emu, "bytes(a)"), [0x80, 0x40, 0, 1]);
  assert.equal(ev(emu, "bytes(b)"), [0x01, 0x02, 0, 0]);
  assert.equal(ev(emu, "bytes(d)"), [0x40, 0, 0, 0]);
  assert.is(emu.evaluate("v.buffer.byteLength"), 1024);
  assert.is(emu.evaluate("v.buffer.length"), 1024); // Espruino's Object.length works on ArrayBuffers
  assert.equal(ev(emu, "[bytes(v)[0], bytes(v)[128 + 1], bytes(v)[7 * 128 + 127]]"), [0x02, 0x01, 0x80]);
  // vertical_byte without msb:false on 2v25+ puts row 0 in bit 7 (why SSD1306.js now passes msb:false).
  assert.is(emu.evaluate("bytes(vm)[0]"), 0x80);
  // The reference's own example: 8x8 at 8 bpp, a diagonal of 255s.
  assert.equal(ev(emu, "bytes(e)"), Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 255 : 0)));
  assert.throws(() => emu.evaluate(`Graphics.createArrayBuffer(8, 12, 1, {vertical_byte: true})`), /multiple of 8/);
  assert.throws(() => emu.evaluate(`Graphics.createArrayBuffer(8, 8, 3)`), /Invalid BPP/);
  assert.is(emu.evaluate(`Graphics.createArrayBuffer(8, 8, 1) instanceof Graphics`), true);
});

test("lines and rectangles follow Espruino's integer maths; rect objects, clearRect, chaining", () => {
  const { emu } = makeBoard();
  emu.load(`var g = Graphics.createArrayBuffer(16, 8, 1); g.drawLine(0, 0, 15, 5).drawLine(2, 7, 4, 0);`);
  assert.is(art(emu, 16, 8), [
    "##..#...........",
    "..###...........",
    "...#.###........",
    "...#....###.....",
    "...#.......###..",
    "...#..........##",
    "..#.............",
    "..#.............",
  ].join("\n"));
  emu.evaluate(`g.clear().drawRect(1, 1, 5, 4).fillRect({x: 8, y: 1, w: 3, h: 2}).fillRect(13, 6, 20, 20).clearRect(9, 2, 9, 2)`);
  assert.is(art(emu, 16, 8), [
    "................",
    ".#####..####....",
    ".#...#..#.##....",
    ".#...#..####....",
    ".#####..........",
    "................",
    ".............###",
    ".............###",
  ].join("\n"));
  assert.is(emu.evaluate("g.getWidth() + 'x' + g.getHeight()"), "16x8");
  assert.is(emu.evaluate("g.getColor()"), 1);
  assert.is(emu.evaluate("g.setColor(-1).getColor()"), 1);
  assert.is(emu.evaluate("g.setColor(0.2, 0.2, 0.2).getColor()"), 0);
  assert.is(emu.evaluate("g.setColor('#fff').getColor()"), 1);
  // setRotation(1): x runs down the device, y runs right-to-left.
  emu.evaluate(`g.clear().setColor(1).setRotation(1).setPixel(0, 0).setRotation(0)`);
  assert.is(emu.evaluate("g.getPixel(15, 0)"), 1);
});

test("fonts: 6x8 is absent on a Pico-like build; vector font sizes; alignment and stringWidth", () => {
  const { emu } = makeBoard();
  emu.load(`var g = Graphics.createArrayBuffer(128, 64, 1, {vertical_byte: true, msb: false});`);
  assert.throws(() => emu.evaluate(`g.setFont("6x8")`), /Unknown font "6x8"/);
  assert.is(emu.evaluate(`g.getFonts().join()`), "4x6,Vector");
  // As on a board, the failed call leaves a font with no glyphs behind.
  assert.is(emu.evaluate(`g.stringWidth("abc")`), 0);
  assert.is(emu.evaluate(`g.setFont("4x6").stringWidth("abc")`), 12);
  // Vector font: width per glyph = ((maxX + 2) * size + 7) >> 4 over the glyph's 13-unit grid.
  assert.is(emu.evaluate(`g.setFont("Vector", 16).getFont()`), "Vector:16");
  assert.is(emu.evaluate(`g.getFontHeight()`), 16);
  const w = emu.evaluate(`g.stringWidth("88")`) as number;
  assert.ok(w >= 16 && w <= 26, `vector "88" width ${w}`);
  assert.is(emu.evaluate(`g.setFontVector(32).stringWidth("88")`), (emu.evaluate(`g.setFont("Vector:32").stringWidth("88")`)));
  emu.evaluate(`g.clear().setFont("Vector:20").drawString("8", 10, 10)`);
  const lit = emu.evaluate(`(function(){ var n = 0, x0 = 99, x1 = -1, y0 = 99, y1 = -1; for (var y = 0; y < 64; y++) for (var x = 0; x < 128; x++) if (g.getPixel(x, y)) { n++; if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; } return [n, x0, x1, y0, y1]; })()`) as number[];
  assert.ok(lit[0] > 40, `vector glyph pixels ${lit[0]}`);
  assert.ok(lit[1] >= 10 && lit[2] < 10 + (emu.evaluate(`g.stringWidth("8")`) as number) && lit[3] >= 10 && lit[4] < 30, JSON.stringify(lit));
  // Right/centre alignment: the string ends at / centres on x.
  emu.evaluate(`g.clear().setFont("4x6").setFontAlign(1, -1).drawString("ab", 20, 0)`);
  assert.is(emu.evaluate(`(function(){ for (var x = 127; x >= 0; x--) for (var y = 0; y < 6; y++) if (g.getPixel(x, y)) return x; })()`), 18);
  emu.evaluate(`g.clear().setFontAlign(0, 0).drawString("ab", 20, 10)`);
  assert.is(String(emu.evaluate(`(function(){ for (var x = 0; x < 128; x++) for (var y = 0; y < 64; y++) if (g.getPixel(x, y)) return [x, y]; })()`)), "16,8"); // 'a' starts on its second row

  const esp32 = makeBoard({ hasFont6x8: true }).emu;
  esp32.load(`var g = Graphics.createArrayBuffer(12, 8, 1); g.setFont("6x8").drawString("A", 0, 0);`);
  assert.is(esp32.evaluate(`g.getFont() + " " + g.stringWidth("AB") + " " + g.getFonts().join()`), "6x8 12 4x6,6x8,Vector");
  assert.ok((art(esp32, 6, 8).match(/#/g) ?? []).length > 8);
});

test("memory: a 128x64 1-bit Graphics costs about its 1 KB buffer plus a few variables", () => {
  const { emu } = makeBoard();
  emu.load(`var before = process.memory().usage; var g = Graphics.createArrayBuffer(128, 64, 1, {msb: true}); var after = process.memory().usage;`);
  const cost = (emu.evaluate("after - before") as number);
  assert.ok(cost >= 80 && cost <= 100, `cost ${cost}`);
});

test.run();
