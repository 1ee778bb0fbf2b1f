// Reads recipe files (recipes/<name>.json) and validates them (Node only; validate.ts has no file access): every problem is refused before anything moves.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Recipe } from "./recipe.ts";
import { RecipeValidationError, validateRecipe } from "./validate.ts";

export { recipeErrors, recipeSchema, RecipeValidationError, validateRecipe } from "./validate.ts";

export { expandRecipe, type StepInfo } from "./expand.ts";
export { formatDuration, volumeBudget, type PumpBudget, type VolumeBudget } from "./budget.ts";
export { boardConfig, PUMP_INDEX, type ConfigSetting, type PumpRole } from "./pumps.ts";
export type { Recipe } from "./recipe.ts";

/** The shipped recipes' folder, recipes/ at the repository root. */
export const recipesDir = fileURLToPath(new URL("../../recipes/", import.meta.url));

/** Largest recipe file read (a recipe with 64 steps is a few kB): checked before the file is parsed. */
export const MAX_RECIPE_BYTES = 1 << 20;

/** Reads, parses and validates a recipe file; errors name the file as given. */
export function loadRecipe(path: string): Recipe {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_RECIPE_BYTES) {
      throw new RecipeValidationError([`${path}: (root): the file is ${bytes} bytes, which exceeds the limit ${MAX_RECIPE_BYTES} bytes (a recipe is a few kB: is this the right file?)`]);
    }
    text = readFileSync(path, "utf8").replace(/^\uFEFF/, ""); // a byte-order mark, as some editors write, is not part of the JSON
  } catch (e) {
    if (e instanceof RecipeValidationError) throw e;
    throw new RecipeValidationError([`${path}: (root): cannot read the file: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RecipeValidationError([`${path}: (root): not valid JSON: ${(e as Error).message}`]);
  }
  return validateRecipe(json, path);
}

/** Names of the shipped recipes (file names in recipes/ without .json, schema.json excluded), sorted. */
export function listRecipes(): string[] {
  return readdirSync(recipesDir)
    .filter((f) => f.endsWith(".json") && f !== "schema.json")
    .map((f) => f.slice(0, -".json".length))
    .sort();
}
