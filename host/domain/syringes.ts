// The syringe library as the host reads it: the shared packed tables (protocol/syringes.ts) as plain arrays.
import { SYRINGE_CAPACITIES_UL as CAPACITIES, SYRINGE_DIAMETERS_UM as DIAMETERS, SYRINGE_NAMES as PACKED } from "../../protocol/syringes.ts";

/** Library names by index; 0 = "custom". */
export const SYRINGE_NAMES: readonly string[] = PACKED.split("|");
export const SYRINGE_DIAMETERS_UM: readonly number[] = Array.from(DIAMETERS);
export const SYRINGE_CAPACITIES_UL: readonly number[] = Array.from(CAPACITIES);
