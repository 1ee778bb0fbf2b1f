// What a failed flash says: the message, the phase it failed in and whether the board had already been rebooted.

export type FlashPhase = "identify" | "handback" | "sync" | "write" | "verify" | "reboot" | "check";

export class FlashError extends Error {
  constructor(message: string, readonly phase: FlashPhase, readonly rebooted = false) {
    super(message);
    this.name = "FlashError";
  }
}
