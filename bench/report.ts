// Benchmark output: prints `bench <name> <value> <unit>` lines and merges the figures into bench/results.json.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
const figures: Record<string, { value: number; unit: string }> = {};

export function figure(name: string, value: number, unit: string): void {
  const rounded = Number(value.toPrecision(4));
  figures[name] = { value: rounded, unit };
  console.log(`bench ${name} ${rounded} ${unit}`);
}

export function saveFigures(): void {
  const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : {};
  writeFileSync(RESULTS, JSON.stringify({ ...previous, ...figures }, null, 2) + "\n");
}
