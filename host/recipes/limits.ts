// Rules a schema-valid recipe must also meet: board units and limits, per-pump flow limits, settle within step, segment count, volumes.
import { MAX_PROGRAM_MS, MAX_SEGMENTS, MAX_SEGMENT_MS } from "../../protocol/limits.ts";
import { volumeBudget } from "./budget.ts";
import { flowFacts, isSweep, planSteps, settleTime } from "./expand.ts";
import { PUMP_ROLES, resolvePumps } from "./pumps.ts";
import type { Recipe } from "./recipe.ts";
import type { Report } from "../../boards/schema-walk.ts";
import { sampleWindowProblem } from "./sensor-timing.ts";

/** True when v (in mL, mL/h, s or mm) is a whole number of µL, µL/h, ms or µm: what the board takes (a value too large to
 * scale is left to the range checks, which name its limit). */
const whole1000 = (v: number) => !Number.isFinite(v * 1000) || Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6;

function checkWhole(report: Report, path: string, value: number | undefined, unit: string): void {
  if (value !== undefined && !whole1000(value)) report(path, `${value} is finer than the board's resolution (whole ${unit})`);
}

/** Pumps, sensor and sweep shapes: what the schema cannot say. */
function checkParts(recipe: Recipe, report: Report): void {
  const pumps = resolvePumps(recipe);
  for (const role of PUMP_ROLES) {
    const pump = recipe.pumps[role];
    const p = pumps[role];
    const at = `pumps.${role}`;
    if (typeof pump.syringe !== "string") {
      checkWhole(report, `${at}.syringe.innerDiameterMm`, pump.syringe.innerDiameterMm, "µm");
      checkWhole(report, `${at}.syringe.capacityMl`, pump.syringe.capacityMl, "µL");
    }
    checkWhole(report, `${at}.drive.leadMm`, pump.drive?.leadMm, "µm");
    checkWhole(report, `${at}.maxMlPerH`, pump.maxMlPerH, "µL/h");
    checkWhole(report, `${at}.reserveMl`, pump.reserveMl, "µL");
    if (p.loadedMl > p.capacityMl) report(`${at}.loadedMl`, `${p.loadedMl} exceeds the limit ${p.capacityMl} (capacity of the ${p.syringeLabel} syringe)`);
    if (p.reserveMl >= p.capacityMl) report(`${at}.reserveMl`, `${p.reserveMl} must be below the syringe's capacity ${p.capacityMl}`);
  }
  const sensor = recipe.sensor;
  if (sensor !== undefined) {
    checkWhole(report, "sensor.samplePeriodS", sensor.samplePeriodS, "ms");
    checkWhole(report, "sensor.sampleWindowS", sensor.sampleWindowS, "ms");
    const problem = sampleWindowProblem(sensor.sampleWindowS, sensor.samplePeriodS, "sensor.samplePeriodS");
    if (problem !== undefined) report("sensor.sampleWindowS", problem);
  }
  recipe.steps.forEach((entry, i) => {
    if (!isSweep(entry)) return;
    const other = entry.sweep === "antisolventMlPerH" ? "precursorMlPerH" : "antisolventMlPerH";
    if (entry.values.length === 0) report(`steps[${i}].values`, "is empty: give at least one flow");
    if (entry.fixed[other] === undefined) report(`steps[${i}].fixed.${other}`, `required field is missing (the flow held constant while ${entry.sweep} is swept)`);
    if (entry.fixed[entry.sweep] !== undefined) report(`steps[${i}].fixed.${entry.sweep}`, `is the swept flow: give it in values, and only ${other} in fixed`);
  });
}

/** Per step: exact units, per-pump flow limits, segment length, ramp and settle within the step. Errors are reported once per path. */
function checkSteps(recipe: Recipe, report: Report): void {
  const pumps = resolvePumps(recipe);
  const planned = planSteps(recipe);
  let stepTooLong = false;
  for (const step of planned) {
    for (const role of PUMP_ROLES) {
      const key = role === "precursor" ? "precursorMlPerH" : "antisolventMlPerH";
      const flow = step[key];
      const p = pumps[role];
      checkWhole(report, step.at[key], flow, "µL/h");
      const why = p.maxIsDefault ? `pump ${role} maxRate, the board default ${p.maxMlPerH * 1000} µL/h; set pumps.${role}.maxMlPerH to change` : `pumps.${role}.maxMlPerH`;
      if (Math.abs(flow) > p.maxMlPerH) report(step.at[key], `${flow} exceeds the limit ${flow < 0 ? -p.maxMlPerH : p.maxMlPerH} (${why})`);
    }
    checkWhole(report, step.at.durationS, step.durationS, "ms");
    checkWhole(report, step.at.rampS, step.rampS, "ms");
    if (step.durationS * 1000 > MAX_SEGMENT_MS) {
      stepTooLong = true;
      report(step.at.durationS, `${step.durationS} exceeds the limit ${MAX_SEGMENT_MS / 1000} (the board's longest segment, 7 days; split the step)`);
    }
    if (step.rampS > step.durationS) report(step.at.rampS, `${step.rampS} exceeds the limit ${step.durationS} (the step's durationS)`);
    const facts = flowFacts(recipe.tube, step.precursorMlPerH, step.antisolventMlPerH);
    const settle = settleTime(step, facts.residenceTimeS);
    if (settle.settleS >= step.durationS) {
      const given = step.settleS === "auto" ? `"auto" gives ${settle.settleS} s (${settle.rule}), which` : `${settle.settleS}`;
      report(step.at.settleS, `${given} reaches the limit ${step.durationS} (the step's durationS: no time left to sample; lengthen the step or shorten settleS)`);
    }
  }
  const repeat = recipe.repeat ?? 1;
  const count = planned.length * repeat;
  if (count > MAX_SEGMENTS) {
    const how = repeat > 1 ? `${repeat} × ${planned.length} steps = ${count} segments` : `expands to ${count} segments, which`;
    report(repeat > 1 ? "repeat" : "steps", `${how} exceeds the limit ${MAX_SEGMENTS} (the board's program maxSegments)`);
  }
  if (count === 0) report("steps", "is empty: give at least one step");
  const totalMs = repeat * planned.reduce((s, step) => s + Math.round(step.durationS * 1000), 0);
  if (!stepTooLong && totalMs > MAX_PROGRAM_MS) { // a step over its own limit is already named
    report(repeat > 1 ? "repeat" : "steps", `the run lasts ${totalMs / 1000} s, which exceeds the limit ${MAX_PROGRAM_MS / 1000} s (the board's longest program, 24.8 days)`);
  }
}

/** Every rule beyond the schema; the volume budget only when the steps themselves are sound. */
export function checkLimits(recipe: Recipe, report: Report): void {
  let failed = false;
  const note: Report = (path, message) => { failed = true; report(path, message); };
  checkParts(recipe, note);
  if (failed) return;
  checkSteps(recipe, note);
  if (failed) return;
  const budget = volumeBudget(recipe);
  for (const role of PUMP_ROLES) {
    if (!budget.pumps[role].ok) report(`pumps.${role}.loadedMl`, budget.pumps[role].message);
  }
}
