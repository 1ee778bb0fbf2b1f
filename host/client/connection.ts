// A session with a board on any transport: the reliable link, the identify handshake, events, closing.
import { handshake, type Identity } from "../../protocol/handshake.ts";
import { HostLink, type HostLinkOptions } from "../../protocol/host-link.ts";
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
    throw e;
  }
}
