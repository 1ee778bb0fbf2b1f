// `flowrig boards [ID]`: the board profiles, or one board's wiring table with the pin modifiers spelled out.
import { Command, InvalidArgumentError } from "commander";
import { listBoards, loadBoard, parsePin, type BoardProfile } from "../../../boards/load.ts";
import { colours, printJson, table } from "../format.ts";

function linkText(link: BoardProfile["link"]): string {
  if (link.kind === "usb") return "USB";
  if (link.kind === "uart") return `UART ${link.port} ${link.baud} baud (rx ${link.rx}, tx ${link.tx})`;
  return `${link.port} on ${link.path}`;
}

/** What a pin's modifiers mean: "!B5" → "B5 inverted (active low)"; "^!A0" → "A0 with pull-up, inverted (active low)"; "B3" → "". */
export function pinText(spec: string): string {
  const p = parsePin(spec);
  const notes = [p.pullUp ? "with pull-up" : "", p.inverted ? "inverted (active low)" : ""].filter((n) => n !== "");
  return notes.length === 0 ? "" : `${p.pin} ${notes.join(", ")}`;
}

/** One line of the wiring table: a pin (spec as written, with modifiers) or a plain value (driver chip, display). */
export interface WiringRow { part: string; signal: string; pin?: string; value?: string; note?: string }

/** Every wired signal of a board, in the order a person wires it. */
export function wiring(b: BoardProfile): WiringRow[] {
  const rows: WiringRow[] = [];
  const pin = (part: string, signal: string, spec: string) => rows.push({ part, signal, pin: spec });
  b.pumps.forEach((p, i) => {
    const part = `pump ${"AB"[i]}`;
    pin(part, "step", p.step);
    pin(part, "dir", p.dir);
    pin(part, "enable", p.enable);
    rows.push({ part, signal: "driver", value: p.driver, note: "stepper driver chip" });
    pin(part, "min endstop (empty)", p.minEndstop);
    pin(part, "max endstop (full)", p.maxEndstop);
    if (p.diag !== undefined) pin(part, "diag (stall)", p.diag);
  });
  pin("sensor", "photodiode", b.sensor.photodiode);
  pin("sensor", "LED", b.sensor.led);
  if (b.sensor.absorbance !== undefined) pin("sensor", "absorbance", b.sensor.absorbance);
  for (const key of ["up", "down", "select", "back"] as const) pin("buttons", key, b.buttons[key]);
  const d = b.display;
  rows.push({ part: "display", signal: "kind", value: d.kind, note: `${d.width}×${d.height} OLED on ${d.bus}, address 0x${d.address.toString(16)}` });
  pin("display", "scl", d.scl);
  pin("display", "sda", d.sda);
  b.valves.forEach((v, i) => pin("valves", `valve ${i + 1}`, v));
  return rows;
}

function parsePinFields(spec: string) {
  const p = parsePin(spec);
  return { name: p.pin, pullUp: p.pullUp, inverted: p.inverted };
}

function summary(id: string, b: BoardProfile) {
  return {
    id, name: b.name, chip: b.chip, runtime: b.runtime, variables: b.variables, stepper: b.hasStepper,
    link: b.link, linkText: linkText(b.link),
  };
}

function parseBoardId(id: string): string {
  const boards = listBoards();
  if (!boards.includes(id)) throw new InvalidArgumentError(`unknown board "${id}"; boards: ${boards.join(", ")}`);
  return id;
}

export function boardsCommand(): Command {
  return new Command("boards")
    .description("list the board profiles, or show one board's wiring")
    .argument("[id]", "a board id: show its wiring table", parseBoardId)
    .option("--json", "machine-readable output")
    .exitOverride()
    .action((id: string | undefined, opts: { json?: boolean }) => {
      const c = colours();
      if (id === undefined) {
        const boards = listBoards().map((b) => summary(b, loadBoard(b)));
        if (opts.json === true) { printJson(boards); return; }
        process.stdout.write(table([
          ["id", "name", "chip", "runtime", "variables", "Stepper", "link"].map(c.bold),
          ...boards.map((b) => [b.id, b.name, b.chip, b.runtime, b.variables === 0 ? "grows" : String(b.variables), b.stepper ? "yes" : "no", b.linkText]),
        ]));
        process.stdout.write(c.dim("flowrig boards <id> shows a board's wiring\n"));
        return;
      }
      const b = loadBoard(id);
      const rows = wiring(b);
      if (opts.json === true) {
        printJson({
          ...summary(id, b),
          wiring: rows.map((r) => (r.pin === undefined ? r : { ...r, ...parsePinFields(r.pin) })),
          reservedPins: b.reservedPins, notes: b.notes ?? [],
        });
        return;
      }
      process.stdout.write(`${c.bold(id)}: ${b.name}\n${b.chip}, ${b.runtime}, ${b.variables === 0 ? "variables grow on demand" : `${b.variables} variables`}, ` +
        `Stepper ${b.hasStepper ? "yes" : "no"}, link ${linkText(b.link)}\n\n`);
      process.stdout.write(table([
        ["part", "signal", "pin", "meaning"].map(c.bold),
        ...rows.map((r) => [r.part, r.signal, r.pin ?? r.value ?? "", r.pin === undefined ? r.note ?? "" : pinText(r.pin)]),
      ]));
      process.stdout.write(`\nPin modifiers: "^" = internal pull-up enabled, "!" = inverted (active low); endstops and buttons read 1 when triggered after modifiers.\n`);
      if (b.reservedPins.length > 0) process.stdout.write(`Reserved (do not wire): ${b.reservedPins.map((r) => `${r.pin} (${r.use})`).join(", ")}\n`);
      for (const note of b.notes ?? []) process.stdout.write(`Note: ${note}\n`);
    });
}
