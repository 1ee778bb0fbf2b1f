// I2C (src/jswrap_spi_i2c.c, targets/stm32/jshardware.c): I2C1..I2C3 and software `new I2C()`, with the bus
// time every transfer takes, delivering bytes to device models wired to the same SCL/SDA pins.
//
// Timing: each transfer is START + address byte + data bytes + STOP; a byte is 9 SCL clocks (8 bits + ACK),
// START and STOP one clock each, at `bitrate` (default 100 kHz). Hardware I2C on the STM32 busy-waits for each
// byte, so `writeTo`/`readFrom` block the calling JS for the whole transfer (timers and watches queue up).
// The device sees a write when its last byte has left (a power cut mid-transfer loses it).
// Errors as an STM32F4 raises them: no device ACKing the address → InternalError "Timeout on I2C Write Transmit
// Mode 2" (or "… Read Receive Mode") after the board's busy-wait timeout; a port never set up → Error "I2C device
// not responding". Pin capability (which pins can be I2C1 SCL/SDA) is not checked here: boards/validate.ts does.
import type { PinBus } from "../pins.ts";
import { toBytes } from "./bytes.ts";
import type { Runtime } from "./runtime.ts";

/** When and how fast a transfer happened on the wire. */
export interface I2cTiming {
  /** START condition. */
  startUs: number;
  /** STOP condition (or the end of the last byte when `stop` is false). */
  endUs: number;
  /** One SCL clock. Byte i (0-based, after the address byte) ends at startUs + (1 + 9 * (i + 2)) * bitUs. */
  bitUs: number;
  /** False for `{address, stop: false}` (a repeated START follows). */
  stop: boolean;
}

/** A device model on an I2C bus. */
export interface I2cDevice {
  /** 7-bit address it ACKs. */
  readonly address: number;
  /** A write transaction to this device: the bytes after the address byte. */
  write(bytes: Uint8Array, timing: I2cTiming): void;
  /** A read transaction: `count` bytes from the device (missing bytes read as 0xFF, the bus idle level). */
  read?(count: number, timing: I2cTiming): ArrayLike<number>;
}

/** The I2C wiring of one simulated board: devices by their SCL/SDA pins. Lives as long as the PinBus. */
export class I2cWires {
  private readonly devices: { scl: string; sda: string; device: I2cDevice }[] = [];

  /** Wire a device to the bus on these pins; returns a function that unplugs it. */
  attach(scl: string, sda: string, device: I2cDevice): () => void {
    const entry = { scl: stripPin(scl), sda: stripPin(sda), device };
    this.devices.push(entry);
    return () => { const i = this.devices.indexOf(entry); if (i >= 0) this.devices.splice(i, 1); };
  }

  /** The device that ACKs `address` on the bus with these pins (the first wired, if two share an address). */
  find(scl: string, sda: string, address: number): I2cDevice | undefined {
    return this.devices.find((d) => d.scl === scl && d.sda === sda && d.device.address === address)?.device;
  }
}

const wiresByBus = new WeakMap<PinBus, I2cWires>();

/** The I2C wiring that goes with a PinBus (created on first use). */
export function i2cWires(pins: PinBus): I2cWires {
  let w = wiresByBus.get(pins);
  if (w === undefined) { w = new I2cWires(); wiresByBus.set(pins, w); }
  return w;
}

/** "^!B6" → "B6" (profile modifiers are not part of the pin name). */
function stripPin(spec: string): string {
  return spec.replace(/^[!^]+/, "");
}

interface PortSetup { scl: string; sda: string; bitrate: number }

/** Longest single busy-wait step while a long transfer runs (keeps blockUntil's timeout for real hangs). */
const WAIT_STEP_US = 20_000;

export class I2cApi {
  private readonly ports = new Map<string, PortSetup>();

  constructor(private readonly rt: Runtime, private readonly pins: PinBus, private readonly pinName: (p: unknown) => string) {}

  /** I2C.setup({scl, sda, bitrate}): jsi2cPopulateI2CInfo rejects bitrates below 100. */
  setup(dev: string, opts: unknown): void {
    const o = opts !== null && typeof opts === "object" ? (opts as Record<string, unknown>) : {};
    const bitrate = o.bitrate === undefined ? 100_000 : Math.trunc(Number(o.bitrate)) || 0;
    if (bitrate < 100) throw this.rt.newError("Error", "Invalid I2C bitrate");
    if (o.scl === undefined || o.sda === undefined) {
      // Espruino would pick the port's default pins; the emulated boards have no pin tables, so insist on them.
      throw this.rt.newError("Error", "I2C setup: give both scl and sda pins (the emulator has no default I2C pins)");
    }
    this.ports.set(dev, { scl: this.pinName(o.scl), sda: this.pinName(o.sda), bitrate });
  }

  /** I2C.writeTo(address | {address, stop}, data...) */
  write(dev: string, addressArg: unknown, data: unknown[]): void {
    const { address, stop } = addressOf(addressArg);
    const bytes = Uint8Array.from(toBytes(data));
    if (bytes.length === 0) return; // jswrap_i2c_writeTo sends nothing for no data
    const port = this.port(dev);
    const device = i2cWires(this.pins).find(port.scl, port.sda, address & 0x7f);
    const timing = this.timing(port, bytes.length, stop);
    if (device === undefined) this.hang(timing, "I2C Write Transmit Mode 2");
    this.rt.atIrq(timing.endUs, () => device!.write(bytes, timing));
    this.busyUntil(timing.endUs, "I2C Write");
  }

  /** I2C.readFrom(address | {address, stop}, quantity) → bytes (the prelude wraps them in a Uint8Array). */
  read(dev: string, addressArg: unknown, quantity: unknown): number[] {
    const { address, stop } = addressOf(addressArg);
    const n = Math.trunc(Number(quantity)) || 0;
    if (n <= 0) return [];
    const port = this.port(dev);
    const device = i2cWires(this.pins).find(port.scl, port.sda, address & 0x7f);
    const timing = this.timing(port, n, stop);
    if (device === undefined) this.hang(timing, "I2C Read Receive Mode");
    this.busyUntil(timing.endUs, "I2C Read");
    const got = device!.read?.(n, timing) ?? [];
    return Array.from({ length: n }, (_, i) => (i < got.length ? got[i] & 0xff : 0xff));
  }

  private port(dev: string): PortSetup {
    const p = this.ports.get(dev);
    if (p === undefined) throw this.rt.newError("Error", "I2C device not responding");
    return p;
  }

  private timing(port: PortSetup, dataBytes: number, stop: boolean): I2cTiming {
    const bitUs = 1e6 / port.bitrate;
    const startUs = this.rt.clock.nowUs();
    return { startUs, endUs: startUs + (1 + 9 * (dataBytes + 1) + (stop ? 1 : 0)) * bitUs, bitUs, stop };
  }

  /** Nobody ACKs the address: the STM32 driver waits for an event that never comes, then times out. */
  private hang(timing: I2cTiming, reason: string): never {
    const ackUs = timing.startUs + 10 * timing.bitUs;
    this.rt.atIrq(ackUs, () => {});
    this.rt.blockUntil(() => false, reason);
    throw this.rt.newError("InternalError", `Timeout on ${reason}`);
  }

  private busyUntil(endUs: number, reason: string): void {
    const clock = this.rt.clock;
    while (clock.nowUs() < endUs) {
      const target = Math.min(endUs, clock.nowUs() + WAIT_STEP_US);
      this.rt.atIrq(target, () => {});
      this.rt.blockUntil(() => clock.nowUs() >= target, reason);
    }
  }
}

function addressOf(a: unknown): { address: number; stop: boolean } {
  if (a !== null && typeof a === "object") {
    const o = a as Record<string, unknown>;
    return { address: Math.trunc(Number(o.address)) || 0, stop: o.stop === undefined ? true : Boolean(o.stop) };
  }
  return { address: Math.trunc(Number(a)) || 0, stop: true };
}
