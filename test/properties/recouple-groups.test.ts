/**
 * docs/rules.md §8, `recoupleGroups`: re-coupling an account chunk by chunk (what `runBulk` does)
 * ends where turning the setting off at once ends. Over random snapshots with owners separate
 * (follower subsettings random), a random partition of the groups into chunks (each chunk's ids
 * in a random order, some groups left for the final command, sometimes an id that does not
 * exist), each chunk a `recoupleGroups`, then `updateSettings` off: the same final records, and
 * the same owner changes and follower removals as a multiset (ignoring versions and command ids).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkInvariants, execute, listContacts, toRecords, type Command, type CrmEvent, type CrmState } from "../../src/index.js";
import { arbState } from "../../src/testing/index.js";
import { SYSTEM } from "../helpers.js";
import { runs } from "./helpers.js";

const OFF: Command = { type: "updateSettings", allowDifferentOwners: false };
/** Chunk labels: 0..3 a chunk, LEFT the final command's. */
const LEFT = 4;

function apply(state: CrmState, commands: readonly Command[]): { state: CrmState; events: CrmEvent[] } {
  let current = state;
  const events: CrmEvent[] = [];
  for (const command of commands) {
    const result = execute(current, command, SYSTEM);
    if (!result.ok) throw new Error(`${command.type} refused: ${result.error.code} ${result.error.message}`);
    current = result.state;
    events.push(...result.events);
  }
  return { state: current, events };
}

/** The owner changes and follower removals, without what differs between one and many commands, sorted. */
const changes = (events: readonly CrmEvent[]): string[] =>
  events
    .filter((e) => e.type !== "SettingsChanged")
    .map(({ version: _v, commandId: _c, ...rest }) => JSON.stringify(rest))
    .sort();

const withoutVersion = (state: CrmState) => ({ ...toRecords(state), version: 0 });

describe("re-coupling in chunks of recoupleGroups ends as turning the setting off at once", () => {
  it("same final records, same owner changes and follower removals (multiset); no chunk adds a follow", () => {
    let chunkedEvents = 0;
    fc.assert(
      fc.property(
        arbState({ settings: "separate", maxContacts: 9, maxOpportunities: 12 }),
        fc.array(fc.integer({ min: 0, max: LEFT }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        (start, labels, flips) => {
          const contacts = listContacts(start).map((c) => c.id);
          const chunks: Command[] = [];
          for (let chunk = 0; chunk < LEFT; chunk++) {
            let ids = contacts.filter((_, i) => labels[i] === chunk);
            if (flips[chunk]) ids = [...ids].reverse();
            if (flips[LEFT] && chunk === 0) ids = [...ids, "no-such-contact"];
            if (ids.length > 0) chunks.push({ type: "recoupleGroups", contactIds: ids });
          }
          const whole = apply(start, [OFF]);
          const chunked = apply(start, [...chunks, OFF]);
          expect(withoutVersion(chunked.state)).toEqual(withoutVersion(whole.state));
          expect(changes(chunked.events)).toEqual(changes(whole.events));
          expect(chunked.events.some((e) => e.type === "FollowerAdded")).toBe(false);
          expect(checkInvariants(chunked.state)).toEqual([]);
          chunkedEvents += chunked.events.filter((e) => e.type !== "SettingsChanged").length;
        },
      ),
      runs(300),
    );
    // The property was not vacuous: chunks re-coupled something.
    expect(chunkedEvents).toBeGreaterThan(100);
  });
});
