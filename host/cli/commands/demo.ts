// `flowrig demo`: the wire protocol at work over a noisy virtual serial line.
import { Command } from "commander";
import { runProtocolDemo } from "../../sim/protocol-demo.ts";

export function demoCommand(): Command {
  return new Command("demo")
    .description("show the wire protocol at work over a noisy virtual 115200-baud line")
    .action(async () => { await runProtocolDemo(); });
}
