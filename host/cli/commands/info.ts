// `flowrig info --port P`: who the board is (firmware, board profile, schema) and what it can do.
import { Command } from "commander";
import type { Identity } from "../../../protocol/handshake.ts";
import { addPortOptions, colours, fields, printJson, withBoard, type PortOptions } from "../format.ts";

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;

export function identityJson(identity: Identity, port: string) {
  return {
    port,
    board: identity.board,
    firmware: identity.firmware,
    protocolVersion: identity.protocolVersion,
    schemaHash: hex(identity.schemaHash),
    bootCount: identity.bootCount,
    capabilities: {
      pumps: identity.pumps, sensorChannels: identity.sensorChannels, sampleCapacity: identity.sampleCapacity,
      maxPayload: identity.maxPayload, window: identity.window, timerTickNs: identity.timerTickNs,
      programSlots: identity.programSlots, maxSegments: identity.maxSegments,
    },
  };
}

export function infoCommand(): Command {
  return addPortOptions(new Command("info")
    .description("identify the board: firmware, board profile, protocol schema and capabilities"))
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (opts: PortOptions & { json?: boolean }) => {
      await withBoard(opts, async ({ identity }) => {
        if (opts.json === true) { printJson(identityJson(identity, opts.port)); return; }
        const c = colours();
        process.stdout.write(fields([
          ["board", `${c.bold(identity.board)} (flowrig boards ${identity.board} shows its wiring)`],
          ["firmware", identity.firmware],
          ["protocol", `v${identity.protocolVersion}, schema ${hex(identity.schemaHash)} ${c.green("(matches this host)")}`],
          ["boots", String(identity.bootCount)],
          ["pumps", String(identity.pumps)],
          ["sensor", identity.sensorChannels === 0 ? "none" : `${identity.sensorChannels} channel${identity.sensorChannels === 1 ? "" : "s"}`],
          ["sample log", `${identity.sampleCapacity} samples in RAM (more spill to flash)`],
          ["programs", `${identity.programSlots} slots of up to ${identity.maxSegments} segments`],
          ["step timer", `${identity.timerTickNs} ns per tick`],
          ["link", `payload up to ${identity.maxPayload} bytes, ${identity.window} commands in flight`],
        ]));
      });
    });
}
