// The everyday commands without a board: units, value parsing, boards, ports, and bad arguments (exit 2).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatFlowUlPerH, formatVolumeNl, parseFlowUlPerH, parseVolumeNl } from "../../../host/client/units.ts";
import { configCommand, keyByName } from "../../../host/cli/commands/config.ts";
import { planFile } from "../../../host/client/config-file.ts";
import { parseValue } from "../../../host/client/board-config.ts";
import { monitorCommand, sparkline } from "../../../host/cli/commands/monitor.ts";
import { hintFor, scanDevices } from "../../../host/cli/commands/ports.ts";
import { Command, CommanderError } from "commander";
import { boardsCommand, pinText } from "../../../host/cli/commands/boards.ts";
import { infoCommand } from "../../../host/cli/commands/info.ts";
import { statusCommand } from "../../../host/cli/commands/status.ts";
import { stopCommand } from "../../../host/cli/commands/stop.ts";
import { jogCommand, primeCommand, withdrawCommand } from "../../../host/cli/commands/move.ts";
import { flowrig, flowrigJson } from "./harness.ts";

test("units: volumes to nL and flows to µL/h, exactly; errors name the input", () => {
  const volumes: [string, number][] = [["0.5mL", 500_000], ["500uL", 500_000], ["500 µL", 500_000], ["500μL", 500_000], ["2 mL", 2_000_000],
    ["250nL", 250], ["1e-3 mL", 1000], [".1mL", 100_000], ["0.0000001mL", 0], ["1L", 1_000_000_000], ["1.5ML", 1_500_000]];
  for (const [text, nl] of volumes) assert.is(parseVolumeNl(text), nl, text);
  const flows: [string, number][] = [["60mL/h", 60_000], ["1000uL/min", 60_000], ["0.5 mL/min", 30_000], ["10 µL/s", 36_000],
    ["1 mL / h", 1000], ["0.001 uL/h", 0], ["1.0005uL/h", 1], ["6000mL/hr", 6_000_000]];
  for (const [text, ul] of flows) assert.is(parseFlowUlPerH(text), ul, text);
  // 0.1 + 0.2 style float errors cannot creep in: decimal arithmetic throughout.
  assert.is(parseVolumeNl("0.3mL"), 300_000);
  assert.is(parseFlowUlPerH("0.7mL/h"), 700);
  for (const bad of ["0.5", "mL", "0.5 mL/h", "five mL", "1,5mL", ""]) {
    assert.throws(() => parseVolumeNl(bad), (e: Error) => e.message.includes(`"${bad}"`) && /e\.g\. 0\.5mL/.test(e.message), bad);
  }
  for (const bad of ["60", "60mL", "60mL/day", "60 L/fortnight"]) {
    assert.throws(() => parseFlowUlPerH(bad), (e: Error) => e.message.includes(`"${bad}"`) && /60mL\/h/.test(e.message), bad);
  }
  assert.is(formatVolumeNl(500_021), "500 µL");
  assert.is(formatVolumeNl(1_500_000), "1.5 mL");
  assert.is(formatVolumeNl(0), "0 mL");
  assert.is(formatFlowUlPerH(60_000), "60 mL/h");
  assert.is(formatFlowUlPerH(12), "12 µL/h");
});

test("config values: names, units and limits from the schema", () => {
  assert.is(parseValue(keyByName("syringe"), "BD 60 mL"), 7);
  assert.is(parseValue(keyByName("syringe"), "bd60ml"), 7);
  assert.is(parseValue(keyByName("syringe"), "0"), 0);
  assert.is(parseValue(keyByName("hostLossPolicy"), "continue"), 1);
  assert.is(parseValue(keyByName("invertDir"), true), 1);
  assert.is(parseValue(keyByName("maxRateUlPerH"), "100mL/h"), 100_000);
  assert.is(parseValue(keyByName("capacityUl"), "60mL"), 60_000);
  assert.is(parseValue(keyByName("innerdiameterum"), 14430), 14430);
  assert.throws(() => parseValue(keyByName("maxRateUlPerH"), "30000000"), /above the limit 20000000 µL\/h/);
  assert.throws(() => parseValue(keyByName("innerDiameterUm"), "999"), /below the minimum 1000 µm/);
  assert.throws(() => parseValue(keyByName("syringe"), "BD 70 mL"), /not in the library.*BD 60 mL/);
  assert.throws(() => parseValue(keyByName("syringe"), "19"), /above the limit 18/);
  assert.throws(() => parseValue(keyByName("hostTimeoutMs"), "5s"), /integer in ms, got "5s"/);
  assert.throws(() => keyByName("maxRate"), /unknown key "maxRate"; keys: syringe, /);
});

test("config files: checked whole before anything is sent; library syringes written before the rest", () => {
  const { writes, expect } = planFile({ pumps: { A: { innerDiameterUm: 26590, syringe: "BD 60 mL", leadUm: 8000 }, B: { innerDiameterUm: 12000, syringe: "custom" } },
    safety: { hostLossPolicy: "continue" } }, "f.json");
  assert.equal(writes.map((w) => `${w.key.name}[${w.index}]=${w.value}`),
    ["syringe[0]=7", "leadUm[0]=8000", "innerDiameterUm[1]=12000", "syringe[1]=0", "hostLossPolicy[0]=1"]);
  assert.is(expect.length, 6);
  assert.throws(() => planFile({ pumps: { A: { syringe: "BD 60 mL", capacityUl: 10000 } } }, "f.json"), /f\.json: pumps\.A\.capacityUl: 10000 disagrees with syringe "BD 60 mL" \(60000\)/);
  assert.throws(() => planFile({ pumps: { C: {} } }, "f.json"), /pumps\.C: pumps are A and B/);
  assert.throws(() => planFile({ sensor: { ledHz: 5000 } }, "f.json"), /sensor\.ledHz: ledHz 5000 Hz is above the limit 2000 Hz/);
  assert.throws(() => planFile({ sensor: { hostTimeoutMs: 1 } }, "f.json"), /sensor\.hostTimeoutMs: unknown key; keys here: ledHz/);
  assert.throws(() => planFile([], "f.json"), /\(root\): expected a JSON object/);
});

test("sparkline, pin modifiers and vendor hints", () => {
  assert.is(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█");
  assert.is(sparkline([5, 5, 5]), "▁▁▁");
  assert.is(sparkline([]), "");
  assert.is(pinText("!B5"), "B5 inverted (active low)");
  assert.is(pinText("^!A0"), "A0 with pull-up, inverted (active low)");
  assert.is(pinText("B3"), "");
  assert.match(hintFor("0483")!, /Espruino/);
  assert.match(hintFor("10C4")!, /CP210x.*ESP32/);
  assert.match(hintFor("1a86")!, /CH340/);
  assert.match(hintFor("0403")!, /FTDI/);
  assert.is(hintFor("046d"), undefined);
});

test("ports without udevadm: /dev/ttyACM*, /dev/ttyUSB* and by-id names, with what sysfs tells", () => {
  const root = mkdtempSync(join(tmpdir(), "flowrig-ports-"));
  try {
    const dev = join(root, "dev");
    const sys = join(root, "sys");
    mkdirSync(join(dev, "serial/by-id"), { recursive: true });
    for (const n of ["ttyACM0", "ttyUSB0", "ttyS0"]) writeFileSync(join(dev, n), "");
    symlinkSync("../../ttyACM0", join(dev, "serial/by-id/usb-Espruino_Pico-if00"));
    // ttyACM0: the interface directory sits right below the USB device; ttyUSB0 one level deeper (usb-serial).
    const pico = join(sys, "devices/usb1/1-1");
    const esp = join(sys, "devices/usb1/1-2");
    mkdirSync(join(pico, "1-1:1.0"), { recursive: true });
    mkdirSync(join(esp, "1-2:1.0/ttyUSB0"), { recursive: true });
    for (const [dir, vendor, product, maker] of [[pico, "0483", "5740", "STMicroelectronics"], [esp, "10c4", "ea60", "Silicon Labs"]]) {
      writeFileSync(join(dir, "idVendor"), `${vendor}\n`);
      writeFileSync(join(dir, "idProduct"), `${product}\n`);
      writeFileSync(join(dir, "manufacturer"), `${maker}\n`);
    }
    mkdirSync(join(sys, "class/tty/ttyACM0"), { recursive: true });
    mkdirSync(join(sys, "class/tty/ttyUSB0"), { recursive: true });
    symlinkSync(join(pico, "1-1:1.0"), join(sys, "class/tty/ttyACM0/device"));
    symlinkSync(join(esp, "1-2:1.0/ttyUSB0"), join(sys, "class/tty/ttyUSB0/device"));
    const ports = scanDevices({ dev, sys });
    assert.equal(ports.map((p) => p.path), [join(dev, "ttyACM0"), join(dev, "ttyUSB0")]);
    assert.is(ports[0].vendorId, "0483");
    assert.is(ports[0].manufacturer, "STMicroelectronics");
    assert.is(ports[0].byId, join(dev, "serial/by-id/usb-Espruino_Pico-if00"));
    assert.match(ports[0].hint!, /Espruino/);
    assert.is(ports[1].vendorId, "10c4");
    assert.match(ports[1].hint!, /ESP32/);
    assert.is(ports[1].byId, undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("flowrig boards, boards ID and ports run without a board", async () => {
  const [list, one, human, ports] = await Promise.all([
    flowrigJson("boards"), flowrigJson("boards", "espruino-esp32"), flowrig("boards", "espruino-pico"), flowrigJson("ports"),
  ]);
  const boards = list[0] as { id: string; stepper: boolean; chip: string }[];
  assert.ok(boards.some((b) => b.id === "espruino-pico" && b.stepper && b.chip === "STM32F401CDU6"));
  assert.ok(boards.some((b) => b.id === "espruino-esp32" && !b.stepper));
  const wiring = one[0].wiring as { part: string; signal: string; pin?: string; inverted?: boolean; pullUp?: boolean }[];
  assert.ok(wiring.some((w) => w.part === "pump A" && w.signal === "enable" && w.pin === "!D27" && w.inverted === true));
  assert.ok(wiring.some((w) => w.part === "buttons" && w.pullUp === true && w.inverted === true));
  assert.is(human.status, 0);
  assert.match(human.stdout, /pump A\s+enable\s+!B5\s+B5 inverted \(active low\)/);
  assert.match(human.stdout, /Pin modifiers: "\^" = internal pull-up/);
  assert.ok(["serialport", "sysfs"].includes(ports[0].source));
  assert.ok(Array.isArray(ports[0].ports));
  if (ports[0].source === "sysfs") assert.match(ports[0].note, /udevadm/);
});

/** Parses `args` with a fresh command object in this process; resolves with what commander refused and said. */
async function refused(make: () => Command, args: string[]): Promise<{ error: unknown; stderr: string }> {
  let stderr = "";
  const quiet = (c: Command) => { c.configureOutput({ writeErr: (s) => { stderr += s; }, writeOut: () => {} }); c.commands.forEach(quiet); };
  const command = make();
  quiet(command);
  try {
    await command.parseAsync(args, { from: "user" });
    return { error: undefined, stderr };
  } catch (error) {
    return { error, stderr: stderr + (error instanceof CommanderError ? "" : String(error)) };
  }
}

test("bad arguments: refused by the parser with a message that says what is allowed, before any board is asked", async () => {
  const port = ["--port", "tcp://127.0.0.1:9"]; // nothing listens: a command that got past its arguments would fail to connect
  const cases: [() => Command, string[], RegExp][] = [
    [boardsCommand, ["nope"], /unknown board "nope"; boards: .*espruino-pico/],
    [statusCommand, [], /required option '--port <port>'/],
    [statusCommand, ["--port", "COM3"], /use "sim" .* tcp:\/\/HOST:PORT/],
    [infoCommand, ["--port", "tcp://localhost"], /tcp:\/\/HOST:PORT with a port/],
    [statusCommand, ["--port", "sim", "--board", "nope"], /unknown board "nope"/],
    [stopCommand, ["--port", "sim", "--speed", "-1"], /speed must be a number ≥ 0 \(1 = real time, 10 = ten times faster\) or "max" \(also 0\), got "-1"/],
    [monitorCommand, [...port, "--count", "0"], /count must be an integer from 1/],
    [monitorCommand, [...port, "--interval", "x"], /interval must be a number of seconds/],
    [primeCommand, [...port, "--pump", "C", "--volume", "1mL"], /pump must be A \(precursor\) or B/],
    [primeCommand, [...port, "--pump", "A"], /required option '--volume <v>'/],
    [primeCommand, [...port, "--pump", "A", "--volume", "0.5"], /"0\.5" is not a volume/],
    [primeCommand, [...port, "--pump", "A", "--volume", "-1mL"], /volume must be above 0/],
    [withdrawCommand, [...port, "--pump", "B", "--volume", "1mL", "--rate", "60mL"], /"60mL" is not a flow/],
    [jogCommand, [...port, "--pump", "A", "--steps", "1.5"], /steps must be an integer/],
    [jogCommand, [...port, "--pump", "A", "--steps", "0"], /steps must not be 0/],
    [configCommand, ["get", "nokey", ...port], /unknown key "nokey"/],
    [configCommand, ["set", "maxRateUlPerH", "30000000", ...port], /maxRateUlPerH 30000000 µL\/h \(30000 mL\/h\) is above the limit 20000000 µL\/h/],
    [configCommand, ["set", "hostLossPolicy", "maybe", ...port], /hostLossPolicy takes an integer in enum \(or stop\/continue\), got "maybe"/],
    [configCommand, ["set", "ledHz", "100", "--pump", "A", ...port], /ledHz is a sensor key: it takes no --pump/],
    [configCommand, ["load", "/no/such/file.json", ...port], /cannot read \/no\/such\/file\.json/],
    [configCommand, ["frobnicate"], /unknown command 'frobnicate'/],
  ];
  for (const [make, args, message] of cases) {
    const { error, stderr } = await refused(make, args);
    assert.instance(error, CommanderError, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message, args.join(" "));
  }
});

test("bad arguments through the bin: exit 2, nothing on stdout", async () => {
  const cases: [string[], RegExp][] = [
    [["prime", "--port", "tcp://127.0.0.1:9", "--pump", "A", "--volume", "5"], /"5" is not a volume/],
    [["config", "set", "maxRateUlPerH", "30000000", "--port", "tcp://127.0.0.1:9"], /above the limit 20000000 µL\/h/],
    [["jog", "--port", "tcp://127.0.0.1:9", "--pump", "A", "--steps", "0"], /steps must not be 0/],
  ];
  const results = await Promise.all(cases.map(([args]) => flowrig(...args)));
  for (const [i, [args, message]] of cases.entries()) {
    assert.is(results[i].status, 2, `${args.join(" ")}: ${results[i].stderr}`);
    assert.match(results[i].stderr, message, args.join(" "));
    assert.is(results[i].stdout, "", args.join(" "));
  }
});

test.run();
