// `flowrig config get|set|save|load`: the board's configuration by key name (client/board-config.ts), range-checked, every write read back; saved files (client/config-file.ts).
import { Command, InvalidArgumentError } from "commander";
import { readFileSync, writeFileSync } from "node:fs";
import type { HostLink } from "../../../protocol/host-link.ts";
import { CONFIG_KEYS } from "../../../protocol/schema.ts";
import { configKey, keyIndices, maxOf, parseValue, readConfig, showValue, where, writeConfig, type ConfigKey } from "../../client/board-config.ts";
import { configDocument, planFile, readAllConfig } from "../../client/config-file.ts";
import { sampleWindowProblem } from "../../recipes/sensor-timing.ts";
import { addPortOptions, colours, parsePump, printJson, PUMP_NAMES, table, usageError, withBoard, type PortOptions } from "../format.ts";

type Key = ConfigKey;
const KEYS: readonly Key[] = CONFIG_KEYS;

/** --key argument: a key by name, or a usage error naming every key. */
export function keyByName(name: string): Key {
  try { return configKey(name); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
}

/**
 * The rule recipes are checked by (one sample window fits in one sample period), for values about to be written:
 * each of sampleWindowMs / samplePeriodMs not given is the one the board holds. undefined if the pair is fine.
 */
async function sampleTimingProblem(link: HostLink, next: { sampleWindowMs?: number; samplePeriodMs?: number }): Promise<string | undefined> {
  if (next.sampleWindowMs === undefined && next.samplePeriodMs === undefined) return undefined;
  const window = next.sampleWindowMs ?? await readConfig(link, "sampleWindowMs", 0);
  const period = next.samplePeriodMs ?? await readConfig(link, "samplePeriodMs", 0);
  if (next.sampleWindowMs !== undefined) {
    const where = next.samplePeriodMs !== undefined ? `the samplePeriodMs ${period} ms asked for` : "samplePeriodMs on the board";
    const problem = sampleWindowProblem(window, period, where, "ms");
    return problem === undefined ? undefined : `sampleWindowMs ${problem}`;
  }
  const problem = sampleWindowProblem(window, period, `the samplePeriodMs ${period} ms asked for`, "ms");
  return problem === undefined ? undefined : `sampleWindowMs on the board ${problem}`;
}

function readJsonFile(command: Command, file: string): unknown {
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch (e) { usageError(command, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  try { return JSON.parse(text); } catch (e) { usageError(command, `${file}: not valid JSON: ${(e as Error).message}`); }
}

type Opts = PortOptions & { json?: boolean; pump?: number };

export function configCommand(): Command {
  const config = new Command("config")
    .description("read and write the board's configuration by key name; save it to a file and load it back")
    .exitOverride()
    .addHelpText("after", `
Keys (pump keys apply to --pump A or B, both when --pump is left out):
${KEYS.map((k) => `  ${k.name.padEnd(16)} ${k.scope.padEnd(6)} ${`${k.min}..${maxOf(k)}`.padEnd(14)} ${k.unit.padEnd(8)} ${k.doc}`).join("\n")}
Values: syringe by library name or index ("BD 60 mL"), hostLossPolicy stop|continue, bools true/false,
flows as µL/h or with a unit (60mL/h), volumes in µL or with a unit (10mL).`);

  const pumpOption = (c: Command) => c.option("--pump <A|B>", "pump A or B (pump keys; default both)", parsePump).option("--json", "machine-readable output").exitOverride();

  config.addCommand(pumpOption(addPortOptions(new Command("get")
    .description("read one key, or every key")
    .argument("[key]", "key name (flowrig config --help lists them)", keyByName)))
    .action(async (key: Key | undefined, opts: Opts, command: Command) => {
      if (key !== undefined && key.scope !== "pump" && opts.pump !== undefined) usageError(command, `${key.name} is a ${key.scope} key: it takes no --pump`);
      await withBoard(opts, async ({ link }) => {
        const keys = key === undefined ? KEYS : [key];
        const rows = await Promise.all(keys.flatMap((k) => keyIndices(k, opts.pump).map(async (index) => {
          const v = await readConfig(link, k, index);
          return { key: k.name, scope: k.scope, ...(k.scope === "pump" ? { pump: PUMP_NAMES[index] } : {}), value: v, unit: k.unit, text: showValue(k, v) };
        })));
        if (opts.json === true) { printJson(key !== undefined && rows.length === 1 ? rows[0] : rows); return; }
        const c = colours();
        process.stdout.write(table([["key", "pump", "value"].map(c.bold), ...rows.map((r) => [r.key, r.pump ?? "", r.text])]));
      });
    }));

  config.addCommand(pumpOption(addPortOptions(new Command("set")
    .description("write one key (checked against the schema's limits first) and print the value read back")
    .argument("<key>", "key name", keyByName)
    .argument("<value>", "the new value")))
    .action(async (key: Key, text: string, opts: Opts, command: Command) => {
      if (key.scope !== "pump" && opts.pump !== undefined) usageError(command, `${key.name} is a ${key.scope} key: it takes no --pump`);
      let value = 0;
      try { value = parseValue(key, text); } catch (e) { usageError(command, (e as Error).message); }
      await withBoard(opts, async ({ link }) => {
        if (key.name === "sampleWindowMs" || key.name === "samplePeriodMs") {
          const problem = await sampleTimingProblem(link, { [key.name]: value });
          const first = key.name === "samplePeriodMs" ? "; set sampleWindowMs first" : "";
          if (problem !== undefined) usageError(command, `${problem}${first}; nothing was changed`);
        }
        const results = [];
        for (const index of keyIndices(key, opts.pump)) {
          const back = await writeConfig(link, key, index, value);
          const result: Record<string, unknown> = { key: key.name, ...(key.scope === "pump" ? { pump: PUMP_NAMES[index] } : {}), value: back, text: showValue(key, back) };
          // syringe sets diameter and capacity; a hand-set size makes the syringe custom: show what else changed.
          const related = key.name === "syringe" ? ["innerDiameterUm", "capacityUl"] : ["innerDiameterUm", "capacityUl"].includes(key.name) ? ["syringe"] : [];
          if (related.length > 0) {
            result.also = Object.fromEntries(await Promise.all(related.map(async (n) => {
              const k = configKey(n);
              return [n, showValue(k, await readConfig(link, k, index))];
            })));
          }
          results.push(result);
        }
        if (opts.json === true) { printJson(results.length === 1 ? results[0] : results); return; }
        for (const r of results) {
          const also = r.also === undefined ? "" : `  (${Object.entries(r.also as object).map(([n, t]) => `${n} ${t}`).join(", ")})`;
          process.stdout.write(`${r.pump === undefined ? "" : `pump ${r.pump} `}${key.name} = ${r.text}${also}\n`);
        }
        process.stdout.write(colours().dim("applied now, not yet stored in flash: flowrig config save FILE stores it\n"));
      });
    }));

  config.addCommand(addPortOptions(new Command("save")
    .description("write every key of both pumps to a JSON file, and store the configuration in the board's flash")
    .argument("<file>", "JSON file to write"))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (file: string, opts: Opts) => {
      await withBoard(opts, async ({ link, identity }) => {
        const values = await readAllConfig(link);
        const doc = configDocument(values, identity, new Date().toISOString());
        writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
        await link.request("configSave", {});
        if (opts.json === true) { printJson({ file, storedInFlash: true, ...values }); return; }
        process.stdout.write(`saved ${KEYS.length} keys (pump keys for A and B) to ${file}; stored in the board's flash\n`);
      });
    }));

  config.addCommand(addPortOptions(new Command("load")
    .description("check a saved file, set every key in it, read each back, then store the configuration in flash")
    .argument("<file>", "JSON file written by flowrig config save"))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (file: string, opts: Opts, command: Command) => {
      const json = readJsonFile(command, file);
      let plan: ReturnType<typeof planFile> = { writes: [], expect: [] };
      try { plan = planFile(json, file); } catch (e) { usageError(command, (e as Error).message); }
      await withBoard(opts, async ({ link, identity }) => {
        const timing = Object.fromEntries(plan.expect.filter((a) => ["sampleWindowMs", "samplePeriodMs"].includes(a.key.name)).map((a) => [a.key.name, a.value]));
        const problem = await sampleTimingProblem(link, timing);
        if (problem !== undefined) usageError(command, `${file}: sensor: ${problem}${timing.sampleWindowMs === undefined ? " (give sampleWindowMs in the file too)" : ""}; nothing was changed`);
        const fileBoard = (json as { board?: unknown }).board;
        if (typeof fileBoard === "string" && fileBoard !== identity.board && opts.json !== true) {
          process.stderr.write(`note: ${file} was saved from board ${fileBoard}; this is ${identity.board}\n`);
        }
        for (const a of plan.writes) await writeConfig(link, a.key, a.index, a.value);
        for (const a of plan.expect) {
          const back = await readConfig(link, a.key, a.index);
          if (back !== a.value) throw new Error(`${where(a.key, a.index)}: ${file} has ${a.value} but the board reads back ${back}`);
        }
        await link.request("configSave", {});
        if (opts.json === true) {
          printJson({ file, set: plan.writes.length, checked: plan.expect.length, storedInFlash: true,
            values: plan.expect.map((a) => ({ key: a.key.name, ...(a.key.scope === "pump" ? { pump: PUMP_NAMES[a.index] } : {}), value: a.value })) });
          return;
        }
        process.stdout.write(`loaded ${file}: ${plan.writes.length} keys set, ${plan.expect.length} read back equal; stored in the board's flash\n`);
      });
    }));
  return config;
}
