/**
 * Item 2 of issue 12, host side: turning separate owners off needs only the groups it changes
 * (`load: "recoupling"`): the split groups and those with an `automation` follow, each whole.
 * Executing it on those groups gives the very events (and refusals) it gives on the whole account.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createState, execute, recordsNeeded, toRecords, type Command, type CommandContext, type CrmState } from "../src/index.js";
import { arbScenario, runSequence } from "../src/testing/index.js";
import { as, SYSTEM } from "./helpers.js";
import { initialRecords, partialRecords, prng, randomCommand, randomContext, recouplingGroups } from "./host-random.js";

const OFF: Command = { type: "updateSettings", allowDifferentOwners: false };

/** Re-couples `state` whole and on what `recordsNeeded` names; both must agree. */
function compare(state: CrmState, command: Command | readonly Command[], context: CommandContext) {
  const list = Array.isArray(command) ? command : [command];
  const all = toRecords(state);
  const needed = recordsNeeded(list, context);
  expect(needed.load).toBe("recoupling");
  const partial = createState(partialRecords(all, needed));
  const whole = list.length === 1 ? execute(state, list[0] as Command, context) : executeBatch(state, list, context);
  const onPart = list.length === 1 ? execute(partial, list[0] as Command, context) : executeBatch(partial, list, context);
  expect(onPart.ok).toBe(whole.ok);
  if (whole.ok && onPart.ok) expect(onPart.events).toEqual(whole.events);
  if (!whole.ok && !onPart.ok) expect(onPart.error).toEqual(whole.error);
  return { whole, partial };
}

function executeBatch(state: CrmState, commands: readonly Command[], context: CommandContext) {
  let current = state;
  const events = [];
  for (const command of commands) {
    const result = execute(current, command, context);
    if (!result.ok) return result;
    current = result.state;
    events.push(...result.events);
  }
  return { ok: true as const, state: current, events };
}

describe("re-coupling loads only the groups it changes", () => {
  it("loads the split group and the group with an automatic follow, not the others, and re-couples exactly as on the whole account", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "ana", role: "admin" }, { id: "ben" }, { id: "cy" }],
      contacts: [
        { id: "split", ownerId: "ana" },
        { id: "auto", ownerId: "ben", followers: [{ userId: "cy", source: "automation" }] },
        { id: "autoDeal", ownerId: "ben" },
        { id: "plain", ownerId: "ana", followers: [{ userId: "cy", source: "manual" }] },
        { id: "unowned", ownerId: null },
      ],
      opportunities: [
        { id: "d1", contactId: "split", ownerId: "ben" },
        { id: "d2", contactId: "autoDeal", ownerId: "ben", followers: [{ userId: "ana", source: "automation" }] },
        { id: "d3", contactId: "plain", ownerId: "ana" },
        { id: "d4", contactId: "unowned", ownerId: null },
      ],
    });
    expect([...recouplingGroups(toRecords(state))].sort()).toEqual(["auto", "autoDeal", "split"]);
    const { whole, partial } = compare(state, OFF, as("ana"));
    expect(whole.ok && whole.events.length).toBeGreaterThan(0);
    expect(toRecords(partial).contacts.map((c) => c.id).sort()).toEqual(["auto", "autoDeal", "split"]);
  });

  it("a group split by a null owner (an unowned deal under an owned contact) is split", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "ana" }],
      contacts: [{ id: "acme", ownerId: "ana" }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: null }],
    });
    expect([...recouplingGroups(toRecords(state))]).toEqual(["acme"]);
    compare(state, OFF, SYSTEM);
  });

  it("on 400 seeded random accounts (commands applied first), the same events or the same refusal as on the whole account", () => {
    let changed = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rng = prng(seed);
      let state = createState(initialRecords(rng));
      for (let i = 0; i < 25; i++) {
        const result = execute(state, randomCommand(rng, state.version), randomContext(rng));
        if (result.ok) state = result.state;
      }
      const context = rng.chance(0.7) ? SYSTEM : randomContext(rng);
      // Sometimes in a batch: what the batch's other commands name is loaded too.
      const batch: Command[] = rng.chance(0.3) ? [randomCommand(rng, state.version), OFF] : [OFF];
      const { whole } = compare(state, batch.length === 1 ? OFF : batch, context);
      if (whole.ok && whole.events.length > 0) changed++;
    }
    // The comparison means something: many of those runs re-coupled groups.
    expect(changed).toBeGreaterThan(50);
  });

  it("property: for any scenario, re-coupling on the loaded groups equals re-coupling on the whole account", async () => {
    await fc.assert(
      fc.asyncProperty(arbScenario({ settings: "separate", splitGroups: true }, { maxLength: 8 }), async ({ records, commands, contexts }) => {
        const { state } = await runSequence(createState(records), commands, { context: contexts });
        compare(state, OFF, SYSTEM);
      }),
      { numRuns: 150 },
    );
  });
});
