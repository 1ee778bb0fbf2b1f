// The operator at the virtual bench: loads each pump with the syringe and drive the board is configured for when a host sets its volume.
import { FrameReader } from "../../protocol/frame.ts";
import { decodeMessage } from "../../protocol/messages.ts";
import { CONFIG_KEYS } from "../../protocol/schema.ts";
import { SYRINGE_CAPACITIES_UL, SYRINGE_DIAMETERS_UM } from "../domain/syringes.ts";
import type { PumpMechanics, SyringePump } from "./rig/syringe-pump.ts";

type Geometry = { innerDiameterUm: number; capacityUl: number; stepsPerRev: number; microsteps: number; leadUm: number };
const GEOMETRY_KEYS = ["innerDiameterUm", "capacityUl", "stepsPerRev", "microsteps", "leadUm"] as const;
const keyName = (key: number) => CONFIG_KEYS.find((k) => k.key === key)?.name;
const defaultOf = (name: string) => CONFIG_KEYS.find((k) => k.name === name)!.default;

/** The mechanics that match a board's configuration, the plunger at `positionSteps` microsteps from empty. */
export function mechanicsFor(g: Geometry, positionSteps: number): PumpMechanics {
  const umPerMicrostep = g.leadUm / (g.stepsPerRev * g.microsteps);
  const areaUm2 = (Math.PI / 4) * g.innerDiameterUm ** 2;
  return {
    innerDiameterUm: g.innerDiameterUm, leadUm: g.leadUm, stepsPerRev: g.stepsPerRev, microsteps: g.microsteps,
    travelUm: (g.capacityUl * 1e9) / areaUm2, startPositionUm: Math.max(0, positionSteps) * umPerMicrostep,
  };
}

export interface Operator {
  /** Bytes the host sent the board. */
  fromHost(bytes: Uint8Array): void;
  /** Bytes the board sent the host. */
  fromBoard(bytes: Uint8Array): void;
}

/**
 * Follows the link as a person at the bench follows the screen: the configuration the board confirms (configValue
 * replies) and, when a host sets a pump's volume and the board accepts it, mounts the matching syringe filled to that
 * volume (as an operator loads the syringe the run asks for). Nothing is sent; the board is never touched.
 */
export function createOperator(pumps: readonly SyringePump[], onMount?: (pump: number, m: PumpMechanics) => void): Operator {
  const config: Geometry[] = pumps.map(() => Object.fromEntries(GEOMETRY_KEYS.map((k) => [k, defaultOf(k)])) as Geometry);
  const pendingVolume = new Map<number, number>(); // command seq → pump
  const hostFrames = new FrameReader((body) => {
    const m = decodeMessage(body[1], body, 2, body.length);
    if (m?.name === "setVolume") pendingVolume.set(body[0], m.body.pump as number);
  }, () => {});
  const boardFrames = new FrameReader((body) => {
    const m = decodeMessage(body[1], body, 2, body.length);
    if (m === undefined) return;
    if (m.name === "configValue") {
      const g = config[m.body.index as number];
      const name = keyName(m.body.key as number);
      const value = m.body.value as number;
      if (g === undefined || name === undefined) return;
      if (name === "syringe" && value > 0 && value < SYRINGE_DIAMETERS_UM.length) {
        g.innerDiameterUm = SYRINGE_DIAMETERS_UM[value];
        g.capacityUl = SYRINGE_CAPACITIES_UL[value];
      } else if ((GEOMETRY_KEYS as readonly string[]).includes(name)) {
        g[name as keyof Geometry] = value;
      }
    } else if (m.def.kind === "response" && pendingVolume.has(body[0])) {
      const pump = pendingVolume.get(body[0])!;
      pendingVolume.delete(body[0]); // refused (an error reply): nothing to load
      if (m.name !== "pumpStatus" || pump !== m.body.pump || pumps[pump] === undefined) return;
      const mechanics = mechanicsFor(config[pump], m.body.positionSteps as number);
      pumps[pump].mount(mechanics);
      onMount?.(pump, mechanics);
    }
  }, () => {});
  return { fromHost: (bytes) => hostFrames.pushAll(bytes), fromBoard: (bytes) => boardFrames.pushAll(bytes) };
}
