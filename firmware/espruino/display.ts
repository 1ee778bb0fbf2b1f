// Espruino HAL: the profile's SSD1306 on I2C1 at 400 kHz, handed over as one Graphics buffer with flip().
import type { Screen } from "../ui/draw.ts";

import { connectSsd1306 } from "./ssd1306.ts";

declare const I2C1: any;

/** The display wiring of a board profile (only what opening it needs). */
export interface DisplayPins {
  scl: string;
  sda: string;
  address: number;
  width: number;
  height: number;
}

/** Opens the display; `ready` gets its Graphics once the controller is initialised. No display: never called. */
export function openDisplay(pins: DisplayPins, ready: (screen: Screen) => void): void {
  try {
    I2C1.setup({ scl: pins.scl, sda: pins.sda, bitrate: 400000 });
    const g = connectSsd1306(I2C1, pins.address, pins.width, pins.height, function () { ready(g); });
  } catch (e) {
    // No I2C on this runtime: the panel's buttons still work.
  }
}
