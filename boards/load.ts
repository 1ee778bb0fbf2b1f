// Reads board profiles from boards/<id>.json and validates them (Node only; validate.ts has no file access).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BoardProfile } from "./profile.ts";
import { BoardValidationError, validateBoard } from "./validate.ts";

/** The board a command uses when none is named (the reference rig's Espruino Pico). */
export const DEFAULT_BOARD = "espruino-pico";

export { BoardValidationError, boardErrors, parsePin, validateBoard, type ParsedPin } from "./validate.ts";
export type { BoardProfile } from "./profile.ts";

const boardsDir = fileURLToPath(new URL(".", import.meta.url));
/** JSON files in boards/ that are not board profiles. */
const notBoards = new Set(["schema.json"]);

/** Ids of every board profile (file names without .json), sorted. */
export function listBoards(): string[] {
  return readdirSync(boardsDir)
    .filter((f) => f.endsWith(".json") && !notBoards.has(f))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** The validated profile boards/<id>.json; throws naming the file and every bad field. */
export function loadBoard(id: string): BoardProfile {
  const fileName = `boards/${id}.json`;
  const known = listBoards();
  if (!known.includes(id)) throw new Error(`${fileName}: no such board (boards: ${known.join(", ")})`);
  const text = readFileSync(boardsDir + id + ".json", "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BoardValidationError([`${fileName}: (root): not valid JSON: ${(e as Error).message}`]);
  }
  return validateBoard(json, fileName);
}
