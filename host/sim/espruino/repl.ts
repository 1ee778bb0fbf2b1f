// Espruino's REPL on the console device (src/jsinteractive.c: jsiHandleChar, jsiHandleNewLine, jsiConsoleRemoveInputLine/
// ReturnInputLine, the Ctrl-C flag handled at the end of jsiLoop), plus load(), reset() and echo(); its text rules: repl-text.ts.
import vm from "node:vm";
import type { Board } from "./index.ts";
import { countBrackets, formatResult } from "./repl-text.ts";
import { PowerCutSignal } from "./runtime.ts";

const CTRL_C = 0x03;
const DLE = 0x10;

/** What jsiSemiInit prints after reset() (echo on, nothing loaded from flash). */
const BANNER =
  "\n" +
  " ____                 _ \n" +
  "|  __|___ ___ ___ _ _|_|___ ___ \n" +
  "|  __|_ -| . |  _| | | |   | . |\n" +
  "|____|___|  _|_| |___|_|_|_|___|\n" +
  "         |_| espruino.com\n" +
  " 2v29 (c) 2025 G.Williams\n" +
  "\n";

type InputState = "none" | "hadR" | "esc" | "esc79" | "csi" | "csiNumber";

/** The interactive console: bytes from the console device in, echo / results / errors / prompt out. */
export class Repl {
  private line = "";
  private state: InputState = "none";
  /** echo(0): no echo, no results, no prompt. */
  private echoOff = false;
  /** A line that started with 0x10: that line runs without echo or result. */
  private echoOffForLine = false;
  /** The prompt and input line are not on the terminal (they come back at the end of the idle pass). */
  private removed = true;
  private returnPending = false;
  /** Handling console input now: load()/reset() wait for the end of this idle pass. */
  private inInput = false;
  private todo: { what: "load" | "reset"; arg: unknown } | undefined;

  constructor(private readonly board: Board) {
    board.serial.consoleInput = (bytes) => this.input(bytes);
    board.serial.beforeConsoleOutput = () => this.removeInputLine();
    board.serial.consoleEcho = () => this.echo();
  }

  /** jsiSoftKill/jsiSoftInit: the input line is dropped on load(), reset(), reboot. */
  reset(): void {
    this.line = "";
    this.state = "none";
    this.echoOffForLine = false;
    this.removed = true;
    this.returnPending = false;
    this.todo = undefined;
  }

  /** Defines Espruino's REPL globals `load`, `reset` and `echo` in a fresh context. */
  installGlobals(ctx: vm.Context): void {
    const install = vm.runInContext(`(function (h) {
      globalThis.load = function load(filename) { h.todo("load", filename === undefined ? undefined : String(filename)); };
      globalThis.reset = function reset(clearFlash) { h.todo("reset", !!clearFlash); };
      globalThis.echo = function echo(echoOn) { h.echo(!!echoOn); };
    })`, ctx) as (h: object) => void;
    install({
      todo: (what: string, arg: unknown) => {
        this.todo = { what: what as "load" | "reset", arg };
        if (!this.inInput) this.runTodo();
      },
      echo: (on: boolean) => { this.echoOff = !on; },
    });
  }

  echo(): boolean {
    return !this.echoOff && !this.echoOffForLine;
  }

  private showLine(): boolean {
    return this.echo() && !this.removed;
  }

  private write(text: string): void {
    this.board.serial.consoleWrite(text.replace(/\n/g, "\r\n"));
  }

  /** Bytes that arrived on the console device, handled in one idle-loop pass (we are inside runJs). */
  input(bytes: ArrayLike<number>): void {
    let ctrlC = false;
    this.inInput = true;
    try {
      for (let i = 0; i < bytes.length; i++) {
        const ch = bytes[i];
        // jshPushIOCharEvent: Ctrl-C never reaches the queue, it sets EXEC_CTRL_C (handled at the end of jsiLoop).
        if (ch === CTRL_C) { ctrlC = true; continue; }
        this.handleChar(ch);
        if (this.board.rt.dead) return;
      }
    } finally {
      this.inInput = false;
    }
    // jsiIdle ends with the pending load()/reset(); jsiLoop then clears a Ctrl-C'd line and returns the prompt.
    if (this.todo !== undefined) { this.runTodo(); return; }
    if (ctrlC) this.clearInputLine(true);
    this.returnInputLine();
  }

  private handleChar(ch: number): void {
    const c = String.fromCharCode(ch);
    if (ch === 0) { this.state = "none"; return; }
    if (ch === 1 || ch === 4 || ch === 5) return; // Ctrl-A/D/E: the cursor always sits at the end here
    if (ch === 21 || ch === 23) { this.clearInputLine(true); return; } // Ctrl-U / Ctrl-W
    if (ch === 27) { this.state = "esc"; return; }
    if (this.state === "esc") {
      this.state = ch === 79 ? "esc79" : ch === 91 ? "csi" : "none";
      if (ch === 10) this.handleNewLine(false); // Alt-Enter: a newline without running
      return;
    }
    if (this.state === "esc79") { this.state = "none"; return; } // numpad keys: ignored
    if (this.state === "csi") { this.state = ch >= 48 && ch <= 57 ? "csiNumber" : "none"; return; } // cursor keys, history: ignored
    if (this.state === "csiNumber") { if (!(ch >= 48 && ch <= 57)) this.state = "none"; return; }
    if (ch === DLE && this.line.length === 0) { this.echoOffForLine = true; return; }
    const hadR = this.state === "hadR";
    this.state = "none";
    if (ch === 0x08 || ch === 0x7f) this.backspace();
    else if (ch === 10 && hadR) return; // \r\n: already handled on \r
    else if (ch === 13 || ch === 10) {
      if (ch === 13) this.state = "hadR";
      this.handleNewLine(true);
    } else if (ch === 9) {
      if (!this.echo()) this.append("    "); // with echo on, Tab asks for completion: nothing to complete here
    } else if (ch >= 32) this.append(c);
  }

  private append(s: string): void {
    this.line += s;
    if (this.showLine()) this.write(s);
  }

  private backspace(): void {
    if (this.line.length === 0) return;
    const deleted = this.line[this.line.length - 1];
    this.line = this.line.slice(0, -1);
    if (!this.showLine()) return;
    if (deleted === "\n") this.write("\x08 \x1B[A"); // back up to the previous line (jsiHandleDelete on a newline)
    else this.write("\x08 \x08");
  }

  private handleNewLine(execute: boolean): void {
    if (!execute || countBrackets(this.line) > 0) {
      // Brackets aren't all closed: append a newline without executing.
      if (this.showLine()) this.write("\n:");
      this.line += "\n";
      return;
    }
    if (this.showLine()) this.write("\n");
    if (!this.echoOffForLine) this.removed = true;
    const code = this.line.replace(/\s+$/, "");
    this.line = "";
    this.execute(code);
    this.echoOffForLine = false;
  }

  /** jspEvaluateVar + jsiCheckErrors: the result as `=value` unless echo is off or it threw (then `Uncaught …`). */
  private execute(code: string): void {
    const b = this.board;
    const ctx = b.ctx;
    if (ctx === undefined) return;
    let result: unknown;
    try {
      result = vm.runInContext(code, ctx, { filename: "REPL" });
    } catch (e) {
      if (e instanceof PowerCutSignal) throw e;
      b.rt.report(e);
      return;
    }
    if (this.echo()) this.write(`=${formatResult(result)}\n`);
  }

  /** jsiConsoleRemoveInputLine: before anything else is printed, the prompt and the typed line are wiped. */
  removeInputLine(): void {
    if (this.removed) return;
    this.removed = true;
    if (this.echo()) {
      const last = this.line.slice(this.line.lastIndexOf("\n") + 1);
      const n = last.length;
      this.write("\x1B[D".repeat(n) + " ".repeat(n) + "\x08".repeat(n) + "\x08");
    }
    this.scheduleReturn();
  }

  /** jsiConsoleReturnInputLine: the prompt (and what was typed so far) comes back. */
  returnInputLine(): void {
    this.returnPending = false;
    if (!this.removed) return;
    this.removed = false;
    if (this.echo()) this.write(">" + this.line.replace(/\n/g, "\n:"));
  }

  /** jsiClearInputLine */
  private clearInputLine(updateConsole: boolean): void {
    if (updateConsole) this.removeInputLine();
    this.line = "";
  }

  /** The next pass of the idle loop puts the prompt back (jsiLoop ends with jsiConsoleReturnInputLine). */
  private scheduleReturn(): void {
    if (this.returnPending) return;
    this.returnPending = true;
    const rt = this.board.rt;
    rt.atIrq(rt.clock.nowUs(), () => { if (this.returnPending) this.returnInputLine(); });
  }

  /**
   * load()/reset() only act when the interpreter is back in its idle loop (JSIS_TODO_FLASH_LOAD / JSIS_TODO_RESET):
   * after what is running now and the output it queued; then the prompt returns on whichever console is current.
   */
  private runTodo(): void {
    const todo = this.todo;
    if (todo === undefined) return;
    const b = this.board;
    const gen = b.rt.generation;
    b.rt.clock.after(0, () => {
      if (gen !== b.rt.generation || b.rt.dead || this.todo !== todo) return;
      this.todo = undefined;
      if (todo.what === "load") {
        b.boot({ soft: true, file: todo.arg as string | undefined });
      } else {
        if (todo.arg === true) for (const name of b.flash.list(undefined)) b.flash.erase(name); // reset(true) clears flash too
        b.freshContext(true);
        // jsiSemiInit with echo on: the logo, then the prompt.
        if (this.echo()) this.write(BANNER);
      }
      this.removed = true;
      this.scheduleReturn();
    });
  }
}
