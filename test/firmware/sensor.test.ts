// The PL sensor bundle on an emulated Pico with the simulated photodiode: synchronous detection, flags, timing, duty.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SAMPLE_SATURATED, SAMPLE_UNSYNCED } from "../../protocol/generated.ts";
import { expectedPlUfs, meanStd, photodiodeParams, plRig, syncSigmaUfs, type Sample } from "./_pl-rig.ts";

/** Default window 500 ms at the 20 ms tick → 10 on/off pairs (400 ms). */
const PAIRS = 10;
/** One sample's noise from white noise and quantisation, widened by 30 % for the ripple left by callback jitter. */
const SIGMA = syncSigmaUfs(PAIRS) * 1.3;
const p = photodiodeParams();
const ufs = (volts: number) => (volts / p.fullScaleV) * 1e6;
/** Peak flicker as one raw read sees it. */
const FLICKER = ufs(p.flickerDepth * p.ambientV);

function pls(s: Sample[]): number[] {
  return s.map((x) => x.pl);
}

test("no product (rig, pumps idle): PL is the LED leak within noise; dark is the dark offset + ambient", async () => {
  const r = await plRig();
  r.configure({});
  r.start();
  r.runMs(30_000);
  const s = r.samples();
  assert.equal(r.emu.errors, []);
  assert.ok(s.length >= 29, `${s.length} samples`);
  const leak = expectedPlUfs(0);
  const { mean } = meanStd(pls(s));
  assert.ok(Math.abs(mean - leak) < (4 * SIGMA) / Math.sqrt(s.length), `mean PL ${mean} vs leak ${leak} ± ${(4 * SIGMA) / Math.sqrt(s.length)}`);
  for (const x of s) {
    assert.ok(Math.abs(x.pl - leak) < 5 * SIGMA, `PL ${x.pl}`);
    assert.is(x.flags, 0);
    // Off reads share one 100 Hz ripple phase: dark carries up to ± the flicker amplitude.
    const level = ufs(p.darkV + r.photodiode.ambientAt(x.timeMs * 1000));
    assert.ok(Math.abs(x.dark - level) < FLICKER + 5 * SIGMA, `dark ${x.dark} vs ${level}`);
  }
});

test("steady product: PL matches the photodiode's excitation signal within the noise", async () => {
  const plRel = 0.8;
  const r = await plRig({ plRel, seed: 3 });
  r.configure({});
  r.start();
  r.runMs(40_000);
  const s = r.samples();
  const { mean, std } = meanStd(pls(s));
  const expected = expectedPlUfs(plRel);
  assert.ok(Math.abs(mean - expected) < (4 * SIGMA) / Math.sqrt(s.length), `mean ${mean} vs ${expected}`);
  assert.ok(std < SIGMA * 1.2, `sample std ${std} vs predicted ${SIGMA / 1.3} (white noise) / ${SIGMA} (with ripple)`);
  assert.ok(std > (SIGMA / 1.3) * 0.7, `sample std ${std} is not suspiciously small`);
});

test("ambient light changes (step ×3, 60 Hz flicker, drift) do not change PL; they change dark", async () => {
  const r = await plRig({ plRel: 1, seed: 4, photodiode: { mainsHz: 60 } });
  r.configure({ ledHz: 20 }); // 25 ms tick: three 120 Hz ripple periods
  r.start();
  r.runMs(20_000);
  r.photodiode.o.ambientV = 0.75;
  r.photodiode.o.daylightDriftV = 0.4;
  r.runMs(20_000);
  const s = r.samples();
  const before = s.filter((x) => x.timeMs < 20_000);
  const after = s.filter((x) => x.timeMs > 20_000);
  const dPl = meanStd(pls(after)).mean - meanStd(pls(before)).mean;
  const dDark = meanStd(after.map((x) => x.dark)).mean - meanStd(before.map((x) => x.dark)).mean;
  const sigma = syncSigmaUfs(10) * 1.3; // ledHz 20: 25 ms tick, window 500 ms → 10 pairs
  assert.ok(Math.abs(dPl) < 4 * sigma * Math.sqrt(1 / before.length + 1 / after.length), `PL moved ${dPl}`);
  assert.ok(dDark > ufs(0.5) * 0.7, `dark rose by ${dDark} (ambient +${ufs(0.5)})`);
});

test("saturation: a signal driven to full scale sets the flag; a normal one does not", async () => {
  const r = await plRig({ plRel: (t) => (t < 5e6 ? 1 : 2.5) });
  r.configure({});
  r.start();
  r.runMs(10_000);
  const s = r.samples();
  for (const x of s) assert.is(x.flags & SAMPLE_SATURATED, x.timeMs < 5000 ? 0 : SAMPLE_SATURATED, `t ${x.timeMs}`);
});

test("dark calibration returns the LED-off level; synchronous=0 keeps the LED on and flags unsynced", async () => {
  const r = await plRig({ plRel: 1, seed: 5 });
  r.configure({});
  r.darkCalibrate();
  r.runMs(2000);
  const darks = r.darks();
  assert.is(darks.length, 1);
  assert.is(r.ledEdges.length, 0, "the LED stayed off");
  // 50 reads 22 ms apart spread the ripple over 25 phases: left are noise and drift over the 1.1 s.
  let level = 0;
  for (let t = 0; t < 1100; t++) level += ufs(p.darkV + r.photodiode.ambientAt(t * 1000 + 1000)) / 1100;
  const tolerance = (4 * ufs(p.noiseRmsV)) / Math.sqrt(50) + 0.1 * FLICKER;
  assert.ok(Math.abs(darks[0] - level) < tolerance, `dark ${darks[0]} vs ${level} ± ${tolerance}`);

  r.configure({ synchronous: 0, darkUfs: darks[0] });
  r.start();
  r.runMs(10_000);
  const s = r.samples();
  assert.ok(s.length >= 9);
  for (const x of s) {
    assert.is(x.flags, SAMPLE_UNSYNCED);
    assert.is(x.dark, darks[0]);
  }
  const { mean } = meanStd(pls(s));
  assert.ok(Math.abs(mean - expectedPlUfs(1)) < 2 * tolerance + 0.15 * FLICKER, `unsynced PL ${mean} vs ${expectedPlUfs(1)}`);
  const onWindows = r.ledEdges.filter((e) => e[1] === 1).length;
  assert.is(onWindows, s.length + (r.ledEdges[r.ledEdges.length - 1][1] === 1 ? 1 : 0), "one LED pulse per window");
});

/** Logical LED on-time (µs) within [fromUs, toUs) from recorded edges (LED off before the first edge). */
function onTimeUs(edges: [number, number][], fromUs: number, toUs: number): number {
  let on = 0;
  let level = 0;
  let since = fromUs;
  for (const [t, v] of edges) {
    if (t >= toUs) break;
    if (t > fromUs && level === 1) on += t - Math.max(since, fromUs);
    level = v;
    since = t;
  }
  if (level === 1) on += toUs - Math.max(since, fromUs);
  return on;
}

test("samples arrive every samplePeriodMs; the LED is off between windows; ≤ 50 callbacks/s in a window", async () => {
  const r = await plRig({ plRel: 1 });
  r.configure({ samplePeriodMs: 1000, sampleWindowMs: 500 });
  r.start();
  r.runMs(20_000);
  const s = r.samples();
  for (let i = 1; i < s.length; i++) assert.is(s[i].timeMs - s[i - 1].timeMs, 1000);
  const duty = onTimeUs(r.ledEdges, 0, 20e6) / 20e6;
  assert.ok(Math.abs(duty - 0.2) < 0.01, `LED duty ${duty} (10 × 20 ms on per 1 s)`);
  for (const [t] of r.ledEdges) {
    const inWindow = (t / 1000) % 1000;
    assert.ok(inWindow < 400 + 30, `LED edge ${t} µs is outside a window`);
  }
  assert.ok(r.callbacks() <= 21 * 21, `${r.callbacks()} callbacks for ${s.length} windows`);
});

test("long stability runs: period 10 min, window 2 s → LED duty 0.17 %, one burst of callbacks per sample", async () => {
  const r = await plRig({ plRel: 1 });
  r.configure({ samplePeriodMs: 600_000, sampleWindowMs: 2000 });
  r.start();
  r.runMs(3_600_000);
  const s = r.samples();
  assert.is(s.length, 6);
  for (let i = 1; i < s.length; i++) assert.is(s[i].timeMs - s[i - 1].timeMs, 600_000);
  const duty = onTimeUs(r.ledEdges, 0, 3600e6) / 3600e6;
  assert.ok(Math.abs(duty - 1 / 600) < 1e-4, `LED duty ${duty}`);
  assert.is(r.callbacks(), 6 * 101, "101 reads per 2 s window (50 pairs + 1)");
  const { mean } = meanStd(pls(s));
  assert.ok(Math.abs(mean - expectedPlUfs(1)) < 4 * syncSigmaUfs(50) * 1.3, `PL ${mean}`);
});

test("Espruino HAL: pin strings with modifiers; outputs honour '!' and start inactive", async () => {
  const r = await plRig({ plRel: 0 });
  r.emu.evaluate("var led = new plTest.DigitalOutput('!B9'); var adc = new plTest.AnalogInput('^A6');");
  assert.is(r.pins.level("B9"), 1, "inverted output starts inactive (high)");
  r.emu.evaluate("led.set(true)");
  assert.is(r.pins.level("B9"), 0);
  r.pins.setAnalogSource("A6", () => 0.5);
  assert.is(r.emu.evaluate("adc.read()"), 2048 / 4095);
  for (const bad of ["A", "!!A5", "a5", "A5x", "", "^"]) {
    const e = r.emu.evaluate(`(function(){ try { new plTest.DigitalOutput(${JSON.stringify(bad)}); return ''; } catch (e) { return e.message; } })()`);
    assert.match(String(e), "is not a pin", bad);
  }
  assert.equal(r.emu.errors, []);
});

test.run();
