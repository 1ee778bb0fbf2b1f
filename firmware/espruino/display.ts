// Espruino HAL: the profile's SSD1306 on I2C1 at 400 kHz, handed over as one Graphics buffer with flip().
import type { Screen } from "../ui/draw.ts";

declare const require: (name: string) => any;
declare const I2C1: any;

/** The display wiring of a board profile (only what opening it needs). */
export interface DisplayPins {
  scl: string;
  sda: string;
  address: number;
}

/** Opens the display; `ready` gets its Graphics once the controller is initialised. No display: never called. */
export function openDisplay(pins: DisplayPins, ready: (screen: Screen) => void): void {
  try {
    I2C1.setup({ scl: pins.scl, sda: pins.sda, bitrate: 400000 });
    const g = require("SSD1306").connect(I2C1, function () { ready(g); }, { address: pins.address });
  } catch (e) {
    // No SSD1306 module or no I2C on this runtime: the panel's buttons still work.
  }
}
