// Every exit code the flowrig CLI uses, in one place.

export const EXIT = {
  ok: 0,
  /** Something unexpected failed; the message says what. */
  failure: 1,
  /** The command line was wrong (unknown option, bad value). */
  usage: 2,
  /** The board refused a command or answered with an error. */
  deviceError: 3,
  /** The link failed: no answer, the board restarted, the port closed. */
  linkError: 4,
  /** The firmware speaks another protocol schema: flash the matching firmware. */
  schemaMismatch: 5,
  /** A check found something wrong (flowrig selftest): the report says which. */
  checkFailed: 6,
} as const;
