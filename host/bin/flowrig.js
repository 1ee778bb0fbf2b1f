#!/usr/bin/env node
// The flowrig command: loads the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
