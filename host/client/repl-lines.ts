// The REPL lines that write a firmware bundle into Espruino's `.bootcde`, each quoted to survive the board's line editor.

/** Espruino's own boot file: what `E.setBootCode(code)` writes and what load()/power-on run. */
export const BOOT_FILE = ".bootcde";
/** Source bytes per `Storage.write` line: with quoting, a line stays near 1 KB (the Web IDE's upload chunk size). */
export const DEFAULT_CHUNK_BYTES = 1024;

/**
 * A JS string literal that survives Espruino's line editor: printable ASCII as is; quotes, backslash, control
 * characters and DEL (0x7F, which the REPL would take as backspace) as `\xHH`. No newline, 0x03, 0x10 or ESC reaches
 * the console raw.
 */
export function quoteForRepl(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += text[i];
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out + '"';
}

/** The REPL lines that write `bundle` to `.bootcde`: offset 0 creates the file at its full size, the rest fill it. */
export function writeLines(bundle: string, chunkBytes = DEFAULT_CHUNK_BYTES): { offset: number; length: number; line: string }[] {
  const lines = [];
  for (let offset = 0; offset < bundle.length || offset === 0; offset += chunkBytes) {
    const chunk = bundle.slice(offset, offset + chunkBytes);
    const size = offset === 0 ? `,${bundle.length}` : "";
    lines.push({
      offset, length: chunk.length,
      line: `print("FLOWRIG","W${offset}",require("Storage").write(${JSON.stringify(BOOT_FILE)},${quoteForRepl(chunk)},${offset}${size}))`,
    });
    if (bundle.length === 0) break;
  }
  return lines;
}
