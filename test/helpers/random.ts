// Seeded pseudo-random numbers for reproducible fuzzing and lossy links (mulberry32).

export { seededRandom } from "../../host/sim/random.ts";

export function randomBytes(random: () => number, length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(Math.floor(random() * 256));
  return out;
}
