// Firmware entry: builds the board's hardware from its profile, runs the control tick and answers the protocol.
import profile from "board:profile";
import { DeviceLink } from "../protocol/device-link.ts";
import {
  CFG_HOST_LOSS_POLICY, CFG_HOST_TIMEOUT_MS, MSG_CLEAR_FAULT, MSG_CLOCK, MSG_CONFIG_DEFAULTS, MSG_CONFIG_GET,
  MSG_CONFIG_SET, MSG_ERROR, MSG_ESTOP, MSG_GET_CLOCK, MSG_GET_PUMP, MSG_GET_STATUS, MSG_IDENTIFY, MSG_IDENTITY,
  MSG_JOG, MSG_MOVE, MSG_PAUSE, MSG_REPL, MSG_RESUME, MSG_SET_FLOW, MSG_SET_VOLUME, MSG_STATUS, MSG_STOP,
  ERR_UNKNOWN_MESSAGE, PROTOCOL_VERSION, SCHEMA_HASH, STATE_RUNNING, STATE_PAUSED,
} from "../protocol/generated.ts";
import { MAX_PAYLOAD, REPL_KEY, WINDOW } from "../protocol/schema.ts";
import { Config } from "./config.ts";
import { Controller } from "./controller.ts";
import { consoleToUsb, kickWatchdog, memory, nowS, startWatchdog } from "./espruino/board.ts";
import { createHardware } from "./espruino/hardware.ts";
import { openLink } from "./espruino/link.ts";
import { PumpMotion } from "./motion.ts";
import { applyPumpConfig } from "./pump-config.ts";
import { badArgument, canStart, move, OK, pumpStatus, runControl, setFlow, setVolume, wrongState } from "./run-commands.ts";

const TICK_MS = 100;

function nowMs(): number {
  return Math.floor(nowS() * 1000);
}

const config = new Config();
const hardware = createHardware(profile);
const pumps = [new PumpMotion(hardware.outputs[0]), new PumpMotion(hardware.outputs[1])];
let lastTrafficMs = nowMs();
let sendEvent = function (id: number, values: any[]) {};
const controller = new Controller(pumps, nowMs, function (id: number, values: any[]) { sendEvent(id, values); });

function applyConfig(): void {
  applyPumpConfig(config, 0, pumps[0]);
  applyPumpConfig(config, 1, pumps[1]);
}

function identity(): any[] {
  return [MSG_IDENTITY, [PROTOCOL_VERSION, SCHEMA_HASH, FLOWRIG_VERSION, FLOWRIG_BOARD_ID, 2, 1, 0, MAX_PAYLOAD, WINDOW,
    profile.timerTickNs, 0, 0, 0]];
}

function status(): any[] {
  const now = nowMs();
  const c = controller;
  const mem = memory();
  const elapsed = c.elapsedMs(now);
  const running = c.state === STATE_RUNNING || c.state === STATE_PAUSED;
  const total = running ? c.totalMs() : 0;
  return [MSG_STATUS, [c.state, c.faults, c.cause, c.slot, c.segment, running ? (c.program as any).count : 0,
    elapsed, total > elapsed ? total - elapsed : 0, pumps[0].active ? pumps[0].rateAt(now) : 0,
    pumps[1].active ? pumps[1].rateAt(now) : 0, 0, 0, 0, link.eventSeq,
    mem[0] < 65535 ? mem[0] : 65535, mem[1] < 65535 ? mem[1] : 65535, now % 4294967296]];
}

function clock(): any[] {
  const t = nowS();
  const seconds = Math.floor(t);
  const micros = Math.round((t - seconds) * 1e6);
  return [MSG_CLOCK, [seconds % 4294967296, micros < 999999 ? micros : 999999]];
}

function configSet(key: number, index: number, value: number): any[] {
  if (!canStart(controller.state)) return wrongState(controller.state);
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
    return move(c, config, a[0], Math.round((a[1] * 1000) / pumps[a[0]].stepVolumePl), a[2], 1);
  }
  if (id === MSG_JOG) return move(c, config, a[0], a[1], a[2], 1);
  if (id === MSG_SET_VOLUME) return setVolume(c, config, a[0], a[1]);
  if (id === MSG_PAUSE) return runControl(c, "pause");
  if (id === MSG_RESUME) return runControl(c, "resume");
  if (id === MSG_STOP) return runControl(c, "stop");
  if (id === MSG_ESTOP) return runControl(c, "estop");
  if (id === MSG_CLEAR_FAULT) return runControl(c, "clearFault");
  if (id === MSG_REPL) {
    if (a[0] !== REPL_KEY) return badArgument(0, REPL_KEY);
    c.haltAll(false);
    setTimeout(consoleToUsb, 200);
    return OK;
  }
  return [MSG_ERROR, [ERR_UNKNOWN_MESSAGE, 255, id]];
}

let write = function (bytes: number[]) {};
const link = new DeviceLink(function (bytes: number[]) { write(bytes); }, dispatch, function () { lastTrafficMs = nowMs(); });
sendEvent = function (id: number, values: any[]) { link.event(id, values); };

for (let i = 0; i < 2; i++) {
  controller.watchEndstop(hardware.endstops[2 * i], i, false);
  controller.watchEndstop(hardware.endstops[2 * i + 1], i, true);
}
applyConfig();
write = openLink(profile.link, function (chunk: string) { link.receive(chunk); });
if (profile.hasWatchdog) startWatchdog(5);
setInterval(function () {
  if (profile.hasWatchdog) kickWatchdog();
  controller.tick(nowMs() - lastTrafficMs, config.value(CFG_HOST_TIMEOUT_MS, 0), config.value(CFG_HOST_LOSS_POLICY, 0) === 0);
}, TICK_MS);
