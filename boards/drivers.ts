// STEP/DIR driver chips and their pulse timing (datasheet minimums), keyed by the profile's `driver`.
import type { DriverName, DriverTiming } from "./profile.ts";

export const DRIVERS: Record<DriverName, DriverTiming> = {
  A4988: {
    stepHighMinNs: 1000,
    stepLowMinNs: 1000,
    dirSetupMinNs: 200,
    dirHoldMinNs: 200,
    wakeUs: 1000,
    enableActiveLow: true,
    minSmoothStepHz: 0,
    hasDiag: false,
    note: "Allegro A4988 datasheet: STEP high/low >= 1 us, DIR setup/hold 200 ns, 1 ms after SLEEP goes high (wake) before STEP.",
  },
  DRV8825: {
    stepHighMinNs: 1900,
    stepLowMinNs: 1900,
    dirSetupMinNs: 650,
    dirHoldMinNs: 650,
    wakeUs: 1700,
    enableActiveLow: true,
    minSmoothStepHz: 0,
    hasDiag: false,
    note: "TI DRV8825 datasheet: STEP high/low >= 1.9 us, DIR setup/hold 650 ns, wake from nSLEEP 1.7 ms.",
  },
  TMC2209: {
    stepHighMinNs: 100,
    stepLowMinNs: 100,
    dirSetupMinNs: 20,
    dirHoldMinNs: 20,
    wakeUs: 0,
    enableActiveLow: true,
    minSmoothStepHz: 12,
    hasDiag: true,
    note: "Trinamic TMC2209 datasheet: STEP high/low ~100 ns, DIR setup/hold 20 ns; no sleep pin, ENN takes effect at once. MicroPlyer interpolation needs a STEP input of at least ~12 Hz for smooth motion; DIAG reports stalls (StallGuard4).",
  },
};
