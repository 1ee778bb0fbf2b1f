// The committed wiring diagrams (docs/build/wiring-<board>.svg) against the board profiles: every pin the profile names is
// drawn as a wire from its board pad to the right terminal of the right part, nothing else is, and each file is up to date.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { listBoards, loadBoard } from "../../boards/load.ts";
import { svgPath, wiringSvg } from "../../docs/build/wiring.ts";

/** Where each pin field of a profile must end: [part id, terminal]. Paths as the walk below writes them. */
const EXPECT: [RegExp, (m: RegExpMatchArray) => [string, string]][] = [
  [/^pumps\.(\d)\.(step|dir|enable|diag)$/, (m) => [`pump${"AB"[Number(m[1])]}-driver`, { step: "STEP", dir: "DIR", enable: "EN", diag: "DIAG" }[m[2]]!]],
  [/^pumps\.(\d)\.(min|max)Endstop$/, (m) => [`pump${"AB"[Number(m[1])]}-endstops`, m[2] === "min" ? "empty end" : "full end"]],
  [/^sensor\.(photodiode|absorbance)$/, (m) => [m[1], "OUT"]],
  [/^sensor\.led$/, () => ["led", "GATE"]],
  [/^buttons\.(up|down|select|back)$/, (m) => ["buttons", m[1]]],
  [/^display\.(scl|sda)$/, (m) => ["display", m[1].toUpperCase()]],
  [/^valves\.(\d+)$/, (m) => [`valve${Number(m[1]) + 1}`, "GATE"]],
  [/^link\.(rx|tx)$/, (m) => ["link", m[1] === "rx" ? "adapter TX" : "adapter RX"]],
];

/** Every pin-shaped string in the profile JSON (reserved pins, the chip, driver and display kinds aside), with its path. */
function pinsOf(json: unknown, path = ""): { path: string; spec: string }[] {
  if (typeof json === "string") return /^[!^]*[A-Z]+\d+$/.test(json) ? [{ path, spec: json }] : [];
  if (typeof json !== "object" || json === null) return [];
  return Object.entries(json).flatMap(([k, v]) =>
    ["reservedPins", "driver", "kind", "chip", "$schema"].includes(k) ? [] : pinsOf(v, path === "" ? k : `${path}.${k}`));
}

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

for (const id of listBoards()) {
  test(`${id}: every profile pin is a wire from its pad to the right part's terminal, and the SVG is up to date`, () => {
    const file = svgPath(id);
    assert.ok(existsSync(file), `${file} is missing: npm run wiring`);
    const svg = readFileSync(file, "utf8");
    assert.is(svg, wiringSvg(id, loadBoard(id)), `${file} is out of date with boards/${id}.json: npm run wiring`);

    const json = JSON.parse(readFileSync(fileURLToPath(new URL(`../../boards/${id}.json`, import.meta.url)), "utf8"));
    const pins = pinsOf(json);
    assert.ok(pins.length >= 14, `${pins.length} pins found in the profile`);
    const terminals = new Map<string, { x: number; y: number; part: string }>();
    for (const part of svg.matchAll(/<g class="part" id="part-([^"]+)"[^>]*>([\s\S]*?)<\/g>/g)) {
      for (const t of part[2].matchAll(/<circle class="terminal"[^>]*>/g)) {
        const a = attrs(t[0]);
        terminals.set(`${a["data-part"]}|${unescape(a["data-terminal"])}`, { x: Number(a.cx), y: Number(a.cy), part: part[1] });
      }
    }
    const connections = [...svg.matchAll(/<g class="connection"([^>]*)>([\s\S]*?)<\/g>/g)];
    assert.is(connections.length, pins.length, "one wire per profile pin, no more");
    for (const { path, spec } of pins) {
      const rule = EXPECT.map(([re, f]) => { const m = path.match(re); return m === null ? undefined : f(m); }).find((r) => r !== undefined);
      assert.ok(rule, `profile field ${path} (${spec}) has no expected part: add it to the test and the diagram`);
      const [part, terminal] = rule!;
      const pin = spec.replace(/^[!^]+/, "");
      const found = connections.find((c) => { const a = attrs(c[1]); return a["data-pin"] === pin && a["data-part"] === part && unescape(a["data-terminal"]) === terminal; });
      assert.ok(found, `${path} = ${spec}: no wire from ${pin} to ${part} ${terminal}`);
      const body = found![2];
      const pad = attrs(body.match(/<circle class="pad"[^>]*>/)![0]);
      const wire = attrs(body.match(/<line class="wire"[^>]*>/)![0]);
      const label = body.match(/<text[^>]*text-anchor="end">([^<]*)<\/text>/)![1];
      assert.is(unescape(label), spec, `${path}: the pad is labelled as the profile writes the pin`);
      assert.equal([Number(wire.x1), Number(wire.y1)], [Number(pad.cx), Number(pad.cy)], `${path}: the wire starts at the pad`);
      const end = terminals.get(`${part}|${terminal}`);
      assert.ok(end, `${path}: part ${part} has no terminal ${terminal}`);
      assert.is(end!.part, part);
      assert.equal([Number(wire.x2), Number(wire.y2)], [end!.x, end!.y], `${path}: the wire ends on ${part} ${terminal}`);
    }
  });
}

test.run();
