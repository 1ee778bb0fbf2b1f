// The part of a board profile the firmware build inlines: the keys the firmware reads, and their type.
import type { BoardProfile } from "./profile.ts";

/**
 * The profile keys the firmware reads: the build inlines only these (every other key's strings would cost the board
 * RAM for nothing: on the real interpreter the whole Pico profile was ~190 variables). The firmware sees the profile
 * as `FirmwareProfile`, so reading any other key fails the type check.
 */
export const FIRMWARE_PROFILE_KEYS = ["pumps", "sensor", "buttons", "display", "link", "adcBits", "timerTickNs", "callbackLatencyUs", "hasWatchdog", "utilityTimer"] as const;

export type FirmwareProfile = Pick<BoardProfile, (typeof FIRMWARE_PROFILE_KEYS)[number]>;
