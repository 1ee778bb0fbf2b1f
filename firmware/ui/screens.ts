// The panel's screens as text lines: home, run, fault, stop confirmation, the menu and each menu page.
import {
  CFG_CAPACITY_UL, ERR_BAD_ARGUMENT, ERR_NOT_FOUND, ERR_WRONG_STATE, CFG_HOST_LOSS_POLICY, CFG_HOST_TIMEOUT_MS, CFG_SYRINGE, MSG_ERROR, STATE_FAULT, STATE_MANUAL,
  STATE_PAUSED, STATE_RUNNING,
} from "../../protocol/generated.ts";
import { packedEntry } from "../../protocol/packed.ts";
import { SYRINGE_NAMES } from "../../protocol/syringes.ts";
import { minutes, mL, mLPerH } from "./draw.ts";
import type { Ui } from "./menu.ts";
import { idiv } from "../int.ts";

export const SCREEN_HOME = 0;
export const SCREEN_MENU = 1;
export const SCREEN_PROGRAMS = 2;
export const SCREEN_MANUAL = 3;
export const SCREEN_PRIME = 4;
export const SCREEN_SYRINGE = 5;
export const SCREEN_DARK = 6;
export const SCREEN_POLICY = 7;
export const SCREEN_ABOUT = 8;

/** The menu (tables packed, protocol/packed.ts): label, the page it opens, the pump it is about. */
export const MENU_LABELS = "Run program|Manual flow|Prime/withdraw A|Prime/withdraw B|Syringe A|Syringe B|" +
  "Dark calibration|Host loss policy|About";
export const MENU_ITEMS = 9;
export const MENU_SCREENS = new Uint8Array([2, 3, 4, 4, 5, 5, 6, 7, 8]);
export const MENU_PUMPS = new Uint8Array([0, 0, 0, 1, 0, 1, 0, 0, 0]);

const STATE_NAMES = "idle|running|paused|done|stopped|FAULT|manual";
const FAULT_NAMES = "endstop|stall|e-stop|host lost|syringe empty|config corrupt|storage|sensor|low memory";
const FAULT_BITS = 9;
const CAUSE_NAMES = "none|pumpA.minEndstop|pumpA.maxEndstop|pumpA.diag|pumpB.minEndstop|pumpB.maxEndstop|" +
  "pumpB.diag|button.estop|host.estop|host.link|pumpA.travel|pumpB.travel|flash|memory";
/** Below this share of its capacity a syringe is warned about. */
const LOW_PERCENT = 10;

export function isMoving(state: number): boolean {
  return state === STATE_RUNNING || state === STATE_PAUSED || state === STATE_MANUAL;
}

function faultText(faults: number): string {
  let text = "";
  for (let bit = 0; bit < FAULT_BITS; bit++) {
    if ((faults & (1 << bit)) !== 0) text = text + (text.length > 0 ? ", " : "") + packedEntry(FAULT_NAMES, bit, "fault " + bit);
  }
  return text.length > 0 ? text : "no faults";
}

/** The lines of what the operator sees now; sets ui.hilite (row shown inverted, or -1) and ui.showTrend. */
export function compose(ui: Ui): string[] {
  const c = ui.controller;
  ui.hilite = -1;
  ui.showTrend = false;
  if (c.state === STATE_FAULT) {
    return ["!! FAULT: pumps stopped", faultText(c.faults), "input: " + packedEntry(CAUSE_NAMES, c.cause, "?"), "", "select = acknowledge"];
  }
  if (ui.confirm) return ["Stop the run?", "", "select = stop", "back = carry on"];
  if (ui.screen === SCREEN_HOME) return isMoving(c.state) ? runLines(ui) : homeLines(ui);
  if (ui.screen === SCREEN_MENU) {
    const top = ui.cursor > 7 ? ui.cursor - 7 : 0;
    const lines = ["MENU"];
    for (let i = top; i < MENU_ITEMS && i < top + 8; i++) lines.push(packedEntry(MENU_LABELS, i, "?"));
    ui.hilite = ui.cursor - top + 1;
    return lines;
  }
  return pageLines(ui);
}

function homeLines(ui: Ui): string[] {
  const c = ui.controller;
  // No session yet (-1), seen within the timeout (5 s when the host-loss check is off), or not.
  const timeout = ui.config.value(CFG_HOST_TIMEOUT_MS, 0);
  const silent = ui.hostSilentMs();
  const hostOk = silent >= 0 && silent <= (timeout !== 0 ? timeout : 5000);
  const host = silent < 0 ? "none" : hostOk ? "ok" : timeout !== 0 ? "lost" : "quiet";
  const lines = ["flowrig  " + packedEntry(STATE_NAMES, c.state, "?") + "   host " + host];
  for (let p = 0; p < 2; p++) {
    lines.push((p === 0 ? "A " : "B ") + packedEntry(SYRINGE_NAMES, ui.config.value(CFG_SYRINGE, p), "?") + "  " + mL(ui.pump(p)[4]) + " mL left");
  }
  lines.push("PL " + ui.lastPl());
  lines.push(faultText(c.faults));
  lines.push("select = menu");
  return lines;
}

function runLines(ui: Ui): string[] {
  const c = ui.controller;
  let head = packedEntry(STATE_NAMES, c.state, "?");
  if (c.state !== STATE_MANUAL && c.program !== undefined) {
    const now = ui.nowMs();
    const left = c.totalMs() - c.elapsedMs(now);
    head = head + "  seg " + (c.segment + 1) + "/" + c.program.segments + "  left " + minutes(left > 0 ? left : 0);
  }
  const lines = [head];
  let warn = "hold back = stop";
  for (let p = 0; p < 2; p++) {
    const s = ui.pump(p);
    const name = p === 0 ? "A" : "B";
    lines.push(name + " " + mLPerH(s[2]) + " mL/h  " + mL(s[5]) + " mL given");
    const capacityNl = ui.config.value(CFG_CAPACITY_UL, p) * 1000;
    const percent = capacityNl > 0 ? idiv(s[4] * 100, capacityNl) : 100;
    if (percent < LOW_PERCENT) warn = "!! SYRINGE " + name + " LOW: " + percent + " % left";
  }
  lines.push("PL " + ui.lastPl());
  lines.push(warn);
  ui.showTrend = true;
  return lines;
}

function pageLines(ui: Ui): string[] {
  const s = ui.screen;
  const pumpName = ui.pumpIndex === 0 ? "A" : "B";
  let lines: string[];
  if (s === SCREEN_PROGRAMS) {
    lines = ["RUN PROGRAM"];
    for (let i = 0; i < ui.names.length; i++) lines.push(i + " " + (ui.names[i].length > 0 ? ui.names[i] : "-"));
    ui.hilite = ui.cursor + 1;
  } else if (s === SCREEN_MANUAL) {
    lines = ["MANUAL FLOW (mL/h)", "A " + mLPerH(ui.rates[0]), "B " + mLPerH(ui.rates[1]), "up/down set, hold = faster",
      "select: next / start"];
    ui.hilite = ui.cursor + 1;
  } else if (s === SCREEN_PRIME) {
    lines = ["PRIME/WITHDRAW " + pumpName, mL(ui.pump(ui.pumpIndex)[4]) + " mL left", "up = prime 0.1 mL", "down = withdraw 0.1 mL",
      "select = loaded full"];
  } else if (s === SCREEN_SYRINGE) {
    lines = ["SYRINGE " + pumpName, "now " + packedEntry(SYRINGE_NAMES, ui.config.value(CFG_SYRINGE, ui.pumpIndex), "?"),
      packedEntry(SYRINGE_NAMES, ui.cursor, "?"),
      "select = use and store"];
    ui.hilite = 2;
  } else if (s === SCREEN_DARK) {
    lines = ["DARK CALIBRATION", "cover the reactor,", "select = measure"];
  } else if (s === SCREEN_POLICY) {
    lines = ["HOST LOSS POLICY", "now " + (ui.config.value(CFG_HOST_LOSS_POLICY, 0) === 0 ? "stop" : "continue"),
      ui.cursor === 0 ? "stop pumps" : "continue", "select = store"];
    ui.hilite = 2;
  } else {
    lines = ["ABOUT", "flowrig " + FLOWRIG_VERSION, "board " + FLOWRIG_BOARD_ID];
  }
  if (ui.note.length > 0) lines.push(ui.note);
  return lines;
}

/** A reply as the operator reads it: empty when it was accepted. */
export function refusal(reply: any[]): string {
  if (reply[0] !== MSG_ERROR) return "";
  const e = reply[1];
  if (e[0] === ERR_WRONG_STATE) return "refused: pumps busy";
  if (e[0] === ERR_BAD_ARGUMENT) return "refused: limit " + e[2];
  if (e[0] === ERR_NOT_FOUND) return "refused: nothing stored";
  return "refused: error " + e[0];
}
