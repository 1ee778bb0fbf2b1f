// CSV text helpers shared by samples.csv and summary.csv: quoting, splitting one line, number formatting.

/** One field, quoted (RFC 4180) when it holds a comma or quote; newlines become spaces so one record stays one line. */
export function csvField(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  return /[",]/.test(oneLine) ? `"${oneLine.replace(/"/g, '""')}"` : oneLine;
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new SyntaxError(`unterminated quote in CSV line: ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') { value += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      out.push(value);
    } else {
      const c = line.indexOf(",", i);
      out.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** A number with at most `decimals` decimals, trailing zeros dropped; empty for undefined/NaN/±Infinity. */
export function csvNumber(value: number | undefined, decimals: number): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  const text = value.toFixed(decimals);
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}
