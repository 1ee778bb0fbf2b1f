// `flowrig selftest --port P [--yes]`: a guided check of a freshly wired rig, saved as a pass/fail report (JSON + Markdown).
import { Command } from "commander";
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { selftest, selftestMarkdown, type Operator } from "../../client/selftest.ts";
import type { BenchSetup } from "../open-port.ts";
import { EXIT } from "../exit-codes.ts";
import { addPortOptions, colours, printJson, usageError, withBoard, type PortOptions } from "../format.ts";
import { rigOption } from "../rig-option.ts";

interface SelftestOptions extends PortOptions { yes?: boolean; out?: string; rig?: BenchSetup; json?: boolean }

export function selftestCommand(): Command {
  return addPortOptions(new Command("selftest")
    .description("check a freshly wired rig: pump directions, endstops, LED and photodiode, dark level and headroom, link errors"))
    .option("--yes", "unattended: no questions; each pump is driven to both endstops instead (no syringe liquid in the way!)")
    .option("--out <base>", "report files <base>.json and <base>.md (default selftest-<board>-<time>)")
    .addOption(rigOption("(--port sim)"))
    .option("--json", "print the report as JSON")
    .exitOverride()
    .addHelpText("after", `
With a person at the bench each pump jogs a little each way and you say which way it went, then you press each
endstop by hand. With --yes every pump makes a full stroke to each end (unload the syringes, or let them empty into
waste): the endstop that stops it proves both the switch and the direction. Then the LED is switched by the sensor's
synchronous detection and the photodiode must see it, the dark level is measured (darkCalibrate) and the headroom to
full scale checked, and the link's error counters read. Exit 0 when every check passes, ${EXIT.checkFailed} when one fails.`)
    .action(async (opts: SelftestOptions, command: Command) => {
      if (opts.rig !== undefined && opts.port !== "sim") usageError(command, "--rig sets the hardware of the virtual rig in this process (--port sim); give it to flowrig sim instead");
      const say = (line: string) => { if (opts.json !== true) process.stderr.write(`flowrig selftest: ${line}\n`); };
      const rl = opts.yes === true ? undefined : createInterface({ input: process.stdin, output: process.stderr });
      const op: Operator = {
        say, ask: rl === undefined ? undefined : async (q) => /^y/i.test((await rl.question(`${q} [y/n] `)).trim()),
      };
      try {
        const result = await withBoard({ ...opts, bench: opts.rig } as PortOptions, (conn) => selftest(conn, op));
        const base = opts.out ?? `selftest-${result.board}-${result.startedIso.replace(/[:.]/g, "-").slice(0, 19)}`;
        writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
        writeFileSync(`${base}.md`, selftestMarkdown(result));
        if (opts.json === true) printJson({ ...result, files: [`${base}.json`, `${base}.md`] });
        else {
          const c = colours();
          for (const check of result.checks) process.stdout.write(`${check.pass ? c.green("pass") : c.red("FAIL")}  ${check.name}: ${check.detail}\n`);
          process.stdout.write(`\nselftest ${result.pass ? "passed" : "FAILED"}; report: ${base}.md, ${base}.json\n`);
        }
        if (!result.pass) process.exitCode = EXIT.checkFailed;
      } finally {
        rl?.close();
      }
    });
}
