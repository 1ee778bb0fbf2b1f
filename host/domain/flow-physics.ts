// Pure flow formulas for the reactor's tubing: liquid properties, mixture rules, Re, residence time, pressure drop.

/** Property table of one liquid; values between table temperatures are interpolated (ρ linear, ln μ linear). */
export interface Liquid {
  name: string;
  molarMassGPerMol: number;
  points: ReadonlyArray<{ temperatureC: number; densityGPerMl: number; viscosityMPaS: number }>;
}

/**
 * Toluene: 25 °C ρ 0.8622, μ 0.558; 20 °C μ 0.5867 (rig.md). The 20 °C density 0.8669 g/mL is the
 * handbook value (not listed in rig.md) that reproduces rig.md's worked Re numbers (1659 / 342).
 */
export const TOLUENE: Liquid = {
  name: "toluene",
  molarMassGPerMol: 92.14,
  points: [
    { temperatureC: 20, densityGPerMl: 0.8669, viscosityMPaS: 0.5867 },
    { temperatureC: 25, densityGPerMl: 0.8622, viscosityMPaS: 0.558 },
  ],
};

/** DMF: 20 °C ρ 0.949, μ 0.82; 25 °C ρ 0.9446, μ 0.80 (rig.md). */
export const DMF: Liquid = {
  name: "DMF",
  molarMassGPerMol: 73.09,
  points: [
    { temperatureC: 20, densityGPerMl: 0.949, viscosityMPaS: 0.82 },
    { temperatureC: 25, densityGPerMl: 0.9446, viscosityMPaS: 0.8 },
  ],
};

/** 1/16" inner diameter, the default PTFE tube. */
export const DEFAULT_TUBE_INNER_DIAMETER_MM = 1.5875;
export const DEFAULT_TEMPERATURE_C = 20;

export interface LiquidState { densityGPerMl: number; viscosityMPaS: number }

/** Properties at a temperature: interpolated inside the table, extrapolated from the two nearest points outside. */
export function liquidAt(liquid: Liquid, temperatureC: number): LiquidState {
  const pts = [...liquid.points].sort((a, b) => a.temperatureC - b.temperatureC);
  if (pts.length === 1) return { densityGPerMl: pts[0].densityGPerMl, viscosityMPaS: pts[0].viscosityMPaS };
  let i = 0;
  while (i < pts.length - 2 && temperatureC > pts[i + 1].temperatureC) i++;
  const a = pts[i];
  const b = pts[i + 1];
  const f = (temperatureC - a.temperatureC) / (b.temperatureC - a.temperatureC);
  return {
    densityGPerMl: a.densityGPerMl + f * (b.densityGPerMl - a.densityGPerMl),
    viscosityMPaS: Math.exp(Math.log(a.viscosityMPaS) + f * (Math.log(b.viscosityMPaS) - Math.log(a.viscosityMPaS))),
  };
}

export interface MixtureComponent { liquid: Liquid; volumeFraction: number }
export interface MixtureState extends LiquidState { moleFractions: number[] }

/**
 * Ideal mixing by volume for density; Arrhenius rule ln μ = Σ xᵢ ln μᵢ with xᵢ the MOLE fractions
 * (at ~1–6 vol % DMF, mole/volume/mass fractions in this rule agree within 1 %; mole fractions reproduce rig.md).
 */
export function mixtureAt(components: readonly MixtureComponent[], temperatureC: number): MixtureState {
  const total = components.reduce((s, c) => s + c.volumeFraction, 0);
  if (!(total > 0)) throw new RangeError(`mixture volume fractions must sum to > 0, got ${total}`);
  const states = components.map((c) => liquidAt(c.liquid, temperatureC));
  const moles = components.map((c, i) => (c.volumeFraction / total) * states[i].densityGPerMl / c.liquid.molarMassGPerMol);
  const totalMoles = moles.reduce((s, m) => s + m, 0);
  const moleFractions = moles.map((m) => m / totalMoles);
  let densityGPerMl = 0;
  let lnViscosity = 0;
  components.forEach((c, i) => {
    densityGPerMl += (c.volumeFraction / total) * states[i].densityGPerMl;
    lnViscosity += moleFractions[i] * Math.log(states[i].viscosityMPaS);
  });
  return { densityGPerMl, viscosityMPaS: Math.exp(lnViscosity), moleFractions };
}

export function mlPerHToM3PerS(flowMlPerH: number): number {
  return flowMlPerH * 1e-6 / 3600;
}

/** Re = 4ρQ / (π μ D). */
export function reynoldsNumber(o: { flowMlPerH: number; densityGPerMl: number; viscosityMPaS: number; innerDiameterMm: number }): number {
  const rhoKgPerM3 = o.densityGPerMl * 1000;
  const muPaS = o.viscosityMPaS * 1e-3;
  return (4 * rhoKgPerM3 * mlPerHToM3PerS(o.flowMlPerH)) / (Math.PI * muPaS * o.innerDiameterMm * 1e-3);
}

/** Tube volume per metre, π D² / 4 × 1 m, in mL. */
export function tubeVolumeMlPerM(innerDiameterMm: number): number {
  const dM = innerDiameterMm * 1e-3;
  return (Math.PI * dM * dM / 4) * 1e6;
}

/** Mean residence time τ = π D² L / (4 Q); the laminar centreline arrives first, at τ/2. */
export function residenceTimeS(o: { innerDiameterMm: number; lengthMm: number; flowMlPerH: number }): number {
  if (!(o.flowMlPerH > 0)) return Infinity;
  const volumeMl = tubeVolumeMlPerM(o.innerDiameterMm) * o.lengthMm / 1000;
  return volumeMl / (o.flowMlPerH / 3600);
}

/** Hagen–Poiseuille pressure drop Δp = 128 μ L Q / (π D⁴), in bar. */
export function pressureDropBar(o: { innerDiameterMm: number; lengthMm: number; flowMlPerH: number; viscosityMPaS: number }): number {
  const dM = o.innerDiameterMm * 1e-3;
  const pa = (128 * o.viscosityMPaS * 1e-3 * (o.lengthMm * 1e-3) * mlPerHToM3PerS(o.flowMlPerH)) / (Math.PI * dM ** 4);
  return pa / 1e5;
}

/** Force on a plunger of the given syringe inner diameter per bar of back-pressure, in N. */
export function plungerForceNPerBar(syringeInnerDiameterMm: number): number {
  const dM = syringeInnerDiameterMm * 1e-3;
  return (Math.PI * dM * dM / 4) * 1e5;
}

export interface FlowReport {
  totalFlowMlPerH: number;
  precursorVolumeFraction: number;
  densityGPerMl: number;
  viscosityMPaS: number;
  reynolds: number;
  laminar: boolean;
  tubeVolumeMlPerM: number;
  residenceTimeSPerM: number;
  pressureDropBarPerM: number;
  /** Stated next to every Re: the tube, temperature and flow it was computed for. */
  assumptions: string;
}

/** Everything `flowrig calc` prints for one precursor (DMF) + antisolvent (toluene) operating point. */
export function flowReport(o: {
  precursorMlPerH: number;
  antisolventMlPerH: number;
  innerDiameterMm?: number;
  temperatureC?: number;
  precursor?: Liquid;
  antisolvent?: Liquid;
}): FlowReport {
  const innerDiameterMm = o.innerDiameterMm ?? DEFAULT_TUBE_INNER_DIAMETER_MM;
  const temperatureC = o.temperatureC ?? DEFAULT_TEMPERATURE_C;
  const total = o.precursorMlPerH + o.antisolventMlPerH;
  if (!(total > 0)) throw new RangeError(`total flow must be > 0 mL/h, got ${total}`);
  const precursorVolumeFraction = o.precursorMlPerH / total;
  const mix = mixtureAt([
    { liquid: o.precursor ?? DMF, volumeFraction: precursorVolumeFraction },
    { liquid: o.antisolvent ?? TOLUENE, volumeFraction: 1 - precursorVolumeFraction },
  ], temperatureC);
  const reynolds = reynoldsNumber({ flowMlPerH: total, densityGPerMl: mix.densityGPerMl, viscosityMPaS: mix.viscosityMPaS, innerDiameterMm });
  return {
    totalFlowMlPerH: total,
    precursorVolumeFraction,
    densityGPerMl: mix.densityGPerMl,
    viscosityMPaS: mix.viscosityMPaS,
    reynolds,
    laminar: reynolds < 1800,
    tubeVolumeMlPerM: tubeVolumeMlPerM(innerDiameterMm),
    residenceTimeSPerM: residenceTimeS({ innerDiameterMm, lengthMm: 1000, flowMlPerH: total }),
    pressureDropBarPerM: pressureDropBar({ innerDiameterMm, lengthMm: 1000, flowMlPerH: total, viscosityMPaS: mix.viscosityMPaS }),
    assumptions: `ID ${innerDiameterMm} mm, ${temperatureC} °C, total flow ${total} mL/h (both streams after the Y)`,
  };
}
