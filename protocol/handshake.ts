// The identify handshake: who the board is, and refusing a firmware that speaks another schema.
import { schemaHash } from "./hash.ts";
import type { HostLink } from "./host-link.ts";
import type { Body } from "./messages.ts";
import { PROTOCOL_VERSION } from "./schema.ts";

export type Identity = Body<"identity">;

export class SchemaMismatchError extends Error {
  constructor(readonly identity: Identity, readonly expectedHash: number) {
    const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;
    super(
      `board "${identity.board}" runs firmware ${identity.firmware} speaking protocol v${identity.protocolVersion} ` +
      `schema ${hex(identity.schemaHash)}, but this host speaks v${PROTOCOL_VERSION} schema ${hex(expectedHash)}. ` +
      `Flash the matching firmware: npx flowrig flash --board ${identity.board} --port <port> ` +
      `(or use the flowrig release that matches firmware ${identity.firmware}).`,
    );
    this.name = "SchemaMismatchError";
  }
}

/** Throws SchemaMismatchError unless the identity matches this host's schema. */
export function checkIdentity(identity: Identity, expectedHash = schemaHash()): Identity {
  if (identity.protocolVersion !== PROTOCOL_VERSION || identity.schemaHash !== expectedHash) {
    throw new SchemaMismatchError(identity, expectedHash);
  }
  return identity;
}

/** Opens a session: identify with a fresh session nonce, check the schema, then use the device's window. */
export async function handshake(link: HostLink, expectedHash = schemaHash(), random: () => number = Math.random): Promise<Identity> {
  const session = 1 + Math.floor(random() * 0xfffe);
  const identity = checkIdentity(await link.request("identify", { session }), expectedHash);
  link.setWindow(identity.window);
  return identity;
}
