// setWatch/clearWatch (jswrap_io.c, jsinteractive.c): edge callbacks with the edge's own time and optional debounce.
import type { Timer } from "../scheduler.ts";
import type { Level, PinBus } from "../pins.ts";
import type { Runtime } from "./runtime.ts";

type WatchCallback = (state: boolean, time: number, lastTime: number | undefined) => void;

interface Watch {
  pin: string;
  cb: WatchCallback;
  user: unknown;
  repeat: boolean;
  /** 1 rising, -1 falling, 0 both. */
  edge: number;
  debounceUs: number;
  state: boolean;
  lastTime: number | undefined;
  /** Pending debounce timeout: fires at `dueUs` with the state the pin settled in. */
  timeout: { dueUs: number; state: boolean; handle: Timer } | undefined;
}

export class Watches {
  private readonly watches = new Map<number, Watch>();
  private readonly hooked = new Set<string>();
  private nextId = 1;

  constructor(private readonly rt: Runtime, private readonly bus: PinBus) {}

  /** `user`: the program's own callback (cb is the prelude's wrapper around it): what the board's memory holds. */
  set(cb: WatchCallback, pin: string, opts: unknown, user?: unknown): number {
    let repeat = false;
    let debounceMs = 0;
    let edge = 0;
    if (opts !== null && typeof opts === "object") {
      const o = opts as { repeat?: unknown; debounce?: unknown; edge?: unknown };
      repeat = Boolean(o.repeat);
      debounceMs = Number(o.debounce ?? 0);
      if (!(debounceMs > 0)) debounceMs = 0;
      if (typeof o.edge === "number") edge = Math.sign(o.edge);
      else if (o.edge === "rising") edge = 1;
      else if (o.edge === "falling") edge = -1;
      else if (o.edge !== undefined && o.edge !== "both") {
        throw this.rt.newError("TypeError", "'edge' in setWatch should be 1, -1, 0, 'rising', 'falling' or 'both'");
      }
    } else repeat = Boolean(opts);
    const id = this.nextId++;
    const state = this.bus.level(pin) === 1;
    this.watches.set(id, { pin, cb, user: user ?? cb, repeat, edge, debounceUs: debounceMs * 1000, state, lastTime: undefined, timeout: undefined });
    this.hook(pin);
    return id;
  }

  /** clearWatch(id); with no argument every watch goes. */
  clear(id: unknown): void {
    const ids = id === undefined ? [...this.watches.keys()] : [Number(id)];
    for (const i of ids) {
      const w = this.watches.get(i);
      if (w === undefined) throw this.rt.newError("Error", `Unknown Watch ${String(id)}`);
      w.timeout?.handle.cancel();
      this.watches.delete(i);
    }
  }

  clearAll(): void {
    for (const w of this.watches.values()) w.timeout?.handle.cancel();
    this.watches.clear();
  }

  roots(): unknown[] {
    return [...this.watches.values()].map((w) => w.user);
  }

  count(): number {
    return this.watches.size;
  }

  /** One PinBus listener per pin for the emulator's lifetime; it routes to whatever watches exist now. */
  private hook(pin: string): void {
    if (this.hooked.has(pin)) return;
    this.hooked.add(pin);
    this.bus.onInput(pin, (level, timeUs) => this.onEdge(pin, level, timeUs));
  }

  private onEdge(pin: string, level: Level, edgeUs: number): void {
    if (this.rt.dead) return;
    const high = level === 1;
    for (const [id, w] of this.watches) {
      if (w.pin !== pin) continue;
      if (w.debounceUs <= 0) {
        w.state = high;
        this.fire(id, w, high, edgeUs);
      } else if (w.timeout !== undefined) {
        const t = w.timeout;
        if (edgeUs > t.dueUs && high !== w.state) {
          // The debounce timeout was due but the idle loop had not run it yet: fire with the old time.
          t.handle.cancel();
          w.timeout = undefined;
          w.state = high;
          this.fire(id, w, high, t.dueUs - w.debounceUs);
        } else {
          t.handle.cancel();
          this.arm(id, w, edgeUs, high);
        }
      } else if (high !== w.state) {
        this.arm(id, w, edgeUs, high);
      }
    }
  }

  private arm(id: number, w: Watch, edgeUs: number, state: boolean): void {
    const dueUs = edgeUs + w.debounceUs;
    const handle = this.rt.atIdle(dueUs, () => {
      if (this.watches.get(id) !== w || w.timeout?.handle !== handle) return;
      w.timeout = undefined;
      const changed = w.state !== state;
      w.state = state;
      if (changed) this.runCallback(id, w, state, (dueUs - w.debounceUs) / 1e6);
    });
    w.timeout = { dueUs, state, handle };
  }

  /** Deliver an un-debounced edge through the idle loop, stamped with the edge time. */
  private fire(id: number, w: Watch, state: boolean, edgeUs: number): void {
    this.rt.atIdle(edgeUs, () => { if (this.watches.get(id) === w) this.runCallback(id, w, state, edgeUs / 1e6); });
  }

  private runCallback(id: number, w: Watch, state: boolean, time: number): void {
    const lastTime = w.lastTime;
    w.lastTime = time;
    if (!(w.edge === 0 || (state && w.edge > 0) || (!state && w.edge < 0))) return;
    if (!w.repeat) this.watches.delete(id);
    w.cb(state, time, lastTime);
  }
}
