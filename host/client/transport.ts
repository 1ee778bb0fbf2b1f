// The one byte-transport shape every port has (serial, TCP, the in-process virtual rig), modelled on Web Serial.

export interface ByteTransport {
  /** What it is connected to, for messages ("tcp://127.0.0.1:4000", "virtual espruino-pico"). */
  readonly description: string;
  /** Bytes from the board; ends when the port closes. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Bytes to the board. */
  readonly writable: WritableStream<Uint8Array>;
  /** Closes the port; pending reads end. */
  close(): Promise<void>;
}

/** A ByteTransport from a push-style byte source: `push` feeds readable, `send` receives writes. */
export function pushTransport(description: string, send: (bytes: Uint8Array) => void, onClose: () => Promise<void>) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const readable = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
  const writable = new WritableStream<Uint8Array>({ write(bytes) { if (!closed) send(bytes); } });
  const transport: ByteTransport = {
    description, readable, writable,
    async close() {
      if (closed) return;
      closed = true;
      try { controller.close(); } catch { /* already closed */ }
      await onClose();
    },
  };
  return {
    transport,
    push(bytes: Uint8Array) { if (!closed) controller.enqueue(bytes); },
    end() { if (!closed) { closed = true; try { controller.close(); } catch { /* already closed */ } } },
  };
}
