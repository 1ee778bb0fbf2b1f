// A board on a serial device (/dev/ttyACM0, or a pseudo-terminal from `flowrig sim --pty`).
import { SerialPort } from "serialport";
import { pushTransport, type ByteTransport } from "../client/transport.ts";

export function openSerialPort(path: string, baudRate = 115200): Promise<ByteTransport> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    const t = pushTransport(path, (bytes) => port.write(Buffer.from(bytes)), () => new Promise((done) => {
      if (port.isOpen) port.close(() => done()); else done();
    }));
    port.on("data", (chunk: Buffer) => t.push(new Uint8Array(chunk)));
    port.on("close", () => t.end());
    port.open((error) => {
      if (error) reject(new Error(`cannot open ${path}: ${error.message}`));
      else resolve(t.transport);
    });
  });
}
