// The configuration in force: one value per key (two for pump keys), range-checked against the schema's table.
import {
  CFG_CAPACITY_UL, CFG_INNER_DIAMETER_UM, CFG_SYRINGE, CONFIG_TABLE, ERR_BAD_ARGUMENT, MSG_CONFIG_VALUE, MSG_ERROR,
} from "../protocol/generated.ts";
import { SYRINGE_CAPACITIES_UL, SYRINGE_COUNT, SYRINGE_DIAMETERS_UM } from "../protocol/syringes.ts";

const COLUMNS = 5;
const SCOPE_PUMP = 0;

export class Config {
  /** Two slots per key (pump A, pump B); keys that are not per pump use slot 0 (a typed array: 4 bytes a value on the board). */
  values: Int32Array;

  constructor() {
    this.values = new Int32Array((CONFIG_TABLE.length / COLUMNS) * 2);
    this.reset();
  }

  /** Every key back to its default. */
  reset(): void {
    for (let row = 0; row < CONFIG_TABLE.length; row += COLUMNS) {
      this.values[(row / COLUMNS) * 2] = CONFIG_TABLE[row + 4];
      this.values[(row / COLUMNS) * 2 + 1] = CONFIG_TABLE[row + 4];
    }
  }

  /** Table row offset of `key`, or -1. */
  rowOf(key: number): number {
    for (let row = 0; row < CONFIG_TABLE.length; row += COLUMNS) if (CONFIG_TABLE[row] === key) return row;
    return -1;
  }

  value(key: number, index: number): number {
    return this.values[(this.rowOf(key) / COLUMNS) * 2 + index];
  }

  /** Checks key and index; returns an error reply or undefined. */
  checkAddress(key: number, index: number): any[] | undefined {
    const row = this.rowOf(key);
    if (row < 0) return [MSG_ERROR, [ERR_BAD_ARGUMENT, 0, CONFIG_TABLE[CONFIG_TABLE.length - COLUMNS]]];
    const maxIndex = CONFIG_TABLE[row + 1] === SCOPE_PUMP ? 1 : 0;
    if (index > maxIndex) return [MSG_ERROR, [ERR_BAD_ARGUMENT, 1, maxIndex]];
    return undefined;
  }

  get(key: number, index: number): any[] {
    const bad = this.checkAddress(key, index);
    if (bad !== undefined) return bad;
    return [MSG_CONFIG_VALUE, [key, index, this.value(key, index)]];
  }

  /** Range-checks and applies a value; a refused value changes nothing. Replies as configSet does. */
  set(key: number, index: number, value: number): any[] {
    const bad = this.checkAddress(key, index);
    if (bad !== undefined) return bad;
    const row = this.rowOf(key);
    let max = CONFIG_TABLE[row + 3];
    if (key === CFG_SYRINGE) max = SYRINGE_COUNT - 1;
    if (value < CONFIG_TABLE[row + 2]) return [MSG_ERROR, [ERR_BAD_ARGUMENT, 2, CONFIG_TABLE[row + 2]]];
    if (value > max) return [MSG_ERROR, [ERR_BAD_ARGUMENT, 2, max]];
    this.values[(row / COLUMNS) * 2 + index] = value;
    if (key === CFG_SYRINGE && value !== 0) {
      this.store(CFG_INNER_DIAMETER_UM, index, SYRINGE_DIAMETERS_UM[value]);
      this.store(CFG_CAPACITY_UL, index, SYRINGE_CAPACITIES_UL[value]);
    } else if (key === CFG_INNER_DIAMETER_UM || key === CFG_CAPACITY_UL) {
      this.store(CFG_SYRINGE, index, 0); // a hand-set size is a custom syringe
    }
    return [MSG_CONFIG_VALUE, [key, index, value]];
  }

  store(key: number, index: number, value: number): void {
    this.values[(this.rowOf(key) / COLUMNS) * 2 + index] = value;
  }
}
