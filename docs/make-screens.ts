// Regenerates docs/screens/*.png: the front panel's main screens on the virtual rig, each reached by a press script.
//
//   npx tsx docs/make-screens.ts [--board espruino-pico] [--seed 1]
//
// Each screen boots a fresh virtual board, lets it run 1 s, optionally prepares it as a host would (over the
// protocol, in virtual time), then runs its press script (host/sim/panel-script.ts); the script's `shot:` saves the
// PNG. Whatever the firmware shows is captured: if the menus change, adjust the scripts below.
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_BOARD } from "../boards/load.ts";
import { CFG_HOST_TIMEOUT_MS, SCHEMA_HASH } from "../protocol/generated.ts";
import { handshake } from "../protocol/handshake.ts";
import { HostLink } from "../protocol/host-link.ts";
import { loadProgram } from "../host/client/programs.ts";
import { runPanelScript } from "../host/sim/panel-script.ts";
import { seededRandom } from "../host/sim/random.ts";
import { bootVirtualRig, type VirtualRig } from "../host/sim/virtual-rig.ts";
import { settle, virtualLinkClock } from "../host/sim/virtual-time.ts";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "screens");
const BOOT_MS = 1000;
/** The default bench's BD 10 mL syringes, full. */
const FULL_NL = 10_000_000;

/** A host session on the board's link, in virtual time: what a setup step sends. */
type Host = (link: HostLink) => Promise<unknown>;

interface Screen {
  file: string;
  /** What it shows, for the log. */
  about: string;
  /** Sent over the protocol before the script, as `flowrig` on a PC would. */
  host?: Host;
  script: string;
}

/** Both syringes full (the firmware boots believing them empty); the PC then leaves and the pumps carry on. */
const fillSyringes: Host = async (link) => {
  for (const pump of [0, 1]) await link.request("setVolume", { pump, volumeNl: FULL_NL });
  await link.request("configSet", { key: CFG_HOST_TIMEOUT_MS, index: 0, value: 0 });
};

/** Ten minutes at 6 / 3 mL/h after a 10 s ramp, then the reverse: long enough to stay running while the shot is taken. */
const loadDemoProgram: Host = async (link) => {
  await fillSyringes(link);
  await loadProgram(link, 0, "demo sweep", [
    { durationMs: 600_000, rateA: 6000, rateB: 3000, rampMs: 10_000, tag: 1 },
    { durationMs: 600_000, rateA: 3000, rateB: 6000, rampMs: 10_000, tag: 2 },
  ]);
};

const SCREENS: Screen[] = [
  { file: "home.png", about: "home: state, host link, syringes, PL", script: "wait:500ms,shot:home.png" },
  { file: "menu.png", about: "the menu (select on home), cursor moved down twice", script: "select,down,down,shot:menu.png" },
  { file: "manual.png", about: "Manual flow: rate A raised by holding up, then B", script: "select,down,select,hold:up:2s,select,up,up,up,shot:manual.png" },
  { file: "manual-running.png", about: "manual flow started (select on B), back on home", host: fillSyringes, script: "select,down,select,hold:up:2s,select,up,up,up,select,back,back,wait:1s,shot:manual-running.png" },
  { file: "run.png", about: "a stored program started from Run program", host: loadDemoProgram, script: "select,select,select,wait:20s,shot:run.png" },
  { file: "fault.png", about: "the back+select e-stop chord: fault screen", script: "chord:back+select,wait:500ms,shot:fault.png" },
];

async function prepare(v: VirtualRig, host: Host, seed: number): Promise<void> {
  const link = new HostLink((bytes) => v.emu.host.write(bytes), { clock: virtualLinkClock(v.clock) });
  v.emu.host.onData((bytes) => link.feed(bytes));
  await settle(v.clock, (async () => {
    await handshake(link, SCHEMA_HASH, seededRandom(seed));
    await host(link);
  })());
}

const { values } = parseArgs({ options: { board: { type: "string", default: DEFAULT_BOARD }, seed: { type: "string", default: "1" } } });
const seed = Number(values.seed);
const hashes = new Map<string, string>();
for (const screen of SCREENS) {
  const v = await bootVirtualRig({ boardId: values.board, seed });
  v.clock.runFor(BOOT_MS * 1000);
  if (screen.host !== undefined) await prepare(v, screen.host, seed);
  const run = runPanelScript(v, screen.script, { outDir });
  for (const shot of run.shots) {
    const notes: string[] = [];
    if (shot.frame === 0) notes.push("the firmware has drawn nothing yet");
    const same = hashes.get(shot.hash);
    if (same !== undefined) notes.push(`same picture as ${same}`);
    hashes.set(shot.hash, shot.file);
    process.stdout.write(`${relative(process.cwd(), shot.path)}  ${screen.about} (${(shot.timeUs / 1e6).toFixed(1)} s)` +
      `${notes.length > 0 ? `  !! ${notes.join("; ")}` : ""}\n`);
  }
  for (const e of run.errors) process.stderr.write(`${screen.file}: firmware error at ${(e.timeUs / 1e6).toFixed(3)} s: ${e.text}\n`);
}
