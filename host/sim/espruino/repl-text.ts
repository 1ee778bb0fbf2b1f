// The REPL's text rules: whether typed input is complete (jsiCountBracketsInInput) and how a result prints (jsfPrintJSON).

/**
 * Brackets still open in `line`, as jsiCountBracketsInInput counts them with Espruino's lexer: an unfinished string
 * gives 0 (run it now so it errors), an unfinished comment or template literal 1000 (keep reading lines).
 */
export function countBrackets(line: string): number {
  let brackets = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (c === "/" && line[i + 1] === "/") {
      while (i < n && line[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && line[i + 1] === "*") {
      const end = line.indexOf("*/", i + 2);
      if (end < 0) return 1000;
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i];
        if (d === "\\") { i += 2; continue; }
        if (d === c) { closed = true; i++; break; }
        if (d === "\n" && c !== "`") break;
        i++;
      }
      if (!closed) return c === "`" ? 1000 : 0;
      continue;
    }
    if (c === "{" || c === "[" || c === "(") brackets++;
    if (c === "}" || c === "]" || c === ")") brackets--;
    if (brackets < 0) break; // closing bracket before opening!
    i++;
  }
  return brackets;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `=value` as jsfPrintJSON prints it (JSON_PRETTY | JSON_SHOW_DEVICES | JSON_DROP_QUOTES, limited). */
export function formatResult(v: unknown, depth = 0): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return String(v);
  if (typeof v !== "object") return String(v);
  if (depth > 3) return "...";
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const items = Array.prototype.slice.call(v as unknown as ArrayLike<number>, 0, 100).map(String);
    return `new ${tag}([${items.join(", ")}${(v as unknown as ArrayLike<number>).length > 100 ? ", ..." : ""}])`;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return "[ ]";
    const items = v.slice(0, 100).map((x) => formatResult(x, depth + 1));
    return `[ ${items.join(", ")}${v.length > 100 ? ", ..." : ""} ]`;
  }
  if (typeof (v as { toString?: unknown }).toString === "function" && tag === "Object" && (v as object).constructor?.name === "Pin") return String(v);
  const keys = Object.keys(v);
  if (keys.length === 0) return "{ }";
  const items = keys.slice(0, 100).map((k) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${formatResult((v as Record<string, unknown>)[k], depth + 1)}`);
  return `{ ${items.join(", ")}${keys.length > 100 ? ", ..." : ""} }`;
}
