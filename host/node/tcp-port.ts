// A board (a WiFi board, or `flowrig sim --listen`) reached over TCP.
import { connect } from "node:net";
import { pushTransport, type ByteTransport } from "../client/transport.ts";

export function openTcpPort(host: string, port: number): Promise<ByteTransport> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const t = pushTransport(`tcp://${host}:${port}`, (bytes) => socket.write(bytes), async () => { socket.destroy(); });
    socket.once("connect", () => resolve(t.transport));
    socket.once("error", (e) => reject(new Error(`cannot reach tcp://${host}:${port}: ${e.message}`)));
    socket.on("data", (chunk) => t.push(new Uint8Array(chunk)));
    socket.on("close", () => t.end());
  });
}
