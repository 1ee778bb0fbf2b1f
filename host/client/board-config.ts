// The board's configuration by key name, in one place for `config`, `run`, `calibrate` and `selftest`: values parsed and shown in their units, writes read back.
import { ERR_WRONG_STATE } from "../../protocol/generated.ts";
import { DeviceError, type HostLink } from "../../protocol/host-link.ts";
import { stateName } from "../../protocol/names.ts";
import { CONFIG_KEYS, type ConfigKeyDef } from "../../protocol/schema.ts";
import { SYRINGE_NAMES } from "../domain/syringes.ts";
import { formatFlowUlPerH, parseFlowUlPerH, parseVolumeNl } from "./units.ts";

export type ConfigKey = ConfigKeyDef;
export type ConfigKeyName = (typeof CONFIG_KEYS)[number]["name"];

/** Pump index → the name people use (pump A = 0, precursor; B = 1, antisolvent). */
export const PUMP_NAMES = ["A", "B"] as const;
const POLICIES = ["stop", "continue"];
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** A key by its name (case and spaces ignored); throws naming every key. */
export function configKey(name: string): ConfigKey {
  const key = CONFIG_KEYS.find((k) => norm(k.name) === norm(name));
  if (key === undefined) throw new Error(`unknown key "${name}"; keys: ${CONFIG_KEYS.map((k) => k.name).join(", ")}`);
  return key;
}

/** Largest value the board takes: the schema's max, or the syringe library's last index. */
export const maxOf = (k: ConfigKey) => (k.name === "syringe" ? SYRINGE_NAMES.length - 1 : k.max);
const withUnit = (k: ConfigKey, v: number) => (k.unit === "µL/h" ? `${v} µL/h (${formatFlowUlPerH(v)})` : ["index", "bool", "enum"].includes(k.unit) ? String(v) : `${v} ${k.unit}`);

/** A value as typed (or as found in a file) → the integer the board stores; throws naming the key and what is allowed. */
export function parseValue(k: ConfigKey, input: string | number | boolean): number {
  const text = String(input).trim();
  let value: number;
  if (k.name === "syringe" && !/^\d+$/.test(text)) {
    value = SYRINGE_NAMES.findIndex((n) => norm(n) === norm(text));
    if (value < 0) throw new Error(`syringe "${text}" is not in the library; give an index 0-${SYRINGE_NAMES.length - 1} or a name: ${SYRINGE_NAMES.join(", ")}`);
  } else if (k.unit === "bool" && /^(true|false|yes|no|on|off)$/i.test(text)) {
    value = /^(true|yes|on)$/i.test(text) ? 1 : 0;
  } else if (k.name === "hostLossPolicy" && POLICIES.includes(text.toLowerCase())) {
    value = POLICIES.indexOf(text.toLowerCase());
  } else if (k.unit === "µL/h" && /[a-zµμ]/i.test(text)) {
    value = parseFlowUlPerH(text);
  } else if (k.unit === "µL" && /[a-zµμ]/i.test(text)) {
    value = Math.round(parseVolumeNl(text) / 1000);
  } else if (/^[+-]?\d+$/.test(text)) {
    value = Number(text);
  } else {
    const words = k.unit === "bool" ? " (or true/false)" : k.name === "hostLossPolicy" ? " (or stop/continue)" : k.unit === "µL/h" ? " (or a flow such as 60mL/h)" : k.unit === "µL" ? " (or a volume such as 10mL)" : "";
    throw new Error(`${k.name} takes an integer in ${k.unit}${words}, got "${text}"`);
  }
  if (value < k.min || value > maxOf(k)) {
    const side = value < k.min ? `below the minimum ${withUnit(k, k.min)}` : `above the limit ${withUnit(k, maxOf(k))}`;
    throw new Error(`${k.name} ${withUnit(k, value)} is ${side}; allowed ${k.min} to ${maxOf(k)}${k.unit === "index" || k.unit === "enum" ? "" : ` ${k.unit}`}`);
  }
  return value;
}

/** How a value reads for people: "7 (BD 60 mL)", "0 (stop)", "6000000 µL/h (6000 mL/h)". */
export function showValue(k: ConfigKey, v: number): string {
  if (k.name === "syringe") return `${v} (${SYRINGE_NAMES[v] ?? "?"})`;
  if (k.name === "hostLossPolicy") return `${v} (${POLICIES[v] ?? "?"})`;
  if (k.unit === "bool") return `${v} (${v === 1 ? "yes" : "no"})`;
  return withUnit(k, v);
}

/** The indices a key applies to: both pumps (or the one asked for) for a pump key, 0 for a board-wide key. */
export const keyIndices = (k: ConfigKey, pump?: number) => (k.scope !== "pump" ? [0] : pump === undefined ? [0, 1] : [pump]);

/** How a value is kept in a saved file: names where a chemist reads names, integers otherwise. */
export const fileValue = (k: ConfigKey, v: number): string | number | boolean =>
  k.name === "syringe" ? SYRINGE_NAMES[v] ?? v : k.name === "hostLossPolicy" ? POLICIES[v] ?? v : k.unit === "bool" ? v === 1 : v;

/** "pump A maxRateUlPerH", or the key's name for a board-wide key: where a value is, in messages. */
export const where = (k: ConfigKey, index: number) => (k.scope === "pump" ? `pump ${PUMP_NAMES[index]} ${k.name}` : k.name);

const keyOf = (k: ConfigKey | ConfigKeyName) => (typeof k === "string" ? configKey(k) : k);

/** The value the board holds for a key (index: the pump, 0 for board-wide keys). */
export async function readConfig(link: HostLink, k: ConfigKey | ConfigKeyName, index: number): Promise<number> {
  return (await link.request("configGet", { key: keyOf(k).key, index })).value;
}

/** Writes, then reads back with configGet; the value read back must be the value written. A refusal says why, in the key's words. */
export async function writeConfig(link: HostLink, k: ConfigKey | ConfigKeyName, index: number, value: number): Promise<number> {
  const key = keyOf(k);
  try {
    await link.request("configSet", { key: key.key, index, value });
  } catch (e) {
    if (e instanceof DeviceError) {
      e.message = e.code === ERR_WRONG_STATE ? `${where(key, index)} cannot change while the board is ${stateName(e.limit)}: stop first (flowrig stop)`
        : `the board refused ${where(key, index)} = ${value}: ${e.message}`;
    }
    throw e;
  }
  const back = await readConfig(link, key, index);
  if (back !== value) throw new Error(`${where(key, index)}: wrote ${value} but the board reads back ${back}`);
  return back;
}
