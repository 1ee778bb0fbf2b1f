// The checks of `flowrig selftest` on a freshly wired rig: link, each pump's direction and endstops, the LED seen by the
// photodiode, dark level and headroom, the link's error counters. Each check is a pass/fail line with its figures.
import { STATE_FAULT, STATE_MANUAL } from "../../protocol/generated.ts";
import { PUMP_FLAGS } from "../../protocol/schema.ts";
import { causeName } from "../../protocol/names.ts";
import type { HostLink } from "../../protocol/host-link.ts";
import type { Body } from "../../protocol/messages.ts";
import { PUMP_NAMES, readConfig, writeConfig } from "./board-config.ts";
import type { Connection } from "./connection.ts";

export interface Check { name: string; pass: boolean; detail: string; values?: Record<string, unknown> }

/** How a person answers: a yes/no question, or waiting until they have done something (resolves when told to go on). */
export interface Operator {
  /** undefined when unattended (--yes): the check is made with the endstops instead of a person's eyes. */
  ask?: (question: string) => Promise<boolean>;
  say: (line: string) => void;
}

const flag = (name: string) => 1 << PUMP_FLAGS.find((f) => f.name === name)!.bit;
const pressed = (p: Body<"pumpStatus">) => ({ empty: (p.flags & flag("minEndstop")) !== 0, full: (p.flags & flag("maxEndstop")) !== 0 });

/** Polls until the pump's move has ended; returns the board's status then. */
async function moveEnded(link: HostLink): Promise<Body<"status">> {
  for (;;) {
    const s = await link.request("getStatus", {});
    if (s.state !== STATE_MANUAL) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Until `ms` of board time have passed (polling: the host's heartbeat too), whatever speed the board's clock runs at. */
async function waitBoard(link: HostLink, ms: number): Promise<void> {
  const start = (await link.request("getStatus", {})).timeMs;
  while (((await link.request("getStatus", {})).timeMs - start) >>> 0 < ms) await new Promise((r) => setTimeout(r, 20));
}

/**
 * One stroke longer than the syringe towards one end (the board told it is full, or empty, of a syringe 5 % longer than
 * it is, with no reserve, so the plunger surely gets there); which endstop tripped, and which read pressed after it.
 */
async function stroke(link: HostLink, pump: number, towardsEmpty: boolean, capacityUl: number, rate: number) {
  await writeConfig(link, "capacityUl", pump, Math.round(capacityUl * 1.05));
  await link.request("setVolume", { pump, volumeNl: towardsEmpty ? Math.round(capacityUl * 1.05) * 1000 : 0 });
  if (!towardsEmpty) await writeConfig(link, "capacityUl", pump, Math.round(capacityUl * 1.1)); // room to draw past the full end
  const now = await link.request("getPump", { pump });
  const steps = towardsEmpty ? now.positionSteps : Math.floor((Math.round(capacityUl * 1.1) * 1e6) / now.stepVolumePl);
  await link.request("jog", { pump, microsteps: towardsEmpty ? steps : -steps, rateUlPerH: rate });
  const status = await moveEnded(link);
  const tripped = status.state === STATE_FAULT ? causeName(status.cause) : undefined;
  if (status.state === STATE_FAULT) await link.request("clearFault", {});
  return { tripped, after: pressed(await link.request("getPump", { pump })) };
}

/** Unattended: drive each end in turn; the right endstop must stop the plunger, which proves the direction too. */
async function homePump(link: HostLink, pump: number): Promise<Check[]> {
  const name = PUMP_NAMES[pump];
  const saved = { syringe: await readConfig(link, "syringe", pump), capacityUl: await readConfig(link, "capacityUl", pump), reserveUl: await readConfig(link, "reserveUl", pump) };
  const rate = await readConfig(link, "maxRateUlPerH", pump);
  try {
    await writeConfig(link, "reserveUl", pump, 0);
    const out: Check[] = [];
    for (const empty of [true, false]) {
      const end = empty ? "empty" : "full";
      const other = empty ? "full" : "empty";
      const want = `pump${name}.${empty ? "min" : "max"}Endstop`;
      const { tripped, after } = await stroke(link, pump, empty, saved.capacityUl, rate);
      const pass = tripped === want || (tripped === undefined && after[end] && !after[other]); // stopped right at the end: no fault
      const detail = pass ? `${empty ? "infusing" : "withdrawing"} drove the plunger to the ${end}-end endstop, which stopped it`
        : after[other] ? `told to ${empty ? "infuse" : "withdraw"}, the plunger went to the ${other} end: the motor turns the wrong way (swap one coil pair, or config set invertDir 1 --pump ${name})`
        : `a full stroke towards the ${end} end never pressed its endstop: the ${end}-end switch is dead or not wired (or the motor did not move)`;
      out.push({ name: `pump ${name} ${empty ? "infuse" : "withdraw"} direction and ${end}-end endstop`, pass, detail, values: { tripped: tripped ?? null, after } });
    }
    return out;
  } finally {
    if (saved.syringe !== 0) await writeConfig(link, "syringe", pump, saved.syringe);
    else await writeConfig(link, "capacityUl", pump, saved.capacityUl);
    await writeConfig(link, "reserveUl", pump, saved.reserveUl);
    await link.request("setVolume", { pump, volumeNl: 0 }).catch(() => {});
  }
}

/** Attended: a short jog each way, the operator says which way it went; then presses each endstop by hand. */
async function guidePump(link: HostLink, pump: number, op: Required<Operator>): Promise<Check[]> {
  const name = PUMP_NAMES[pump];
  const rate = Math.min(await readConfig(link, "maxRateUlPerH", pump), 60_000);
  const out: Check[] = [];
  for (const infuse of [true, false]) {
    await link.request("jog", { pump, microsteps: infuse ? 1600 : -1600, rateUlPerH: rate });
    await moveEnded(link);
    const ok = await op.ask(`Did pump ${name}'s plunger move ${infuse ? "in (towards empty, pushing)" : "out (towards full, drawing)"}?`);
    out.push({ name: `pump ${name} ${infuse ? "infuse" : "withdraw"} direction`, pass: ok,
      detail: ok ? "confirmed by the operator" : `the operator saw it go the other way: config set invertDir 1 --pump ${name}` });
  }
  for (const end of ["empty", "full"] as const) {
    const seen = await op.ask(`Press pump ${name}'s ${end}-end endstop and hold it, then answer y`) &&
      pressed(await link.request("getPump", { pump }))[end];
    out.push({ name: `pump ${name} ${end}-end endstop`, pass: seen, detail: seen ? "read as pressed while held" : "not read as pressed: check its wire and pin" });
  }
  return out;
}

/** The photodiode with the LED modulated: LED-on minus LED-off well above its scatter, dark level, headroom to full scale. */
async function sensorChecks(link: HostLink): Promise<Check[]> {
  const saved = { samplePeriodMs: await readConfig(link, "samplePeriodMs", 0), sampleWindowMs: await readConfig(link, "sampleWindowMs", 0) };
  try {
    // 2 s windows: four times the default integration, half the noise of each reading.
    await writeConfig(link, "sampleWindowMs", 0, 10);
    await writeConfig(link, "samplePeriodMs", 0, 2000);
    await writeConfig(link, "sampleWindowMs", 0, 2000);
    return await measureSensor(link);
  } finally {
    await writeConfig(link, "sampleWindowMs", 0, 10);
    await writeConfig(link, "samplePeriodMs", 0, saved.samplePeriodMs);
    await writeConfig(link, "sampleWindowMs", 0, saved.sampleWindowMs);
  }
}

async function measureSensor(link: HostLink): Promise<Check[]> {
  const wait = (ms: number) => waitBoard(link, ms);
  const before = await readConfig(link, "darkUfs", 0);
  await link.request("darkCalibrate", {});
  const period = await readConfig(link, "samplePeriodMs", 0);
  let dark = before;
  for (let i = 0; i < 20 && dark === before; i++) { await wait(period); dark = await readConfig(link, "darkUfs", 0); }
  const readings: number[] = [];
  let lastTime = -1;
  while (readings.length < 48) { // 96 s of 2 s windows: the mean known to a few hundred µFS
    await wait(period);
    const s = await link.request("getStatus", {});
    if (s.timeMs - lastTime >= period) { readings.push(s.pl); lastTime = s.timeMs; }
  }
  const mean = readings.reduce((a, b) => a + b, 0) / readings.length;
  const sd = Math.sqrt(readings.reduce((a, b) => a + (b - mean) ** 2, 0) / (readings.length - 1));
  const seen = mean > 1000 && mean > 3 * (sd / Math.sqrt(readings.length)); // 3 standard errors above nothing
  const headroom = 1 - (dark + Math.max(0, mean)) / 1e6;
  return [
    { name: "LED on/off seen by the photodiode", pass: seen, values: { meanUfs: Math.round(mean), sdUfs: Math.round(sd), readings },
      detail: seen ? `LED-on minus LED-off ${Math.round(mean)} ± ${Math.round(sd)} µFS` : `LED-on minus LED-off ${Math.round(mean)} ± ${Math.round(sd)} µFS: the photodiode does not see the LED (its wiring, the MOSFET, or the LED faces away)` },
    { name: "dark level", pass: dark < 500_000, values: { darkUfs: dark }, detail: `${(dark / 1e4).toFixed(1)} % of full scale with the LED off${dark < 500_000 ? "" : ": too much stray light; close the cell"}` },
    { name: "saturation headroom", pass: headroom >= 0.2, values: { headroom }, detail: `${(headroom * 100).toFixed(1)} % of full scale left above the LED-on level${headroom >= 0.2 ? "" : ": lower the photodiode's gain"}` },
  ];
}

export interface SelftestResult { board: string; firmware: string; bootCount: number; startedIso: string; checks: Check[]; pass: boolean }

/** Runs every check; the pumps end idle with their configuration as found. */
export async function selftest(conn: Connection, op: Operator): Promise<SelftestResult> {
  const { link, identity } = conn;
  const startedIso = new Date().toISOString();
  const checks: Check[] = [{ name: "link and handshake", pass: true, detail: `${identity.board}, firmware ${identity.firmware}, boot ${identity.bootCount}, schema 0x${identity.schemaHash.toString(16)}` }];
  for (const pump of [0, 1]) {
    op.say(`pump ${PUMP_NAMES[pump]}…`);
    checks.push(...(op.ask === undefined ? await homePump(link, pump) : await guidePump(link, pump, op as Required<Operator>)));
  }
  op.say("sensor…");
  checks.push(...await sensorChecks(link));
  const rounds = 100;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await link.request("getStatus", {});
  const s = link.stats;
  // Damaged or lost frames fail it: the board NAKs a bad CRC and a gap (a lost frame), the host rejects bad replies.
  // Retransmissions with neither are late replies (a busy host or board), not a bad cable: counted, not failed.
  const clean = s.naksReceived === 0 && s.framesRejected === 0;
  checks.push({ name: "link error counters", pass: clean, values: { ...s },
    detail: `${s.framesSent} frames sent: ${s.retransmits} retransmitted, ${s.naksReceived} NAKs, ${s.framesRejected} bad frames received; ` +
      `${((performance.now() - t0) / rounds).toFixed(1)} ms a round trip${clean ? "" : ": check the cable, baud rate and grounding"}` });
  return { board: identity.board, firmware: identity.firmware, bootCount: identity.bootCount, startedIso, checks, pass: checks.every((c) => c.pass) };
}

/** The report a person reads (Markdown). */
export function selftestMarkdown(r: SelftestResult): string {
  return [`# flowrig selftest: ${r.pass ? "PASS" : "FAIL"}`, "", `Board ${r.board}, firmware ${r.firmware}, boot ${r.bootCount}, ${r.startedIso}.`, "",
    "| check | result | detail |", "|---|---|---|", ...r.checks.map((c) => `| ${c.name} | ${c.pass ? "pass" : "**FAIL**"} | ${c.detail.replace(/\|/g, "\\|")} |`), ""].join("\n");
}
