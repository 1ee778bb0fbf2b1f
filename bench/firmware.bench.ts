// Firmware figures: minified bundle size per board, and RAM (JS variables) in use on the virtual Pico after boot.
import { listBoards, loadBoard } from "../boards/load.ts";
import { buildFirmware, FIRMWARE_ENTRY } from "../host/build/bundle.ts";
import { bootVirtualRig } from "../host/sim/virtual-rig.ts";
import { figure } from "./report.ts";

export async function firmwareBench(): Promise<void> {
  for (const id of listBoards()) {
    const profile = loadBoard(id);
    if (profile.runtime !== "espruino") continue;
    const { bytes } = await buildFirmware({ entry: FIRMWARE_ENTRY, boardId: id });
    figure(`firmware.bundle.${id}`, bytes, "bytes");
    figure(`firmware.bundle_share_of_flash.${id}`, (100 * bytes) / profile.flashStorageBytes, "%");
  }
  const v = await bootVirtualRig({ boardId: "espruino-pico" });
  v.clock.runFor(2e6);
  const memory = v.emu.memory();
  figure("firmware.pico_variables_used", memory.usage, "variables");
  figure("firmware.pico_variables_total", memory.total, "variables");
}
