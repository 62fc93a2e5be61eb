/**
 * docs/rules.md §1: snapshots — createState's defaults and refusals, toRecords, the selectors,
 * partial snapshots, hostile ids, and immutability.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkInvariants,
  createState,
  execute,
  getContact,
  getOpportunity,
  getSettings,
  getUser,
  listContacts,
  listOpportunities,
  opportunitiesOfContact,
  toRecords,
  type Command,
  type ContactInit,
  type CrmRecordsInit,
  type CrmState,
} from "../src/index.js";
import { account, anyFrozen, COUPLED, firstUnfrozen, owners, run, SEPARATE, snapshotError, USERS, SYSTEM } from "./helpers.js";
import { given } from "./spec.js";
import { arbRecords } from "../src/testing/index.js";

describe("createState defaults (docs/rules.md §1)", () => {
  const state = createState({
    users: [{ id: "ana" }],
    contacts: [{ id: "acme" }],
    opportunities: [{ id: "d1", contactId: "acme" }],
  });

  it("a user is active, role user and scope all unless given", () => {
    expect(getUser(state, "ana")).toEqual({ id: "ana", active: true, role: "user", scope: "all" });
  });

  it("a contact is unassigned, without followers, listing its opportunities", () => {
    expect(getContact(state, "acme")).toEqual({ id: "acme", ownerId: null, followers: [], opportunityIds: ["d1"] });
  });

  it("an opportunity is open, unassigned, without followers", () => {
    expect(getOpportunity(state, "d1")).toEqual({ id: "d1", contactId: "acme", ownerId: null, followers: [], status: "open" });
  });

  it("settings are all off, with at most 10 followers, and the version is 0", () => {
    expect(getSettings(state)).toEqual({
      allowDifferentOwners: false,
      updateContactFollowersOnOpportunityOwnerChange: false,
      updateOpportunityFollowersOnContactOwnerChange: false,
      maxFollowers: 10,
    });
    expect(state.version).toBe(0);
  });

  it("given settings and version are kept, the rest defaulted", () => {
    const given = createState({ version: 7, settings: { allowDifferentOwners: true }, users: [], contacts: [], opportunities: [] });
    expect(given.version).toBe(7);
    expect(getSettings(given)).toMatchObject({ allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: false, maxFollowers: 10 });
  });

  it("an inactive user is kept as such", () => {
    expect(getUser(account(), "gone")?.active).toBe(false);
  });
});

describe("toRecords (docs/rules.md §1)", () => {
  const init: CrmRecordsInit = {
    version: 3,
    settings: { allowDifferentOwners: true, maxFollowers: 4 },
    users: [{ id: "cy" }, { id: "ana", role: "admin" }, { id: "ben", scope: "assigned", active: false }],
    contacts: [
      { id: "zeta", ownerId: "cy", followers: [{ userId: "ana", source: "automation" }, { userId: "cy", source: "manual" }] },
      { id: "alpha", ownerId: null },
    ],
    opportunities: [
      { id: "o3", contactId: "alpha", ownerId: "ana", status: "won" },
      { id: "o1", contactId: "zeta", ownerId: "cy", followers: [{ userId: "ben", source: "manual" }] },
      { id: "o2", contactId: "zeta", ownerId: null, status: "lost" },
    ],
  };

  it("returns every record in the order given, with defaults filled in", () => {
    const records = toRecords(createState(init));
    expect(records.users.map((u) => u.id)).toEqual(["cy", "ana", "ben"]);
    expect(records.contacts.map((c) => c.id)).toEqual(["zeta", "alpha"]);
    expect(records.opportunities.map((o) => o.id)).toEqual(["o3", "o1", "o2"]);
    expect(records.contacts[0]?.followers).toEqual(init.contacts[0]?.followers);
    expect(records.opportunities[0]).toEqual({ id: "o3", contactId: "alpha", ownerId: "ana", followers: [], status: "won" });
    expect(records.version).toBe(3);
    expect(records.settings.maxFollowers).toBe(4);
  });

  it("a contact's opportunityIds follow the order of opportunities, then creation order", () => {
    const state = run(createState(init), { type: "createOpportunity", opportunityId: "o0", contactId: "zeta" }).state;
    expect(getContact(state, "zeta")?.opportunityIds).toEqual(["o1", "o2", "o0"]);
    expect(opportunitiesOfContact(state, "zeta").map((o) => o.id)).toEqual(["o1", "o2", "o0"]);
    expect(listOpportunities(state).map((o) => o.id)).toEqual(["o3", "o1", "o2", "o0"]);
    expect(listContacts(run(state, { type: "createContact", contactId: "a0" }).state).map((c) => c.id)).toEqual(["zeta", "alpha", "a0"]);
  });

  it("createState(toRecords(s)) is equivalent to s, also through JSON", () => {
    const state = run(
      createState(init),
      { type: "createContact", contactId: "beta", ownerId: "cy", followerIds: ["ana"] },
      { type: "createOpportunity", opportunityId: "o4", contactId: "beta" },
    ).state;
    const records = toRecords(state);
    expect(toRecords(createState(records))).toEqual(records);
    expect(toRecords(createState(JSON.parse(JSON.stringify(records)) as CrmRecordsInit))).toEqual(records);
    expect(createState(records).version).toBe(state.version);
  });

  it("returns plain copies: changing them does not change the snapshot", () => {
    const state = createState(init);
    const records = toRecords(state);
    expect(anyFrozen(records)).toBe(false);
    (records.contacts[0]?.followers as unknown[]).length = 0;
    expect(getContact(state, "zeta")?.followers).toHaveLength(2);
  });
});

describe("selectors (docs/rules.md §1)", () => {
  const state = account(SEPARATE, {
    contacts: [{ id: "acme", ownerId: "ana" }, { id: "bolt", ownerId: "ben" }],
    opportunities: [
      { id: "d1", contactId: "acme", ownerId: "ana" },
      { id: "b1", contactId: "bolt", ownerId: "cy" },
      { id: "d2", contactId: "acme", ownerId: "ben" },
    ],
  });

  it("getContact returns the contact with all of its opportunityIds", () => {
    expect(getContact(state, "acme")).toEqual({ id: "acme", ownerId: "ana", followers: [], opportunityIds: ["d1", "d2"] });
  });

  it("getOpportunity, getUser and getSettings return the record", () => {
    expect(getOpportunity(state, "b1")).toEqual({ id: "b1", contactId: "bolt", ownerId: "cy", followers: [], status: "open" });
    expect(getUser(state, "ben")).toEqual({ id: "ben", active: true, role: "user", scope: "all" });
    expect(getSettings(state).allowDifferentOwners).toBe(true);
  });

  it("listContacts, listOpportunities and opportunitiesOfContact keep the order", () => {
    expect(listContacts(state).map((c) => c.id)).toEqual(["acme", "bolt"]);
    expect(listOpportunities(state).map((o) => o.id)).toEqual(["d1", "b1", "d2"]);
    expect(opportunitiesOfContact(state, "acme").map((o) => o.id)).toEqual(["d1", "d2"]);
  });

  it("return undefined (or nothing) for a missing record", () => {
    expect(getContact(state, "nope")).toBeUndefined();
    expect(getOpportunity(state, "nope")).toBeUndefined();
    expect(getUser(state, "nope")).toBeUndefined();
    expect(getContact(state, "d1")).toBeUndefined();
    expect(opportunitiesOfContact(state, "nope")).toEqual([]);
  });
});

describe("partial snapshots (docs/rules.md §1)", () => {
  /** acme lists d1, d2 and d3, but the host loaded d1 and d2 only. */
  function partial(settings: CrmRecordsInit["settings"] = {}, acme: Partial<ContactInit> = {}): CrmState {
    return account(settings, {
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d1", "d2", "d3"], ...acme }, { id: "bolt", ownerId: "ben" }],
    });
  }

  it("keeps the contact's full list; selectors return the loaded opportunities only", () => {
    const state = partial();
    expect(getContact(state, "acme")?.opportunityIds).toEqual(["d1", "d2", "d3"]);
    expect(opportunitiesOfContact(state, "acme").map((o) => o.id)).toEqual(["d1", "d2"]);
    expect(getOpportunity(state, "d3")).toBeUndefined();
  });

  const mustTouchAll: [string, CrmRecordsInit["settings"], Command][] = [
    ["coupled: assigning the contact's owner", COUPLED, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }],
    ["coupled: assigning an opportunity's owner", COUPLED, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }],
    ["coupled: a new opportunity with another owner", COUPLED, { type: "createOpportunity", opportunityId: "d9", contactId: "acme", ownerId: "ben" }],
    ["deleting the contact", SEPARATE, { type: "deleteContact", contactId: "acme" }],
    ["turning allowDifferentOwners off", SEPARATE, { type: "updateSettings", allowDifferentOwners: false }],
    [
      "separate, opportunity followers follow the contact owner: assigning the contact's owner",
      { ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true },
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
    ],
    [
      "separate, contact followers follow opportunity owners: a deal's new owner (reasons depend on every deal's owner)",
      { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true },
      { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" },
    ],
    [
      "separate, a follower subsetting on: a new opportunity",
      { ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true },
      { type: "createOpportunity", opportunityId: "d9", contactId: "acme", ownerId: "ben" },
    ],
  ];
  it.each(mustTouchAll)("%s fails with INCOMPLETE_SNAPSHOT naming the missing ids", (_, settings, command) => {
    const state = partial(settings);
    const error = given(state).when(command).thenError({ code: "INCOMPLETE_SNAPSHOT", id: "acme", missingIds: ["d3"] });
    expect(error.message).toContain('"d3"');
  });

  it("separate, contact followers follow opportunity owners: the previous owner's automatic follow needs every opportunity", () => {
    const settings = { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true };
    const state = partial(settings, { ownerId: "cy", followers: [{ userId: "ana", source: "automation" }] });
    // Whether ana still owns another opportunity of acme depends on d3, which is not loaded.
    given(state).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).thenError({
      code: "INCOMPLETE_SNAPSHOT",
      missingIds: ["d3"],
    });
  });

  const touchOne: [string, CrmRecordsInit["settings"], Command][] = [
    ["separate: assigning the contact's owner", SEPARATE, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }],
    ["separate: assigning a loaded opportunity's owner", SEPARATE, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }],
    ["separate: a new opportunity with another owner", SEPARATE, { type: "createOpportunity", opportunityId: "d9", contactId: "acme", ownerId: "ben" }],
    ["coupled: a new opportunity taking the contact's owner", COUPLED, { type: "createOpportunity", opportunityId: "d9", contactId: "acme" }],
    ["following the contact", COUPLED, { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }],
    ["following a loaded opportunity", COUPLED, { type: "addFollower", record: { kind: "opportunity", id: "d2" }, userId: "ben" }],
    ["closing a loaded opportunity", COUPLED, { type: "setOpportunityStatus", opportunityId: "d2", status: "won" }],
    ["deleting a loaded opportunity", COUPLED, { type: "deleteOpportunity", opportunityId: "d2" }],
    ["coupled: assigning another contact's owner", COUPLED, { type: "assignContactOwner", contactId: "bolt", ownerId: "cy" }],
    ["turning allowDifferentOwners on", COUPLED, { type: "updateSettings", allowDifferentOwners: true }],
  ];
  it.each(touchOne)("%s succeeds: it needs no other opportunity of the contact", (_, settings, command) => {
    const result = execute(partial(settings), command, SYSTEM);
    expect(result.ok ? "accepted" : result.error.code).toBe("accepted");
    expect(result.ok && result.events.length).toBeGreaterThan(0);
  });

  it("a loaded opportunity deleted from a partial contact leaves the unloaded id listed", () => {
    const state = run(partial(), { type: "deleteOpportunity", opportunityId: "d2" }).state;
    expect(getContact(state, "acme")?.opportunityIds).toEqual(["d1", "d3"]);
  });

  const namingUnloaded: [string, Command][] = [
    ["assignOpportunityOwner", { type: "assignOpportunityOwner", opportunityId: "d3", ownerId: "ben" }],
    ["setOpportunityStatus", { type: "setOpportunityStatus", opportunityId: "d3", status: "won" }],
    ["deleteOpportunity", { type: "deleteOpportunity", opportunityId: "d3" }],
    ["addFollower", { type: "addFollower", record: { kind: "opportunity", id: "d3" }, userId: "ben" }],
    ["removeFollower", { type: "removeFollower", record: { kind: "opportunity", id: "d3" }, userId: "ben" }],
    ["addOpportunityOwner", { type: "addOpportunityOwner", opportunityId: "d3", userId: "ben" }],
    ["removeOpportunityOwner", { type: "removeOpportunityOwner", opportunityId: "d3" }],
  ];
  it.each(namingUnloaded)(
    "%s naming an opportunity the contact lists but the snapshot did not load is INCOMPLETE_SNAPSHOT (the host's bug), never a not-found a store would remember",
    (_, command) => {
      for (const actor of [{ system: "test" }, { userId: "ana" }] as const) {
        const result = execute(partial(SEPARATE), command, { actor });
        expect(result.ok ? "accepted" : result.error).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", id: "d3", missingIds: ["d3"] });
      }
      // A scoped actor who sees neither the contact nor the deal gets the same answer: it names
      // only the id they sent, not the contact that lists it.
      const records = toRecords(partial(SEPARATE));
      const scoped = createState({ ...records, users: [...records.users, { id: "sam", active: true, role: "user", scope: "assigned" }] });
      const refused = execute(scoped, command, { actor: { userId: "sam" } });
      const bySystem = execute(partial(SEPARATE), command, SYSTEM);
      if (refused.ok || bySystem.ok) throw new Error("accepted");
      if (refused.error.code !== "FORBIDDEN") expect(refused.error).toEqual(bySystem.error);
      expect(JSON.stringify(refused)).not.toContain("acme");
      // An id nobody lists is still not found.
      const unknown = JSON.parse(JSON.stringify(command).replace('"d3"', '"d7"')) as Command;
      expect(execute(partial(SEPARATE), unknown, SYSTEM)).toMatchObject({ ok: false, error: { code: "OPPORTUNITY_NOT_FOUND", id: "d7" } });
    },
  );

  it("creating an opportunity with an id the contact lists but the snapshot did not load is ALREADY_EXISTS", () => {
    given(partial()).when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme" }).thenError({
      code: "ALREADY_EXISTS",
      id: "d3",
    });
  });
});

describe("createState refuses an unsound snapshot with one error listing every problem (docs/rules.md §1)", () => {
  it("duplicate ids, unknown owner and follower, dangling contactId, and an unlisted opportunity", () => {
    const error = snapshotError({
      users: [{ id: "ana" }, { id: "ana" }],
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "acme", ownerId: "ana" },
        { id: "bolt", ownerId: "zed", followers: [{ userId: "yoyo", source: "manual" }] },
        { id: "cora", ownerId: null, opportunityIds: ["c1"] },
      ],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "d2", contactId: "nowhere" },
        { id: "c1", contactId: "cora" },
        { id: "c2", contactId: "cora", ownerId: "xavier" },
      ],
    });
    const paths = error.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "users[1].id",
        "contacts[1].id",
        "contacts[2].ownerId",
        "contacts[2].followers[0].userId",
        "opportunities[1].id",
        "opportunities[2].contactId",
        "contacts[3].opportunityIds",
        "opportunities[4].ownerId",
      ]),
    );
    expect(error.problems).toHaveLength(8);
    expect(error.moreProblems).toBe(0);
    // The problems name every id at fault; the message, one line, names the first and the count.
    const details = error.problems.map((p) => p.message).join(" ");
    for (const id of ['"ana"', '"acme"', '"zed"', '"yoyo"', '"d1"', '"nowhere"', '"c2"', '"xavier"']) expect(details).toContain(id);
    expect(error.message).toBe('Invalid snapshot (8 problems): users[1].id: duplicate user id "ana"; and 7 more in problems.');
    expect(error.name).toBe("InvalidSnapshotError");
  });

  it("names every repeated opportunity id at its later record, in record order with the other problems, however many", () => {
    // Repeats are found as the table is built (no Map while reading), across buckets and
    // branches; they still come in record order, after the record's own problems.
    const ids = Array.from({ length: 600 }, (_, i) => (i % 7 === 6 ? `d${i - 5}` : `d${i}`));
    const error = snapshotError({
      users: [],
      contacts: [{ id: "acme" }],
      opportunities: ids.map((id, i) => ({ id, contactId: "acme", ...(i % 10 === 6 && { ownerId: "nobody" }) })),
    });
    const expected = ids.flatMap((id, i) => [
      ...(i % 10 === 6 ? [{ path: `opportunities[${i}].ownerId`, message: expect.stringContaining('unknown user "nobody"') }] : []),
      ...(ids.indexOf(id) < i ? [{ path: `opportunities[${i}].id`, message: `duplicate opportunity id "${id}"` }] : []),
    ]);
    expect(expected.length).toBeGreaterThan(100);
    expect(error.problems).toEqual(expected.slice(0, 100));
    expect(error.moreProblems).toBe(expected.length - 100);
  });

  it("opportunities in any order find their contact; each one of a missing contact is named, in a row or not", () => {
    const error = snapshotError({
      users: [],
      contacts: [{ id: "acme" }, { id: "bolt" }],
      opportunities: [
        { id: "o1", contactId: "gone" },
        { id: "o2", contactId: "gone" },
        { id: "o3", contactId: "acme" },
        { id: "o4", contactId: "gone" },
      ],
    });
    expect(error.problems.map((p) => p.path)).toEqual(["opportunities[0].contactId", "opportunities[1].contactId", "opportunities[3].contactId"]);
    const state = createState({
      users: [],
      contacts: [{ id: "acme" }, { id: "bolt" }],
      opportunities: ["acme", "bolt", "bolt", "acme", "bolt"].map((contactId, i) => ({ id: `o${i}`, contactId })),
    });
    expect(getContact(state, "acme")?.opportunityIds).toEqual(["o0", "o3"]);
    expect(getContact(state, "bolt")?.opportunityIds).toEqual(["o1", "o2", "o4"]);
  });

  it("opportunities in the contacts' order, around a repeated contact and a missing one, find their contact and its list", () => {
    // The next contact in order is tried before the lookup: a repeat is not in the table, a
    // missing contact has no place, and each contact's own list of ids is checked.
    const records = {
      users: [],
      contacts: [{ id: "acme" }, { id: "acme" }, { id: "bolt", opportunityIds: ["o1", "o9"] }, { id: "cole" }],
      opportunities: [
        { id: "o0", contactId: "acme" },
        { id: "o1", contactId: "bolt" },
        { id: "o2", contactId: "cole" },
        { id: "o3", contactId: "gone" },
        { id: "o4", contactId: "cole" },
        { id: "o5", contactId: "bolt" },
        { id: "o6", contactId: "acme" },
      ],
    };
    const error = snapshotError(records);
    expect(error.problems.map((p) => [p.path, p.message])).toEqual([
      ["contacts[1].id", expect.stringContaining("duplicate contact id")],
      ["opportunities[3].contactId", expect.stringContaining("not in the snapshot")],
      ["contacts[2].opportunityIds", expect.stringContaining('does not list opportunity "o5"')],
    ]);
    const state = createState({ ...records, contacts: [{ id: "acme" }, { id: "bolt", opportunityIds: ["o5", "o1"] }, { id: "cole" }], opportunities: records.opportunities.filter((o) => o.contactId !== "gone") });
    expect(getContact(state, "acme")?.opportunityIds).toEqual(["o0", "o6"]);
    expect(getContact(state, "bolt")?.opportunityIds).toEqual(["o5", "o1"]);
    expect(getContact(state, "cole")?.opportunityIds).toEqual(["o2", "o4"]);
    expect(getOpportunity(state, "o4")?.contactId).toBe("cole");
  });

  it("a departed user must be kept as an inactive one, not left out", () => {
    const error = snapshotError({ users: [], contacts: [{ id: "acme", ownerId: "gone" }], opportunities: [] });
    expect(error.problems).toEqual([{ path: "contacts[0].ownerId", message: expect.stringContaining("inactive") }]);
    expect(() => createState({ users: [{ id: "gone", active: false }], contacts: [{ id: "acme", ownerId: "gone" }], opportunities: [] })).not.toThrow();
  });

  it("a contact listing another contact's opportunity is refused", () => {
    const error = snapshotError({
      users: [],
      contacts: [{ id: "acme", opportunityIds: ["d1", "b1"] }, { id: "bolt" }],
      opportunities: [
        { id: "d1", contactId: "acme" },
        { id: "b1", contactId: "bolt" },
      ],
    });
    expect(error.problems.map((p) => p.path)).toEqual(["contacts[0].opportunityIds"]);
  });

  it("malformed settings, follows and rotations are named field by field", () => {
    const error = snapshotError({
      settings: { maxFollowers: -1, allowDifferentOwners: "yes", colour: "red" } as never,
      users: [{ id: "ana" }],
      contacts: [{ id: "acme", followers: [{ userId: "ana", source: "robot" }, { source: "manual" }, "ana", { userId: "ana", source: "manual" }] as never }],
      opportunities: [],
      rotations: [{ id: "r", picks: 1.5 }, { id: "r" }, { id: "r" }, { picks: 2 }] as never,
    });
    expect(error.problems.map((p) => p.path)).toEqual([
      "settings.maxFollowers",
      "settings.allowDifferentOwners",
      "settings.colour",
      "contacts[0].followers[0].source",
      "contacts[0].followers[1].userId",
      "contacts[0].followers[2]",
      "contacts[0].followers[3].userId",
      "rotations[0].picks",
      "rotations[1].id",
      "rotations[2].id",
      "rotations[3].id",
    ]);
    expect(snapshotError({ settings: [] as never, users: [], contacts: [], opportunities: [] }).problems.map((p) => p.path)).toEqual(["settings"]);
  });
});

describe("owners that break the coupled rule are accepted (docs/rules.md §1)", () => {
  const legacy = () =>
    account(COUPLED, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "d2", contactId: "acme", ownerId: "ben" },
      ],
    });

  it("createState accepts them and checkInvariants reports them", () => {
    const violations = checkInvariants(legacy());
    expect(violations).toEqual([expect.objectContaining({ rule: "owners-coupled", record: { kind: "opportunity", id: "d2" } })]);
  });

  it("the group's next contact owner change realigns it", () => {
    const { state } = given(legacy()).when({ type: "assignContactOwner", contactId: "acme", ownerId: "cy" }).then([
      "ContactOwnerChanged acme ana→cy command",
      "OpportunityOwnerChanged d1 ana→cy owners-coupled",
      "OpportunityOwnerChanged d2 ben→cy owners-coupled",
    ]);
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "cy", d1: "cy", d2: "cy" });
    expect(checkInvariants(state)).toEqual([]);
  });

  it("the group's next opportunity owner change realigns it", () => {
    const { state } = run(legacy(), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" });
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
    expect(checkInvariants(state)).toEqual([]);
  });
});

describe('"__proto__", "constructor" and "toString" are ordinary ids (docs/rules.md §14)', () => {
  const ids = ["__proto__", "constructor", "toString"] as const;

  it.each(ids)("%s works as a user, contact and opportunity id, without polluting anything", (id) => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const base = createState({ users: [{ id }, { id: "ana" }], contacts: [], opportunities: [] });
    expect(getContact(base, id)).toBeUndefined();
    expect(getOpportunity(base, id)).toBeUndefined();
    expect(getUser(base, "hasOwnProperty")).toBeUndefined();

    const { state } = run(
      base,
      { type: "createContact", contactId: id, ownerId: id, followerIds: ["ana"] },
      { type: "createOpportunity", opportunityId: id, contactId: id },
      { type: "assignOpportunityOwner", opportunityId: id, ownerId: "ana" },
      { type: "addFollower", record: { kind: "opportunity", id }, userId: id },
    );
    expect(getContact(state, id)).toEqual({ id, ownerId: "ana", followers: [{ userId: "ana", source: "manual" }], opportunityIds: [id] });
    expect(getOpportunity(state, id)).toEqual({ id, contactId: id, ownerId: "ana", followers: [{ userId: id, source: "manual" }], status: "open" });
    expect(getUser(state, id)?.id).toBe(id);
    expect(listContacts(state).map((c) => c.id)).toEqual([id]);

    const records = toRecords(state);
    expect(toRecords(createState(JSON.parse(JSON.stringify(records)) as CrmRecordsInit))).toEqual(records);
    expect(run(state, { type: "deleteContact", contactId: id }).state).not.toBe(state);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>)["ownerId"]).toBeUndefined();
  });

  it("a snapshot given with those ids round-trips", () => {
    const init: CrmRecordsInit = {
      users: ids.map((id) => ({ id })),
      contacts: [{ id: "__proto__", ownerId: "constructor", followers: [{ userId: "toString", source: "automation" }] }],
      opportunities: [{ id: "constructor", contactId: "__proto__", ownerId: "constructor" }],
    };
    const state = createState(init);
    expect(getContact(state, "__proto__")?.opportunityIds).toEqual(["constructor"]);
    expect(toRecords(state).contacts).toEqual([{ ...init.contacts[0], opportunityIds: ["constructor"] }]);
    expect(checkInvariants(state)).toEqual([]);
  });
});

describe("immutability (docs/rules.md §1, §2)", () => {
  it("a snapshot from createState is deeply frozen, and so is one from execute", () => {
    const state = account();
    expect(firstUnfrozen(state)).toBeUndefined();
    const next = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, { type: "createContact", contactId: "new", followerIds: ["cy"] }).state;
    expect(firstUnfrozen(next)).toBeUndefined();
    expect(Object.isFrozen(getContact(next, "new")?.followers)).toBe(true);
  });

  it("createState neither freezes nor keeps the objects it is given", () => {
    const init = {
      settings: { allowDifferentOwners: true },
      users: USERS.map((u) => ({ ...u })),
      contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" as const }], opportunityIds: ["d1"] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", followers: [{ userId: "cy", source: "automation" as const }] }],
    };
    const copy = structuredClone(init);
    const state = createState(init);
    expect(anyFrozen(init)).toBe(false);
    expect(init).toEqual(copy);

    init.contacts[0]!.ownerId = "cy";
    init.contacts[0]!.followers.push({ userId: "dee", source: "manual" });
    init.contacts[0]!.opportunityIds.push("d9");
    init.opportunities[0]!.followers[0]!.userId = "dee";
    init.users[0]!.id = "renamed";
    init.settings.allowDifferentOwners = false;
    expect(getContact(state, "acme")).toEqual({ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" }], opportunityIds: ["d1"] });
    expect(getOpportunity(state, "d1")?.followers).toEqual([{ userId: "cy", source: "automation" }]);
    expect(getUser(state, "ana")).toBeDefined();
    expect(getSettings(state).allowDifferentOwners).toBe(true);
  });
});

describe("equal follower lists are one frozen array (createState, docs/performance.md)", () => {
  const follows = (...ids: string[]) => ids.map((userId) => ({ userId, source: "manual" as const }));

  it("records with the same follows share one list; another order, source or user is another list; a change copies", () => {
    const state = createState({
      users: USERS,
      contacts: [
        { id: "a", ownerId: "ana", followers: follows("ben", "cy") },
        { id: "b", ownerId: "ana", followers: follows("ben", "cy") },
        { id: "c", ownerId: "ana", followers: follows("cy", "ben") },
        { id: "d", ownerId: "ana", followers: [{ userId: "ben", source: "automation" }, { userId: "cy", source: "manual" }] },
      ],
      opportunities: [{ id: "d1", contactId: "a", ownerId: "ana", followers: follows("ben", "cy") }],
    });
    const list = (id: string) => getContact(state, id)?.followers;
    expect(list("b")).toBe(list("a"));
    expect(getOpportunity(state, "d1")?.followers).toBe(list("a"));
    expect(list("c")).not.toBe(list("a"));
    expect(list("d")).not.toBe(list("a"));
    expect(list("c")).toEqual(follows("cy", "ben"));
    expect(firstUnfrozen(state)).toBeUndefined();

    const next = run(state, { type: "removeFollower", record: { kind: "contact", id: "a" }, userId: "ben" }).state;
    expect(getContact(next, "a")?.followers).toEqual(follows("cy"));
    expect(getContact(next, "b")?.followers).toEqual(follows("ben", "cy"));
    expect(getOpportunity(next, "d1")?.followers).toEqual(follows("ben", "cy"));
  });

  it("records without followers (field absent or empty) share one frozen empty list", () => {
    const state = createState({
      users: USERS,
      contacts: [
        { id: "a", ownerId: "ana" },
        { id: "b", ownerId: "ana", followers: [] },
      ],
      opportunities: [{ id: "d1", contactId: "a", ownerId: "ana" }],
    });
    const empty = getContact(state, "a")?.followers;
    expect(empty).toEqual([]);
    expect(Object.isFrozen(empty)).toBe(true);
    expect(getContact(state, "b")?.followers).toBe(empty);
    expect(getOpportunity(state, "d1")?.followers).toBe(empty);
  });

  it("a change of a shared list's follow (manual over automation) changes that record only", () => {
    const automated = [{ userId: "ben", source: "automation" as const }];
    const state = createState({
      users: USERS,
      contacts: [
        { id: "a", ownerId: "ana", followers: automated },
        { id: "b", ownerId: "ana", followers: automated },
      ],
      opportunities: [],
    });
    expect(getContact(state, "b")?.followers).toBe(getContact(state, "a")?.followers);
    const next = run(state, { type: "addFollower", record: { kind: "contact", id: "a" }, userId: "ben" }).state;
    expect(getContact(next, "a")?.followers).toEqual(follows("ben"));
    expect(getContact(next, "b")?.followers).toEqual(automated);
    expect(getContact(state, "a")?.followers).toEqual(automated);
  });

  /** Users u0…u99, and `count` distinct lists of two of them. */
  const users = Array.from({ length: 100 }, (_, i) => ({ id: `u${i}` }));
  const distinctLists = (count: number) => {
    const out: ReturnType<typeof follows>[] = [];
    for (let i = 0; i < 100 && out.length < count; i++) for (let j = i + 1; j < 100 && out.length < count; j++) out.push(follows(`u${i}`, `u${j}`));
    return out;
  };
  /** A snapshot of contacts with these lists, then two more with equal lists: whether those two share theirs. */
  const lateListsShared = (lists: ReturnType<typeof follows>[]) => {
    const contacts: ContactInit[] = lists.map((followers, i) => ({ id: `c${i}`, ownerId: "u0", followers }));
    contacts.push({ id: "late1", ownerId: "u0", followers: follows("u98", "u99") }, { id: "late2", ownerId: "u0", followers: follows("u98", "u99") });
    const state = createState({ users, contacts, opportunities: [] });
    // The snapshot is the same either way; only sharing (by identity) shows the give-up.
    expect(toRecords(state).contacts).toEqual(contacts.map((c) => ({ ...c, opportunityIds: [] })));
    expect(firstUnfrozen(state)).toBeUndefined();
    return getContact(state, "late2")?.followers === getContact(state, "late1")?.followers;
  };

  it("gives sharing up after a window of 4,096 lists of which more than half were new", () => {
    expect(lateListsShared(distinctLists(4096))).toBe(false);
  });

  it("a window with half of its lists new, or an unfinished one, keeps sharing", () => {
    const half = distinctLists(2048).flatMap((list) => [list, follows("u0", "u1")]);
    expect(half).toHaveLength(4096);
    expect(lateListsShared(half)).toBe(true);
    expect(lateListsShared(distinctLists(4000))).toBe(true);
  });

  it("each window is judged: a first one of repeated lists does not keep sharing on for distinct ones", () => {
    const repeated = Array.from({ length: 4096 }, () => follows("u0", "u1"));
    expect(lateListsShared([...repeated, ...distinctLists(4096)])).toBe(false);
  });
});

describe("createState refuses a field a record does not have, by name", () => {
  const base = () => ({
    users: [{ id: "ana", role: "admin" }, { id: "ben", scope: "assigned" }],
    contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" }] }],
    opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", status: "open" }],
    rotations: [{ id: "r", picks: 0 }],
  });
  it.each([
    ["a misspelt scope, which would read as scope all", (r: ReturnType<typeof base>) => Object.assign(r.users[1] as object, { scop: "assigned" }), "users[1].scop"],
    ["a misspelt owner on a contact", (r: ReturnType<typeof base>) => Object.assign(r.contacts[0] as object, { ownerID: "ben" }), "contacts[0].ownerID"],
    ["a column a row carries", (r: ReturnType<typeof base>) => Object.assign(r.opportunities[0] as object, { createdAt: "2026-01-01" }), "opportunities[0].createdAt"],
    ["a misspelt field of a follow", (r: ReturnType<typeof base>) => Object.assign(r.contacts[0]?.followers[0] as object, { sorce: "manual" }), "contacts[0].followers[0].sorce"],
    ["a field of a rotation", (r: ReturnType<typeof base>) => Object.assign(r.rotations[0] as object, { weights: [] }), "rotations[0].weights"],
    ["a misspelt list of the snapshot", (r: ReturnType<typeof base>) => Object.assign(r, { rotation: [] }), "rotation"],
    ["an own __proto__ key from JSON.parse", (r: ReturnType<typeof base>) => (r.users[1] = JSON.parse('{"id":"ben","__proto__":{"role":"admin"}}')), 'users[1].__proto__'],
  ])("%s", (_, change, path) => {
    expect(() => createState(base() as CrmRecordsInit)).not.toThrow();
    // A field whose value is undefined counts as absent, as in parseCommand.
    const withUndefined = base();
    Object.assign(withUndefined.users[0] as object, { note: undefined });
    expect(() => createState(withUndefined as CrmRecordsInit)).not.toThrow();
    const records = base();
    change(records);
    const error = snapshotError(records);
    expect(error.problems.map((p) => p.path)).toEqual([path]);
    expect(error.problems[0]?.message).toMatch(/^is not a field of a (user|contact|opportunity|follow|rotation|snapshot) \(/);
  });

  it("what toRecords gives is read back whole (property)", () => {
    fc.assert(
      fc.property(arbRecords({ settings: "separate", partial: true }), (records) => {
        const state = createState(records);
        expect(toRecords(createState(JSON.parse(JSON.stringify(toRecords(state))) as CrmRecordsInit))).toEqual(toRecords(state));
      }),
      { numRuns: 100 },
    );
  });

  it("any field added to any record is refused, naming it (property)", () => {
    const kinds = ["users", "contacts", "opportunities"] as const;
    fc.assert(
      fc.property(arbRecords({ settings: "separate" }), fc.constantFrom(...kinds), fc.nat(), fc.string({ minLength: 1, maxLength: 6 }), (records, kind, at, key) => {
        const list = records[kind] as unknown as Record<string, unknown>[];
        fc.pre(list.length > 0 && !["id", "active", "role", "scope", "ownerId", "followers", "opportunityIds", "contactId", "status"].includes(key));
        const i = at % list.length;
        const copy = { ...records, [kind]: list.map((r, j) => (j === i ? { ...r, [key]: 1 } : r)) };
        const problems = snapshotError(copy).problems.filter((p) => p.message.startsWith("is not a field"));
        expect(problems.map((p) => p.path.slice(0, `${kind}[${i}].`.length))).toEqual([`${kind}[${i}].`]);
      }),
      { numRuns: 200 },
    );
  });
});
