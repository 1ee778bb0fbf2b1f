// The sensor's timing rule, in one place for recipes and `config set`: each sample's integration window fits in its period.

/**
 * What is wrong when a sample's window (LED on, integrating) is longer than the time between samples, or undefined.
 * Both in the same unit; `periodName` names the limit's field as the caller's user knows it.
 */
export function sampleWindowProblem(window: number, period: number, periodName: string, unit = ""): string | undefined {
  if (window <= period) return undefined;
  const u = unit === "" ? "" : ` ${unit}`;
  return `${window}${u} exceeds the limit ${period}${u} (${periodName}: one window per sample)`;
}
