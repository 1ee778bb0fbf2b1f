// The type of the build-time module "board:profile" (the build inlines the chosen board's JSON under this name).
import type { BoardProfile } from "./profile.ts";

declare const profile: BoardProfile;
export default profile;
