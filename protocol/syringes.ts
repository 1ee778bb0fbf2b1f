// The syringe library (rig.md), a contract of host and firmware: name, inner diameter and capacity as three parallel tables; index 0 = custom.

/** Names, packed (protocol/packed.ts): the board keeps one string, not nineteen. */
export const SYRINGE_NAMES = "custom|" +
  "BD 1 mL|BD 3 mL|BD 5 mL|BD 10 mL|BD 20 mL|BD 30 mL|BD 60 mL|" +
  "Hamilton 1001|Hamilton 1002|Hamilton 1005|Hamilton 1010|Hamilton 1025|" +
  "SGE 1 mL|SGE 2.5 mL|SGE 5 mL|SGE 10 mL|SGE 25 mL|SGE 50 mL";
/** Entries in the library, custom included. */
export const SYRINGE_COUNT = 19;
export const SYRINGE_DIAMETERS_UM = new Int32Array([
  0,
  4699, 8585, 11990, 14430, 19050, 21590, 26590,
  4610, 7290, 10300, 14567, 23000,
  4610, 7280, 10300, 14570, 23030, 32570,
]);
export const SYRINGE_CAPACITIES_UL = new Int32Array([
  0,
  1000, 3000, 5000, 10000, 20000, 30000, 60000,
  1000, 2500, 5000, 10000, 25000,
  1000, 2500, 5000, 10000, 25000, 50000,
]);
