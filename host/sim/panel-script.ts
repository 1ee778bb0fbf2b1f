// Scripted operator sessions on the virtual rig's front panel: press scripts run in virtual time, screenshots as PNG.
//
// A script is comma-separated steps, e.g. `down,down,select,hold:back,wait:2s,press:up:1500ms,chord:back+select,shot:home.png`:
//   NAME              short press: held 120 ms, then a 300 ms pause
//   press:NAME[:DUR]  press held DUR (default 120 ms), then the pause
//   hold:NAME[:DUR]   long press held DUR (default 1500 ms), then the pause
//   chord:A+B[:DUR]   two or more buttons pressed and released together, held DUR (default 120 ms), then the pause
//   wait:DUR          let virtual time run
//   shot:FILE.png     save what the display shows now (each panel pixel 4×4)
// DUR is a number with ms, s or min (a bare number is ms): 300ms, 2s, 1.5s, 1min.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Ssd1306, Ssd1306Frame } from "./rig/ssd1306.ts";
import type { VirtualRig } from "./virtual-rig.ts";

export const PANEL_BUTTONS = ["up", "down", "select", "back"] as const;
export const SHORT_PRESS_MS = 120;
export const LONG_PRESS_MS = 1500;
export const PAUSE_MS = 300;
export const SHOT_SCALE = 4;
const MAX_DURATION_MS = 3600e3;

export type PanelStep =
  | { kind: "press"; buttons: string[]; holdMs: number; pauseMs: number; text: string; column: number }
  | { kind: "wait"; ms: number; text: string; column: number }
  | { kind: "shot"; file: string; text: string; column: number };

/** A script that cannot run: `step` (1-based) starts at `column` (1-based) of the script text. */
export class PanelScriptError extends Error {
  constructor(readonly step: number, readonly column: number, readonly stepText: string, readonly problem: string, buttons: readonly string[]) {
    super(`step ${step} "${stepText}" (column ${column}): ${problem}\n` + syntaxHelp(buttons));
    this.name = "PanelScriptError";
  }
}

export function syntaxHelp(buttons: readonly string[] = PANEL_BUTTONS): string {
  return `steps, separated by commas: NAME | press:NAME[:DUR] | hold:NAME[:DUR] | chord:NAME+NAME[:DUR] | wait:DUR | shot:FILE.png; ` +
    `NAME: ${buttons.join(", ")}; DUR: e.g. 300ms, 2s, 1.5s, 1min (a bare number is ms)`;
}

/** Milliseconds from "300ms", "2s", "1.5s", "1min", "250"; undefined if it is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|min)?$/.exec(text.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  return m[2] === "s" ? n * 1000 : m[2] === "min" ? n * 60e3 : n;
}

export interface ParseOptions {
  /** The panel's button names (default up, down, select, back). */
  buttons?: readonly string[];
}

/** Parses a press script; throws PanelScriptError naming the step, its column and what is allowed. */
export function parsePanelScript(script: string, options: ParseOptions = {}): PanelStep[] {
  const names = options.buttons ?? PANEL_BUTTONS;
  const steps: PanelStep[] = [];
  let offset = 0;
  const parts = script.split(",");
  if (script.trim() === "") return steps;
  parts.forEach((raw, i) => {
    const text = raw.trim();
    const column = offset + (raw.length - raw.trimStart().length) + 1;
    offset += raw.length + 1;
    const fail = (problem: string): never => { throw new PanelScriptError(i + 1, column, text, problem, names); };
    const button = (name: string): string => {
      const b = name.trim().toLowerCase();
      if (b === "") fail("a button name is missing");
      if (!names.includes(b)) fail(`unknown button "${name.trim()}"`);
      return b;
    };
    const duration = (dur: string | undefined, fallback: number, what: string, min: number): number => {
      if (dur === undefined) return fallback;
      const ms = parseDurationMs(dur);
      if (ms === undefined) return fail(`"${dur}" is not a duration`);
      if (ms < min || ms > MAX_DURATION_MS) fail(`${what} ${dur} is out of range (${min === 0 ? "0" : `${min} ms`} to 1 h)`);
      return ms;
    };
    if (text === "") fail(i === parts.length - 1 ? "nothing after the last comma" : "empty step (two commas in a row)");
    const colon = text.indexOf(":");
    const keyword = (colon < 0 ? text : text.slice(0, colon)).toLowerCase();
    const rest = colon < 0 ? undefined : text.slice(colon + 1);
    const args = rest === undefined ? [] : rest.split(":");
    if (keyword === "shot") {
      const file = rest?.trim() ?? "";
      if (file === "") fail("shot needs a file name, e.g. shot:home.png");
      if (!/\.png$/i.test(file)) fail(`screenshots are PNG: "${file}" must end in .png`);
      steps.push({ kind: "shot", file, text, column });
    } else if (keyword === "wait") {
      if (args.length !== 1 || args[0].trim() === "") fail("wait needs one duration, e.g. wait:2s");
      steps.push({ kind: "wait", ms: duration(args[0], 0, "wait", 0), text, column });
    } else if (keyword === "press" || keyword === "hold") {
      if (args.length < 1 || args.length > 2) fail(`${keyword} takes a button and an optional duration, e.g. ${keyword}:select:2s`);
      const holdMs = duration(args[1], keyword === "hold" ? LONG_PRESS_MS : SHORT_PRESS_MS, "hold", 1);
      steps.push({ kind: "press", buttons: [button(args[0])], holdMs, pauseMs: PAUSE_MS, text, column });
    } else if (keyword === "chord") {
      if (args.length < 1 || args.length > 2) fail("chord takes buttons joined by + and an optional duration, e.g. chord:back+select:1s");
      const buttons = args[0].split("+").map(button);
      if (buttons.length < 2) fail("a chord needs two or more buttons joined by +, e.g. chord:back+select");
      if (new Set(buttons).size !== buttons.length) fail("a chord names each button once");
      steps.push({ kind: "press", buttons, holdMs: duration(args[1], SHORT_PRESS_MS, "hold", 1), pauseMs: PAUSE_MS, text, column });
    } else if (rest === undefined && names.includes(keyword)) {
      steps.push({ kind: "press", buttons: [keyword], holdMs: SHORT_PRESS_MS, pauseMs: PAUSE_MS, text, column });
    } else {
      fail(rest === undefined ? `unknown button or step "${text}"` : `unknown step "${keyword}:"`);
    }
  });
  return steps;
}

export interface PanelShot {
  file: string;
  /** Where it was written. */
  path: string;
  timeUs: number;
  /** Display frames completed when the shot was taken (0 = the firmware never drew). */
  frame: number;
  hash: string;
  png: Buffer;
}

export interface PanelRun {
  steps: PanelStep[];
  shots: PanelShot[];
  /** Frames the display completed during the run (the startAfterMs settle included). */
  frames: Ssd1306Frame[];
  /** Virtual time the run began (before the settle) and ended. */
  startUs: number;
  endUs: number;
  /** Firmware errors thrown while the script ran. */
  errors: { timeUs: number; text: string }[];
}

export interface RunOptions {
  /** Where relative `shot:` files go (default the working directory). */
  outDir?: string;
  /** Virtual time to let pass before the first step (e.g. for the firmware's first screen). Default 0. */
  startAfterMs?: number;
  scale?: number;
  /** Called after each shot is written. */
  onShot?: (shot: PanelShot) => void;
}

/** Saves the display as a PNG (parent folders made); returns the shot. */
export function saveDisplay(display: Ssd1306, nowUs: number, file: string, options: { outDir?: string; scale?: number } = {}): PanelShot {
  const path = resolve(options.outDir ?? ".", file);
  const png = display.toPng(options.scale ?? SHOT_SCALE);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return { file, path, timeUs: nowUs, frame: display.frameCount, hash: display.hash(), png };
}

/** Runs a press script (text or parsed steps) against the rig, synchronously in virtual time. */
export function runPanelScript(v: VirtualRig, script: string | PanelStep[], options: RunOptions = {}): PanelRun {
  const steps = typeof script === "string" ? parsePanelScript(script, { buttons: v.buttons.names }) : script;
  const firstError = v.emu.errors.length;
  const firstFrame = v.display.frames.length;
  const startUs = v.clock.nowUs();
  const run = (ms: number) => { if (ms > 0) v.clock.runFor(ms * 1000); };
  run(options.startAfterMs ?? 0);
  const shots: PanelShot[] = [];
  for (const step of steps) {
    if (step.kind === "wait") run(step.ms);
    else if (step.kind === "press") {
      for (const b of step.buttons) v.buttons.hold(b);
      run(step.holdMs);
      for (const b of step.buttons) v.buttons.release(b);
      run(step.pauseMs);
    } else {
      const shot = saveDisplay(v.display, v.clock.nowUs(), step.file, options);
      shots.push(shot);
      options.onShot?.(shot);
    }
  }
  return {
    steps, shots, frames: v.display.frames.slice(firstFrame), startUs, endUs: v.clock.nowUs(),
    errors: v.emu.errors.slice(firstError).map((e) => ({ timeUs: e.timeUs, text: e.text })),
  };
}
