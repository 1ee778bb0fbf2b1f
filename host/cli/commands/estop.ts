// `flowrig estop --port P`: emergency stop: pumps stop and drivers are disabled at once; the board stays in fault.
import { Command } from "commander";
import { addPortOptions, causeName, colours, faultNames, faultSummary, printJson, stateName, withBoard, type PortOptions } from "../format.ts";

export function estopCommand(): Command {
  return addPortOptions(new Command("estop")
    .description("emergency stop: pumps stop and drivers are disabled at once (state fault until cleared)"))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (opts: PortOptions & { json?: boolean }) => {
      await withBoard(opts, async ({ link }) => {
        await link.request("estop", {}); // first, before anything else is asked
        const after = await link.request("getStatus", {});
        if (opts.json === true) { printJson({ state: stateName(after.state), faults: faultNames(after.faults), cause: causeName(after.cause) }); return; }
        const c = colours();
        process.stdout.write(`${c.red(c.bold("EMERGENCY STOP"))}: pumps stopped, drivers disabled; the board is ${stateName(after.state)} (${faultSummary(after)})\n`);
        process.stdout.write("when it is safe: flowrig stop --clear-fault --port <port>\n");
      });
    });
}
