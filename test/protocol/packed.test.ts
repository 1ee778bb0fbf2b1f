// Packed tables: entries and counts, and every packed table the firmware keeps agrees with its declared size.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { packedCount, packedEntry } from "../../protocol/packed.ts";
import { COMMAND_FORMATS, EVENT_FORMATS, RESPONSE_FORMATS } from "../../protocol/generated.ts";
import { MESSAGES } from "../../protocol/schema.ts";
import { formatOf } from "../../protocol/format.ts";
import { SYRINGE_CAPACITIES_UL, SYRINGE_COUNT, SYRINGE_DIAMETERS_UM, SYRINGE_NAMES } from "../../protocol/syringes.ts";
import { MENU_ITEMS, MENU_LABELS, MENU_PUMPS, MENU_SCREENS } from "../../firmware/ui/screens.ts";

test("entries, empty entries, and what lies past the end", () => {
  assert.is(packedEntry("a|bc||d", 0, "?"), "a");
  assert.is(packedEntry("a|bc||d", 1, "?"), "bc");
  assert.is(packedEntry("a|bc||d", 2, "?"), "");
  assert.is(packedEntry("a|bc||d", 3, "?"), "d");
  assert.is(packedEntry("a|bc||d", 4, "?"), "?");
  assert.is(packedEntry("a|bc||d", -1, "?"), "?");
  assert.is(packedCount("a|bc||d"), 4);
  assert.is(packedCount("abc"), 1);
  assert.is(packedCount(""), 1);
});

test("the generated format tables give each message's format by id", () => {
  for (const m of MESSAGES) {
    const [table, base] = m.kind === "command" ? [COMMAND_FORMATS, 0x01] : m.kind === "response" ? [RESPONSE_FORMATS, 0x40] : [EVENT_FORMATS, 0x80];
    assert.is(packedEntry(table, m.id - base, "?"), formatOf(m), m.name);
  }
});

test("the firmware's packed tables match their declared sizes", () => {
  assert.is(packedCount(SYRINGE_NAMES), SYRINGE_COUNT);
  assert.is(SYRINGE_DIAMETERS_UM.length, SYRINGE_COUNT);
  assert.is(SYRINGE_CAPACITIES_UL.length, SYRINGE_COUNT);
  assert.is(packedCount(MENU_LABELS), MENU_ITEMS);
  assert.is(MENU_SCREENS.length, MENU_ITEMS);
  assert.is(MENU_PUMPS.length, MENU_ITEMS);
});

test.run();
