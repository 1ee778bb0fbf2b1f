// The wire schema: every message, error, state, fault and configuration key, defined once as data.

export const PROTOCOL_VERSION = 1;
/** Largest frame on the wire, delimiter included: fits a 64-byte UART receive buffer. */
export const MAX_WIRE_FRAME = 64;
/** seq + id + payload + crc16 ≤ 62 bytes before COBS (+1) and the delimiter (+1). */
export const MAX_PAYLOAD = 58;
/** Commands the host may have outstanding at once; the device caches this many replies. */
export const WINDOW = 4;

export type WireType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "str";

export interface FieldDef {
  readonly name: string;
  readonly type: WireType;
  /** For str: the most bytes allowed (printable ASCII). */
  readonly max?: number;
  readonly unit?: string;
  readonly doc: string;
}

export interface ListDef {
  readonly name: string;
  readonly type: "list";
  /** Most records in one message. */
  readonly max: number;
  readonly of: readonly FieldDef[];
  readonly doc: string;
}

export type Field = FieldDef | ListDef;

export interface MessageDef {
  readonly id: number;
  readonly name: string;
  /** h2d: host to device; d2h: device to host. */
  readonly dir: "h2d" | "d2h";
  readonly kind: "command" | "response" | "event";
  /** For commands: the response message on success (errors come as `error`). */
  readonly reply?: string;
  readonly fields: readonly Field[];
  readonly doc: string;
}

const pumpField = { name: "pump", type: "u8", doc: "0 = pump A (precursor), 1 = pump B (antisolvent)" } as const;

export const MESSAGES = [
  // ---- commands (host → device), ids 0x01–0x3F. identify's id and its reply's first two fields never change.
  { id: 0x01, name: "identify", dir: "h2d", kind: "command", reply: "identity", fields: [
      { name: "session", type: "u16", doc: "host-chosen nonce, new for every session; a repeat of the current one is a retransmission" }],
    doc: "Open a session: the device takes this frame's seq as the start and clears its reply cache; answers who the board is." },
  { id: 0x02, name: "getStatus", dir: "h2d", kind: "command", reply: "status", fields: [],
    doc: "Run state, rates, last PL, faults, sample counters, memory. Also the host's heartbeat." },
  { id: 0x03, name: "getPump", dir: "h2d", kind: "command", reply: "pumpStatus", fields: [pumpField],
    doc: "One pump's position, volume and flags." },
  { id: 0x04, name: "getClock", dir: "h2d", kind: "command", reply: "clock", fields: [],
    doc: "Board time, for aligning samples with host time." },
  { id: 0x05, name: "configGet", dir: "h2d", kind: "command", reply: "configValue", fields: [
      { name: "key", type: "u8", doc: "configuration key (table below)" },
      { name: "index", type: "u8", doc: "pump index for pump keys, else 0" }],
    doc: "Read one configuration value." },
  { id: 0x06, name: "configSet", dir: "h2d", kind: "command", reply: "configValue", fields: [
      { name: "key", type: "u8", doc: "configuration key" },
      { name: "index", type: "u8", doc: "pump index for pump keys, else 0" },
      { name: "value", type: "i32", doc: "new value, in the key's unit" }],
    doc: "Write one value (range-checked) and read it back. Applies at once; not stored until configSave." },
  { id: 0x07, name: "configSave", dir: "h2d", kind: "command", reply: "ok", fields: [],
    doc: "Store the configuration in flash (versioned, CRC-checked, power-cut safe)." },
  { id: 0x08, name: "configDefaults", dir: "h2d", kind: "command", reply: "ok", fields: [],
    doc: "Restore every key to its default (not stored until configSave). Idle only." },
  { id: 0x09, name: "programBegin", dir: "h2d", kind: "command", reply: "ok", fields: [
      { name: "slot", type: "u8", doc: "program slot" },
      { name: "name", type: "str", max: 12, doc: "name shown on the board's display" },
      { name: "segments", type: "u16", doc: "number of segments that follow" }],
    doc: "Start loading a program into a slot." },
  { id: 0x0a, name: "programSegment", dir: "h2d", kind: "command", reply: "ok", fields: [
      { name: "index", type: "u16", doc: "segment number, 0-based, in order" },
      { name: "durationMs", type: "u32", unit: "ms", doc: "segment length, ramp included" },
      { name: "rateA", type: "i32", unit: "µL/h", doc: "pump A flow; negative withdraws" },
      { name: "rateB", type: "i32", unit: "µL/h", doc: "pump B flow; negative withdraws" },
      { name: "rampMs", type: "u32", unit: "ms", doc: "linear ramp from the previous rates" },
      { name: "tag", type: "u16", doc: "host's label for the step (copied into samples' segment events)" }],
    doc: "One segment of the program being loaded." },
  { id: 0x0b, name: "programCommit", dir: "h2d", kind: "command", reply: "programInfo", fields: [
      { name: "slot", type: "u8", doc: "program slot" },
      { name: "checksum", type: "u16", doc: "CRC-16 of every programSegment payload in order" }],
    doc: "Check and store the loaded program in flash." },
  { id: 0x0c, name: "programGet", dir: "h2d", kind: "command", reply: "programInfo", fields: [
      { name: "slot", type: "u8", doc: "program slot" }],
    doc: "What is stored in a slot." },
  { id: 0x0d, name: "start", dir: "h2d", kind: "command", reply: "ok", fields: [
      { name: "slot", type: "u8", doc: "program slot" }],
    doc: "Run a stored program. Idle, done or stopped only." },
  { id: 0x0e, name: "pause", dir: "h2d", kind: "command", reply: "ok", fields: [], doc: "Hold the run: pumps stop, the clock of the segment stops." },
  { id: 0x0f, name: "resume", dir: "h2d", kind: "command", reply: "ok", fields: [], doc: "Continue a paused run." },
  { id: 0x10, name: "stop", dir: "h2d", kind: "command", reply: "ok", fields: [], doc: "End the run or manual flow; pumps stop." },
  { id: 0x11, name: "estop", dir: "h2d", kind: "command", reply: "ok", fields: [], doc: "Emergency stop: pumps stop and drivers are disabled at once; state fault." },
  { id: 0x12, name: "clearFault", dir: "h2d", kind: "command", reply: "ok", fields: [], doc: "Acknowledge the fault; back to idle." },
  { id: 0x13, name: "setFlow", dir: "h2d", kind: "command", reply: "ok", fields: [
      { name: "rateA", type: "i32", unit: "µL/h", doc: "pump A flow; negative withdraws" },
      { name: "rateB", type: "i32", unit: "µL/h", doc: "pump B flow; negative withdraws" }],
    doc: "Manual continuous flow until stop." },
  { id: 0x14, name: "move", dir: "h2d", kind: "command", reply: "ok", fields: [
      pumpField,
      { name: "volumeNl", type: "i32", unit: "nL", doc: "> 0 infuses (prime), < 0 withdraws" },
      { name: "rateUlPerH", type: "u32", unit: "µL/h", doc: "speed" }],
    doc: "Prime or withdraw a volume." },
  { id: 0x15, name: "jog", dir: "h2d", kind: "command", reply: "ok", fields: [
      pumpField,
      { name: "microsteps", type: "i32", doc: "> 0 towards empty (infuse), < 0 towards full" },
      { name: "rateUlPerH", type: "u32", unit: "µL/h", doc: "speed" }],
    doc: "Move the plunger by microsteps, for setting up a syringe." },
  { id: 0x16, name: "setVolume", dir: "h2d", kind: "command", reply: "pumpStatus", fields: [
      pumpField,
      { name: "volumeNl", type: "u32", unit: "nL", doc: "liquid now in the syringe" }],
    doc: "Tell the board how full a freshly loaded syringe is." },
  { id: 0x17, name: "samplesRead", dir: "h2d", kind: "command", reply: "samples", fields: [
      { name: "from", type: "u32", doc: "first sequence number wanted" },
      { name: "max", type: "u8", doc: "most records wanted (the reply holds at most 2)" }],
    doc: "Read logged samples by sequence number." },
  { id: 0x18, name: "samplesAck", dir: "h2d", kind: "command", reply: "ok", fields: [
      { name: "upTo", type: "u32", doc: "every sample below this sequence number is safely stored by the host" }],
    doc: "Let the board free samples the host has kept." },
  { id: 0x19, name: "darkCalibrate", dir: "h2d", kind: "command", reply: "ok", fields: [],
    doc: "Measure the sensor's dark offset with the LED off (idle only)." },
  { id: 0x1a, name: "repl", dir: "h2d", kind: "command", reply: "ok", fields: [
      { name: "key", type: "u32", doc: "must be 0x52455031 ('REP1'), so noise can never do this" }],
    doc: "Hand the link back to the Espruino REPL (for re-flashing). Pumps stop first." },

  // ---- responses (device → host), ids 0x40–0x7F, carry the seq of the command they answer
  { id: 0x40, name: "ok", dir: "d2h", kind: "response", fields: [], doc: "The command was carried out." },
  { id: 0x41, name: "error", dir: "d2h", kind: "response", fields: [
      { name: "code", type: "u8", doc: "error code (table below)" },
      { name: "field", type: "u8", doc: "index of the offending field of the command, 255 if none" },
      { name: "limit", type: "i32", doc: "the limit that was crossed, or the current state for wrongState" }],
    doc: "The command was refused; nothing changed." },
  { id: 0x42, name: "nak", dir: "d2h", kind: "response", fields: [
      { name: "expect", type: "u8", doc: "the sequence number the device expects next" },
      { name: "code", type: "u8", doc: "why: badCrc, badLength or outOfOrder" }],
    doc: "A frame was dropped; the host resends from `expect`." },
  { id: 0x43, name: "identity", dir: "d2h", kind: "response", fields: [
      { name: "protocolVersion", type: "u8", doc: "PROTOCOL_VERSION" },
      { name: "schemaHash", type: "u32", doc: "CRC-32 of the canonical schema" },
      { name: "firmware", type: "str", max: 12, doc: "firmware version" },
      { name: "board", type: "str", max: 20, doc: "board profile id" },
      { name: "pumps", type: "u8", doc: "number of pumps" },
      { name: "sensorChannels", type: "u8", doc: "PL sensor channels" },
      { name: "sampleCapacity", type: "u16", doc: "samples held in RAM" },
      { name: "maxPayload", type: "u8", doc: "largest payload accepted" },
      { name: "window", type: "u8", doc: "commands that may be outstanding" },
      { name: "timerTickNs", type: "u32", unit: "ns", doc: "step-timer resolution" },
      { name: "programSlots", type: "u8", doc: "stored programs" },
      { name: "maxSegments", type: "u16", doc: "segments per program" },
      { name: "bootCount", type: "u16", doc: "increments at every boot" }],
    doc: "Who the board is and what it can do." },
  { id: 0x44, name: "status", dir: "d2h", kind: "response", fields: [
      { name: "state", type: "u8", doc: "run state (table below)" },
      { name: "faults", type: "u16", doc: "fault bits (table below)" },
      { name: "cause", type: "u8", doc: "the input that tripped the first fault (table below)" },
      { name: "slot", type: "u8", doc: "program slot running" },
      { name: "segment", type: "u16", doc: "segment running" },
      { name: "segments", type: "u16", doc: "segments in the program" },
      { name: "elapsedMs", type: "u32", unit: "ms", doc: "run time, pauses excluded" },
      { name: "remainingMs", type: "u32", unit: "ms", doc: "run time left" },
      { name: "rateA", type: "i32", unit: "µL/h", doc: "pump A flow now" },
      { name: "rateB", type: "i32", unit: "µL/h", doc: "pump B flow now" },
      { name: "pl", type: "i32", unit: "1e-6 FS", doc: "last PL value" },
      { name: "sampleNext", type: "u32", doc: "sequence number the next sample will get" },
      { name: "sampleAcked", type: "u32", doc: "samples below this are acknowledged" },
      { name: "bootFirstSeq", type: "u32", doc: "first seq of this boot: samples below it were logged before the board restarted (its spill files, kept until acknowledged)" },
      { name: "eventSeq", type: "u8", doc: "sequence number of the last event sent" },
      { name: "memFree", type: "u16", doc: "free JS variables" },
      { name: "memTotal", type: "u16", doc: "JS variable pool" },
      { name: "timeMs", type: "u32", unit: "ms", doc: "board clock" }],
    doc: "The board's state at a glance." },
  { id: 0x45, name: "pumpStatus", dir: "d2h", kind: "response", fields: [
      pumpField,
      { name: "flags", type: "u8", doc: "pump flags (table below)" },
      { name: "rate", type: "i32", unit: "µL/h", doc: "flow now" },
      { name: "positionSteps", type: "i32", doc: "plunger position in microsteps from empty" },
      { name: "volumeNl", type: "u32", unit: "nL", doc: "liquid left in the syringe" },
      { name: "deliveredNl", type: "i32", unit: "nL", doc: "net volume infused since the run started" },
      { name: "syringe", type: "u8", doc: "syringe library index, 0 = custom" },
      { name: "stepVolumePl", type: "u32", unit: "pL", doc: "volume per microstep" }],
    doc: "One pump." },
  { id: 0x46, name: "clock", dir: "d2h", kind: "response", fields: [
      { name: "seconds", type: "u32", unit: "s", doc: "board time, whole seconds" },
      { name: "micros", type: "u32", unit: "µs", doc: "board time, microseconds within the second" }],
    doc: "Board time (the clock samples are stamped with)." },
  { id: 0x47, name: "configValue", dir: "d2h", kind: "response", fields: [
      { name: "key", type: "u8", doc: "configuration key" },
      { name: "index", type: "u8", doc: "pump index or 0" },
      { name: "value", type: "i32", doc: "value in force" }],
    doc: "A configuration value as the board holds it." },
  { id: 0x48, name: "programInfo", dir: "d2h", kind: "response", fields: [
      { name: "slot", type: "u8", doc: "program slot" },
      { name: "name", type: "str", max: 12, doc: "name, empty if the slot is free" },
      { name: "segments", type: "u16", doc: "segments" },
      { name: "totalMs", type: "u32", unit: "ms", doc: "run time" },
      { name: "checksum", type: "u16", doc: "CRC-16 of the segments" }],
    doc: "A stored program." },
  { id: 0x49, name: "samples", dir: "d2h", kind: "response", fields: [
      { name: "from", type: "u32", doc: "sequence number of the first record" },
      { name: "next", type: "u32", doc: "sequence number the next sample will get" },
      { name: "records", type: "list", max: 2, doc: "consecutive samples", of: [
          { name: "timeMs", type: "u32", unit: "ms", doc: "board clock (wraps after 49.7 days)" },
          { name: "segment", type: "u16", doc: "segment running, 0xFFFF if none" },
          { name: "flags", type: "u8", doc: "sample flags (table below)" },
          { name: "rateA", type: "i32", unit: "µL/h", doc: "pump A flow" },
          { name: "rateB", type: "i32", unit: "µL/h", doc: "pump B flow" },
          { name: "pl", type: "i32", unit: "1e-6 FS", doc: "PL: LED-on minus LED-off, dark subtracted" },
          { name: "dark", type: "i32", unit: "1e-6 FS", doc: "LED-off level (dark + ambient)" }] }],
    doc: "A page of the sample log." },

  // ---- events (device → host, unasked), ids 0x80–0xBF; seq counts events (gaps are visible, status is authoritative)
  { id: 0x80, name: "segmentEvent", dir: "d2h", kind: "event", fields: [
      { name: "segment", type: "u16", doc: "segment now running" },
      { name: "tag", type: "u16", doc: "its tag" },
      { name: "timeMs", type: "u32", unit: "ms", doc: "board clock" }],
    doc: "A new segment began." },
  { id: 0x81, name: "stateEvent", dir: "d2h", kind: "event", fields: [
      { name: "state", type: "u8", doc: "new run state" },
      { name: "faults", type: "u16", doc: "fault bits" },
      { name: "cause", type: "u8", doc: "input that tripped" },
      { name: "timeMs", type: "u32", unit: "ms", doc: "board clock" }],
    doc: "The run state changed (done, stopped, fault, paused, …)." },
] as const satisfies readonly MessageDef[];

export const ERRORS = [
  { code: 1, name: "badCrc", doc: "frame CRC did not match" },
  { code: 2, name: "badLength", doc: "frame too long or too short, or payload not the message's size" },
  { code: 3, name: "unknownMessage", doc: "no such command id" },
  { code: 4, name: "badArgument", doc: "a field is out of range: `field` names it, `limit` gives the bound" },
  { code: 5, name: "wrongState", doc: "not allowed in the current run state (`limit` = state)" },
  { code: 6, name: "busy", doc: "the board cannot take this now (e.g. storage being written); retry" },
  { code: 7, name: "outOfOrder", doc: "sequence gap: a frame before this one was lost" },
  { code: 8, name: "storage", doc: "flash write or read failed" },
  { code: 9, name: "notFound", doc: "no such program, slot or sample" },
  { code: 10, name: "noSession", doc: "no session open (the board restarted): identify, then resend" },
] as const;

export const STATES = [
  { code: 0, name: "idle", doc: "nothing moving, drivers disabled" },
  { code: 1, name: "running", doc: "a program is running" },
  { code: 2, name: "paused", doc: "a program is held" },
  { code: 3, name: "done", doc: "the program finished" },
  { code: 4, name: "stopped", doc: "stopped by the host or the operator" },
  { code: 5, name: "fault", doc: "stopped by a fault; clearFault to go on" },
  { code: 6, name: "manual", doc: "manual flow, prime, withdraw or jog" },
] as const;

export const FAULTS = [
  { bit: 0, name: "endstop", doc: "an endstop tripped" },
  { bit: 1, name: "stall", doc: "a driver reported a stall" },
  { bit: 2, name: "estop", doc: "emergency stop" },
  { bit: 3, name: "hostLost", doc: "no host traffic within the timeout under the stop policy" },
  { bit: 4, name: "syringeEmpty", doc: "a syringe reached its travel limit" },
  { bit: 5, name: "configCorrupt", doc: "stored configuration unreadable: defaults in use" },
  { bit: 6, name: "storage", doc: "flash write failed" },
  { bit: 7, name: "sensor", doc: "sensor saturated or disconnected" },
  { bit: 8, name: "lowMemory", doc: "the board's free variables fell low: the panel stops redrawing; near exhaustion the pumps stop" },
  { bit: 9, name: "stepOutput", doc: "a pump's step output stopped taking its planned motion (a timer or callback chain stalled): pumps stop" },
] as const;

export const CAUSES = [
  { code: 0, name: "none" },
  { code: 1, name: "pumpA.minEndstop" }, { code: 2, name: "pumpA.maxEndstop" }, { code: 3, name: "pumpA.diag" },
  { code: 4, name: "pumpB.minEndstop" }, { code: 5, name: "pumpB.maxEndstop" }, { code: 6, name: "pumpB.diag" },
  { code: 7, name: "button.estop" }, { code: 8, name: "host.estop" }, { code: 9, name: "host.link" },
  { code: 10, name: "pumpA.travel" }, { code: 11, name: "pumpB.travel" }, { code: 12, name: "flash" },
  { code: 13, name: "memory" }, { code: 14, name: "pumpA.steps" }, { code: 15, name: "pumpB.steps" },
] as const;

export const PUMP_FLAGS = [
  { bit: 0, name: "enabled" }, { bit: 1, name: "moving" }, { bit: 2, name: "withdrawing" },
  { bit: 3, name: "minEndstop" }, { bit: 4, name: "maxEndstop" }, { bit: 5, name: "stalled" },
  { bit: 6, name: "lowVolume" },
] as const;

export const SAMPLE_FLAGS = [
  { bit: 0, name: "saturated", doc: "an ADC reading hit full scale" },
  { bit: 1, name: "unsynced", doc: "LED not modulated: value is LED-on minus stored dark" },
  { bit: 2, name: "ramping", doc: "pump rates were changing" },
  { bit: 3, name: "manual", doc: "taken during manual flow" },
  { bit: 4, name: "spilled", doc: "read back from the flash spill file" },
] as const;

export interface ConfigKeyDef {
  readonly key: number;
  readonly name: string;
  readonly scope: "pump" | "sensor" | "safety";
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly doc: string;
}

/** Configuration keys. Pump keys take index 0 (A) or 1 (B); other keys index 0. Defaults: 10 mL BD syringe, T8 lead 2 mm. */
export const CONFIG_KEYS = [
  { key: 1, name: "syringe", scope: "pump", unit: "index", min: 0, max: 255, default: 4, doc: "syringe library index (0 = custom); setting it sets innerDiameterUm and capacityUl" },
  { key: 2, name: "innerDiameterUm", scope: "pump", unit: "µm", min: 1000, max: 50000, default: 14430, doc: "syringe inner diameter" },
  { key: 3, name: "capacityUl", scope: "pump", unit: "µL", min: 100, max: 10000000, default: 10000, doc: "syringe capacity (full stroke; large values describe a reservoir-fed drive)" },
  { key: 4, name: "stepsPerRev", scope: "pump", unit: "steps", min: 20, max: 1000, default: 200, doc: "motor full steps per revolution" },
  { key: 5, name: "microsteps", scope: "pump", unit: "µsteps", min: 1, max: 256, default: 16, doc: "driver microstepping" },
  { key: 6, name: "leadUm", scope: "pump", unit: "µm", min: 100, max: 40000, default: 2000, doc: "lead screw travel per revolution" },
  { key: 7, name: "invertDir", scope: "pump", unit: "bool", min: 0, max: 1, default: 0, doc: "1 if DIR high withdraws" },
  { key: 8, name: "maxRateUlPerH", scope: "pump", unit: "µL/h", min: 1, max: 20000000, default: 6000000, doc: "refuse or clamp flows above this" },
  { key: 9, name: "accelUlPerHPerS", scope: "pump", unit: "µL/h/s", min: 0, max: 100000000, default: 0, doc: "rate change limit (0 = step change)" },
  { key: 10, name: "reserveUl", scope: "pump", unit: "µL", min: 0, max: 10000, default: 100, doc: "stop infusing this far before the plunger bottoms out" },
  { key: 11, name: "calFactorPpm", scope: "pump", unit: "ppm", min: 900000, max: 1100000, default: 1000000, doc: "gravimetric correction of the step volume: volume delivered ÷ volume commanded, in parts per million (flowrig calibrate)" },
  { key: 12, name: "calUncertaintyPpm", scope: "pump", unit: "ppm", min: 0, max: 100000, default: 0, doc: "expanded uncertainty (k = 2) of calFactorPpm, in ppm of the volume" },
  { key: 13, name: "calDate", scope: "pump", unit: "yyyymmdd", min: 0, max: 99991231, default: 0, doc: "date of the calibration as yyyymmdd (0 = never calibrated)" },
  { key: 16, name: "ledHz", scope: "sensor", unit: "Hz", min: 1, max: 2000, default: 200, doc: "LED modulation frequency for synchronous detection" },
  { key: 17, name: "samplePeriodMs", scope: "sensor", unit: "ms", min: 50, max: 86400000, default: 1000, doc: "time between logged samples" },
  { key: 18, name: "sampleWindowMs", scope: "sensor", unit: "ms", min: 10, max: 60000, default: 500, doc: "integration time per sample (LED on only inside it)" },
  { key: 19, name: "synchronous", scope: "sensor", unit: "bool", min: 0, max: 1, default: 1, doc: "1 = LED-on minus LED-off detection; 0 = LED steady, stored dark subtracted" },
  { key: 20, name: "darkUfs", scope: "sensor", unit: "1e-6 FS", min: 0, max: 1000000, default: 0, doc: "dark offset (set by darkCalibrate)" },
  { key: 32, name: "hostLossPolicy", scope: "safety", unit: "enum", min: 0, max: 1, default: 0, doc: "0 = stop the pumps when the host is lost, 1 = carry on" },
  { key: 33, name: "hostTimeoutMs", scope: "safety", unit: "ms", min: 0, max: 3600000, default: 5000, doc: "no valid frame this long = host lost (0 = never)" },
] as const satisfies readonly ConfigKeyDef[];

export const REPL_KEY = 0x52455031;
