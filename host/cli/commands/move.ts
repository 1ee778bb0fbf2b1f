// `flowrig prime|withdraw|jog`: move one pump by a volume or microsteps, wait until it stops (with progress), print the volume left.
import { Command, InvalidArgumentError, Option } from "commander";
import { ERR_BAD_ARGUMENT, ERR_WRONG_STATE } from "../../../protocol/generated.ts";
import { readConfig } from "../../client/board-config.ts";
import { DeviceError, type HostLink } from "../../../protocol/host-link.ts";
import type { Body } from "../../../protocol/messages.ts";
import { formatFlowUlPerH, formatMl, formatVolumeNl, parseFlowUlPerH, parseVolumeNl } from "../../client/units.ts";
import { EXIT } from "../exit-codes.ts";
import {
  addPortOptions, bar, colours, faultSummary, integerIn, parsePump, printJson, PUMP_NAMES, stateName, usageError, withBoard, type PortOptions,
} from "../format.ts";
import { pumpJson } from "./status.ts";

type Kind = "prime" | "withdraw" | "jog";
interface MoveOptions extends PortOptions { pump: number; volume?: number; steps?: number; rate: number; json?: boolean }

const DEFAULT_RATE = "60mL/h";
/** Wall time between status polls while a pump moves (also the board's heartbeat). */
const POLL_MS = 100;
const STATE_MANUAL = 6;
const STATE_FAULT = 5;

function volumeArg(text: string): number {
  let nl: number;
  try { nl = parseVolumeNl(text); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
  if (nl <= 0 || nl > 2_000_000_000) throw new InvalidArgumentError(`volume must be above 0 and at most 2 L, got "${text}"`);
  return nl;
}

function rateArg(text: string): number {
  let rate: number;
  try { rate = parseFlowUlPerH(text); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
  if (rate <= 0) throw new InvalidArgumentError(`rate must be above 0, got "${text}"`);
  return rate;
}

/** Why the board refused the move, in the user's words (the board gives the signed travel left, in the field's unit). */
function explain(e: unknown, kind: Kind, infuse: boolean, pump: string, before: Body<"pumpStatus">): unknown {
  if (!(e instanceof DeviceError) || e.command !== (kind === "jog" ? "jog" : "move")) return e;
  if (e.code === ERR_WRONG_STATE) e.message = `pump ${pump} cannot ${kind} while the board is ${stateName(e.limit)}: flowrig stop first`;
  else if (e.code === ERR_BAD_ARGUMENT && e.field === 1) {
    const room = Math.max(0, infuse ? e.limit : -e.limit);
    const left = kind === "jog" ? `${room} microsteps` : formatVolumeNl(room);
    e.message = infuse
      ? `pump ${pump} can infuse only ${left} now (it holds ${formatVolumeNl(before.volumeNl)}, and keeps its reserve): withdraw or load the syringe first`
      : `pump ${pump} has room to draw only ${left} more (it holds ${formatVolumeNl(before.volumeNl)})`;
  }
  return e;
}

/** Polls (the board's heartbeat too) until the pump's manual move has ended; `show` gets the fraction done. */
export async function waitForStop(link: HostLink, pump: number, start: Body<"pumpStatus">, targetSteps: number, show: (fraction: number) => void) {
  for (;;) {
    const [status, now] = await Promise.all([link.request("getStatus", {}), link.request("getPump", { pump })]);
    show(targetSteps === 0 ? 1 : Math.abs(now.positionSteps - start.positionSteps) / targetSteps);
    if (status.state !== STATE_MANUAL) return { status, now };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function moveCommand(kind: Kind, description: string): Command {
  const command = addPortOptions(new Command(kind).description(description))
    .addOption(new Option("--pump <A|B>", "the pump").makeOptionMandatory().argParser(parsePump));
  if (kind === "jog") command.addOption(new Option("--steps <n>", "microsteps: > 0 towards empty (infuse), < 0 towards full").makeOptionMandatory().argParser(integerIn("steps", -2_000_000_000, 2_000_000_000)));
  else command.addOption(new Option("--volume <v>", `volume to ${kind === "prime" ? "infuse" : "draw"}, e.g. 0.5mL or 250uL`).makeOptionMandatory().argParser(volumeArg));
  return command
    .addOption(new Option("--rate <flow>", "speed, e.g. 60mL/h or 1000uL/min").default(parseFlowUlPerH(DEFAULT_RATE), DEFAULT_RATE).argParser(rateArg))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (opts: MoveOptions, cmd: Command) => {
      if (kind === "jog" && opts.steps === 0) usageError(cmd, "steps must not be 0");
      const pump = PUMP_NAMES[opts.pump];
      let interrupted = false;
      await withBoard(opts, async ({ link }) => {
        const maxRate = await readConfig(link, "maxRateUlPerH", opts.pump);
        if (opts.rate > maxRate) usageError(cmd, `rate ${formatFlowUlPerH(opts.rate)} exceeds pump ${pump} limit ${formatFlowUlPerH(maxRate)} (maxRateUlPerH ${maxRate})`);
        const before = await link.request("getPump", { pump: opts.pump });
        const volumeNl = kind === "withdraw" ? -opts.volume! : opts.volume!;
        const targetSteps = kind === "jog" ? Math.abs(opts.steps!) : Math.round((opts.volume! * 1000) / before.stepVolumePl);
        try {
          if (kind === "jog") await link.request("jog", { pump: opts.pump, microsteps: opts.steps!, rateUlPerH: opts.rate });
          else await link.request("move", { pump: opts.pump, volumeNl, rateUlPerH: opts.rate });
        } catch (e) { throw explain(e, kind, kind === "prime" || (kind === "jog" && opts.steps! > 0), pump, before); }

        const onSigint = () => { interrupted = true; link.request("stop", {}).catch(() => {}); };
        process.on("SIGINT", onSigint);
        const tty = process.stderr.isTTY === true && opts.json !== true;
        const started = performance.now();
        let lastTenth = -1;
        const show = (fraction: number) => {
          const f = Math.min(1, fraction);
          const elapsed = (performance.now() - started) / 1000;
          const eta = f > 0.02 ? ` ETA ${Math.max(0, elapsed * (1 - f) / f).toFixed(0)} s` : "";
          const text = `${kind} pump ${pump} ${bar(f)} ${(100 * f).toFixed(0)}%${eta}`;
          if (tty) process.stderr.write(`\r${text}\x1b[K`);
          else if (opts.json !== true && Math.floor(f * 10) > lastTenth) { lastTenth = Math.floor(f * 10); process.stderr.write(`${text}\n`); }
        };
        let result;
        try {
          result = await waitForStop(link, opts.pump, before, targetSteps, show);
        } finally {
          process.off("SIGINT", onSigint);
          if (tty) process.stderr.write("\n");
        }
        const after = result.now;
        const movedNl = Math.round(((before.positionSteps - after.positionSteps) * after.stepVolumePl) / 1000);
        const steps = before.positionSteps - after.positionSteps;
        const report = {
          action: kind, pump, requested: kind === "jog" ? { steps: opts.steps } : { volumeNl }, rateUlPerH: opts.rate,
          movedNl, movedSteps: steps, state: stateName(result.status.state), interrupted,
          volumeBeforeNl: before.volumeNl, volumeNl: after.volumeNl, volumeMl: after.volumeNl / 1e6, pumpStatus: pumpJson(after),
        };
        if (opts.json === true) printJson(report);
        else {
          const c = colours();
          const verb = movedNl >= 0 ? "infused" : "drew";
          process.stdout.write(`pump ${pump}: ${verb} ${formatVolumeNl(Math.abs(movedNl))} (${Math.abs(steps)} microsteps) at ${formatFlowUlPerH(opts.rate)}; ` +
            `${c.bold(formatMl(after.volumeNl))} left\n`);
        }
        if (result.status.state === STATE_FAULT) {
          const fault = new DeviceError(kind, 5, 255, STATE_FAULT);
          fault.message = `pump ${pump} stopped by a fault: ${faultSummary(result.status)}`;
          throw fault;
        }
        if (interrupted) { process.stderr.write(`${kind} stopped by Ctrl-C\n`); process.exitCode = EXIT.failure; }
      });
    });
}

export const primeCommand = () => moveCommand("prime", "infuse a volume from one pump (fill the lines), then print the volume left");
export const withdrawCommand = () => moveCommand("withdraw", "draw a volume into one pump's syringe, then print the volume left");
export const jogCommand = () => moveCommand("jog", "move one plunger by microsteps (setting up a syringe), then print the volume left");
