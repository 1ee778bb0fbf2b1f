// npm run gen: writes protocol/generated.ts and the spec's tables from protocol/schema.ts (the text is protocol/generate.ts's).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generatedSource, specWithTables } from "../../protocol/generate.ts";

export const GENERATED_TS = fileURLToPath(new URL("../../protocol/generated.ts", import.meta.url));
export const SPEC_MD = fileURLToPath(new URL("../../protocol/README.md", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_TS, generatedSource());
  writeFileSync(SPEC_MD, specWithTables(readFileSync(SPEC_MD, "utf8")));
  console.log(`wrote ${GENERATED_TS} and the tables in ${SPEC_MD}`);
}
