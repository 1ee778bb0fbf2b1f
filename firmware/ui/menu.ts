// The benchtop UI: its state, the keys that work everywhere (e-stop, faults, stop, menu), and the redraw when the screen changed.
import {
  CAUSE_BUTTON_ESTOP, CFG_DARK_UFS, FAULT_ESTOP, MSG_CLEAR_FAULT, MSG_CONFIG_SAVE, MSG_CONFIG_SET, MSG_GET_PUMP, MSG_PAUSE,
  MSG_RESUME, MSG_STOP, STATE_FAULT, STATE_PAUSED, STATE_RUNNING,
} from "../../protocol/generated.ts";
import type { Config } from "../config.ts";
import type { Controller } from "../controller.ts";
import type { ProgramStore } from "../program-store.ts";
import { draw, type Screen, type Trend } from "./draw.ts";
import { enterPage, pageKey } from "./pages.ts";
import { KEY_BACK, KEY_ESTOP, KEY_LONG_BACK, KEY_SELECT, KEY_UP } from "./panel.ts";
import { compose, isMoving, MENU_ITEMS, refusal, SCREEN_HOME, SCREEN_MENU } from "./screens.ts";

export interface UiOptions {
  controller: Controller;
  config: Config;
  programs: ProgramStore;
  /** The protocol dispatch: every change the operator makes is the host's command. */
  command: (id: number, args: any[]) => any[];
  /** ms since the host's last valid frame; -1 while no host has opened a session. */
  hostSilentMs: () => number;
  lastPl: () => number;
  nowMs: () => number;
}

export class Ui {
  controller: Controller;
  config: Config;
  programs: ProgramStore;
  command: (id: number, args: any[]) => any[];
  hostSilentMs: () => number;
  lastPl: () => number;
  nowMs: () => number;
  screen: number;
  /** The menu row, program slot, manual field (0 A, 1 B), library syringe or policy being chosen. */
  cursor: number;
  pumpIndex: number;
  /** Manual flow being set, µL/h. */
  rates: number[];
  names: string[];
  note: string;
  confirm: boolean;
  hilite: number;
  showTrend: boolean;
  trend: Trend;
  ticks: number;
  darkBefore: number;
  darkPending: boolean;
  g: Screen | undefined;
  /** Signature of what the display shows: redrawn only when it changes. */
  shown: string;

  constructor(o: UiOptions) {
    this.controller = o.controller;
    this.config = o.config;
    this.programs = o.programs;
    this.command = o.command;
    this.hostSilentMs = o.hostSilentMs;
    this.lastPl = o.lastPl;
    this.nowMs = o.nowMs;
    this.screen = SCREEN_HOME;
    this.cursor = 0;
    this.pumpIndex = 0;
    this.rates = [0, 0];
    this.names = [];
    this.note = "";
    this.confirm = false;
    this.hilite = -1;
    this.showTrend = false;
    this.trend = { values: new Float32Array(40), count: 0 };
    this.ticks = 0;
    this.darkBefore = 0;
    this.darkPending = false;
    this.g = undefined;
    this.shown = "";
  }

  /** getPump's fields: [pump, flags, rate, position, leftNl, deliveredNl, syringe, stepPl]. */
  pump(p: number): any[] {
    return this.command(MSG_GET_PUMP, [p])[1];
  }

  /** Applies a reply: a refusal is shown; true when accepted. */
  apply(reply: any[], done: string): boolean {
    const why = refusal(reply);
    this.note = why.length > 0 ? why : done;
    return why.length === 0;
  }

  /** configSet then configSave, as a host stores a change. */
  store(key: number, index: number, value: number): void {
    if (this.apply(this.command(MSG_CONFIG_SET, [key, index, value]), "")) this.apply(this.command(MSG_CONFIG_SAVE, []), "stored");
  }

  key(k: number, repeat: number): void {
    const c = this.controller;
    if (k === KEY_ESTOP) {
      c.fault(FAULT_ESTOP, CAUSE_BUTTON_ESTOP); // never asks: pumps stop here, in the key's callback
      this.confirm = false;
      return;
    }
    if (c.state === STATE_FAULT) {
      if (k === KEY_SELECT) this.command(MSG_CLEAR_FAULT, []);
      return;
    }
    if (this.confirm) {
      if (k === KEY_SELECT) this.command(MSG_STOP, []);
      if (k === KEY_SELECT || k === KEY_BACK) this.confirm = false;
      return;
    }
    if (k === KEY_LONG_BACK) {
      if (isMoving(c.state)) this.confirm = true;
      else this.screen = SCREEN_HOME;
      return;
    }
    if (this.screen === SCREEN_HOME) {
      if (k !== KEY_SELECT) return;
      if (c.state === STATE_RUNNING) this.command(MSG_PAUSE, []);
      else if (c.state === STATE_PAUSED) this.command(MSG_RESUME, []);
      else this.open(SCREEN_MENU, 0);
      return;
    }
    if (k === KEY_BACK) {
      this.open(this.screen === SCREEN_MENU ? SCREEN_HOME : SCREEN_MENU, 0);
      return;
    }
    if (this.screen === SCREEN_MENU) {
      if (k === KEY_SELECT) enterPage(this, this.cursor);
      else this.cursor = (this.cursor + (k === KEY_UP ? MENU_ITEMS - 1 : 1)) % MENU_ITEMS;
      return;
    }
    pageKey(this, k, repeat);
  }

  open(screen: number, cursor: number): void {
    this.screen = screen;
    this.cursor = cursor;
    this.note = "";
  }

  /** The steady redraw (a few Hz): trend samples, then the screen, only if what it shows changed. */
  refresh(): void {
    const c = this.controller;
    this.ticks++;
    if (this.confirm && !isMoving(c.state)) this.confirm = false;
    if (this.darkPending && this.config.value(CFG_DARK_UFS, 0) !== this.darkBefore) {
      this.darkPending = false;
      this.apply(this.command(MSG_CONFIG_SAVE, []), "dark offset stored");
    }
    if (this.ticks % 4 === 0 && isMoving(c.state)) {
      const t = this.trend;
      t.values[t.count % t.values.length] = this.lastPl();
      t.count++;
    }
    const g = this.g;
    if (g === undefined) return;
    const lines = compose(this);
    const signature = lines.join("\n") + "|" + this.hilite + "|" + (this.showTrend ? this.trend.count : -1);
    if (signature === this.shown) return;
    this.shown = signature;
    try {
      draw(g, lines, this.hilite, this.showTrend ? this.trend : undefined);
    } catch (e) {
      this.g = undefined; // the display stopped answering on I2C: the buttons carry on without it
    }
  }
}
