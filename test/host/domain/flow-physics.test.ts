// The flow formulas (host/domain/flow-physics.ts) against rig.md's worked numbers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DMF, TOLUENE, flowReport, liquidAt, mixtureAt, plungerForceNPerBar, residenceTimeS, reynoldsNumber, tubeVolumeMlPerM } from "../../../host/domain/flow-physics.ts";

const near = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} not within ${tol} of ${expected}`);

test("rig.md: Re at 1/16\" ID, 20 °C, total flow", () => {
  near(flowReport({ precursorMlPerH: 60, antisolventMlPerH: 5000 }).reynolds, 1659, 1, "Re 5000+60");
  near(flowReport({ precursorMlPerH: 60, antisolventMlPerH: 1000 }).reynolds, 342, 1, "Re 1000+60");
  assert.ok(flowReport({ precursorMlPerH: 60, antisolventMlPerH: 5000 }).laminar);
  assert.match(flowReport({ precursorMlPerH: 60, antisolventMlPerH: 5000 }).assumptions, /1\.5875 mm, 20 °C, total flow 5060 mL\/h/);
});

test("rig.md: per metre volume, residence time, pressure drop", () => {
  near(tubeVolumeMlPerM(1.5875), 1.98, 0.005, "mL per metre");
  near(residenceTimeS({ innerDiameterMm: 1.5875, lengthMm: 1000, flowMlPerH: 1060 }), 6.7, 0.05, "τ at 1060");
  near(residenceTimeS({ innerDiameterMm: 1.5875, lengthMm: 1000, flowMlPerH: 5060 }), 1.4, 0.05, "τ at 5060");
  near(flowReport({ precursorMlPerH: 60, antisolventMlPerH: 1000 }).pressureDropBarPerM, 0.011, 0.0011, "Δp 1060");
  near(flowReport({ precursorMlPerH: 60, antisolventMlPerH: 5000 }).pressureDropBarPerM, 0.050, 0.005, "Δp 5060");
  assert.is(residenceTimeS({ innerDiameterMm: 1.5875, lengthMm: 1000, flowMlPerH: 0 }), Infinity);
});

test("rig.md: plunger force per bar", () => {
  near(plungerForceNPerBar(14.43), 16.4, 0.1, "10 mL");
  near(plungerForceNPerBar(26.59), 55.5, 0.1, "60 mL");
});

test("liquid tables: table points exact, interpolation between", () => {
  near(liquidAt(TOLUENE, 25).viscosityMPaS, 0.558, 1e-12, "toluene 25 °C");
  near(liquidAt(DMF, 20).densityGPerMl, 0.949, 1e-12, "DMF 20 °C");
  const mid = liquidAt(TOLUENE, 22.5).viscosityMPaS;
  assert.ok(mid < 0.5867 && mid > 0.558);
});

test("Arrhenius mixture lies between the pure liquids; Re formula by hand", () => {
  const mix = mixtureAt([{ liquid: DMF, volumeFraction: 0.057 }, { liquid: TOLUENE, volumeFraction: 0.943 }], 20);
  assert.ok(mix.viscosityMPaS > 0.5867 && mix.viscosityMPaS < 0.82);
  near(mix.moleFractions[0] + mix.moleFractions[1], 1, 1e-12, "mole fractions");
  // water-like check: ρ 1 g/mL, μ 1 mPa·s, D 1 mm, 3600 mL/h = 1 mL/s → Re = 4·1000·1e-6/(π·1e-3·1e-3) = 1273.2
  near(reynoldsNumber({ flowMlPerH: 3600, densityGPerMl: 1, viscosityMPaS: 1, innerDiameterMm: 1 }), 1273.24, 0.01, "Re by hand");
  assert.throws(() => flowReport({ precursorMlPerH: 0, antisolventMlPerH: 0 }), /total flow must be > 0/);
});

test.run();
