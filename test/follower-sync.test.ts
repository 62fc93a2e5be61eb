/**
 * SPEC §4.2.3–§4.2.5: with separate owners, the two follower subsettings, and the rule that a
 * `manual` follow is never undone by a rule.
 */
import { describe, expect, it } from "vitest";
import { getContact, getOpportunity, type CrmState, type Follower, type Settings } from "../src/index.js";
import { account, brief, run, SEPARATE } from "./helpers.js";

const CONTACT_SYNC: Partial<Settings> = { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true };
const OPPORTUNITY_SYNC: Partial<Settings> = { ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true };
const auto = (userId: string): Follower => ({ userId, source: "automation" });
const manual = (userId: string): Follower => ({ userId, source: "manual" });
const contactFollowers = (state: CrmState) => getContact(state, "acme")?.followers;
const dealFollowers = (state: CrmState, id: string) => getOpportunity(state, id)?.followers;

describe("§4.2.3 contact followers follow opportunity owners", () => {
  it("an opportunity's new owner becomes an automation follower of the contact", () => {
    const { state, events } = run(account(CONTACT_SYNC), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" });
    expect(contactFollowers(state)).toEqual([auto("ben")]);
    expect(brief(events)).toEqual([
      "OpportunityOwnerChanged d1 ana→ben command",
      "FollowerAdded contact:acme ben automation opportunity-owner-followers",
    ]);
  });

  it("the contact's owner is not added as a follower", () => {
    const state = account(CONTACT_SYNC, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }] });
    const { state: next, events } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" });
    expect(contactFollowers(next)).toEqual([]);
    expect(brief(events)).toEqual(["OpportunityOwnerChanged d1 ben→ana command"]);
  });

  it.each([["manual"], ["automation"]] as const)("a user who already follows the contact (%s) is not added again", (source) => {
    const state = account(CONTACT_SYNC, { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source }] }] });
    const { state: next, events } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" });
    expect(contactFollowers(next)).toEqual([{ userId: "ben", source }]);
    expect(brief(events)).toEqual(["OpportunityOwnerChanged d1 ana→ben command"]);
  });

  it("the previous owner's automation follow ends when they own no other opportunity of the contact (after the new owner's follow)", () => {
    const state = account(CONTACT_SYNC, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ben" },
        { id: "d2", contactId: "acme", ownerId: "ana" },
      ],
    });
    const { state: next, events } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" });
    expect(contactFollowers(next)).toEqual([auto("cy")]);
    expect(brief(events)).toEqual([
      "OpportunityOwnerChanged d1 ben→cy command",
      "FollowerAdded contact:acme cy automation opportunity-owner-followers",
      "FollowerRemoved contact:acme ben opportunity-owner-followers",
    ]);
    expect(events[2]).toMatchObject({ record: { kind: "contact", id: "acme" }, userId: "ben", source: "automation" });
  });

  it("the previous owner keeps following the contact while they own another opportunity of it", () => {
    const state = account(CONTACT_SYNC, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ben" },
        { id: "d2", contactId: "acme", ownerId: "ben", status: "won" },
      ],
    });
    const { state: next } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" });
    expect(contactFollowers(next)).toEqual([auto("ben"), auto("cy")]);
  });

  it("an opportunity of another contact does not keep the previous owner on this one", () => {
    const state = account(CONTACT_SYNC, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }, { id: "bolt", ownerId: "ana" }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ben" },
        { id: "b1", contactId: "bolt", ownerId: "ben" },
      ],
    });
    expect(contactFollowers(run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" }).state)).toEqual([]);
  });

  it("unassigning an opportunity adds nobody and ends the previous owner's automation follow", () => {
    const state = account(CONTACT_SYNC, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }],
    });
    const { state: next, events } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: null });
    expect(contactFollowers(next)).toEqual([]);
    expect(brief(events)).toEqual(["OpportunityOwnerChanged d1 ben→null command", "FollowerRemoved contact:acme ben opportunity-owner-followers"]);
  });

  it("an unassigned opportunity's first owner follows the contact, and nobody is removed", () => {
    const state = account(CONTACT_SYNC, { opportunities: [{ id: "d1", contactId: "acme", ownerId: null }] });
    const { state: next, events } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" });
    expect(contactFollowers(next)).toEqual([auto("ben")]);
    expect(brief(events)).toEqual(["OpportunityOwnerChanged d1 null→ben command", "FollowerAdded contact:acme ben automation opportunity-owner-followers"]);
  });

  it("does nothing when the subsetting is off", () => {
    const { events } = run(account(SEPARATE), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" });
    expect(brief(events)).toEqual(["OpportunityOwnerChanged d1 ana→ben command"]);
  });

  it("reacts to opportunity owner changes only: not to a contact owner change, nor to creation", () => {
    const { events } = run(
      account(CONTACT_SYNC),
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
      { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "cy" },
    );
    expect(events.filter((e) => e.type.startsWith("Follower"))).toEqual([]);
  });
});

describe("§4.2.4 opportunity followers follow the contact owner", () => {
  it("the contact's new owner becomes an automation follower of each opportunity, in the contact's order", () => {
    const state = account(OPPORTUNITY_SYNC, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "d2", contactId: "acme", ownerId: "cy", status: "won" },
      ],
    });
    const { state: next, events } = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(dealFollowers(next, "d1")).toEqual([auto("ben")]);
    expect(dealFollowers(next, "d2")).toEqual([auto("ben")]);
    expect(brief(events)).toEqual([
      "ContactOwnerChanged acme ana→ben command",
      "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
      "FollowerAdded opportunity:d2 ben automation contact-owner-followers",
    ]);
  });

  it("an opportunity's own owner is not added as its follower", () => {
    const state = account(OPPORTUNITY_SYNC, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ben" },
        { id: "d2", contactId: "acme", ownerId: "ana" },
      ],
    });
    const { state: next } = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(dealFollowers(next, "d1")).toEqual([]);
    expect(dealFollowers(next, "d2")).toEqual([auto("ben")]);
  });

  it("a user who already follows an opportunity is not added again", () => {
    const state = account(OPPORTUNITY_SYNC, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana", followers: [manual("ben")] },
        { id: "d2", contactId: "acme", ownerId: "ana", followers: [auto("ben")] },
      ],
    });
    const { state: next, events } = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(dealFollowers(next, "d1")).toEqual([manual("ben")]);
    expect(dealFollowers(next, "d2")).toEqual([auto("ben")]);
    expect(brief(events)).toEqual(["ContactOwnerChanged acme ana→ben command"]);
  });

  it("the previous contact owner stops following each opportunity where the follow came from automation", () => {
    const state = account(OPPORTUNITY_SYNC, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "cy", followers: [auto("ana")] },
        { id: "d2", contactId: "acme", ownerId: "cy", followers: [manual("ana")] },
      ],
    });
    const { state: next, events } = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(dealFollowers(next, "d1")).toEqual([auto("ben")]);
    expect(dealFollowers(next, "d2")).toEqual([manual("ana"), auto("ben")]);
    expect(brief(events)).toEqual([
      "ContactOwnerChanged acme ana→ben command",
      "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
      "FollowerRemoved opportunity:d1 ana contact-owner-followers",
      "FollowerAdded opportunity:d2 ben automation contact-owner-followers",
    ]);
  });

  it("unassigning the contact adds nobody and ends the previous owner's automation follows", () => {
    const state = account(OPPORTUNITY_SYNC, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy", followers: [auto("ana")] }] });
    const { state: next, events } = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: null });
    expect(dealFollowers(next, "d1")).toEqual([]);
    expect(brief(events)).toEqual(["ContactOwnerChanged acme ana→null command", "FollowerRemoved opportunity:d1 ana contact-owner-followers"]);
  });

  it("an unassigned contact's first owner follows each opportunity, and nobody is removed", () => {
    const state = account(OPPORTUNITY_SYNC, { contacts: [{ id: "acme", ownerId: null }] });
    const { events } = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(brief(events)).toEqual([
      "ContactOwnerChanged acme null→ben command",
      "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
      "FollowerAdded opportunity:d2 ben automation contact-owner-followers",
    ]);
  });

  it("does nothing when the subsetting is off, and reacts to contact owner changes only", () => {
    expect(brief(run(account(SEPARATE), { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).events)).toEqual([
      "ContactOwnerChanged acme ana→ben command",
    ]);
    expect(brief(run(account(OPPORTUNITY_SYNC), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).events)).toEqual([
      "OpportunityOwnerChanged d1 ana→ben command",
    ]);
  });
});

describe("§4.2.5 manual follows and rules", () => {
  it("a manual follower of the contact is never removed by the contact-follower rule", () => {
    const state = account(CONTACT_SYNC, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [manual("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }],
    });
    const { state: next, events } = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" });
    expect(contactFollowers(next)).toEqual([manual("ben"), auto("cy")]);
    expect(events.some((e) => e.type === "FollowerRemoved")).toBe(false);
  });

  it("adding by hand a user who follows by automation makes the follow manual, and rules leave it then", () => {
    let state = account(CONTACT_SYNC);
    state = run(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).state;
    expect(contactFollowers(state)).toEqual([auto("ben")]);

    const upgraded = run(state, { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" });
    expect(contactFollowers(upgraded.state)).toEqual([manual("ben")]);
    expect(brief(upgraded.events)).toEqual(["FollowerAdded contact:acme ben manual command"]);

    // ben no longer owns any opportunity of acme, but his follow is a person's choice now.
    const moved = run(upgraded.state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" });
    expect(contactFollowers(moved.state)).toEqual([manual("ben"), auto("cy")]);
  });

  it("the upgrade works on opportunities too, and the opportunity-follower rule leaves the manual follow", () => {
    let state = account(OPPORTUNITY_SYNC);
    state = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).state;
    state = run(state, { type: "addFollower", record: { kind: "opportunity", id: "d1" }, userId: "ben" }).state;
    expect(dealFollowers(state, "d1")).toEqual([manual("ben")]);
    state = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "cy" }).state;
    expect(dealFollowers(state, "d1")).toEqual([manual("ben"), auto("cy")]);
    expect(dealFollowers(state, "d2")).toEqual([auto("cy")]);
  });

  it("an owner who follows by automation becomes a manual follower when added by hand, and the rule leaves the follow", () => {
    // ana owns acme and follows d1 by automation; then she takes d1 over (a follower who becomes the owner stays a follower).
    const state = account(OPPORTUNITY_SYNC, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", followers: [auto("ana")] }] });
    const upgraded = run(state, { type: "addFollower", record: { kind: "opportunity", id: "d1" }, userId: "ana" });
    expect(dealFollowers(upgraded.state, "d1")).toEqual([manual("ana")]);
    expect(brief(upgraded.events)).toEqual(["FollowerAdded opportunity:d1 ana manual command"]);
    const moved = run(upgraded.state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(dealFollowers(moved.state, "d1")).toEqual([manual("ana"), auto("ben")]);
  });

  it("a person may remove an automation follow by hand", () => {
    const state = account(SEPARATE, { contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }] });
    const { state: next, events } = run(state, { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "ben" });
    expect(contactFollowers(next)).toEqual([]);
    expect(events[0]).toMatchObject({ type: "FollowerRemoved", source: "automation", cause: "command" });
  });
});
