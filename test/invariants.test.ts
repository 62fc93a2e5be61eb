/**
 * docs/rules.md §15: checkInvariants reports each rule a snapshot breaks. Broken snapshots come from
 * createState where it accepts them (split coupled owners, too many followers), else from
 * `evolve`, which records facts without deciding anything, and for the one rule no public
 * function can break (a user following twice), from a hand-edited copy of the storage.
 */
import { describe, expect, it } from "vitest";
import { checkInvariants, createState, evolve, type CrmEvent, type CrmState, type Follower } from "../src/index.js";
import { getRow, putRow, type Table } from "../src/state/table.js";
import { account, COUPLED, run, SEPARATE, SYSTEM, USERS } from "./helpers.js";
import { given } from "./spec.js";

type Fact = CrmEvent extends infer E ? (E extends CrmEvent ? Omit<E, "version" | "actor" | "schemaVersion"> : never) : never;
const at = (state: CrmState, ...events: Fact[]) =>
  events.reduce<CrmState>((s, e) => evolve(s, { ...e, version: s.version + 1, actor: SYSTEM.actor, schemaVersion: 2 } as CrmEvent), state);

describe("a sound snapshot breaks nothing", () => {
  it("createState of sound records, and the states commands produce from it", () => {
    const state = account(COUPLED);
    expect(checkInvariants(state)).toEqual([]);
    const { state: next } = run(
      state,
      { type: "createContact", contactId: "bolt", ownerId: "ben", followerIds: ["cy"] },
      { type: "createOpportunity", opportunityId: "b1", contactId: "bolt", ownerId: "dee" },
      { type: "updateSettings", allowDifferentOwners: true },
      { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" },
    );
    expect(checkInvariants(next)).toEqual([]);
  });

  it("ids a contact lists but a partial snapshot did not load are not violations", () => {
    expect(checkInvariants(account(COUPLED, { contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d1", "d2", "elsewhere"] }] }))).toEqual([]);
  });
});

describe("rules createState accepts broken", () => {
  it("owners-coupled: with the setting off, an opportunity owned apart from its contact", () => {
    const opportunities = [
      { id: "d1", contactId: "acme", ownerId: "ben" },
      { id: "d2", contactId: "acme", ownerId: null },
      { id: "d3", contactId: "acme", ownerId: "ana" },
    ];
    const violations = checkInvariants(account(COUPLED, { opportunities }));
    expect(violations.map((v) => [v.rule, v.record])).toEqual([
      ["owners-coupled", { kind: "opportunity", id: "d1" }],
      ["owners-coupled", { kind: "opportunity", id: "d2" }],
    ]);
    expect(violations[0]?.message).toContain('"d1"');
    // The same owners are sound while owners are separate.
    expect(checkInvariants(account(SEPARATE, { opportunities }))).toEqual([]);
  });

  it("follower-limit: a record with more followers than settings.maxFollowers", () => {
    const followers: Follower[] = ["ben", "cy", "dee"].map((userId) => ({ userId, source: "manual" }));
    const state = account({ maxFollowers: 2 }, { contacts: [{ id: "acme", ownerId: "ana", followers }], opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", followers }] });
    const violations = checkInvariants(state);
    expect(violations.map((v) => [v.rule, v.record])).toEqual([
      ["follower-limit", { kind: "contact", id: "acme" }],
      ["follower-limit", { kind: "opportunity", id: "d1" }],
    ]);
    expect(violations[0]?.message).toMatch(/3.*2/);
  });
});

describe("rules only evolve (facts without decisions) can break", () => {
  it("known-user: an owner or a follower who is not a known user", () => {
    const state = at(
      account(),
      { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ghost", cause: "command" },
      { type: "OpportunityOwnerChanged", opportunityId: "d1", contactId: "acme", from: "ana", to: "ghost", cause: "command" },
      { type: "OpportunityOwnerChanged", opportunityId: "d2", contactId: "acme", from: "ana", to: "ghost", cause: "command" },
      { type: "FollowerAdded", record: { kind: "opportunity", id: "d2" }, userId: "phantom", source: "manual", cause: "command" },
    );
    const violations = checkInvariants(state);
    expect(violations.map((v) => [v.rule, v.record])).toEqual([
      ["known-user", { kind: "contact", id: "acme" }],
      ["known-user", { kind: "opportunity", id: "d1" }],
      ["known-user", { kind: "opportunity", id: "d2" }],
      ["known-user", { kind: "opportunity", id: "d2" }],
    ]);
    expect(violations[3]?.message).toContain('"phantom"');
  });

  it("opportunity-contact: an opportunity whose contact is gone", () => {
    const state = at(account(), { type: "ContactDeleted", contactId: "acme", cause: "command" });
    const violations = checkInvariants(state);
    expect(violations.map((v) => [v.rule, v.record])).toEqual([
      ["opportunity-contact", { kind: "opportunity", id: "d1" }],
      ["opportunity-contact", { kind: "opportunity", id: "d2" }],
    ]);
    expect(violations[0]?.message).toContain('"acme"');
  });

  it("contact-lists-opportunity: a contact listing another contact's opportunity", () => {
    const base = account(COUPLED, { contacts: [{ id: "acme", ownerId: "ana" }, { id: "bolt", ownerId: "ana" }] });
    // d1 created again under bolt: bolt lists it, and acme still does.
    const state = at(base, { type: "OpportunityCreated", opportunityId: "d1", contactId: "bolt", ownerId: "ana", ownerDefaulted: true, status: "open", cause: "command" });
    const violations = checkInvariants(state);
    expect(violations.map((v) => [v.rule, v.record])).toEqual([["contact-lists-opportunity", { kind: "contact", id: "acme" }]]);
    expect(violations[0]?.message).toContain('"bolt"');
  });

  it("contact-lists-opportunity: a contact listing an opportunity twice", () => {
    const state = at(account(), { type: "OpportunityCreated", opportunityId: "d2", contactId: "acme", ownerId: "ana", ownerDefaulted: true, status: "open", cause: "command" });
    const violations = checkInvariants(state);
    expect(violations.map((v) => [v.rule, v.record])).toEqual([["contact-lists-opportunity", { kind: "contact", id: "acme" }]]);
    expect(violations[0]?.message).toContain('"d2" twice');
  });

  it("contact-lists-opportunity: an opportunity its contact does not list", () => {
    const state = at(
      account(),
      { type: "ContactDeleted", contactId: "acme", cause: "command" },
      { type: "ContactCreated", contactId: "acme", ownerId: "ana", cause: "command" },
    );
    expect(checkInvariants(state).map((v) => [v.rule, v.record])).toEqual([
      ["contact-lists-opportunity", { kind: "opportunity", id: "d1" }],
      ["contact-lists-opportunity", { kind: "opportunity", id: "d2" }],
    ]);
  });
});

describe("the rule no public function can break", () => {
  it("unique-follower: a user following a record twice", () => {
    const state = structuredClone(account()) as unknown as { contacts: Table<{ id: string; followers: Follower[] }> };
    const acme = getRow(state.contacts, "acme");
    if (acme === undefined) throw new Error("acme missing");
    putRow(state.contacts, "acme", { ...acme, followers: [{ userId: "ben", source: "manual" }, { userId: "ben", source: "automation" }] });
    const violations = checkInvariants(state as unknown as CrmState);
    expect(violations).toEqual([expect.objectContaining({ rule: "unique-follower", record: { kind: "contact", id: "acme" } })]);
    expect(violations[0]?.message).toContain('"ben"');
  });

  it("createState refuses it in the first place", () => {
    expect(() =>
      createState({ users: USERS, contacts: [{ id: "acme", followers: [{ userId: "ben", source: "manual" }, { userId: "ben", source: "automation" }] }], opportunities: [] }),
    ).toThrow(/follows twice/);
  });
});

describe("commands keep a sound snapshot sound (docs/rules.md §15)", () => {
  it("the next owner change of a group split by old data realigns it", () => {
    const split = account(COUPLED, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "ana" }] });
    expect(checkInvariants(split).map((v) => v.rule)).toEqual(["owners-coupled"]);
    const { state } = given(split)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "cy" })
      .then(["ContactOwnerChanged acme ana→cy command", "OpportunityOwnerChanged d1 ben→cy owners-coupled", "OpportunityOwnerChanged d2 ana→cy owners-coupled"]);
    expect(checkInvariants(state)).toEqual([]);
  });
});
