// Runs every benchmark and saves bench/results.json (npm run bench).
import { protocolBench } from "./protocol.bench.ts";
import { saveFigures } from "./report.ts";

protocolBench();
saveFigures();
