// Push buttons on the board's input pins, with contact bounce, in virtual time.
//
// Wiring as boards/*.json writes it: "^!A0" = internal pull-up ("^") and active low ("!"): the button shorts the pin
// to GND, so the pin idles high and reads low while pressed. Without "!" the button is active high (idle low, e.g.
// to 3V3 with a pull-down). Whether the firmware really enabled the pull-up (pinMode "input_pullup") is not
// modelled: the pin idles at its inactive level either way.
// Bounce: every make and break is a burst of transitions over 2–5 ms (seeded), ending at the new level — so
// firmware without debouncing sees several edges per press, and setWatch's `debounce` option is exercised.
import type { Level, PinBus } from "../pins.ts";
import { makeRng } from "../espruino/runtime.ts";

export interface BounceOptions {
  /** Duration of a bounce burst, drawn uniformly between these (ms). Default 2..5. */
  minMs: number;
  maxMs: number;
  /** Extra back-and-forth pairs of transitions per burst, drawn uniformly between these. Default 2..5. */
  minPairs: number;
  maxPairs: number;
}

export interface ButtonsOptions {
  pins: PinBus;
  /** Button name → pin spec, e.g. a profile's `buttons: {up: "^!A0", …}`. */
  buttons: Record<string, string>;
  seed?: number;
  /** Bounce settings, or false for clean edges. */
  bounce?: Partial<BounceOptions> | false;
}

interface Button { pin: string; activeLow: boolean; pressed: boolean; timers: { cancel(): void }[] }

export interface ButtonEvent { name: string; pressed: boolean; timeUs: number; settledUs: number }

export class Buttons {
  private readonly buttons = new Map<string, Button>();
  private readonly rng: () => number;
  private readonly bounce: BounceOptions | undefined;
  /** Every press and release with when it started and when the contact settled. */
  readonly log: ButtonEvent[] = [];

  constructor(private readonly o: ButtonsOptions) {
    this.rng = makeRng((o.seed ?? 1) ^ 0x2545f491);
    this.bounce = o.bounce === false ? undefined : { minMs: 2, maxMs: 5, minPairs: 2, maxPairs: 5, ...o.bounce };
    for (const [name, spec] of Object.entries(o.buttons)) {
      const mods = /^[!^]*/.exec(spec)![0];
      const b: Button = { pin: spec.slice(mods.length), activeLow: mods.includes("!"), pressed: false, timers: [] };
      this.buttons.set(name, b);
      o.pins.driveInput(b.pin, this.level(b, false));
    }
  }

  get names(): string[] {
    return [...this.buttons.keys()];
  }

  pin(name: string): string {
    return this.get(name).pin;
  }

  isPressed(name: string): boolean {
    return this.get(name).pressed;
  }

  /** Press now and release after `holdMs` (default 100 ms). Returns when each contact change starts, in µs. */
  press(name: string, holdMs = 100): { pressUs: number; releaseUs: number } {
    const pressUs = this.o.pins.clock.nowUs();
    this.hold(name);
    const releaseUs = pressUs + holdMs * 1000;
    const b = this.get(name);
    b.timers.push(this.o.pins.clock.at(releaseUs, () => this.release(name)));
    return { pressUs, releaseUs };
  }

  /** Press now and keep it pressed. */
  hold(name: string): void {
    this.change(name, true);
  }

  /** Let go now. */
  release(name: string): void {
    this.change(name, false);
  }

  private change(name: string, pressed: boolean): void {
    const b = this.get(name);
    for (const t of b.timers) t.cancel();
    b.timers = [];
    if (b.pressed === pressed) return;
    b.pressed = pressed;
    const clock = this.o.pins.clock;
    const now = clock.nowUs();
    const target = this.level(b, pressed);
    const other = (1 - target) as Level;
    const drive = (level: Level) => this.o.pins.driveInput(b.pin, level);
    drive(target);
    let settledUs = now;
    const bo = this.bounce;
    if (bo !== undefined) {
      const span = (bo.minMs + this.rng() * (bo.maxMs - bo.minMs)) * 1000;
      const pairs = bo.minPairs + Math.floor(this.rng() * (bo.maxPairs - bo.minPairs + 1));
      const times = Array.from({ length: 2 * pairs }, () => now + this.rng() * span).sort((a, c) => a - c);
      times[times.length - 1] = now + span;
      times.forEach((t, k) => b.timers.push(clock.at(t, () => drive(k % 2 === 0 ? other : target))));
      settledUs = now + span;
    }
    this.log.push({ name, pressed, timeUs: now, settledUs });
  }

  private level(b: Button, pressed: boolean): Level {
    return (pressed !== b.activeLow ? 1 : 0) as Level;
  }

  private get(name: string): Button {
    const b = this.buttons.get(name);
    if (b === undefined) throw new RangeError(`no button "${name}" (have ${this.names.join(", ")})`);
    return b;
  }
}
