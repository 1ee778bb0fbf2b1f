// Test firmware entry: the PL sensor on the board profile's pins, driven by the test through the global `plTest`.
import profile from "board:profile";
import { EspruinoAnalogInput } from "../../firmware/espruino/analog.ts";
import { EspruinoDigitalOutput } from "../../firmware/espruino/pin.ts";
import { PlSensor } from "../../firmware/sensor.ts";
import { ESPRUINO_TIMERS } from "../../firmware/espruino/timers.ts";

declare function getTime(): number;
declare const global: Record<string, unknown>;

/** Flat [timeMs, pl, dark, flags, …] of every sample, and every dark calibration result. */
const samples: number[] = [];
const darks: number[] = [];

const sensor = new PlSensor({
  adc: new EspruinoAnalogInput(profile.sensor.photodiode),
  led: new EspruinoDigitalOutput(profile.sensor.led),
  clock: { nowS: function () { return getTime(); } },
  timers: ESPRUINO_TIMERS,
  onSample: function (timeMs: number, pl: number, dark: number, flags: number) { samples.push(timeMs, pl, dark, flags); },
  adcBits: profile.adcBits,
});

function darkCalibrate(): void {
  sensor.darkCalibrate(function (darkUfs: number) { darks.push(darkUfs); });
}

global.plTest = {
  sensor: sensor, samples: samples, darks: darks, darkCalibrate: darkCalibrate,
  AnalogInput: EspruinoAnalogInput, DigitalOutput: EspruinoDigitalOutput,
};
