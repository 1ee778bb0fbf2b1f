// Firmware entry: builds the board's hardware from its profile, runs the control tick and answers the protocol.
import { boardProfile } from "board:profile";
import type { FirmwareProfile } from "../boards/firmware-profile.ts";
import type { DigitalInput } from "./hal.ts";
import { DeviceLink } from "../protocol/device-link.ts";
import {
  CAUSE_FLASH, CFG_DARK_UFS, CFG_HOST_LOSS_POLICY, CFG_LED_HZ, CFG_SAMPLE_PERIOD_MS, CFG_SAMPLE_WINDOW_MS,
  CFG_SYNCHRONOUS, CONFIG_TABLE, MSG_DARK_CALIBRATE, SAMPLE_MANUAL, SAMPLE_RAMPING, STATE_IDLE, STATE_MANUAL, CFG_HOST_TIMEOUT_MS, FAULT_CONFIG_CORRUPT, MSG_CLEAR_FAULT, MSG_CONFIG_SAVE,
  FAULT_STORAGE, MSG_PROGRAM_BEGIN, MSG_PROGRAM_COMMIT, MSG_PROGRAM_GET, MSG_PROGRAM_SEGMENT, MSG_SAMPLES_ACK, MSG_SAMPLES_READ, MSG_START, MSG_CLOCK, MSG_CONFIG_DEFAULTS, MSG_CONFIG_GET,
  MSG_CONFIG_SET, MSG_ERROR, MSG_ESTOP, MSG_GET_CLOCK, MSG_GET_PUMP, MSG_GET_STATUS, MSG_IDENTIFY, MSG_IDENTITY,
  MSG_JOG, MSG_MOVE, MSG_PAUSE, MSG_REPL, MSG_RESUME, MSG_SET_FLOW, MSG_SET_VOLUME, MSG_STATUS, MSG_STOP,
  ERR_NOT_FOUND, ERR_UNKNOWN_MESSAGE, PROTOCOL_VERSION, SCHEMA_HASH, STATE_RUNNING, STATE_PAUSED,
} from "../protocol/generated.ts";
import { MAX_PAYLOAD, REPL_KEY, WINDOW } from "../protocol/schema.ts";
import { Config } from "./config.ts";
import { Controller, type Program } from "./controller.ts";
import { allocationFailed, consoleToUsb, kickWatchdog, memory, nowS, startWatchdog } from "./espruino/board.ts";
import { guardMemory } from "./memory-guard.ts";
import { bumpBootCount, loadConfig } from "./config-store.ts";
import { programBegin, readSamples, startProgram, storeConfig } from "./data-commands.ts";
import { EspruinoAnalogInput } from "./espruino/analog.ts";
import { createHardware } from "./espruino/hardware.ts";
import { EspruinoDigitalInput, EspruinoDigitalOutput } from "./espruino/pin.ts";
import { PlSensor } from "./sensor.ts";
import { EspruinoStore } from "./espruino/storage.ts";
import { ESPRUINO_TIMERS } from "./espruino/timers.ts";
import { ProgramStore } from "./program-store.ts";
import { MAX_SEGMENTS, PROGRAM_SLOTS } from "../protocol/limits.ts";
import { SampleLog } from "./sample-log.ts";
import { openLink } from "./espruino/link.ts";
import { PumpMotion } from "./motion.ts";
import { applyPumpConfig } from "./pump-config.ts";
import { openDisplay } from "./espruino/display.ts";
import { Panel } from "./ui/panel.ts";
import { Ui } from "./ui/menu.ts";
import { badArgument, canStart, move, OK, pumpStatus, runControl, setFlow, setVolume, wrongState } from "./run-commands.ts";

const TICK_MS = 100;

function nowMs(): number {
  return Math.floor(nowS() * 1000);
}

/** Samples kept in RAM at most; more spill to flash files of SPILL_SAMPLES (one 4 KB chunk each). */
const RAM_SAMPLES_MAX = 256;
const RAM_SAMPLES_MIN = 16;
const SPILL_SAMPLES = 128;
/** Bytes a sample takes in the RAM ring: six int32 (time, segment and flags, rates, PL, dark). */
const SAMPLE_BYTES = 24;
/** Share of the variables left free after boot for a run (link frames, programs, events) and the collector. */
const RUN_RESERVE_PERCENT = 45;
/** Flash kept free for configuration and programs (two copies each) when sizing the spill. */
const FLASH_RESERVE_BYTES = 8192;

const store = new EspruinoStore();
const bootCount = bumpBootCount(store);
const config = new Config();
const loaded = loadConfig(store, config.values);
config.values = loaded.values;
const programs = new ProgramStore({ store: store });
/** What the firmware keeps of its board profile; pins and the rest are read from a fresh copy while booting. */
const ADC_BITS = boardProfile().adcBits;
const TIMER_TICK_NS = boardProfile().timerTickNs;
const HAS_WATCHDOG = boardProfile().hasWatchdog;
const hardware = createHardware(boardProfile());
// Motion stays queued the board's worst JS callback delay further ahead.
const pumps = [new PumpMotion(hardware.outputs[0], boardProfile().callbackLatencyUs.max),
  new PumpMotion(hardware.outputs[1], boardProfile().callbackLatencyUs.max)];
let lastTrafficMs = nowMs();
let lastPl = 0;
let sendEvent = function (id: number, values: any[]) {};
const controller = new Controller(pumps, nowMs, function (id: number, values: any[]) { sendEvent(id, values); });

/** A finished PL sample: tagged with the segment and both rates, logged while anything runs. */
function onSample(timeMs: number, pl: number, dark: number, flags: number): void {
  lastPl = pl;
  const c = controller;
  if (c.state !== STATE_RUNNING && c.state !== STATE_PAUSED && c.state !== STATE_MANUAL) return;
  const now = nowMs();
  const rateA = pumps[0].active ? pumps[0].rateAt(now) : 0;
  const rateB = pumps[1].active ? pumps[1].rateAt(now) : 0;
  let f = flags;
  if (pumps[0].rampEndMs > now || pumps[1].rampEndMs > now) f = f | SAMPLE_RAMPING;
  if (c.state === STATE_MANUAL) f = f | SAMPLE_MANUAL;
  const segment = c.state === STATE_MANUAL ? 0xffff : c.segment;
  if (log.add(timeMs, segment, f, rateA, rateB, pl, dark) !== 0) c.faults = c.faults | FAULT_STORAGE;
}

/** The PL sensor, on boards with an ADC (the Linux build has none: no sensor, no samples). */
const hasSensor = ADC_BITS !== 0;
const sensor = new PlSensor({
  adc: new EspruinoAnalogInput(boardProfile().sensor.photodiode),
  led: new EspruinoDigitalOutput(boardProfile().sensor.led),
  clock: { nowS: nowS },
  timers: ESPRUINO_TIMERS,
  onSample: onSample,
  adcBits: ADC_BITS,
});

function applyConfig(): void {
  applyPumpConfig(config, 0, pumps[0]);
  applyPumpConfig(config, 1, pumps[1]);
  if (!hasSensor) return;
  sensor.configure({
    ledHz: config.value(CFG_LED_HZ, 0), samplePeriodMs: config.value(CFG_SAMPLE_PERIOD_MS, 0),
    sampleWindowMs: config.value(CFG_SAMPLE_WINDOW_MS, 0), synchronous: config.value(CFG_SYNCHRONOUS, 0),
    darkUfs: config.value(CFG_DARK_UFS, 0),
  });
  sensor.start();
}

function identity(): any[] {
  return [MSG_IDENTITY, [PROTOCOL_VERSION, SCHEMA_HASH, FLOWRIG_VERSION, FLOWRIG_BOARD_ID, 2, hasSensor ? 1 : 0, log.capacity, MAX_PAYLOAD,
    WINDOW, TIMER_TICK_NS, PROGRAM_SLOTS, MAX_SEGMENTS, bootCount & 0xffff]];
}

function status(): any[] {
  const now = nowMs();
  const c = controller;
  const mem = memory();
  const elapsed = c.elapsedMs(now);
  const running = c.state === STATE_RUNNING || c.state === STATE_PAUSED;
  const total = running ? c.totalMs() : 0;
  return [MSG_STATUS, [c.state, c.faults, c.cause, c.slot, c.segment, running ? (c.program as Program).segments : 0,
    elapsed, total > elapsed ? total - elapsed : 0, pumps[0].active ? pumps[0].rateAt(now) : 0,
    pumps[1].active ? pumps[1].rateAt(now) : 0, lastPl, log.next(), log.acked(), log.bootFirst, link.eventSeq,
    clampU16(mem[0]), clampU16(mem[1]), now % 4294967296]];
}

function clampU16(v: number): number {
  return v < 0 ? 0 : v > 65535 ? 65535 : v;
}

function clock(): any[] {
  const t = nowS();
  const seconds = Math.floor(t);
  const micros = Math.round((t - seconds) * 1e6);
  return [MSG_CLOCK, [seconds % 4294967296, micros < 999999 ? micros : 999999]];
}

/** Pump keys change the mechanics: refused while anything moves. Sensor and safety keys apply at once. */
function configSet(key: number, index: number, value: number): any[] {
  const row = config.rowOf(key);
  const moving = !canStart(controller.state) || pumps[0].active || pumps[1].active;
  if (row >= 0 && CONFIG_TABLE[row + 1] === 0 && moving) return wrongState(controller.state);
  const reply = config.set(key, index, value);
  applyConfig();
  return reply;
}

function dispatch(id: number, a: any[]): any[] {
  const c = controller;
  if (id === MSG_IDENTIFY) return identity();
  if (id === MSG_GET_STATUS) return status();
  if (id === MSG_GET_PUMP) return pumpStatus(c, config, a[0]);
  if (id === MSG_GET_CLOCK) return clock();
  if (id === MSG_CONFIG_GET) return config.get(a[0], a[1]);
  if (id === MSG_CONFIG_SET) return configSet(a[0], a[1], a[2]);
  if (id === MSG_CONFIG_DEFAULTS) {
    if (!canStart(c.state)) return wrongState(c.state);
    config.reset();
    applyConfig();
    return OK;
  }
  if (id === MSG_SET_FLOW) return setFlow(c, config, a[0], a[1]);
  if (id === MSG_MOVE) {
    if (a[0] > 1) return badArgument(0, 1);
    const pl = pumps[a[0]].stepVolumePl;
    return move(c, config, a[0], Math.round((a[1] * 1000) / pl), a[2], pl / 1000);
  }
  if (id === MSG_JOG) return move(c, config, a[0], a[1], a[2], 1);
  if (id === MSG_SET_VOLUME) return setVolume(c, config, a[0], a[1]);
  if (id === MSG_PAUSE) return runControl(c, "pause");
  if (id === MSG_RESUME) return runControl(c, "resume");
  if (id === MSG_STOP) return runControl(c, "stop");
  if (id === MSG_ESTOP) return runControl(c, "estop");
  if (id === MSG_CLEAR_FAULT) return runControl(c, "clearFault");
  if (id === MSG_SAMPLES_READ) return readSamples(log, a[0], a[1]);
  if (id === MSG_SAMPLES_ACK) return log.ack(a[0]);
  if (id === MSG_PROGRAM_BEGIN) return programBegin(c, programs, a[0], a[1], a[2]);
  if (id === MSG_PROGRAM_SEGMENT) return programs.segment(a[0], a[1], a[2], a[3], a[4], a[5]);
  if (id === MSG_PROGRAM_COMMIT) return programs.commit(a[0], a[1]);
  if (id === MSG_PROGRAM_GET) return programs.get(a[0]);
  if (id === MSG_START) return startProgram(c, config, programs, a[0]);
  if (id === MSG_CONFIG_SAVE) return storeConfig(c, store, config);
  if (id === MSG_DARK_CALIBRATE) {
    if (!hasSensor) return [MSG_ERROR, [ERR_NOT_FOUND, 255, 0]]; // no sensor on this board
    if (c.state !== STATE_IDLE) return wrongState(c.state);
    sensor.darkCalibrate(function (darkUfs: number) { config.set(CFG_DARK_UFS, 0, darkUfs); applyConfig(); });
    return OK;
  }
  if (id === MSG_REPL) {
    if (a[0] !== REPL_KEY) return badArgument(0, REPL_KEY);
    c.haltAll(false);
    setTimeout(consoleToUsb, 200);
    return OK;
  }
  return [MSG_ERROR, [ERR_UNKNOWN_MESSAGE, 255, id]];
}

let write = function (frame: string) {};
const link = new DeviceLink(function (frame: string) { write(frame); }, dispatch, function () { lastTrafficMs = nowMs(); });
sendEvent = function (id: number, values: any[]) { link.event(id, values); };

for (let i = 0; i < 2; i++) {
  controller.watchEndstop(hardware.endstops[2 * i], i, false);
  controller.watchEndstop(hardware.endstops[2 * i + 1], i, true);
}
for (let i = 0; i < hardware.stalls.length; i++) controller.watchStall(hardware.stalls[i], hardware.stallPumps[i]);
applyConfig();
if (loaded.corrupt) controller.fault(FAULT_CONFIG_CORRUPT, CAUSE_FLASH);
const port = openLink(boardProfile().link, function (chunk: string) { link.receive(chunk); });
write = function (frame: string) { port.write(frame); };
if (HAS_WATCHDOG) startWatchdog(5);
/** Memory is checked every MEMORY_CHECK_TICKS control ticks (process.memory() collects garbage first: not free). */
const MEMORY_CHECK_TICKS = 10;
let ticks = 0;
let memoryLow = false;
setInterval(function () {
  if (HAS_WATCHDOG) kickWatchdog();
  ticks++;
  if (ticks % MEMORY_CHECK_TICKS === 0) {
    const m = memory();
    memoryLow = guardMemory(controller, m[0], m[1], allocationFailed());
  }
  // "Host lost" means a host that opened a session went quiet: a benchtop run with no computer never trips it.
  const hostSilentMs = link.sessionOpen ? nowMs() - lastTrafficMs : 0;
  controller.tick(hostSilentMs, config.value(CFG_HOST_TIMEOUT_MS, 0), config.value(CFG_HOST_LOSS_POLICY, 0) === 0);
}, TICK_MS);

// The front panel: buttons and display work the rig through the same dispatch as the host.
const ui = new Ui({
  controller: controller, config: config, programs: programs, command: dispatch, nowMs: nowMs,
  hostSilentMs: function () { return link.sessionOpen ? nowMs() - lastTrafficMs : -1; },
  lastPl: function () { return lastPl; },
});
function buttonInputs(b: FirmwareProfile["buttons"]): DigitalInput[] {
  return [new EspruinoDigitalInput(b.up), new EspruinoDigitalInput(b.down), new EspruinoDigitalInput(b.select), new EspruinoDigitalInput(b.back)];
}
new Panel({
  inputs: buttonInputs(boardProfile().buttons),
  timers: ESPRUINO_TIMERS,
  onKey: function (key: number, repeat: number) { ui.key(key, repeat); },
});
openDisplay(boardProfile().display, function (screen) { ui.g = screen; });
// The panel's redraw is the extra shed while memory is low (its text lines are short-lived strings).
setInterval(function () { if (!memoryLow) ui.refresh(); }, 250);

/** RAM samples: what the variables left after everything else allow, keeping the run's reserve free. */
function ramSamples(): number {
  const m = memory();
  const spareVars = m[0] - Math.ceil((m[1] * RUN_RESERVE_PERCENT) / 100);
  const n = Math.floor((spareVars * m[2]) / SAMPLE_BYTES);
  return n < RAM_SAMPLES_MIN ? RAM_SAMPLES_MIN : n > RAM_SAMPLES_MAX ? RAM_SAMPLES_MAX : n;
}

// Built last, so its ring is sized from what the rest of the firmware left free.
const log = new SampleLog({
  store: store, capacity: ramSamples(), samplesPerFile: SPILL_SAMPLES, boot: bootCount,
  maxFiles: Math.max(1, Math.floor((store.free() - FLASH_RESERVE_BYTES) / 4096)),
});
