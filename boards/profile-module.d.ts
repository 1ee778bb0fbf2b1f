// The type of the build-time module "board:profile" (the build inlines the chosen board's JSON under this name).
import type { FirmwareProfile } from "./firmware-profile.ts";

/** Only the keys the firmware reads (FIRMWARE_PROFILE_KEYS): the build leaves the rest out. */
declare const profile: FirmwareProfile;
export default profile;
/**
 * A fresh copy of the same profile on each call: code that reads it only while booting lets it go afterwards
 * (a profile held for ever costs the board ~150 variables of strings).
 */
export function boardProfile(): FirmwareProfile;
