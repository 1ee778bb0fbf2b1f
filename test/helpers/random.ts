// Seeded pseudo-random numbers for reproducible fuzzing and lossy links (mulberry32).

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(random: () => number, length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(Math.floor(random() * 256));
  return out;
}
