// Espruino HAL: timers and the clock are the interpreter's own functions, handed over as they are (no wrappers to pay for).
import type { Clock, Timers } from "../hal.ts";

declare function setTimeout(fn: () => void, ms: number): any;
declare function setInterval(fn: () => void, ms: number): any;
declare function clearTimeout(handle: any): void;
declare function getTime(): number;

export const ESPRUINO_TIMERS: Timers = { after: setTimeout, every: setInterval, cancel: clearTimeout };

export const ESPRUINO_CLOCK: Clock = { nowS: getTime };
