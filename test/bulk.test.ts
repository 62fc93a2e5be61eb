/**
 * docs/rules.md §10–§11, bulk ownership: transferOwnership and user offboarding (deactivateUser,
 * reactivateUser). Closed opportunities keep their owner unless includeClosed; coupled groups
 * are never split; every change carries the cause "transfer" or "user-deactivated".
 */
import { describe, expect, it } from "vitest";
import {
  checkInvariants,
  createState,
  execute,
  getContact,
  getOpportunity,
  getUser,
  listContacts,
  listOpportunities,
  type CrmEvent,
  type CrmState,
  type Follower,
  type OpportunityInit,
} from "../src/index.js";
import { account, run, SEPARATE, SYSTEM, USERS } from "./helpers.js";
import { given } from "./spec.js";

/**
 * Separate owners. acme (ana): a1 ana open, a2 ben open, a3 ana won.
 * bolt (ben): b1 ana open, b2 ana lost. cove (cy): c1 cy open.
 */
function separate(): CrmState {
  return createState({
    settings: { allowDifferentOwners: true },
    users: USERS,
    contacts: [
      { id: "acme", ownerId: "ana" },
      { id: "bolt", ownerId: "ben" },
      { id: "cove", ownerId: "cy" },
    ],
    opportunities: [
      { id: "a1", contactId: "acme", ownerId: "ana" },
      { id: "a2", contactId: "acme", ownerId: "ben" },
      { id: "a3", contactId: "acme", ownerId: "ana", status: "won" },
      { id: "b1", contactId: "bolt", ownerId: "ana" },
      { id: "b2", contactId: "bolt", ownerId: "ana", status: "lost" },
      { id: "c1", contactId: "cove", ownerId: "cy" },
    ],
  });
}

/** Coupled owners. acme (ana): a1 open, a2 won. bolt (ben): b1 open. */
function coupled(): CrmState {
  const group = (contactId: string, ownerId: string, deals: [string, OpportunityInit["status"]][]) =>
    deals.map(([id, status]) => ({ id, contactId, ownerId, status }));
  return createState({
    users: USERS,
    contacts: [
      { id: "acme", ownerId: "ana" },
      { id: "bolt", ownerId: "ben" },
    ],
    opportunities: [...group("acme", "ana", [["a1", "open"], ["a2", "won"]]), ...group("bolt", "ben", [["b1", "open"]])],
  });
}

/** Owners and followers of every record (what a bulk move and a handover must agree on). */
const toRecordsOf = (state: CrmState) =>
  [...listContacts(state), ...listOpportunities(state)].map((r) => ({ id: r.id, ownerId: r.ownerId, followers: r.followers }));

const ownerMap = (state: CrmState) =>
  Object.fromEntries([...listContacts(state), ...listOpportunities(state)].map((r) => [r.id, r.ownerId]));

/** The owner changes of a result, as "id from→to cause". */
const moves = (events: readonly CrmEvent[]) =>
  events.flatMap((e) =>
    e.type === "ContactOwnerChanged"
      ? [`${e.contactId} ${e.from}→${e.to} ${e.cause}`]
      : e.type === "OpportunityOwnerChanged"
        ? [`${e.opportunityId} ${e.from}→${e.to} ${e.cause}`]
        : [],
  );

describe("transferOwnership", () => {
  it('records "all" (the default) moves every contact and open opportunity the user owns, cause "transfer"', () => {
    const result = run(separate(), { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" });
    expect(ownerMap(result.state)).toEqual({ acme: "cy", bolt: "ben", cove: "cy", a1: "cy", a2: "ben", a3: "ana", b1: "cy", b2: "ana", c1: "cy" });
    // One event per record changed, contact by contact, opportunities in the contact's order.
    expect(moves(result.events)).toEqual(["acme ana→cy transfer", "a1 ana→cy transfer", "b1 ana→cy transfer"]);
    expect(result.events.every((e) => e.cause === "transfer")).toBe(true);
  });

  it('records "contacts" moves only contacts', () => {
    const result = run(separate(), { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records: "contacts" });
    expect(moves(result.events)).toEqual(["acme ana→cy transfer"]);
  });

  it('records "opportunities" moves only opportunities', () => {
    const result = run(separate(), { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records: "opportunities" });
    expect(moves(result.events)).toEqual(["a1 ana→cy transfer", "b1 ana→cy transfer"]);
  });

  it("includeClosed moves closed opportunities too", () => {
    const result = run(separate(), { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", includeClosed: true });
    expect(moves(result.events)).toEqual(["acme ana→cy transfer", "a1 ana→cy transfer", "a3 ana→cy transfer", "b1 ana→cy transfer", "b2 ana→cy transfer"]);
  });

  it("toUserId null unassigns what the user owned", () => {
    const result = run(separate(), { type: "transferOwnership", fromUserId: "ana", toUserId: null });
    expect(moves(result.events)).toEqual(["acme ana→null transfer", "a1 ana→null transfer", "b1 ana→null transfer"]);
  });

  it("moving from null is not a thing: fromUserId must be a user id", () => {
    const result = execute(separate(), { type: "transferOwnership", fromUserId: null as unknown as string, toUserId: "ana" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "INVALID_COMMAND", field: "fromUserId" });
  });

  it("a user who owns nothing, or a transfer to oneself, changes nothing and returns the same state", () => {
    const state = separate();
    expect(execute(state, { type: "transferOwnership", fromUserId: "gone", toUserId: "ana" }, SYSTEM)).toEqual({ ok: true, state, events: [] });
    expect(execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "ana" }, SYSTEM)).toEqual({ ok: true, state, events: [] });
  });

  it("refuses an unknown source, and an unknown or inactive target", () => {
    const state = separate();
    const codes = [
      execute(state, { type: "transferOwnership", fromUserId: "ghost", toUserId: "ana" }, SYSTEM),
      execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "ghost" }, SYSTEM),
      execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "gone" }, SYSTEM),
    ].map((r) => (r.ok ? "ok" : `${r.error.code} ${r.error.field}`));
    expect(codes).toEqual(["USER_NOT_FOUND fromUserId", "USER_NOT_FOUND toUserId", "USER_INACTIVE toUserId"]);
  });

  it("an inactive user's leftovers may be transferred away", () => {
    const state = createState({ users: USERS, contacts: [{ id: "acme", ownerId: "gone" }], opportunities: [] });
    const result = run(state, { type: "transferOwnership", fromUserId: "gone", toUserId: "ben" });
    expect(getContact(result.state, "acme")?.ownerId).toBe("ben");
  });

  describe("with coupled owners", () => {
    it("moves each group whole: contact first, then its opportunities, closed ones included", () => {
      const result = run(coupled(), { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" });
      expect(ownerMap(result.state)).toEqual({ acme: "cy", bolt: "ben", a1: "cy", a2: "cy", b1: "ben" });
      expect(moves(result.events)).toEqual(["acme ana→cy transfer", "a1 ana→cy transfer", "a2 ana→cy transfer"]);
      expect(checkInvariants(result.state)).toEqual([]);
    });

    for (const records of ["contacts", "opportunities"] as const) {
      it(`records "${records}" still moves the selected groups whole`, () => {
        const result = run(coupled(), { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records });
        expect(ownerMap(result.state)).toEqual({ acme: "cy", bolt: "ben", a1: "cy", a2: "cy", b1: "ben" });
        expect(checkInvariants(result.state)).toEqual([]);
      });
    }

    it("a group whose opportunities are all closed is selected by its contact, and moves whole", () => {
      const state = createState({
        users: USERS,
        contacts: [{ id: "acme", ownerId: "ana" }],
        opportunities: [{ id: "a1", contactId: "acme", ownerId: "ana", status: "won" }],
      });
      const byContact = run(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" });
      expect(ownerMap(byContact.state)).toEqual({ acme: "cy", a1: "cy" });
      // Selecting opportunities only, a closed one is not selected without includeClosed: nothing moves.
      const byOpportunity = execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records: "opportunities" }, SYSTEM);
      expect(byOpportunity).toEqual({ ok: true, state, events: [] });
      const withClosed = run(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records: "opportunities", includeClosed: true });
      expect(ownerMap(withClosed.state)).toEqual({ acme: "cy", a1: "cy" });
    });
  });

  it("applies the follower subsettings to each move, with the rule's own cause", () => {
    const state = createState({
      settings: { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true },
      users: USERS,
      contacts: [{ id: "bolt", ownerId: "ben", followers: [{ userId: "ana", source: "automation" }] }],
      opportunities: [{ id: "b1", contactId: "bolt", ownerId: "ana" }],
    });
    const result = run(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" });
    expect(getContact(result.state, "bolt")?.followers).toEqual([{ userId: "cy", source: "automation" }]);
    expect(result.events.map((e) => `${e.type} ${e.cause}`)).toEqual([
      "OpportunityOwnerChanged transfer",
      "FollowerRemoved opportunity-owner-followers",
      "FollowerAdded opportunity-owner-followers",
    ]);
  });

  it("with separate owners fails with INCOMPLETE_SNAPSHOT when a follower rule must see a group it cannot see whole", () => {
    // ana follows bolt by automation; whether she still owns another opportunity of it is unknown.
    const state = createState({
      settings: { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true },
      users: USERS,
      contacts: [{ id: "bolt", ownerId: "ben", followers: [{ userId: "ana", source: "automation" }], opportunityIds: ["b1", "b2"] }],
      opportunities: [{ id: "b1", contactId: "bolt", ownerId: "ana" }],
    });
    for (const command of [
      { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" },
      { type: "deactivateUser", userId: "ana", reassignTo: "cy" },
    ] as const) {
      const result = execute(state, command, SYSTEM);
      expect(result.ok ? undefined : result.error, command.type).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", missingIds: ["b2"] });
    }
  });

  it("with separate owners fails with INCOMPLETE_SNAPSHOT when the opportunity-follower rule must reach an unloaded opportunity", () => {
    const state = createState({
      settings: { allowDifferentOwners: true, updateOpportunityFollowersOnContactOwnerChange: true },
      users: USERS,
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["a1", "a2"] }],
      opportunities: [{ id: "a1", contactId: "acme", ownerId: "ben" }],
    });
    const result = execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", missingIds: ["a2"] });
  });

  it("with separate owners and no follower rule, still refuses a contact whose unloaded opportunities could be the user's", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: USERS,
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["a1", "a2"] }],
      opportunities: [{ id: "a1", contactId: "acme", ownerId: "ana" }],
    });
    for (const command of [
      { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" },
      { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records: "opportunities" },
      { type: "deactivateUser", userId: "ana", reassignTo: "cy" },
    ] as const) {
      const result = execute(state, command, SYSTEM);
      expect(result.ok ? undefined : result.error, JSON.stringify(command)).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", id: "acme", missingIds: ["a2"] });
    }
    // Contacts alone need no opportunity: the contact moves.
    const contactsOnly = run(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy", records: "contacts" });
    expect(moves(contactsOnly.events)).toEqual(["acme ana→cy transfer"]);
  });

  it("with separate owners hands a contact's opportunities over with it, before the follower rules run, as assignContactOwner's transfer does", () => {
    const state = createState({
      settings: { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true },
      users: USERS,
      contacts: [{ id: "acme", ownerId: "ana" }],
      opportunities: [
        { id: "a1", contactId: "acme", ownerId: "ana" },
        { id: "a2", contactId: "acme", ownerId: "cy", followers: [{ userId: "ana", source: "automation" }] },
      ],
    });
    const bulk = run(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "ben" });
    expect(bulk.events.map((e) => `${e.type} ${"opportunityId" in e ? e.opportunityId : ""}${"record" in e ? e.record.id : ""} ${e.cause}`)).toEqual([
      "ContactOwnerChanged  transfer",
      "OpportunityOwnerChanged a1 transfer",
      "FollowerRemoved a2 contact-owner-followers",
      "FollowerAdded a2 contact-owner-followers",
    ]);
    // ben owns a1 and does not also follow it by a rule.
    expect(getOpportunity(bulk.state, "a1")?.followers).toEqual([]);
    const handover = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", transfer: "ownedByPreviousOwner" });
    expect(toRecordsOf(bulk.state)).toEqual(toRecordsOf(handover.state));
  });

  it("fails with INCOMPLETE_SNAPSHOT rather than split a coupled group it cannot see whole", () => {
    const state = createState({
      users: USERS,
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["a1", "a2"] }],
      opportunities: [{ id: "a1", contactId: "acme", ownerId: "ana" }],
    });
    const result = execute(state, { type: "transferOwnership", fromUserId: "ana", toUserId: "cy" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", missingIds: ["a2"] });
  });
});

describe("deactivateUser", () => {
  const follows = (state: CrmState, userId: string): string[] =>
    [...listContacts(state), ...listOpportunities(state)].filter((r) => r.followers.some((f: Follower) => f.userId === userId)).map((r) => r.id);

  /** Separate owners; ana owns acme, a1, a3 (won) and follows bolt (manual) and a2 (automation). */
  function offboarding(): CrmState {
    return createState({
      settings: { allowDifferentOwners: true },
      users: USERS,
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "bolt", ownerId: "ben", followers: [{ userId: "ana", source: "manual" }] },
      ],
      opportunities: [
        { id: "a1", contactId: "acme", ownerId: "ana" },
        { id: "a2", contactId: "acme", ownerId: "ben", followers: [{ userId: "ana", source: "automation" }, { userId: "cy", source: "manual" }] },
        { id: "a3", contactId: "acme", ownerId: "ana", status: "won" },
      ],
    });
  }

  it("marks the user inactive, moves what they own, and removes every follow (manual ones too)", () => {
    const result = run(offboarding(), { type: "deactivateUser", userId: "ana", reassignTo: "ben", commandId: "off-1" });
    expect(getUser(result.state, "ana")?.active).toBe(false);
    expect(ownerMap(result.state)).toEqual({ acme: "ben", bolt: "ben", a1: "ben", a2: "ben", a3: "ana" });
    expect(follows(result.state, "ana")).toEqual([]);
    expect(getOpportunity(result.state, "a2")?.followers).toEqual([{ userId: "cy", source: "manual" }]);
    expect(result.events.map((e) => (e.type === "FollowerRemoved" ? `${e.type} ${e.record.id} ${e.source} ${e.cause}` : `${e.type} ${e.cause}`))).toEqual([
      "UserDeactivated command",
      "ContactOwnerChanged user-deactivated",
      "OpportunityOwnerChanged user-deactivated",
      "FollowerRemoved bolt manual user-deactivated",
      "FollowerRemoved a2 automation user-deactivated",
    ]);
    expect(result.events.every((e) => e.commandId === "off-1")).toBe(true);
    expect(checkInvariants(result.state)).toEqual([]);
  });

  it("includeClosed moves closed opportunities too, so the user owns nothing", () => {
    const result = run(offboarding(), { type: "deactivateUser", userId: "ana", reassignTo: "ben", includeClosed: true });
    expect(getOpportunity(result.state, "a3")?.ownerId).toBe("ben");
    expect(Object.values(ownerMap(result.state))).not.toContain("ana");
  });

  it("reassignTo null unassigns what they owned", () => {
    const result = run(offboarding(), { type: "deactivateUser", userId: "ana", reassignTo: null });
    expect(ownerMap(result.state)).toEqual({ acme: null, bolt: "ben", a1: null, a2: "ben", a3: "ana" });
  });

  it("with coupled owners moves whole groups, closed opportunities included", () => {
    const result = run(coupled(), { type: "deactivateUser", userId: "ana", reassignTo: "cy" });
    expect(ownerMap(result.state)).toEqual({ acme: "cy", bolt: "ben", a1: "cy", a2: "cy", b1: "ben" });
    expect(moves(result.events)).toEqual(["acme ana→cy user-deactivated", "a1 ana→cy user-deactivated", "a2 ana→cy user-deactivated"]);
  });

  it("refuses reassignTo equal to the user being deactivated, and changes nothing", () => {
    const state = offboarding();
    const result = execute(state, { type: "deactivateUser", userId: "ana", reassignTo: "ana" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "INVALID_COMMAND", field: "reassignTo" });
    expect(getUser(state, "ana")?.active).toBe(true);
  });

  it("refuses an unknown user, and an unknown or inactive reassignTo", () => {
    const state = offboarding();
    const codes = [
      execute(state, { type: "deactivateUser", userId: "ghost", reassignTo: null }, SYSTEM),
      execute(state, { type: "deactivateUser", userId: "ana", reassignTo: "ghost" }, SYSTEM),
      execute(state, { type: "deactivateUser", userId: "ana", reassignTo: "gone" }, SYSTEM),
    ].map((r) => (r.ok ? "ok" : `${r.error.code} ${r.error.field}`));
    expect(codes).toEqual(["USER_NOT_FOUND userId", "USER_NOT_FOUND reassignTo", "USER_INACTIVE reassignTo"]);
  });

  it("a deactivated user can no longer be given records", () => {
    const off = run(offboarding(), { type: "deactivateUser", userId: "ana", reassignTo: "ben" });
    const result = execute(off.state, { type: "assignContactOwner", contactId: "bolt", ownerId: "ana" }, SYSTEM);
    expect(result.ok ? undefined : result.error.code).toBe("USER_INACTIVE");
  });

  it("deactivating an inactive user who owns and follows nothing is a no-op", () => {
    const state = offboarding();
    expect(execute(state, { type: "deactivateUser", userId: "gone", reassignTo: null }, SYSTEM)).toEqual({ ok: true, state, events: [] });
  });

  it("deactivating an inactive user again cleans up what they still own, without a second UserDeactivated", () => {
    const off = run(offboarding(), { type: "deactivateUser", userId: "ana", reassignTo: "ben" });
    const again = run(off.state, { type: "deactivateUser", userId: "ana", reassignTo: "cy", includeClosed: true });
    expect(again.events.map((e) => `${e.type} ${e.cause}`)).toEqual(["OpportunityOwnerChanged user-deactivated"]);
    expect(getOpportunity(again.state, "a3")?.ownerId).toBe("cy");
  });
});

describe("reactivateUser", () => {
  it("makes a deactivated user active again; what they owned stays where it was moved", () => {
    const state = createState({ users: USERS, contacts: [{ id: "acme", ownerId: "ben" }], opportunities: [] });
    const result = run(state, { type: "reactivateUser", userId: "gone" });
    expect(getUser(result.state, "gone")?.active).toBe(true);
    expect(result.events.map((e) => `${e.type} ${e.cause}`)).toEqual(["UserReactivated command"]);
    expect(getContact(result.state, "acme")?.ownerId).toBe("ben");
    const assign = execute(result.state, { type: "assignContactOwner", contactId: "acme", ownerId: "gone" }, SYSTEM);
    expect(assign.ok).toBe(true);
  });

  it("reactivating an active user is a no-op, and an unknown one is USER_NOT_FOUND", () => {
    const state = createState({ users: USERS, contacts: [], opportunities: [] });
    expect(execute(state, { type: "reactivateUser", userId: "ana" }, SYSTEM)).toEqual({ ok: true, state, events: [] });
    const unknown = execute(state, { type: "reactivateUser", userId: "ghost" }, SYSTEM);
    expect(unknown.ok ? undefined : unknown.error).toMatchObject({ code: "USER_NOT_FOUND", field: "userId" });
  });
});

describe("bulk moves as specifications (docs/rules.md §9, §11)", () => {
  it("with coupled owners a transfer moves each group of the user whole, closed deals included, cause transfer", () => {
    given(coupled())
      .when({ type: "transferOwnership", fromUserId: "ana", toUserId: "cy" })
      .then(["ContactOwnerChanged acme ana→cy transfer", "OpportunityOwnerChanged a1 ana→cy transfer", "OpportunityOwnerChanged a2 ana→cy transfer"]);
  });

  it("offboarding: the user leaves, their open deal moves, their follows end, and the new owner's reasons begin", () => {
    const state = account(
      { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true },
      {
        contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "cy", source: "manual" }] }],
        opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy" }, { id: "d2", contactId: "acme", ownerId: "cy", status: "won" }],
      },
    );
    given(state)
      .when({ type: "deactivateUser", userId: "cy", reassignTo: "ben" })
      .then([
        "UserDeactivated command",
        "OpportunityOwnerChanged d1 cy→ben user-deactivated",
        "FollowerRemoved contact:acme cy user-deactivated",
        "FollowerAdded contact:acme ben automation opportunity-owner-followers",
      ]);
  });

  it("the last active admin cannot be deactivated, even by a system actor", () => {
    const state = createState({ users: [{ id: "boss", role: "admin" }, { id: "ana" }], contacts: [], opportunities: [] });
    given(state).when({ type: "deactivateUser", userId: "boss", reassignTo: null }).thenError({ code: "FORBIDDEN", rule: "last-admin", field: "userId" });
  });
});

