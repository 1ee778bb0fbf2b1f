// Espruino HAL: opens the protocol link the board profile names, with the console moved off it.
import type { Link } from "../../boards/profile.ts";

export interface EspruinoSerial {
  setup(baud: number, options: object): void;
  on(event: string, fn: (data: string) => void): void;
  write(data: string): void;
  setConsole(): void;
}
declare const USB: EspruinoSerial;
declare const Serial1: EspruinoSerial;
declare const LoopbackA: EspruinoSerial;

/**
 * Starts delivering the link's bytes to `onData`; returns the port, whose write takes a frame (a binary string). The
 * port, not a closure over it: a closure would keep this call's scope, the profile's link description with it, for ever.
 */
export function openLink(link: Link, onData: (chunk: string) => void): EspruinoSerial {
  let port = USB;
  if (link.kind === "uart") {
    port = Serial1;
    port.setup(link.baud, { rx: link.rx, tx: link.tx });
  } else if (link.kind === "serial-path") {
    port = Serial1;
    port.setup(link.baud, { path: link.path });
  }
  // The REPL would eat the protocol's bytes (0x03, 0x10, escape sequences): send it elsewhere.
  LoopbackA.setConsole();
  port.on("data", onData);
  return port;
}
