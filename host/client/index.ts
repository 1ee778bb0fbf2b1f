// The client library's one entry, for Node and the browser alike: every module here runs on any Web-Serial-shaped transport.
export * from "./board-config.ts";
export * from "./calibration.ts";
export * from "./config-file.ts";
export * from "./connection.ts";
export * from "./flash.ts";
export * from "./flash-error.ts";
export * from "./interrupted.ts";
export * from "./programs.ts";
export * from "./pull-samples.ts";
export * from "./reconnect.ts";
export * from "./repl-lines.ts";
export * from "./run-recipe.ts";
export * from "./sample-sink.ts";
export * from "./selftest.ts";
export * from "./transport.ts";
export * from "./units.ts";
