/**
 * docs/rules.md §3: with `allowDifferentOwners` off, a contact and all of its opportunities share one
 * owner, whichever record's owner a command changes.
 */
import { describe, expect, it } from "vitest";
import { checkInvariants, getContact, getOpportunity, type CrmEvent } from "../src/index.js";
import { account, brief, COUPLED, owners, run } from "./helpers.js";
import { given } from "./spec.js";

const created = (events: readonly CrmEvent[]) => events.find((e) => e.type === "OpportunityCreated");

describe("rule 1: a new opportunity takes the contact's owner", () => {
  it("without ownerId it takes the contact's owner, ownerDefaulted true, and nothing else moves", () => {
    const { state, events } = given(account(COUPLED))
      .when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme" })
      .then(["OpportunityCreated command"]);
    expect(owners(state, "acme", "d1", "d2", "d3")).toEqual({ acme: "ana", d1: "ana", d2: "ana", d3: "ana" });
    expect(created(events)).toMatchObject({ ownerId: "ana", ownerDefaulted: true, cause: "command" });
  });

  it("an unassigned contact's new opportunity is unassigned", () => {
    const state = account(COUPLED, { contacts: [{ id: "acme" }], opportunities: [] });
    const { events } = run(state, { type: "createOpportunity", opportunityId: "d3", contactId: "acme" });
    expect(created(events)).toMatchObject({ ownerId: null, ownerDefaulted: true });
  });

  it("an explicit ownerId equal to the contact's is not defaulted and moves nothing", () => {
    const { events } = run(account(COUPLED), { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ana" });
    expect(created(events)).toMatchObject({ ownerId: "ana", ownerDefaulted: false });
    expect(events).toHaveLength(1);
  });

  it("an explicit different ownerId moves the whole group to it, cause owners-coupled", () => {
    const { state, events } = given(account(COUPLED))
      .when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ben" })
      .then([
      "OpportunityCreated command",
      "ContactOwnerChanged acme ana→ben owners-coupled",
      "OpportunityOwnerChanged d1 ana→ben owners-coupled",
      "OpportunityOwnerChanged d2 ana→ben owners-coupled",
    ]);
    expect(owners(state, "acme", "d1", "d2", "d3")).toEqual({ acme: "ben", d1: "ben", d2: "ben", d3: "ben" });
    expect(created(events)).toMatchObject({ ownerId: "ben", ownerDefaulted: false });
    expect(checkInvariants(state)).toEqual([]);
  });

  it("an explicit null unassigns the whole group", () => {
    const { state } = run(account(COUPLED), { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: null });
    expect(owners(state, "acme", "d1", "d2", "d3")).toEqual({ acme: null, d1: null, d2: null, d3: null });
  });

  it("a default owner who is inactive is refused: pass an owner or reassign the contact first", () => {
    const state = account(COUPLED, { contacts: [{ id: "acme", ownerId: "gone" }], opportunities: [] });
    given(state).when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme" }).thenError({
      code: "USER_INACTIVE",
      field: "ownerId",
      id: "gone",
    });
  });
});

describe("rule 2: assigning a contact's owner moves every one of its opportunities", () => {
  it("the contact first (cause command), then each opportunity in the contact's order (owners-coupled)", () => {
    const { state } = given(account(COUPLED)).when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).then([
      "ContactOwnerChanged acme ana→ben command",
      "OpportunityOwnerChanged d1 ana→ben owners-coupled",
      "OpportunityOwnerChanged d2 ana→ben owners-coupled",
    ]);
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
  });

  it("closed opportunities move too: the group shares one owner", () => {
    const state = account(COUPLED, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana", status: "won" },
        { id: "d2", contactId: "acme", ownerId: "ana", status: "lost" },
      ],
    });
    expect(owners(run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).state, "d1", "d2")).toEqual({ d1: "ben", d2: "ben" });
  });

  it("null unassigns the contact and all of its opportunities", () => {
    const { state } = run(account(COUPLED), { type: "assignContactOwner", contactId: "acme", ownerId: null });
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: null, d1: null, d2: null });
  });

  it("other contacts' opportunities stay where they are", () => {
    const state = account(COUPLED, {
      contacts: [{ id: "acme", ownerId: "ana" }, { id: "bolt", ownerId: "ana" }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "b1", contactId: "bolt", ownerId: "ana" },
      ],
    });
    expect(owners(run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).state, "d1", "bolt", "b1")).toEqual({
      d1: "ben",
      bolt: "ana",
      b1: "ana",
    });
  });

  it("a contact without opportunities changes alone", () => {
    const state = account(COUPLED, { opportunities: [] });
    expect(brief(run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).events)).toEqual(["ContactOwnerChanged acme ana→ben command"]);
  });
});

describe("rule 3: assigning an opportunity's owner moves its contact and every other opportunity of it", () => {
  it("the opportunity first (command), then the contact and the others (owners-coupled)", () => {
    const { state } = given(account(COUPLED)).when({ type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "ben" }).then([
      "OpportunityOwnerChanged d2 ana→ben command",
      "ContactOwnerChanged acme ana→ben owners-coupled",
      "OpportunityOwnerChanged d1 ana→ben owners-coupled",
    ]);
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
  });

  it("null unassigns the whole group", () => {
    const { state } = run(account(COUPLED), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: null });
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: null, d1: null, d2: null });
  });

  it("assigning the owner the group already has changes nothing", () => {
    const state = account(COUPLED);
    const result = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" });
    expect(result.state).toBe(state);
    expect(result.events).toEqual([]);
  });
});

describe("rule 4: the follower subsettings have no effect while owners are coupled", () => {
  const both = { ...COUPLED, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true };
  const followers = { followers: [{ userId: "ana", source: "automation" as const }] };
  const state = () =>
    account(both, {
      contacts: [{ id: "acme", ownerId: "ana", ...followers }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana", ...followers },
        { id: "d2", contactId: "acme", ownerId: "ana" },
      ],
    });

  it.each([
    ["a contact owner change", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }],
    ["an opportunity owner change", { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }],
    ["a new opportunity with another owner", { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ben" }],
  ] as const)("%s adds and removes no follower", (_, command) => {
    const { state: next, events } = run(state(), command);
    expect(events.filter((e) => e.type.startsWith("Follower"))).toEqual([]);
    expect(getContact(next, "acme")?.followers).toEqual(followers.followers);
    expect(getOpportunity(next, "d1")?.followers).toEqual(followers.followers);
    expect(getOpportunity(next, "d2")?.followers).toEqual([]);
    expect(owners(next, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
  });
});
