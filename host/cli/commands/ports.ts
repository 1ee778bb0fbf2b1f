// `flowrig ports`: serial ports that may be a flowrig board, with Espruino/ESP32 hints from the USB vendor id.
import { Command } from "commander";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { colours, printJson, table } from "../format.ts";

export interface PortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  /** Stable /dev/serial/by-id name, when there is one. */
  byId?: string;
  hint?: string;
}

/** What a USB vendor id suggests is on the other end. */
const VENDOR_HINTS: Record<string, string> = {
  "0483": "STM32 virtual COM port: an Espruino board (Pico, Original, WiFi): --board espruino-pico|espruino-original|espruino-wifi",
  "10c4": "Silicon Labs CP210x USB-UART bridge: often an ESP32 board: --board espruino-esp32",
  "1a86": "WCH CH340 USB-UART bridge: often an ESP32 board: --board espruino-esp32",
  "0403": "FTDI USB-UART bridge: an ESP32 or a board on a UART link: --board espruino-esp32",
};

export function hintFor(vendorId: string | undefined): string | undefined {
  return vendorId === undefined ? undefined : VENDOR_HINTS[vendorId.toLowerCase().replace(/^0x/, "").padStart(4, "0")];
}

const readText = (path: string) => { try { return readFileSync(path, "utf8").trim(); } catch { return undefined; } };

/** The USB device directory above a tty in sysfs (the first ancestor with an idVendor file), if any. */
function usbDeviceDir(sysRoot: string, name: string): string | undefined {
  let dir: string;
  try { dir = realpathSync(join(sysRoot, "class/tty", name, "device")); } catch { return undefined; }
  const top = realpathSync(sysRoot);
  for (let up = 0; up < 6 && dir.startsWith(top) && dir !== top; up++, dir = dirname(dir)) {
    if (existsSync(join(dir, "idVendor"))) return dir;
  }
  return undefined;
}

/**
 * Without udevadm: /dev/ttyACM* and /dev/ttyUSB*, what sysfs tells about each (vendor, product,
 * serial number), and the /dev/serial/by-id names. Roots are parameters so tests can fake them.
 */
export function scanDevices(roots: { dev?: string; sys?: string } = {}): PortInfo[] {
  const dev = roots.dev ?? "/dev";
  const sys = roots.sys ?? "/sys";
  let names: string[] = [];
  try { names = readdirSync(dev).filter((n) => /^tty(ACM|USB)\d+$/.test(n)); } catch { /* no /dev */ }
  const byId = new Map<string, string>();
  const byIdDir = join(dev, "serial/by-id");
  try {
    for (const link of readdirSync(byIdDir)) {
      try { byId.set(resolve(byIdDir, readlinkSync(join(byIdDir, link))), join(byIdDir, link)); } catch { /* not a link */ }
    }
  } catch { /* no by-id folder */ }
  const ports = names.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).map((name): PortInfo => {
    const path = join(dev, name);
    const usb = usbDeviceDir(sys, name);
    const read = (file: string) => (usb === undefined ? undefined : readText(join(usb, file)));
    const info: PortInfo = {
      path, vendorId: read("idVendor"), productId: read("idProduct"), manufacturer: read("manufacturer"),
      product: read("product"), serialNumber: read("serial"), byId: byId.get(path),
    };
    info.hint = hintFor(info.vendorId);
    return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as PortInfo;
  });
  // A by-id link to a device that is neither ttyACM nor ttyUSB still names a USB serial port.
  for (const [target, link] of byId) if (!ports.some((p) => p.path === target)) ports.push({ path: target, byId: link });
  return ports;
}

/** serialport's list (needs udevadm on Linux); on failure, the sysfs scan and why. */
async function listPorts(): Promise<{ source: "serialport" | "sysfs"; note?: string; ports: PortInfo[] }> {
  try {
    const { SerialPort } = await import("serialport");
    const listed = await SerialPort.list();
    return {
      source: "serialport",
      ports: listed.map((p) => {
        const info: PortInfo = {
          path: p.path, vendorId: p.vendorId, productId: p.productId, manufacturer: p.manufacturer,
          serialNumber: p.serialNumber, byId: p.pnpId === undefined ? undefined : `/dev/serial/by-id/${p.pnpId}`, hint: hintFor(p.vendorId),
        };
        return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as PortInfo;
      }),
    };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" || /udevadm/.test(String((e as Error).message))
      ? "udevadm is not installed (Debian/Ubuntu: apt install udev)"
      : `the serialport listing failed: ${(e as Error).message}`;
    return { source: "sysfs", note: `${why}; listed /dev/ttyACM*, /dev/ttyUSB* and /dev/serial/by-id from sysfs instead`, ports: scanDevices() };
  }
}

export function portsCommand(): Command {
  return new Command("ports")
    .description("list serial ports that may be a flowrig board, with hints from the USB vendor id")
    .option("--json", "machine-readable output")
    .exitOverride()
    .action(async (opts: { json?: boolean }) => {
      const result = await listPorts();
      if (opts.json === true) { printJson(result); return; }
      const c = colours();
      const err = colours(process.stderr);
      if (result.note !== undefined) process.stderr.write(err.yellow(`note: ${result.note}\n`));
      if (result.ports.length === 0) {
        process.stdout.write("no serial ports found: is the board plugged in (and its USB cable a data cable)?\n");
        return;
      }
      process.stdout.write(table([
        ["port", "usb id", "maker / product", "hint"].map(c.bold),
        ...result.ports.map((p) => [
          p.path,
          p.vendorId === undefined ? "" : `${p.vendorId}:${p.productId ?? "?"}`,
          [p.manufacturer, p.product].filter((x) => x !== undefined).join(" / "),
          p.hint ?? "",
        ]),
      ]));
      for (const p of result.ports) if (p.byId !== undefined) process.stdout.write(c.dim(`${p.path} is also ${p.byId}\n`));
      process.stdout.write(c.dim("use one with --port, e.g. flowrig info --port /dev/ttyACM0\n"));
    });
}
