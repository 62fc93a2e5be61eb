/**
 * `transferOwnership`'s `contactIds`: only the groups of those contacts move (one chunk of a
 * bulk run, docs/integration.md). Moving the owned groups chunk by chunk ends where one whole
 * transfer ends, and a chunk needs only its groups loaded.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createState, execute, LIMITS, listContacts, listOpportunities, listUsers, parseCommand, recordsNeeded, toRecords, type Command, type CrmState } from "../src/index.js";
import { arbState } from "../src/testing/index.js";
import { SYSTEM } from "./helpers.js";
import { partialRecords } from "./host-random.js";

const owners = (state: CrmState) => ({
  contacts: Object.fromEntries(listContacts(state).map((c) => [c.id, [c.ownerId, c.followers]])),
  opportunities: Object.fromEntries(listOpportunities(state).map((o) => [o.id, [o.ownerId, o.followers]])),
});

const state = createState({
  settings: { allowDifferentOwners: true },
  users: [{ id: "ana" }, { id: "ben" }],
  contacts: [
    { id: "c1", ownerId: "ana" },
    { id: "c2", ownerId: "ana" },
    { id: "c3", ownerId: "ben" },
  ],
  opportunities: [
    { id: "d1", contactId: "c1", ownerId: "ana" },
    { id: "d2", contactId: "c2", ownerId: "ana" },
    { id: "d3", contactId: "c3", ownerId: "ana" },
  ],
});

describe("transferOwnership with contactIds", () => {
  it("moves only the groups of the contacts named; an unknown contact is skipped", () => {
    const result = execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "ben", contactIds: ["c3", "nope", "c1", "c1"] }, SYSTEM);
    if (!result.ok) throw new Error(result.error.message);
    const after = owners(result.state);
    expect(after.contacts["c1"]?.[0]).toBe("ben");
    expect(after.opportunities["d1"]?.[0]).toBe("ben");
    expect(after.opportunities["d3"]?.[0]).toBe("ben");
    expect(after.contacts["c2"]?.[0]).toBe("ana");
    expect(after.opportunities["d2"]?.[0]).toBe("ana");
    // In the order named, each group once.
    expect(result.events.map((e) => ("opportunityId" in e ? e.opportunityId : "contactId" in e ? e.contactId : e.type))).toEqual(["d3", "c1", "d1"]);
  });

  it("an empty list moves nothing; a list longer than LIMITS.transferContactIds is refused naming the field", () => {
    const none = execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "ben", contactIds: [] }, SYSTEM);
    expect(none.ok && none.state).toBe(state);
    const tooMany = parseCommand({ type: "transferOwnership", fromUserId: "ana", toUserId: "ben", contactIds: Array.from({ length: LIMITS.transferContactIds + 1 }, (_, i) => `c${i}`) });
    expect(tooMany).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "contactIds" } });
    expect(parseCommand({ type: "transferOwnership", fromUserId: "ana", toUserId: "ben", contactIds: ["ok", 3] })).toMatchObject({
      ok: false,
      error: { code: "INVALID_COMMAND", field: "contactIds[1]" },
    });
  });

  it("recordsNeeded asks for those contacts only (load: records), not everything the user owns", () => {
    expect(recordsNeeded({ type: "transferOwnership", fromUserId: "ana", toUserId: "ben", contactIds: ["c1", "c2"] }, SYSTEM)).toEqual({
      load: "records",
      contactIds: ["c1", "c2"],
      opportunityIds: [],
      userIds: ["ana", "ben"],
      rotationIds: [],
      allUsers: false,
    });
  });

  it("property: moving the owned groups chunk by chunk (each chunk on its loaded groups alone) ends as one whole transfer", () => {
    fc.assert(
      fc.property(arbState({ maxContacts: 9, maxOpportunities: 12 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (start, size, includeClosed) => {
        const users = [...new Set(listContacts(start).map((c) => c.ownerId).filter((id): id is string => id !== null))];
        const from = users[0];
        const to = listContacts(start).length > 0 ? (listUsers(start).find((u) => u.id !== from && u.active)?.id ?? null) : null;
        if (from === undefined) return;
        const whole = execute(start, { type: "transferOwnership", fromUserId: from, toUserId: to, includeClosed }, SYSTEM);
        let current = start;
        const ids = listContacts(start).map((c) => c.id);
        for (let i = 0; i < ids.length; i += size) {
          const chunk: Command = { type: "transferOwnership", fromUserId: from, toUserId: to, includeClosed, contactIds: ids.slice(i, i + size) };
          const onWhole = execute(current, chunk, SYSTEM);
          const onPart = execute(createState(partialRecords(toRecords(current), recordsNeeded(chunk, SYSTEM))), chunk, SYSTEM);
          expect(onPart.ok).toBe(onWhole.ok);
          if (onWhole.ok && onPart.ok) expect(onPart.events).toEqual(onWhole.events);
          if (!onWhole.ok) return; // refused whole (e.g. an inactive target): the whole transfer too
          current = onWhole.state;
        }
        expect(whole.ok).toBe(true);
        if (whole.ok) expect(owners(current)).toEqual(owners(whole.state));
      }),
      { numRuns: 300 },
    );
  });
});
