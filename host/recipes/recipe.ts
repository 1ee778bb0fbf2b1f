// The shape of a recipe (recipes/<name>.json); recipes/schema.json is generated from this file by generate-schema.ts.
// Conventions (those of boards/generate-schema.ts): every exported interface and type alias becomes a definition;
// JSDoc text becomes "description"; @minimum/@maximum/@pattern become keywords; `Integer` is JSON Schema "integer".
// Units are the chemist's: mL/h, mL, s, mm, °C. expand.ts converts them exactly to the board's µL/h and ms.

/** A whole number (JSON Schema "integer"). */
export type Integer = number;

/** A syringe from the firmware's library (protocol/syringes.ts; inner diameters from rig.md's tables). */
export type SyringeName =
  | "BD 1 mL" | "BD 3 mL" | "BD 5 mL" | "BD 10 mL" | "BD 20 mL" | "BD 30 mL" | "BD 60 mL"
  | "Hamilton 1001" | "Hamilton 1002" | "Hamilton 1005" | "Hamilton 1010" | "Hamilton 1025"
  | "SGE 1 mL" | "SGE 2.5 mL" | "SGE 5 mL" | "SGE 10 mL" | "SGE 25 mL" | "SGE 50 mL";

/** A syringe not in the library (sent to the board as syringe 0 = custom). Measure the bore; calibrate by weighing. */
export interface CustomSyringe {
  /** Inner diameter of the barrel in mm, whole µm (board range 1-50 mm). @minimum 1 @maximum 50 */
  innerDiameterMm: number;
  /** Volume of the full stroke in mL, whole µL (board range 0.1-10000 mL; large values describe a reservoir-fed drive). @minimum 0.1 @maximum 10000 */
  capacityMl: number;
}

/** A library syringe by name, or a custom one by its bore and capacity. */
export type Syringe = SyringeName | CustomSyringe;

/** The pump's mechanics; omitted = the board's defaults (NEMA17 200 steps/rev, 1/16 microstepping, T8 lead 2 mm). */
export interface Drive {
  /** Motor full steps per revolution. @minimum 20 @maximum 1000 */
  stepsPerRev: Integer;
  /** Driver microstepping (16 = 1/16). @minimum 1 @maximum 256 */
  microsteps: Integer;
  /** Lead screw travel per revolution in mm, whole µm (T8: 2 or 8; M5 rod: 0.8). @minimum 0.1 @maximum 40 */
  leadMm: number;
}

/** One syringe pump as set up for this recipe. */
export interface Pump {
  /** Library name ("BD 10 mL") or a custom syringe { innerDiameterMm, capacityMl }. */
  syringe: Syringe;
  /** Motor, microstepping and lead screw; omitted = the board's defaults. */
  drive?: Drive;
  /** Liquid in the syringe when the run starts, in mL (at most the syringe's capacity). @minimum 0 */
  loadedMl: number;
  /** Highest flow this pump may be asked for, in mL/h (the board's maxRateUlPerH; default 6000 mL/h). @minimum 0.001 @maximum 20000 */
  maxMlPerH?: number;
  /** Liquid the pump never pushes out (the plunger stops this far from the bottom), in mL; default 0.1 mL. @minimum 0 @maximum 10 */
  reserveMl?: number;
}

/** Pump A (board index 0) pushes the precursor (DMF solution); pump B (index 1) the antisolvent (toluene). */
export interface Pumps {
  /** Pump A: precursor solution in DMF. */
  precursor: Pump;
  /** Pump B: antisolvent (toluene). */
  antisolvent: Pump;
}

/** The tube from the Y-junction to the PL flow cell; used for Re, residence time and the "auto" settle time. */
export interface Tube {
  /** Inner diameter in mm; default 1.5875 (1/16"). @minimum 0.1 @maximum 20 */
  innerDiameterMm?: number;
  /** Length from the Y-junction to the flow cell's optical window, in mm. @minimum 1 @maximum 100000 */
  lengthMm: number;
  /** Liquid temperature in °C for densities and viscosities; default 20. @minimum -20 @maximum 110 */
  temperatureC?: number;
}

/** One operating point: both flows held for durationS. Becomes one program segment (tag = step number). */
export interface Step {
  /** Shown in reports and on the run's timeline, e.g. "optimum". */
  label?: string;
  /** Precursor flow in mL/h, whole µL/h; negative withdraws. */
  precursorMlPerH: number;
  /** Antisolvent flow in mL/h, whole µL/h; negative withdraws. */
  antisolventMlPerH: number;
  /** Length of the step in s, ramp included, whole ms (at most 7 days = 604800 s, the board's longest segment). @minimum 0.001 */
  durationS: number;
  /** Linear ramp from the previous step's flows, in s (default 0 = step change). @minimum 0 */
  rampS?: number;
  /** Time from the step's start before its PL samples count, in s, or "auto" = ramp + max(5 s, 3 × residence time) (the default). @minimum 0 */
  settleS?: number | "auto";
}

/** The flow that stays constant during a sweep: give only the one not swept. */
export interface FixedFlow {
  /** Precursor flow in mL/h, when the antisolvent is swept. */
  precursorMlPerH?: number;
  /** Antisolvent flow in mL/h, when the precursor is swept. */
  antisolventMlPerH?: number;
}

/** A series of steps that differ in one flow: expanded into one step per value, in order. */
export interface Sweep {
  /** Prefix of the expanded steps' labels (default the swept stream), e.g. "toluene" gives "toluene 1000 mL/h". */
  label?: string;
  /** Which flow takes the values. */
  sweep: "antisolventMlPerH" | "precursorMlPerH";
  /** The swept flow's values in mL/h, one step each, in order. */
  values: number[];
  /** The other flow, held constant. */
  fixed: FixedFlow;
  /** Length of each step in s, ramp included. @minimum 0.001 */
  durationS: number;
  /** Ramp into each step in s (default 0). @minimum 0 */
  rampS?: number;
  /** Settle time of each step in s, or "auto" (the default; see Step.settleS). @minimum 0 */
  settleS?: number | "auto";
}

/** An entry of `steps`: one step, or a sweep expanded into several. */
export type RecipeEntry = Step | Sweep;

/** How the board samples PL during the run (the board's sensor configuration). */
export interface Sensor {
  /** Time between logged samples in s (0.05 s to 1 day). @minimum 0.05 @maximum 86400 */
  samplePeriodS: number;
  /** Integration time of each sample in s; the LED is on only inside it (LED duty = window / period). @minimum 0.01 @maximum 60 */
  sampleWindowS: number;
  /** LED modulation frequency for synchronous detection, in Hz (default 200). @minimum 1 @maximum 2000 */
  ledHz?: Integer;
  /** true = LED-on minus LED-off detection (rejects ambient light); false = LED steady, stored dark subtracted. Default true. */
  synchronous?: boolean;
}

/** A procedure a chemist runs on the rig: pumps, tube, a list of steps and sweeps, optional sensor settings. */
export interface Recipe {
  /** Path of the generated schema, for editors. */
  $schema?: "./schema.json";
  /** Program name stored on the board and shown on its display: 1-12 printable ASCII characters. @pattern ^[ -~]{1,12}$ */
  name: string;
  /** What the recipe does and why, for the chemist who runs it. */
  description: string;
  /** The two syringe pumps. */
  pumps: Pumps;
  /** Y-junction to flow cell. */
  tube: Tube;
  /** Steps and sweeps, run in order; each expanded step is one program segment (at most 64 in all, repeats included). */
  steps: RecipeEntry[];
  /** Run the whole list this many times (default 1). @minimum 1 @maximum 64 */
  repeat?: Integer;
  /** PL sampling for this run; omitted = leave the board's sensor settings as they are. */
  sensor?: Sensor;
}
