// Runs every benchmark and saves bench/results.json (npm run bench; FLOWRIG_BENCH_SECONDS shortens the timing runs).
import { cliBench } from "./cli.bench.ts";
import { firmwareBench } from "./firmware.bench.ts";
import { plBench } from "./pl.bench.ts";
import { protocolBench } from "./protocol.bench.ts";
import { saveFigures } from "./report.ts";
import { timingBench } from "./timing.bench.ts";

protocolBench();
await firmwareBench();
await plBench();
await timingBench();
await cliBench();
saveFigures();
