// USB, Serial1 and Loopback ports: the console device, firmware 'data' events, and the host end of the link.
import type { Runtime } from "./runtime.ts";
import { bytesToBinaryString, toBytes } from "./bytes.ts";

interface PortState {
  /** Bits per second after setup(); undefined = never set up. USB ignores it (CDC moves bytes at once). */
  baud: number | undefined;
  txBusyUntilUs: number;
  rxBusyUntilUs: number;
  /** Received bytes waiting for the idle loop, with their arrival times. */
  rx: { atUs: number; byte: number }[];
  deliveryPending: boolean;
}

export class SerialPorts {
  private readonly ports = new Map<string, PortState>();
  private readonly hostListeners: ((bytes: Uint8Array) => void)[] = [];
  /** Emits 'data' on the firmware's port object. */
  emitData: ((device: string, data: string) => void) | undefined;
  /** The REPL (repl.ts): bytes that reach the console device, output about to be printed, whether echo is on. */
  consoleInput: ((bytes: number[]) => void) | undefined;
  beforeConsoleOutput: (() => void) | undefined;
  consoleEcho: (() => boolean) | undefined;
  /** Power-on: console output waits in EV_LIMBO until the first setConsole (or 1 s), so moves are not announced. */
  limbo = true;

  constructor(private readonly rt: Runtime, readonly linkPort: string, private readonly txBufferBytes: number) {
    for (const name of ["USB", "Serial1", "LoopbackA", "LoopbackB"]) {
      this.ports.set(name, { baud: undefined, txBusyUntilUs: 0, rxBusyUntilUs: 0, rx: [], deliveryPending: false });
    }
    rt.onConsoleText = (device, text) => {
      if (device === rt.consoleDevice) this.beforeConsoleOutput?.();
      this.transmit(device, toBytes(text), false);
    };
  }

  /** Back to boot state (reload / power cut): console on USB, ports not set up, buffers empty. */
  reset(): void {
    for (const p of this.ports.values()) Object.assign(p, { baud: undefined, txBusyUntilUs: 0, rxBusyUntilUs: 0, rx: [], deliveryPending: false });
    this.rt.consoleDevice = "USB";
    this.limbo = true;
    this.rt.atIrq(this.rt.clock.nowUs() + 1e6, () => { this.limbo = false; }); // jsiOneSecondAfterStartup
  }

  setup(device: string, baud: unknown, _opts: unknown): void {
    const b = Number(baud);
    this.port(device).baud = Number.isFinite(b) && b > 0 ? b : 9600;
  }

  /** jsiSetConsoleDevice: with echo on (and out of limbo) the move is announced on both consoles. */
  setConsole(device: string): void {
    this.port(device);
    const old = this.rt.consoleDevice;
    const announce = !this.limbo && (this.consoleEcho?.() ?? true);
    this.limbo = false;
    if (device === old) return;
    if (announce) {
      this.beforeConsoleOutput?.();
      this.transmit(old, toBytes(`-> ${device}\r\n`), false);
    }
    this.rt.consoleDevice = device;
    if (announce) this.transmit(device, toBytes(`<- ${old}\r\n`), false);
  }

  /** REPL output (echo, `=result`, prompt) to the console device. */
  consoleWrite(text: string): void {
    this.transmit(this.rt.consoleDevice, toBytes(text), false);
  }

  /** Firmware `.write(data)`: any Espruino data shape, byte-exact. */
  write(device: string, data: unknown): void {
    this.transmit(device, toBytes(data), true);
  }

  onHostData(fn: (bytes: Uint8Array) => void): void {
    this.hostListeners.push(fn);
  }

  /**
   * Host → firmware. USB bytes all arrive now; on Serial1 they arrive one every 10 bits at the baud rate (dropped
   * if Serial1 was never set up). The idle loop then delivers everything arrived so far as one binary string,
   * unless the port is the console: then the REPL handles them.
   */
  hostWrite(bytes: Uint8Array): void {
    const p = this.port(this.linkPort);
    const now = this.rt.clock.nowUs();
    if (this.linkPort !== "USB" && p.baud === undefined) return;
    const byteUs = this.linkPort === "USB" || p.baud === undefined ? 0 : 1e7 / p.baud;
    let t = Math.max(now, p.rxBusyUntilUs);
    for (const byte of bytes) {
      t += byteUs;
      p.rx.push({ atUs: t, byte });
    }
    p.rxBusyUntilUs = t;
    this.scheduleDelivery(p);
  }

  private scheduleDelivery(p: PortState): void {
    if (p.deliveryPending || p.rx.length === 0) return;
    p.deliveryPending = true;
    this.rt.atIdle(p.rx[0].atUs, () => {
      p.deliveryPending = false;
      const now = this.rt.clock.nowUs();
      let n = 0;
      while (n < p.rx.length && p.rx[n].atUs <= now) n++;
      const chunk = p.rx.splice(0, n).map((r) => r.byte);
      this.scheduleDelivery(p);
      if (chunk.length === 0) return;
      if (this.rt.consoleDevice === this.linkPort) this.consoleInput?.(chunk);
      else this.emitData?.(this.linkPort, bytesToBinaryString(chunk));
    });
  }

  /**
   * Firmware → wire. Only the link port reaches the host. USB: at once. Serial1: at 10 bits per byte after what is
   * already queued; the bytes reach the host when the last one has left. If the TX buffer overflows, the
   * calling JS blocks until there is room (as jshTransmit does). Bytes still queued at a power cut are lost.
   */
  private transmit(device: string, bytes: number[], mayBlock: boolean): void {
    if (bytes.length === 0 || device !== this.linkPort) return;
    const p = this.port(device);
    const payload = Uint8Array.from(bytes);
    const now = this.rt.clock.nowUs();
    if (device === "USB") {
      this.rt.atIrq(now, () => this.toHost(payload));
      return;
    }
    if (p.baud === undefined) return;
    const byteUs = 1e7 / p.baud;
    const queuedBefore = Math.max(0, Math.ceil((p.txBusyUntilUs - now) / byteUs - 1e-9));
    p.txBusyUntilUs = Math.max(now, p.txBusyUntilUs) + bytes.length * byteUs;
    this.rt.atIrq(p.txBusyUntilUs, () => this.toHost(payload));
    const overflow = queuedBefore + bytes.length - this.txBufferBytes;
    if (mayBlock && overflow > 0) {
      const resumeUs = now + overflow * byteUs;
      this.rt.atIrq(resumeUs, () => {});
      this.rt.blockUntil(() => this.rt.clock.nowUs() >= resumeUs, "Serial TX");
    }
  }

  private toHost(bytes: Uint8Array): void {
    for (const fn of this.hostListeners) fn(bytes.slice());
  }

  private port(device: string): PortState {
    const p = this.ports.get(device);
    if (p === undefined) throw this.rt.newError("Error", `Unknown device ${device}`);
    return p;
  }
}
