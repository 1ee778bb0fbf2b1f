// The menu's pages: what opening one sets up, and what up, down and select do there, through the protocol's commands.
import {
  CFG_CAPACITY_UL, CFG_DARK_UFS, CFG_HOST_LOSS_POLICY, CFG_MAX_RATE_UL_PER_H, CFG_SYRINGE, MSG_DARK_CALIBRATE, MSG_MOVE,
  MSG_SET_FLOW, MSG_SET_VOLUME, MSG_START,
  STATE_MANUAL,
} from "../../protocol/generated.ts";
import { PROGRAM_SLOTS } from "../../protocol/limits.ts";
import { SYRINGE_COUNT } from "../../protocol/syringes.ts";
import type { Ui } from "./menu.ts";
import { KEY_SELECT, KEY_UP } from "./panel.ts";
import {
  MENU_PUMPS, MENU_SCREENS, SCREEN_DARK, SCREEN_MANUAL, SCREEN_POLICY, SCREEN_PRIME, SCREEN_PROGRAMS, SCREEN_SYRINGE,
  SCREEN_HOME,
} from "./screens.ts";
import { idiv } from "../int.ts";

/** Prime and withdraw move this much (nL) per press. */
const PRIME_NL = 100000;

export function enterPage(ui: Ui, item: number): void {
  const screen = MENU_SCREENS[item];
  const p = MENU_PUMPS[item];
  ui.pumpIndex = p;
  let cursor = 0;
  if (screen === SCREEN_PROGRAMS) {
    ui.names = [];
    for (let slot = 0; slot < PROGRAM_SLOTS; slot++) ui.names.push(ui.programs.info(slot)[1]);
  } else if (screen === SCREEN_MANUAL) {
    const manual = ui.controller.state === STATE_MANUAL;
    ui.rates = [manual ? ui.pump(0)[2] : 0, manual ? ui.pump(1)[2] : 0];
  } else if (screen === SCREEN_SYRINGE) {
    cursor = ui.config.value(CFG_SYRINGE, p);
    if (cursor === 0) cursor = 1;
  } else if (screen === SCREEN_POLICY) {
    cursor = ui.config.value(CFG_HOST_LOSS_POLICY, 0);
  }
  ui.open(screen, cursor);
}

/** Keys on a menu page (back is handled before). */
export function pageKey(ui: Ui, k: number, repeat: number): void {
  const s = ui.screen;
  const up = k === KEY_UP;
  const p = ui.pumpIndex;
  if (s === SCREEN_PROGRAMS) {
    if (k === KEY_SELECT) {
      if (ui.apply(ui.command(MSG_START, [ui.cursor]), "")) ui.open(SCREEN_HOME, 0);
    } else ui.cursor = (ui.cursor + (up ? PROGRAM_SLOTS - 1 : 1)) % PROGRAM_SLOTS;
  } else if (s === SCREEN_MANUAL) {
    if (k === KEY_SELECT) {
      if (ui.cursor === 0) ui.cursor = 1;
      else if (ui.apply(ui.command(MSG_SET_FLOW, [ui.rates[0], ui.rates[1]]), "flow set")) ui.cursor = 0;
      return;
    }
    // The step grows tenfold for each second held: 0.01, 0.1, 1, 10 mL/h.
    const step = 10 * Math.pow(10, Math.min(3, idiv(repeat, 5)));
    const max = ui.config.value(CFG_MAX_RATE_UL_PER_H, ui.cursor);
    const r = ui.rates[ui.cursor] + (up ? step : -step);
    ui.rates[ui.cursor] = r > max ? max : r < -max ? -max : r;
  } else if (s === SCREEN_PRIME) {
    if (repeat !== 0) return;
    if (k === KEY_SELECT) {
      // A freshly loaded syringe: the board is told it is full (as the host's setVolume does).
      ui.apply(ui.command(MSG_SET_VOLUME, [p, ui.config.value(CFG_CAPACITY_UL, p) * 1000]), "loaded full");
      return;
    }
    ui.apply(ui.command(MSG_MOVE, [p, up ? PRIME_NL : -PRIME_NL, ui.config.value(CFG_MAX_RATE_UL_PER_H, p)]), up ? "priming" : "withdrawing");
  } else if (s === SCREEN_SYRINGE) {
    const n = SYRINGE_COUNT - 1; // 1..n: the library; custom sizes are set from the host
    if (k === KEY_SELECT) ui.store(CFG_SYRINGE, p, ui.cursor);
    else ui.cursor = ((ui.cursor - 1 + (up ? n - 1 : 1)) % n) + 1;
  } else if (s === SCREEN_DARK) {
    if (k !== KEY_SELECT) return;
    ui.darkBefore = ui.config.value(CFG_DARK_UFS, 0);
    ui.darkPending = ui.apply(ui.command(MSG_DARK_CALIBRATE, []), "measuring");
  } else if (s === SCREEN_POLICY) {
    if (k === KEY_SELECT) ui.store(CFG_HOST_LOSS_POLICY, 0, ui.cursor);
    else ui.cursor = 1 - ui.cursor;
  }
}
