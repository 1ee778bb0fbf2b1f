// Reads and validates recipes (recipes/<name>.json): every problem is refused before anything moves, naming file, JSON path and limit.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkLimits } from "./limits.ts";
import type { Recipe } from "./recipe.ts";
import schemaJson from "../../recipes/schema.json" with { type: "json" };
import { schemaWalker, type Report } from "../../boards/schema-walk.ts";

export { expandRecipe, type StepInfo } from "./expand.ts";
export { formatDuration, volumeBudget, type PumpBudget, type VolumeBudget } from "./budget.ts";
export { boardConfig, PUMP_INDEX, type ConfigSetting, type PumpRole } from "./pumps.ts";
export type { Recipe } from "./recipe.ts";

/** The shipped recipes' folder, recipes/ at the repository root. */
export const recipesDir = fileURLToPath(new URL("../../recipes/", import.meta.url));

/** Largest recipe file read (a recipe with 64 steps is a few kB): checked before the file is parsed. */
export const MAX_RECIPE_BYTES = 1 << 20;

/** The walker of recipes/schema.json (the rig file walks its Pumps definition too). */
export const recipeSchema = schemaWalker(schemaJson);

/** Every problem with a parsed recipe, as "file: path: what is wrong (the limit)" lines; [] if it is valid. */
export function recipeErrors(json: unknown, fileName: string): string[] {
  const errors: string[] = [];
  const report: Report = (path, message) => {
    const line = `${fileName}: ${path === "" ? "(root)" : path}: ${message}`;
    if (!errors.includes(line)) errors.push(line);
  };
  recipeSchema.walk(json, report);
  if (errors.length === 0) checkLimits(json as Recipe, report);
  return errors;
}

/** Thrown by validateRecipe / loadRecipe; `errors` holds one line per problem. */
export class RecipeValidationError extends Error {
  constructor(readonly errors: string[]) {
    super(`${errors.length} error${errors.length === 1 ? "" : "s"} in recipe:\n${errors.join("\n")}`);
    this.name = "RecipeValidationError";
  }
}

/** Returns json typed as a Recipe, or throws one RecipeValidationError listing every problem. */
export function validateRecipe(json: unknown, fileName: string): Recipe {
  const errors = recipeErrors(json, fileName);
  if (errors.length > 0) throw new RecipeValidationError(errors);
  return json as Recipe;
}

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
