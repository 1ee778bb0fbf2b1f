import { test } from "uvu";
import * as assert from "uvu/assert";
import { PinBus } from "../../../host/sim/pins.ts";
import { Scheduler } from "../../../host/sim/scheduler.ts";
import { Photodiode, type PhotodiodeOptions } from "../../../host/sim/rig/photodiode.ts";

function setup(o: Partial<PhotodiodeOptions> = {}, pl = 1) {
  const clock = new Scheduler();
  const pins = new PinBus(clock);
  const pd = new Photodiode({ bus: pins, photodiodePin: "A4", ledPin: "B6", plAt: () => pl, ...o });
  return { clock, pins, pd };
}

test("LED off: dark + ambient (+ noise) only, even with bright product", () => {
  const { clock, pins, pd } = setup({}, 5);
  clock.runUntil(1e6);
  const r = pd.readingAt(clock.nowUs());
  assert.is(r.plV, 0);
  assert.is(r.leakV, 0);
  assert.ok(Math.abs(r.volts - (r.darkV + r.ambientV + r.noiseV)) < 1e-12);
  assert.ok(Math.abs(pins.analogValue("A4") - r.fraction) < 1e-12, "registered as the pin's analog source");
  const quiet = setup({ ambientV: 0, daylightDriftV: 0, noiseRmsV: 0 }, 5);
  assert.ok(Math.abs(quiet.pins.analogValue("A4") - 0.0075 / 3.3) < 1e-12, "dark offset 7.5 mV of 3.3 V");
});

test("LED on: PL × gain; inversion honoured; detector response ~11 µs", () => {
  const { clock, pins, pd } = setup({ ledPin: "!B6", ambientV: 0, daylightDriftV: 0, noiseRmsV: 0 }, 1);
  pins.writeOutput("B6", 1); // inverted: LED off
  clock.runUntil(1000);
  assert.is(pd.readingAt(clock.nowUs()).plV, 0, "settled off");
  pins.writeOutput("B6", 0); // LED on
  clock.runUntil(1001);
  const early = pd.readingAt(clock.nowUs()).excitation;
  assert.ok(Math.abs(early - (1 - Math.exp(-1 / 11.4))) < 1e-9, `excitation after 1 µs ${early}`);
  clock.runUntil(2000);
  const r = pd.readingAt(clock.nowUs());
  assert.ok(Math.abs(r.plV - 1.4) < 1e-9);
  assert.ok(r.fraction > 0.3 && r.fraction < 0.6, `reference PL at ${r.fraction} of full scale`);
});

test("saturates at full scale and clamps at zero", () => {
  const bright = setup({}, 10);
  bright.pins.writeOutput("B6", 1);
  bright.clock.runUntil(1000);
  assert.is(bright.pins.analogValue("A4"), 1);
  const { clock, pins } = setup({ darkV: 0, ambientV: 0, daylightDriftV: 0, noiseRmsV: 0.2 });
  let zeros = 0;
  for (let i = 0; i < 1000; i++) {
    clock.runUntil(i * 100);
    const v = pins.analogValue("A4");
    assert.ok(v >= 0 && v <= 1);
    if (v === 0) zeros++;
  }
  assert.ok(zeros > 300, `negative noise clamps to 0 (${zeros} zeros)`);
});

test("deterministic per seed, different across seeds, independent of read order", () => {
  const read = (seed: number, times: number[]) => {
    const { clock, pd } = setup({ seed });
    return times.map((t) => { clock.runUntil(t); return pd.valueAt(t); });
  };
  const times = Array.from({ length: 50 }, (_, i) => i * 137 + 5);
  assert.equal(read(7, times), read(7, times));
  assert.not.equal(read(7, times), read(8, times));
  const sparse = read(7, times.filter((_, i) => i % 2 === 0));
  assert.equal(sparse, read(7, times).filter((_, i) => i % 2 === 0));
});

test("ambient flickers at twice mains frequency", () => {
  const { pd } = setup({ mainsHz: 60, daylightDriftV: 0 });
  const a = pd.ambientAt(123456);
  assert.ok(Math.abs(pd.ambientAt(123456 + 1e6 / 120) - a) < 1e-9);
  assert.ok(Math.abs(pd.ambientAt(123456 + 1e6 / 240) - a) > 1e-3);
});

test("synchronous LED on/off detection beats single raw reads for a weak product", () => {
  const truePlV = 0.1 * 1.4 + 0.01; // PL_rel 0.1 plus LED leak through the filter
  const { clock, pins } = setup({ seed: 3 }, 0.1);
  const rawErrors: number[] = [];
  const lockin: number[] = [];
  let t = 10e6;
  for (let block = 0; block < 20; block++) {
    let sum = 0;
    const cycles = 200;
    for (let i = 0; i < cycles; i++) {
      pins.writeOutput("B6", 1);
      clock.runUntil((t += 400));
      const on = pins.analogValue("A4") * 3.3;
      pins.writeOutput("B6", 0);
      clock.runUntil((t += 400));
      const off = pins.analogValue("A4") * 3.3;
      sum += on - off;
      if (i === 0) rawErrors.push(Math.abs(on - 0.0075 - truePlV));
    }
    lockin.push(Math.abs(sum / cycles - truePlV));
    t += 60e6; // a minute later: daylight has drifted
  }
  const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
  assert.ok(rms(lockin) < 0.01, `lock-in error ${rms(lockin)} V`);
  assert.ok(rms(rawErrors) > 10 * rms(lockin), `raw ${rms(rawErrors)} V vs lock-in ${rms(lockin)} V`);
});

test.run();
