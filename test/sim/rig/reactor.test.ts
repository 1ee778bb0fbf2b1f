import { test } from "uvu";
import * as assert from "uvu/assert";
import { Reactor } from "../../../host/sim/rig/reactor.ts";

const reactor = new Reactor();

test("QY ≈ 35 % at 1000/60 and ≈ 60 % at 5000/60 mL/h", () => {
  assert.ok(Math.abs(reactor.quantumYield(60, 1000) - 0.35) < 0.01, `${reactor.quantumYield(60, 1000)}`);
  assert.ok(Math.abs(reactor.quantumYield(60, 5000) - 0.60) < 0.005, `${reactor.quantumYield(60, 5000)}`);
});

test("QY rises monotonically and saturates with toluene flow", () => {
  let previous = 0;
  let previousGain = Infinity;
  for (let qt = 500; qt <= 5000; qt += 500) {
    const qy = reactor.quantumYield(60, qt);
    assert.ok(qy > previous, `QY at ${qt} mL/h`);
    assert.ok(qy - previous < previousGain, "gains shrink (saturating)");
    previousGain = qy - previous;
    previous = qy;
  }
});

test("QY nearly flat in precursor flow (10…60 mL/h at 5000 mL/h)", () => {
  const qys = [10, 20, 30, 40, 50, 60].map((qp) => reactor.quantumYield(qp, 5000));
  assert.ok(Math.max(...qys) - Math.min(...qys) < 0.05 * Math.max(...qys), qys.join(", "));
});

test("no product when either flow is zero", () => {
  assert.is(reactor.steadyPl(0, 5000), 0);
  assert.is(reactor.steadyPl(60, 0), 0);
  assert.is(reactor.tracer(0, 5e6), 0);
  assert.is(reactor.plFromCell({ precursorFraction: 0, tracer: 0 }, 0), 0);
});

test("relative PL is 1 at the reference; rises with precursor fraction; inner filter keeps the sweep in range", () => {
  assert.ok(Math.abs(reactor.steadyPl(60, 5000) - 1) < 1e-12);
  const sweep = [10, 20, 30, 40, 50, 60].map((qp) => reactor.steadyPl(qp, 5000));
  for (let i = 1; i < sweep.length; i++) assert.ok(sweep[i] > sweep[i - 1]);
  const tolueneSweep = [1000, 2000, 3000, 4000, 5000].map((qt) => reactor.steadyPl(60, qt));
  for (const pl of tolueneSweep) assert.ok(pl > 0.8 && pl < 1.5, `PL ${pl}`);
});

test("dilute limit: PL ∝ QY × precursor fraction", () => {
  const linear = new Reactor({ absorbanceAtReference: 1e-6 });
  const expected = (linear.quantumYield(60, 1000) * (60 / 1060)) / (linear.quantumYield(60, 5000) * (60 / 5060));
  assert.ok(Math.abs(linear.steadyPl(60, 1000) / expected - 1) < 1e-5);
});

test("cell averages: tracer from the reactor reproduces steady PL; ageing halves PL per half-life", () => {
  const c = 60 / 5060;
  const cell = { precursorFraction: c, tracer: reactor.tracer(60e3, 5000e3) };
  assert.ok(Math.abs(reactor.plFromCell(cell, 0) - 1) < 1e-12);
  const ageing = new Reactor({ halfLifeH: 2 });
  assert.ok(Math.abs(ageing.plFromCell(cell, 2 * 3.6e9) - 0.5) < 1e-12);
});

test.run();
