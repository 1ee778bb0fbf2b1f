// `flowrig stop --port P`: end the run, manual flow or move (pumps stop); --clear-fault also acknowledges a fault.
import { Command } from "commander";
import { addPortOptions, colours, faultNames, faultSummary, printJson, stateName, withBoard, type PortOptions } from "../format.ts";

/** States in which something moves and stop has work to do: running, paused, manual. */
const ACTIVE = new Set([1, 2, 6]);
const FAULT = 5;

export function stopCommand(): Command {
  return addPortOptions(new Command("stop")
    .description("stop the run, manual flow or move: the pumps stop"))
    .option("--clear-fault", "if the board is in a fault (after estop, an endstop, …), acknowledge it and return to idle")
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (opts: PortOptions & { clearFault?: boolean; json?: boolean }) => {
      await withBoard(opts, async ({ link }) => {
        const before = await link.request("getStatus", {});
        const stopped = ACTIVE.has(before.state);
        if (stopped) await link.request("stop", {});
        const cleared = opts.clearFault === true && before.state === FAULT;
        if (cleared) await link.request("clearFault", {});
        const after = await link.request("getStatus", {});
        if (opts.json === true) {
          printJson({ before: stateName(before.state), stopped, cleared, state: stateName(after.state), faults: faultNames(after.faults) });
          return;
        }
        const c = colours();
        const what = stopped ? `stopped (was ${stateName(before.state)})` : cleared ? `fault cleared (${faultSummary(before)})` : `nothing to stop`;
        process.stdout.write(`${c.bold(what)}: the board is ${stateName(after.state)}\n`);
        if (after.state === FAULT) process.stdout.write(c.yellow(`fault: ${faultSummary(after)}; flowrig stop --clear-fault acknowledges it\n`));
      });
    });
}
