// PL sensor figures: SNR with and without synchronous detection, mains-ripple and ambient rejection, JS callbacks/s.
import { DEFAULT_CONFIG, meanStd, plRig, type PlRigOptions, type Sample } from "../test/firmware/_pl-rig.ts";
import { PHOTODIODE_DEFAULTS } from "../host/sim/rig/photodiode.ts";
import type { PlConfig } from "../firmware/sensor.ts";
import { figure } from "./report.ts";

const SAMPLES = 200;
/** Faster than the default period (1 s) so that 200 samples take 100 s of virtual time; same window. */
const CONFIG: Partial<PlConfig> = { samplePeriodMs: 500 };

/** Run the sensor bundle on the emulated Pico (seed 1) until `count` samples are in. */
async function collect(o: PlRigOptions, config: Partial<PlConfig>, count = SAMPLES): Promise<{ samples: Sample[]; callbacksPerS: number }> {
  const r = await plRig({ plRel: 1, ...o });
  r.configure(config);
  let startUs = r.clock.nowUs();
  if (config.synchronous === 0) {
    r.darkCalibrate();
    r.runMs(2000);
    r.configure({ ...config, darkUfs: r.darks()[0] });
    startUs = r.clock.nowUs();
  }
  const before = r.callbacks();
  r.start();
  const periodMs = { ...DEFAULT_CONFIG, ...config }.samplePeriodMs;
  r.runMs(periodMs * count);
  const samples = r.samples().slice(0, count);
  if (r.emu.errors.length > 0 || samples.length < count) throw new Error(`pl bench: ${samples.length} samples, errors ${JSON.stringify(r.emu.errors)}`);
  return { samples, callbacksPerS: (r.callbacks() - before) / ((r.clock.nowUs() - startUs) / 1e6) };
}

function snr(samples: Sample[]): number {
  const { mean, std } = meanStd(samples.map((s) => s.pl));
  return mean / std;
}

/** rms of the per-sample PL change between two runs that differ only in the ambient light (same noise, same timing). */
function residualRms(a: Sample[], b: Sample[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i].pl - b[i].pl) ** 2;
  return Math.sqrt(sum / a.length);
}

/** Rejection in dB of flicker at 2 × mainsHz: rms of the ripple a raw read sees over the rms it leaves in PL. */
async function rippleRejectionDb(synchronous: number, mainsHz: number, o: PlRigOptions = {}, ledHz = 200): Promise<number> {
  const config = { ...CONFIG, synchronous, ledHz, samplePeriodMs: ledHz < 20 ? 1000 : 500 };
  const quiet = await collect({ ...o, photodiode: { mainsHz, flickerDepth: 0 } }, config);
  const flicker = await collect({ ...o, photodiode: { mainsHz } }, config);
  const p = PHOTODIODE_DEFAULTS;
  const rippleRmsUfs = (p.flickerDepth * p.ambientV / p.fullScaleV) * 1e6 / Math.SQRT2;
  return 20 * Math.log10(rippleRmsUfs / residualRms(flicker.samples, quiet.samples));
}

/** Rejection in dB of a step in ambient light (0.25 → 0.75 V, flicker scaling with it) after dark calibration. */
async function ambientStepDb(synchronous: number): Promise<number> {
  const r = await plRig({ plRel: 1 });
  r.configure({ ...CONFIG, synchronous });
  r.darkCalibrate();
  r.runMs(2000);
  r.configure({ ...CONFIG, synchronous, darkUfs: r.darks()[0] });
  r.start();
  r.runMs(25_000);
  r.photodiode.o.ambientV = 0.75;
  r.runMs(25_000);
  const s = r.samples();
  const before = meanStd(s.slice(0, 50).map((x) => x.pl)).mean;
  const after = meanStd(s.slice(50, 100).map((x) => x.pl)).mean;
  const stepUfs = (0.5 / PHOTODIODE_DEFAULTS.fullScaleV) * 1e6;
  return 20 * Math.log10(stepUfs / Math.max(1, Math.abs(after - before)));
}

export async function plBench(): Promise<void> {
  const sync = await collect({}, CONFIG);
  const unsync = await collect({}, { ...CONFIG, synchronous: 0 });
  figure("pl.snr.sync", snr(sync.samples), "mean/std");
  figure("pl.snr.unsync", snr(unsync.samples), "mean/std");
  const white = await collect({ photodiode: { flickerDepth: 0, daylightDriftV: 0 } }, CONFIG);
  figure("pl.snr.sync.noAmbientRipple", snr(white.samples), "mean/std");
  // 200 samples 30 s apart (100 min): daylight drift (30 min period) now shows in the unsynchronised values.
  const slow = { samplePeriodMs: 30_000 };
  figure("pl.snr.sync.100min", snr((await collect({}, slow)).samples), "mean/std");
  figure("pl.snr.unsync.100min", snr((await collect({}, { ...slow, synchronous: 0 })).samples), "mean/std");
  figure("pl.ripple50.sync", await rippleRejectionDb(1, 50), "dB");
  figure("pl.ripple50.unsync", await rippleRejectionDb(0, 50), "dB");
  figure("pl.ripple60.sync", await rippleRejectionDb(1, 60), "dB");
  figure("pl.ripple60.sync.ledHz20", await rippleRejectionDb(1, 60, {}, 20), "dB");
  figure("pl.ripple50.sync.ledHz10", await rippleRejectionDb(1, 50, {}, 10), "dB");
  figure("pl.ripple60.sync.ledHz10", await rippleRejectionDb(1, 60, {}, 10), "dB");
  figure("pl.ripple60.sync.noLatency", await rippleRejectionDb(1, 60, { latencyUs: { typical: 0, max: 0 } }), "dB");
  figure("pl.ripple50.sync.latency300us", await rippleRejectionDb(1, 50, { latencyUs: { typical: 300, max: 3000 } }), "dB");
  figure("pl.ripple50.sync.noLatency", await rippleRejectionDb(1, 50, { latencyUs: { typical: 0, max: 0 } }), "dB");
  figure("pl.ambientStep.sync", await ambientStepDb(1), "dB");
  figure("pl.ambientStep.unsync", await ambientStepDb(0), "dB");
  // Inside a window: one callback per tick (reads 1..2N are one tick apart); between windows none.
  const r = await plRig({ plRel: 1 });
  figure("pl.callbacks.window", 1000 / (r.emu.evaluate("plTest.sensor.syncTickMs()") as number), "callbacks/s");
  figure("pl.callbacks.default", sync.callbacksPerS, "callbacks/s");
  const stability = await collect({}, { samplePeriodMs: 600_000, sampleWindowMs: 2000 }, 6);
  figure("pl.callbacks.stability", stability.callbacksPerS, "callbacks/s");
}

if (import.meta.url === `file://${process.argv[1]}`) await plBench();
