// `flowrig sim --rig FILE`: deliberate hardware on the virtual bench (syringes, drives, a bore error, wiring faults), validated with clear errors.
import { readFileSync, statSync } from "node:fs";
import { PUMP_ROLES, resolvePump, type ResolvedPump } from "../recipes/pumps.ts";
import { join, type Report } from "../../boards/schema-walk.ts";
import { recipeSchema } from "../recipes/load.ts";
import type { BenchSetup } from "./virtual-rig.ts";
import type { PumpMechanics } from "./rig/syringe-pump.ts";

/** A rig file is a few hundred bytes. */
const MAX_RIG_BYTES = 64 * 1024;
const TOP_FIELDS = ["pumps", "boreErrorPct", "tubeLengthMm", "wiring"];
const WIRING_FIELDS = ["dirReversed", "deadEndstops", "ledUnseen"];
const ENDSTOPS = PUMP_ROLES.flatMap((r) => [`${r}.empty`, `${r}.full`]);
/** Largest bore error a rig file may give: a syringe table off by this much is not a syringe. */
const MAX_BORE_ERROR_PCT = 20;

/** A rig's pump as mounted, in the physics' terms: the recipe's pump, and how far the real bore differs from its table value. */
export function mechanicsOf(p: ResolvedPump, boreErrorPct = 0): PumpMechanics {
  const areaMm2 = (Math.PI / 4) * p.innerDiameterMm ** 2; // the plunger travel follows the nominal bore: the capacity marks are on it
  return {
    innerDiameterUm: p.innerDiameterMm * 1000 * (1 + boreErrorPct / 100), leadUm: p.leadMm * 1000, stepsPerRev: p.stepsPerRev,
    microsteps: p.microsteps, travelUm: ((p.capacityMl * 1000) / areaMm2) * 1000, startPositionUm: ((p.loadedMl * 1000) / areaMm2) * 1000,
  };
}

/** Every problem with a parsed rig file, as "file: path: what is wrong (the limit)"; [] if it is valid. */
export function rigErrors(json: unknown, file: string): string[] {
  const errors: string[] = [];
  const report: Report = (path, message) => { errors.push(`${file}: ${path === "" ? "(root)" : path}: ${message}`); };
  if (typeof json !== "object" || json === null || Array.isArray(json)) return [`${file}: (root): expected an object { "pumps": … }`];
  const rig = json as Record<string, unknown>;
  for (const key of Object.keys(rig)) if (!TOP_FIELDS.includes(key)) report(key, `unknown field (allowed: ${TOP_FIELDS.join(", ")})`);
  if (!Object.hasOwn(rig, "pumps")) report("pumps", "required field is missing (the two pumps, as a recipe's pumps: syringe, drive, loadedMl)");
  else recipeSchema.walk(rig.pumps, report, { $ref: "#/definitions/Pumps" }, "pumps");
  const bore = rig.boreErrorPct;
  if (bore !== undefined) {
    if (typeof bore !== "object" || bore === null || Array.isArray(bore)) report("boreErrorPct", "expected an object { precursor?, antisolvent? } in %");
    else for (const [role, v] of Object.entries(bore)) {
      const at = join("boreErrorPct", role);
      if (!(PUMP_ROLES as readonly string[]).includes(role)) report(at, `unknown field (allowed: ${PUMP_ROLES.join(", ")})`);
      else if (typeof v !== "number" || !Number.isFinite(v)) report(at, `expected number, got ${JSON.stringify(v)}`);
      else if (Math.abs(v) > MAX_BORE_ERROR_PCT) report(at, `${v} exceeds the limit ±${MAX_BORE_ERROR_PCT} (% of the table bore)`);
    }
  }
  const tube = rig.tubeLengthMm;
  if (tube !== undefined && !(typeof tube === "number" && tube >= 1 && tube <= 100000)) report("tubeLengthMm", `${JSON.stringify(tube)} must be a number from 1 to 100000 (mm)`);
  const wiring = rig.wiring;
  if (wiring !== undefined) {
    if (typeof wiring !== "object" || wiring === null || Array.isArray(wiring)) report("wiring", `expected an object { ${WIRING_FIELDS.join(", ")} }`);
    else {
      const w = wiring as Record<string, unknown>;
      for (const key of Object.keys(w)) if (!WIRING_FIELDS.includes(key)) report(join("wiring", key), `unknown field (allowed: ${WIRING_FIELDS.join(", ")})`);
      const listOf = (key: string, allowed: readonly string[]) => {
        const v = w[key];
        if (v === undefined) return;
        if (!Array.isArray(v)) { report(join("wiring", key), `expected a list of: ${allowed.join(", ")}`); return; }
        v.forEach((x, i) => { if (!allowed.includes(x as string)) report(`wiring.${key}[${i}]`, `${JSON.stringify(x)} is not one of: ${allowed.join(", ")}`); });
      };
      listOf("dirReversed", PUMP_ROLES);
      listOf("deadEndstops", ENDSTOPS);
      if (w.ledUnseen !== undefined && typeof w.ledUnseen !== "boolean") report("wiring.ledUnseen", `expected true or false, got ${JSON.stringify(w.ledUnseen)}`);
    }
  }
  if (errors.length === 0) {
    for (const role of PUMP_ROLES) {
      const p = resolvePump((rig.pumps as Record<string, any>)[role]);
      if (p.loadedMl > p.capacityMl) report(`pumps.${role}.loadedMl`, `${p.loadedMl} exceeds the limit ${p.capacityMl} (capacity of the ${p.syringeLabel} syringe)`);
    }
  }
  return errors;
}

/** The bench a rig file describes; throws an Error listing every problem (file, path, limit). */
export function loadRigFile(path: string): BenchSetup {
  let json: unknown;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_RIG_BYTES) throw new Error(`${path}: (root): the file is ${bytes} bytes, which exceeds the limit ${MAX_RIG_BYTES} bytes`);
    json = JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new Error((e as Error).message.startsWith(path) ? (e as Error).message : `${path}: (root): cannot read the rig file: ${(e as Error).message}`);
  }
  const errors = rigErrors(json, path);
  if (errors.length > 0) throw new Error(`${errors.length} error${errors.length === 1 ? "" : "s"} in rig file:\n${errors.join("\n")}`);
  const rig = json as { pumps: Record<string, any>; boreErrorPct?: Record<string, number>; tubeLengthMm?: number; wiring?: { dirReversed?: string[]; deadEndstops?: string[]; ledUnseen?: boolean } };
  const mech = (role: "precursor" | "antisolvent") => mechanicsOf(resolvePump(rig.pumps[role]), rig.boreErrorPct?.[role]);
  const w = rig.wiring;
  const dead = (role: string) => ({ min: w?.deadEndstops?.includes(`${role}.empty`), max: w?.deadEndstops?.includes(`${role}.full`) });
  return {
    mechanics: [mech("precursor"), mech("antisolvent")], tubeLengthMm: rig.tubeLengthMm,
    ...(w === undefined ? {} : {
      wiring: {
        dirReversed: [w.dirReversed?.includes("precursor") === true, w.dirReversed?.includes("antisolvent") === true],
        deadEndstops: [dead("precursor"), dead("antisolvent")], ledUnseen: w.ledUnseen === true,
      },
    }),
  };
}
