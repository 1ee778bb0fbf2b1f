// Test firmware entry: the PL sensor on the board profile's pins, driven by the test through the global `plTest`.
import profile from "board:profile";
import { EspruinoAnalogInput } from "../../firmware/espruino/analog.ts";
import { EspruinoDigitalOutput } from "../../firmware/espruino/pin.ts";
import { PlSensor } from "../../firmware/sensor.ts";

declare function getTime(): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare const global: Record<string, unknown>;

/** Flat [timeMs, pl, dark, flags, …] of every sample, and every dark calibration result. */
const samples: number[] = [];
const darks: number[] = [];

const sensor = new PlSensor({
  adc: new EspruinoAnalogInput(profile.sensor.photodiode),
  led: new EspruinoDigitalOutput(profile.sensor.led),
  clock: { nowS: function () { return getTime(); } },
  schedule: function (fn: () => void, ms: number) { return setTimeout(fn, ms); },
  cancel: function (handle: number) { clearTimeout(handle); },
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
