// Gravimetric pump calibration: solvent densities, the correction factor from a weighed dispense, and its uncertainty.

/** A liquid: density at 20 °C (g/mL) and its cubical expansion (1/K) near room temperature (CRC Handbook values, rounded). */
export interface Liquid { name: string; densityAt20: number; expansionPerK: number; note: string }

/** The paper's solvents and the usual flushes. Density ρ(T) = ρ20 · (1 − β (T − 20 °C)) within ±10 °C of 20 °C. */
export const LIQUIDS: readonly Liquid[] = [
  { name: "toluene", densityAt20: 0.8669, expansionPerK: 0.00108, note: "antisolvent" },
  { name: "DMF", densityAt20: 0.9487, expansionPerK: 0.00100, note: "N,N-dimethylformamide, the precursor's solvent" },
  { name: "DMSO", densityAt20: 1.1004, expansionPerK: 0.00088, note: "dimethyl sulfoxide" },
  { name: "water", densityAt20: 0.9982, expansionPerK: 0.00021, note: "for a first check of a new rig" },
  { name: "ethanol", densityAt20: 0.7893, expansionPerK: 0.00109, note: "" },
  { name: "isopropanol", densityAt20: 0.7855, expansionPerK: 0.00107, note: "2-propanol" },
  { name: "acetone", densityAt20: 0.7845, expansionPerK: 0.00143, note: "" },
  { name: "hexane", densityAt20: 0.6594, expansionPerK: 0.00141, note: "n-hexane" },
  { name: "chlorobenzene", densityAt20: 1.1058, expansionPerK: 0.00098, note: "" },
  { name: "chloroform", densityAt20: 1.4832, expansionPerK: 0.00127, note: "" },
];

export function liquidByName(name: string): Liquid {
  const liquid = LIQUIDS.find((l) => l.name.toLowerCase() === name.trim().toLowerCase());
  if (liquid === undefined) throw new Error(`unknown liquid "${name}"; liquids: ${LIQUIDS.map((l) => l.name).join(", ")} (or give --density)`);
  return liquid;
}

export const densityAt = (l: Liquid, temperatureC: number) => l.densityAt20 * (1 - l.expansionPerK * (temperatureC - 20));

/** The factor's range on the board (calFactorPpm): a larger error is a wrong syringe setting, not a calibration. */
export const FACTOR_MIN_PPM = 900_000;
export const FACTOR_MAX_PPM = 1_100_000;

export interface CalibrationInput {
  /** The volume the board dispensed by its own reckoning (its step volume, with the factor in force), nL. */
  commandedNl: number;
  /** Microsteps it took. */
  steps: number;
  /** The factor in force while dispensing, ppm. */
  factorBeforePpm: number;
  massG: number;
  /** The balance's resolution (readability), g. */
  resolutionG: number;
  densityGPerMl: number;
  /** Standard uncertainty of the density, relative. */
  densityRelU: number;
}

export interface Calibration {
  factorPpm: number;
  /** Expanded uncertainty (k = 2) of the delivered volume, ppm. */
  uncertaintyPpm: number;
  weighedMl: number;
  commandedMl: number;
  /** The standard uncertainties combined, relative: balance (rectangular over its resolution), density, one microstep. */
  budget: { balance: number; density: number; step: number };
}

/**
 * The new factor: the volume weighed ÷ the volume the board meant, times the factor it used. One dispense: the
 * uncertainty combines the balance's resolution, the density's uncertainty and one microstep; k = 2.
 */
export function calibrate(i: CalibrationInput): Calibration {
  if (!(i.massG > 0)) throw new Error(`the mass must be above 0 g, got ${i.massG}`);
  const weighedMl = i.massG / i.densityGPerMl;
  const commandedMl = i.commandedNl / 1e6;
  const factorPpm = Math.round((i.factorBeforePpm * weighedMl) / commandedMl);
  if (factorPpm < FACTOR_MIN_PPM || factorPpm > FACTOR_MAX_PPM) {
    throw new Error(`weighed ${weighedMl.toFixed(4)} mL for ${commandedMl.toFixed(4)} mL dispensed: a factor of ${(factorPpm / 1e6).toFixed(4)} ` +
      `is beyond ±10 %; check the syringe the board is set for (flowrig config get syringe), the liquid and the weighing`);
  }
  const budget = { balance: i.resolutionG / Math.sqrt(3) / i.massG, density: i.densityRelU, step: 1 / Math.max(1, Math.abs(i.steps)) };
  const relU = Math.sqrt(budget.balance ** 2 + budget.density ** 2 + budget.step ** 2);
  return { factorPpm, uncertaintyPpm: Math.max(1, Math.ceil(2 * relU * 1e6)), weighedMl, commandedMl, budget };
}

/** Today (local time) as the board stores it: yyyymmdd. */
export function dateNumber(d = new Date()): number {
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
}
