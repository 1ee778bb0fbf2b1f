// Validates a parsed recipe against recipes/schema.json and the board's limits (no file access): every error names file, JSON path and limit.
import schemaJson from "../../recipes/schema.json" with { type: "json" };
import { schemaWalker, type Report } from "../../boards/schema-walk.ts";
import { checkLimits } from "./limits.ts";
import type { Recipe } from "./recipe.ts";

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

