// Espruino HAL: board time, memory, watchdog and the way back to the REPL.

declare function getTime(): number;
declare const process: { memory(): { free: number; usage: number; total: number; blocksize: number } };
declare const E: { enableWatchdog(timeoutS: number, autoKick?: boolean): void; kickWatchdog(): void; getErrorFlags(): string[] };
declare const USB: { setConsole(): void };

export function nowS(): number {
  return getTime();
}

/** Free and total JS variables, and the bytes of one variable. */
export function memory(): number[] {
  const m = process.memory();
  return [m.free, m.total, m.blocksize];
}

/** True when the interpreter has failed an allocation since the last call (E.getErrorFlags "MEMORY"; reading clears it). */
export function allocationFailed(): boolean {
  const flags = E.getErrorFlags();
  for (let i = 0; i < flags.length; i++) if (flags[i] === "MEMORY") return true;
  return false;
}

/** Arms the hardware watchdog (kicked by the control tick); a hung firmware resets the board. */
export function startWatchdog(timeoutS: number): void {
  E.enableWatchdog(timeoutS, false);
}

export function kickWatchdog(): void {
  E.kickWatchdog();
}

/** Gives the console back to USB so the board can be re-flashed. */
export function consoleToUsb(): void {
  USB.setConsole();
}
