// Build-time constants the firmware build substitutes (host/build/bundle.ts). Espruino's own globals are
// declared in the firmware/espruino/ files that use them, so they never mix with Node's types.

/** Board id (profile file name) and firmware version. */
declare const FLOWRIG_BOARD_ID: string;
declare const FLOWRIG_VERSION: string;
/** The board's build has Espruino's Stepper class (from its profile): the other step output is left out. */
declare const FLOWRIG_HAS_STEPPER: boolean;
