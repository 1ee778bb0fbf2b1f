// Front-panel buttons: debounced presses become keys; up/down repeat on hold, long back, and the back+select e-stop chord.
import type { DigitalInput, Timers } from "../hal.ts";

export const KEY_UP = 0;
export const KEY_DOWN = 1;
export const KEY_SELECT = 2;
export const KEY_BACK = 3;
export const KEY_LONG_BACK = 4;
export const KEY_ESTOP = 5;

const DEBOUNCE_MS = 20;
const REPEAT_DELAY_MS = 400;
const REPEAT_MS = 200;
const LONG_PRESS_MS = 1000;

export interface PanelOptions {
  /** up, down, select, back, in that order. */
  inputs: DigitalInput[];
  /** Hold repeats and long presses. */
  timers: Timers;
  /** A key; `repeat` counts the repeats of a held up/down (0 for the press itself). */
  onKey: (key: number, repeat: number) => void;
}

/** One handler for the four buttons (the key is the watch's tag), made where only the panel is in scope. */
function edgeHandler(p: Panel): (key: number, active: boolean) => void {
  return function (key: number, active: boolean) { p.edge(key, active); };
}

/**
 * Up and down act on press and repeat while held; select and back act on release, so pressing both
 * (the e-stop chord, acted on at once) never also selects or leaves. A long back acts while held.
 */
export class Panel {
  pressed: boolean[];
  onKey: (key: number, repeat: number) => void;
  timers: Timers;
  timer: any;
  repeats: number;
  /** After the chord or a long press: releases give no key until every button is up. */
  swallow: boolean;

  constructor(options: PanelOptions) {
    this.pressed = [false, false, false, false];
    this.onKey = options.onKey;
    this.timers = options.timers;
    this.timer = undefined;
    this.repeats = 0;
    this.swallow = false;
    const onEdge = edgeHandler(this);
    for (let i = 0; i < 4; i++) options.inputs[i].watch(onEdge, i, DEBOUNCE_MS);
  }

  edge(key: number, active: boolean): void {
    if (active === this.pressed[key]) return;
    this.pressed[key] = active;
    this.stopTimer();
    if (active) {
      if (this.pressed[KEY_SELECT] && this.pressed[KEY_BACK]) {
        this.swallow = true;
        this.onKey(KEY_ESTOP, 0);
        return;
      }
      if (this.swallow) return;
      if (key === KEY_UP || key === KEY_DOWN) {
        this.repeats = 0;
        this.onKey(key, 0);
        this.later(key, REPEAT_DELAY_MS);
      } else if (key === KEY_BACK) {
        this.later(KEY_LONG_BACK, LONG_PRESS_MS);
      }
      return;
    }
    if (!this.swallow && (key === KEY_SELECT || key === KEY_BACK)) this.onKey(key, 0);
    if (!this.pressed[0] && !this.pressed[1] && !this.pressed[2] && !this.pressed[3]) this.swallow = false;
  }

  later(key: number, ms: number): void {
    const self = this;
    this.timer = this.timers.after(function () { self.timer = undefined; self.fire(key); }, ms);
  }

  fire(key: number): void {
    if (key === KEY_LONG_BACK) {
      this.swallow = true;
      this.onKey(KEY_LONG_BACK, 0);
      return;
    }
    this.repeats++;
    this.onKey(key, this.repeats);
    this.later(key, REPEAT_MS);
  }

  stopTimer(): void {
    if (this.timer !== undefined) this.timers.cancel(this.timer);
    this.timer = undefined;
  }
}
