// A session with a board on any transport: the reliable link, the identify handshake, events, closing.
import { handshake, type Identity } from "../../protocol/handshake.ts";
import { ERR_BUSY } from "../../protocol/generated.ts";
import { DeviceError, HostLink, LinkError, type HostLinkOptions } from "../../protocol/host-link.ts";
import type { ByteTransport } from "./transport.ts";

export interface Connection {
  link: HostLink;
  identity: Identity;
  transport: ByteTransport;
  close(): Promise<void>;
}

/** Starts the link on the transport and identifies the board; refuses a firmware with another schema. */
export async function connectTransport(transport: ByteTransport, options: HostLinkOptions = {}): Promise<Connection> {
  const writer = transport.writable.getWriter();
  const link = new HostLink((bytes) => { writer.write(bytes).catch(() => {}); }, options);
  const reader = transport.readable.getReader();
  let closed = false;
  const pumping = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      link.feed(value);
    }
    if (!closed) link.close();
  })();
  const close = async () => {
    if (closed) return;
    closed = true;
    link.close();
    await transport.close();
    await pumping.catch(() => {});
  };
  try {
    const identity = await handshake(link);
    return { link, identity, transport, close };
  } catch (e) {
    await close();
    if (e instanceof DeviceError && e.code === ERR_BUSY) {
      throw new LinkError(`${transport.description}: the board is in use by another host; close that one (or let its run end), then try again`, "closed");
    }
    throw e;
  }
}
