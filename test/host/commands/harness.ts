// Test harness for the command tests: the real flowrig bin as a subprocess, and `flowrig sim` to talk to.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const bin = fileURLToPath(new URL("../../../host/bin/flowrig.js", import.meta.url));
export const env = { ...process.env, NO_COLOR: "1" };

/** Three 10 s steps sampled at 4 Hz: 120 samples in 30 s of board time (the run and pull tests' recipe). */
export const TINY = {
  name: "TINY", description: "test: three 10 s steps at 4 Hz",
  pumps: { precursor: { syringe: "BD 10 mL", loadedMl: 10 }, antisolvent: { syringe: "BD 60 mL", loadedMl: 50 } },
  tube: { lengthMm: 100 },
  steps: [
    { label: "a", precursorMlPerH: 10, antisolventMlPerH: 100, durationS: 10, settleS: 2 },
    { label: "b", precursorMlPerH: 20, antisolventMlPerH: 100, durationS: 10, settleS: 2 },
    { label: "c", precursorMlPerH: 30, antisolventMlPerH: 100, durationS: 10, settleS: 2 },
  ],
  sensor: { samplePeriodS: 0.25, sampleWindowS: 0.1 },
};

/** SIGTERM, and resolves when the process has exited (at once if it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** Runs `flowrig …args` to its exit. */
export function flowrig(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs `flowrig …args --json`, expects exit 0, and parses every stdout line. */
export async function flowrigJson(...args: string[]): Promise<any[]> {
  const r = await flowrig(...args, "--json");
  if (r.status !== 0) throw new Error(`flowrig ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split("\n").map((line) => JSON.parse(line));
}

export interface Sim {
  child: ChildProcess; port: string; listening: Record<string, unknown>; stop(): Promise<void>;
  /** Resolves at the first JSON line of the sim (seen already or to come) that matches. */
  waitFor(pred: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves once no client is connected (the sim serves one at a time): as many disconnected lines as connected. */
  idle(): Promise<void>;
}

/** Starts `flowrig sim … --json` and resolves once its listening line is out; `port` is what --port takes. */
export function startSim(...args: string[]): Promise<Sim> {
  const child = spawn(process.execPath, [bin, "sim", "--json", "--speed", "20", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => { if (child.exitCode === null && child.signalCode === null) { child.kill("SIGTERM"); await exited; } };
  const lines: Record<string, unknown>[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; done: (l: Record<string, unknown>) => void }[] = [];
  const waitFor = (pred: (l: Record<string, unknown>) => boolean) => new Promise<Record<string, unknown>>((done) => {
    const seen = lines.find(pred);
    if (seen !== undefined) done(seen); else waiters.push({ pred, done });
  });
  const count = (event: string) => lines.filter((l) => l.event === event).length;
  const isIdle = () => count("connected") === count("disconnected");
  const idleWaiters: (() => void)[] = [];
  const idle = () => new Promise<void>((done) => { if (isIdle()) done(); else idleWaiters.push(done); });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      lines.push(record);
      for (const w of waiters.splice(0)) if (w.pred(record)) w.done(record); else waiters.push(w);
      if (isIdle()) for (const done of idleWaiters.splice(0)) done();
      if (record.event !== "listening") return;
      const port = record.transport === "tcp" ? String(record.url) : String(record.path);
      resolve({ child, port, listening: record, stop, waitFor, idle });
    });
    child.once("exit", (code) => reject(new Error(`flowrig sim exited (${code}) before listening: ${stderr}`)));
  });
}
