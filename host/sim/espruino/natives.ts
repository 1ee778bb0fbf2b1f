// The table of host functions the prelude calls (`N.*`): each guards against a cut power supply first.
import type { Board } from "./index.ts";
import { crc32 } from "../../../protocol/crc32.ts";
import { atob, btoa, bytesToBinaryString, toBytes } from "./bytes.ts";
import { GraphicsApi } from "./graphics.ts";
import { I2cApi } from "./i2c.ts";
import { IDE_MODULES } from "./modules.ts";

export function buildNatives(b: Board, hasStepper: boolean): Record<string, unknown> {
  const rt = b.rt;
  const has6x8 = b.options.hasFont6x8 === true;
  const gfx = new GraphicsApi(rt, has6x8, () => b.exports!.newObject());
  const i2c = new I2cApi(rt, b.options.pins, (p) => b.gpio.pinName(p));
  const ideModules = b.options.ideModules ?? Object.keys(IDE_MODULES);
  const table: Record<string, (...args: never[]) => unknown> = {
    nowUs: () => Math.round(rt.clock.nowUs() + b.timeOffsetUs),
    setTime: (s: unknown) => { b.timeOffsetUs = Number(s) * 1e6 - rt.clock.nowUs(); },
    random: () => b.random(),
    print: (text: string) => rt.print(text),
    btoa: (s: string) => btoa(s),
    atob: (s: string) => atob(s),
    timerSet: (fn: unknown, ms: unknown, args: unknown[], repeat: boolean) => b.timers.set(fn, ms, args, repeat),
    timerClear: (id: unknown) => b.timers.clear(id),
    timerChange: (id: unknown, ms: unknown) => b.timers.change(id, ms),
    digitalWrite: (pin: unknown, v: unknown) => b.gpio.digitalWrite(pin, v),
    digitalRead: (pin: unknown) => b.gpio.digitalRead(pin),
    pinMode: (pin: unknown, mode: unknown) => b.gpio.pinMode(pin, mode),
    getPinMode: (pin: unknown) => b.gpio.getPinMode(pin),
    digitalPulse: (pin: unknown, v: unknown, t: unknown) => b.gpio.digitalPulse(pin, v, t),
    analogRead: (pin: unknown) => b.gpio.analogRead(pin),
    analogWrite: (pin: unknown, v: unknown, o: unknown) => b.gpio.analogWrite(pin, v, o),
    setWatch: (cb: (s: boolean, t: number, l: number | undefined) => void, pin: unknown, o: unknown, user: unknown) =>
      b.watches.set(cb, b.gpio.pinName(pin), o, user),
    clearWatch: (id: unknown) => b.watches.clear(id),
    serialSetup: (dev: string, baud: unknown, o: unknown) => b.serial.setup(dev, baud, o),
    serialWrite: (dev: string, data: unknown) => b.serial.write(dev, data),
    setConsole: (dev: string) => b.serial.setConsole(dev),
    stRead: (name: unknown, offset: number, length: number) => b.flash.read(String(name), offset, length),
    stWrite: (name: unknown, data: unknown, offset: number, size: number) => b.flash.write(String(name), data, offset, size),
    stErase: (name: unknown) => { b.flash.erase(String(name)); },
    stList: (sf: boolean | undefined) => b.flash.list(sf),
    stFree: () => b.flash.freeBytes(),
    stOpen: (f: Record<string, unknown>, name: unknown, mode: unknown) => b.files.open(f, name, mode),
    sfRead: (f: Record<string, unknown>, len: number) => b.files.read(f, len),
    sfWrite: (f: Record<string, unknown>, data: unknown) => b.files.write(f, data),
    sfErase: (f: Record<string, unknown>) => b.files.erase(f),
    sfGetLength: (f: Record<string, unknown>) => b.files.getLength(f),
    sizeOf: (v: unknown) => b.memory.estimate([v]),
    memory: () => b.memoryReport(),
    enableWatchdog: (timeout: unknown, isAuto: boolean) => b.enableWatchdog(Number(timeout), isAuto),
    kick: () => b.kickWatchdog(),
    crc32: (data: unknown) => crc32(toBytes(data)),
    toBytes: (args: unknown[]) => toBytes(args),
    bytesToString: (bytes: number[]) => bytesToBinaryString(bytes),
    errorFlags: () => [],
    reboot: () => b.scheduleReboot(),
    gfxCheck: (w: unknown, h: unknown, bpp: unknown, o: unknown) => gfx.check(w, h, bpp, o),
    gfxInit: (self: object, w: unknown, h: unknown, bpp: unknown, o: unknown, buf: ArrayBuffer) => gfx.init(self, w, h, bpp, o, buf),
    gfx: (self: Record<string, unknown>, method: string, args: unknown[]) => gfx.call(self, method, args),
    i2cSetup: (dev: string, o: unknown) => i2c.setup(dev, o),
    i2cWrite: (dev: string, addr: unknown, data: unknown[]) => i2c.write(dev, addr, data),
    i2cRead: (dev: string, addr: unknown, n: unknown) => i2c.read(dev, addr, n),
    // The IDE sends modules with an upload; a board that booted from Storage has had no IDE in front of it.
    ideModule: (name: string) => (!b.bootedFromStorage && ideModules.includes(name) ? IDE_MODULES[name] : undefined),
  };
  if (hasStepper) {
    Object.assign(table, {
      stepperInit: (self: Record<string, unknown>, o: unknown) => b.stepper.init(self, o),
      stepperMoveTo: (self: Record<string, unknown>, p: unknown, o: unknown) => b.stepper.moveTo(self, p, o),
      stepperStop: (self: Record<string, unknown>, o: unknown) => b.stepper.stop(self, o),
    });
  }
  const natives: Record<string, unknown> = { hasStepper, has6x8 };
  for (const [name, fn] of Object.entries(table)) {
    natives[name] = (...args: never[]) => {
      rt.checkAlive();
      return fn(...args);
    };
  }
  return natives;
}
