// The one JSON-Schema walker (boards/schema-walk.ts) that boards and recipes are checked with: paths, limits, unions, checks and collection.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { schemaWalker } from "../../boards/schema-walk.ts";
import { boardErrors } from "../../boards/load.ts";
import { recipeErrors } from "../../host/recipes/load.ts";
import { readFileSync } from "node:fs";

const SCHEMA = {
  $ref: "#/definitions/Doc",
  definitions: {
    Doc: {
      type: "object", additionalProperties: false, required: ["pins", "link"],
      properties: {
        pins: { type: "array", items: { $ref: "#/definitions/Pin" }, minItems: 1, maxItems: 2 },
        link: { $ref: "#/definitions/Link" },
        settle: { oneOf: [{ type: "number", minimum: 0, maximum: 10 }, { const: "auto" }] },
      },
    },
    Pin: { type: "string", pattern: "^[A-Z][0-9]+$" },
    Link: { oneOf: [{ $ref: "#/definitions/Usb" }, { $ref: "#/definitions/Uart" }] },
    Usb: { type: "object", additionalProperties: false, required: ["kind"], properties: { kind: { const: "usb" } } },
    Uart: { type: "object", additionalProperties: false, required: ["kind", "tx"], properties: { kind: { const: "uart" }, tx: { $ref: "#/definitions/Pin" } } },
  },
};

const walker = schemaWalker(SCHEMA, {
  check: { Pin: (v) => (typeof v === "string" && v.startsWith("!") ? `"${v}": no modifiers here` : undefined) },
  collect: ["Pin"],
});

function run(value: unknown) {
  const errors: string[] = [];
  const found = walker.walk(value, (path, message) => errors.push(`${path}: ${message}`));
  return { errors, found: found.map((f) => `${f.path}=${String(f.value)}`) };
}

test("a valid document: no errors, and every collected value with its path, from the union branch taken", () => {
  assert.equal(run({ pins: ["A1", "B2"], link: { kind: "uart", tx: "C3" }, settle: "auto" }), { errors: [], found: ["pins[0]=A1", "pins[1]=B2", "link.tx=C3"] });
});

test("each error names the field's path and the limit or what is allowed", () => {
  assert.equal(run({ pins: [], link: { kind: "usb" }, settle: 11, extra: 1 }).errors, [
    "pins: 0 entries is below the minimum 1",
    "settle: 11 exceeds the limit 10",
    "extra: unknown field (allowed: pins, link, settle)",
  ]);
  assert.equal(run({ pins: ["A1", "B2", "C3"], link: { kind: "usb" } }).errors, ["pins: 3 entries exceeds the limit 2"]);
  assert.equal(run({ pins: ["a1"], link: { kind: "usb" } }).errors, ['pins[0]: "a1" does not match ^[A-Z][0-9]+$ (see schema)']);
  assert.equal(run({ link: { kind: "usb" } }).errors, ["pins: required field is missing (see schema)"]);
});

test("unions: a kind constant picks the branch; otherwise the branch of the value's type, or one line of what is allowed", () => {
  assert.equal(run({ pins: ["A1"], link: { kind: "bluetooth" } }).errors, ['link.kind: "bluetooth" is not allowed (allowed: "usb", "uart")']);
  assert.equal(run({ pins: ["A1"], link: { kind: "uart" } }).errors, ["link.tx: required field is missing (see schema)"]);
  assert.equal(run({ pins: ["A1"], link: { kind: "usb" }, settle: "soon" }).errors, ['settle: expected number or "auto", got string "soon"']);
  assert.equal(run({ pins: ["A1"], link: { kind: "usb" }, settle: -1 }).errors, ["settle: -1 is below the minimum 0"]);
});

test("a definition's own check refuses the value before its schema, and it is not collected", () => {
  assert.equal(run({ pins: ["!A1", "B2"], link: { kind: "usb" } }), { errors: ['pins[0]: "!A1": no modifiers here'], found: ["pins[1]=B2"] });
});

test("keys that name Object.prototype's members are unknown fields, not known ones", () => {
  assert.equal(run(JSON.parse('{"pins":["A1"],"link":{"kind":"usb"},"constructor":1}')).errors, ["constructor: unknown field (allowed: pins, link, settle)"]);
});

test("boards and recipes speak the same words for the same mistake", () => {
  const board = JSON.parse(readFileSync(new URL("../../boards/espruino-pico.json", import.meta.url), "utf8"));
  board.display.address = 300;
  assert.ok(boardErrors(board, "b.json").some((e) => /^b\.json: display\.address: 300 exceeds the limit \d+$/.test(e)));
  const recipe = JSON.parse(readFileSync(new URL("../../recipes/paper-toluene-sweep.json", import.meta.url), "utf8"));
  recipe.tube.innerDiameterMm = 30;
  assert.ok(recipeErrors(recipe, "r.json").includes("r.json: tube.innerDiameterMm: 30 exceeds the limit 20"));
});

test.run();
