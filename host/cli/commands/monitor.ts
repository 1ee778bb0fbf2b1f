// `flowrig monitor --port P`: the board live, refreshed every second, with a sparkline of recent PL; Ctrl-C ends it.
import { Command, InvalidArgumentError } from "commander";
import { formatFlowUlPerH, formatMl } from "../../client/units.ts";
import { addPortOptions, colours, faultSummary, integerIn, isRunning, printJson, stateName, withBoard, type PortOptions } from "../format.ts";
import { readSnapshot, snapshotJson, type Snapshot } from "./status.ts";

const BLOCKS = "▁▂▃▄▅▆▇█";
/** PL values kept for the sparkline. */
const HISTORY = 40;

/** A text sparkline of `values`, scaled between their own minimum and maximum (flat = lowest block). */
export function sparkline(values: number[]): string {
  if (values.length === 0) return "";
  const low = Math.min(...values);
  const span = Math.max(...values) - low;
  return values.map((v) => BLOCKS[span === 0 ? 0 : Math.min(BLOCKS.length - 1, Math.floor(((v - low) / span) * BLOCKS.length))]).join("");
}

function line(s: Snapshot, plHistory: number[]): string {
  const c = colours();
  const st = s.status;
  const running = isRunning(st.state);
  const name = stateName(st.state).padEnd(7);
  const state = st.faults !== 0 ? c.red(name) : c.bold(name);
  return [
    new Date().toLocaleTimeString("en-GB"),
    state,
    running ? `seg ${st.segment + 1}/${st.segments}` : "seg -",
    `A ${formatFlowUlPerH(st.rateA)} ${formatMl(s.pumps[0].volumeNl, 2)}`,
    `B ${formatFlowUlPerH(st.rateB)} ${formatMl(s.pumps[1].volumeNl, 2)}`,
    `PL ${st.pl} ${c.cyan(sparkline(plHistory))}`,
    st.faults !== 0 ? c.red(`fault: ${faultSummary(st)}`) : "",
  ].join("  ").trimEnd();
}

function parseInterval(text: string): number {
  const seconds = Number(text);
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds < 0.05 || seconds > 3600) {
    throw new InvalidArgumentError(`interval must be a number of seconds from 0.05 to 3600, got "${text}"`);
  }
  return seconds;
}

export function monitorCommand(): Command {
  return addPortOptions(new Command("monitor")
    .description("watch the board live: state, segment, rates, volumes, PL with a sparkline, faults (Ctrl-C ends)"))
    .option("--interval <s>", "seconds between polls", parseInterval, 1)
    .option("--count <n>", "stop after this many polls (default: until Ctrl-C)", integerIn("count", 1, 1_000_000))
    .option("--json", "one JSON object per poll, one per line")
    .exitOverride()
    .action(async (opts: PortOptions & { interval: number; count?: number; json?: boolean }) => {
      let stopping = false;
      let wake = () => {};
      const onSigint = () => { stopping = true; wake(); };
      process.on("SIGINT", onSigint);
      const tty = process.stdout.isTTY === true && opts.json !== true;
      try {
        await withBoard(opts, async ({ link }) => {
          const plHistory: number[] = [];
          for (let poll = 1; !stopping; poll++) {
            const s = await readSnapshot(link);
            plHistory.push(s.status.pl);
            if (plHistory.length > HISTORY) plHistory.shift();
            if (opts.json === true) printJson({ poll, time: new Date().toISOString(), ...snapshotJson(s) });
            else process.stdout.write(tty ? `\r${line(s, plHistory)}\x1b[K` : `${line(s, plHistory)}\n`);
            if (opts.count !== undefined && poll >= opts.count) break;
            // The poll is also the board's heartbeat: never wait longer than the interval.
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, opts.interval * 1000);
              wake = () => { clearTimeout(timer); resolve(); };
            });
          }
        });
      } finally {
        process.off("SIGINT", onSigint);
        if (tty) process.stdout.write("\n");
      }
    });
}
