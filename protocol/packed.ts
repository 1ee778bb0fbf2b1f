// Tables packed into one "|"-separated string: on Espruino one variable per ~10 characters, not two or three per entry.

/** Entry `index` of a "|"-separated list, or `missing` when the list has no such entry. */
export function packedEntry(list: string, index: number, missing: string): string {
  if (index < 0) return missing;
  let start = 0;
  for (let i = 0; i < index; i++) {
    const bar = list.indexOf("|", start);
    if (bar < 0) return missing;
    start = bar + 1;
  }
  const end = list.indexOf("|", start);
  return end < 0 ? list.slice(start) : list.slice(start, end);
}

/** Entries in a "|"-separated list. */
export function packedCount(list: string): number {
  let n = 1;
  let at = list.indexOf("|", 0);
  while (at >= 0) {
    n++;
    at = list.indexOf("|", at + 1);
  }
  return n;
}
