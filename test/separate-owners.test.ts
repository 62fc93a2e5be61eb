/**
 * docs/rules.md §4: with `allowDifferentOwners` on, a new opportunity's owner only
 * defaults to its contact's, and owner changes touch the one record they name.
 */
import { describe, expect, it } from "vitest";
import { checkInvariants, type CrmEvent } from "../src/index.js";
import { account, owners, run, SEPARATE } from "./helpers.js";
import { given } from "./spec.js";

const created = (events: readonly CrmEvent[]) => events.find((e) => e.type === "OpportunityCreated");

describe("§4.1 a new opportunity's owner defaults to its contact's owner", () => {
  it("without ownerId it takes the contact's owner (ownerDefaulted)", () => {
    const { state, events } = run(account(SEPARATE), { type: "createOpportunity", opportunityId: "d3", contactId: "acme" });
    expect(owners(state, "d3")).toEqual({ d3: "ana" });
    expect(created(events)).toMatchObject({ opportunityId: "d3", contactId: "acme", ownerId: "ana", ownerDefaulted: true, cause: "command" });
  });

  it("the default for an unassigned contact is null", () => {
    const state = account(SEPARATE, { contacts: [{ id: "acme", ownerId: null }], opportunities: [] });
    const { state: next, events } = run(state, { type: "createOpportunity", opportunityId: "d3", contactId: "acme" });
    expect(owners(next, "d3")).toEqual({ d3: null });
    expect(created(events)).toMatchObject({ ownerId: null, ownerDefaulted: true });
  });

  it("an explicit ownerId overrides the default, and the contact and its other opportunities keep theirs", () => {
    const { state, events } = given(account(SEPARATE))
      .when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ben" })
      .then(["OpportunityCreated command"]);
    expect(owners(state, "acme", "d1", "d2", "d3")).toEqual({ acme: "ana", d1: "ana", d2: "ana", d3: "ben" });
    expect(created(events)).toMatchObject({ ownerId: "ben", ownerDefaulted: false });
    expect(checkInvariants(state)).toEqual([]);
  });

  it("an explicit null overrides the default: the opportunity is unassigned, the contact keeps its owner", () => {
    const { state, events } = run(account(SEPARATE), { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: null });
    expect(owners(state, "acme", "d3")).toEqual({ acme: "ana", d3: null });
    expect(created(events)).toMatchObject({ ownerId: null, ownerDefaulted: false });
  });

  it("an unassigned contact's opportunity may be given an owner", () => {
    const state = account(SEPARATE, { contacts: [{ id: "acme", ownerId: null }], opportunities: [] });
    const { state: next } = run(state, { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "cy" });
    expect(owners(next, "acme", "d3")).toEqual({ acme: null, d3: "cy" });
  });
});

describe("§4.2 an owner change touches the record it names only", () => {
  it("assigning a contact's owner changes that contact only", () => {
    const { state } = given(account(SEPARATE))
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then(["ContactOwnerChanged acme ana→ben command"]);
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ana", d2: "ana" });
  });

  it("unassigning a contact leaves its opportunities' owners", () => {
    const { state } = run(account(SEPARATE), { type: "assignContactOwner", contactId: "acme", ownerId: null });
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: null, d1: "ana", d2: "ana" });
  });

  it("assigning an opportunity's owner changes that opportunity only", () => {
    const { state, events } = given(account(SEPARATE))
      .when({ type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d2 ana→ben command"]);
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ana", d1: "ana", d2: "ben" });
    expect(events[0]).toMatchObject({ opportunityId: "d2", contactId: "acme", from: "ana", to: "ben" });
  });

  it("unassigning an opportunity leaves its contact and siblings", () => {
    const { state } = run(account(SEPARATE), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: null });
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ana", d1: null, d2: "ana" });
  });

  it("split owners are sound while the setting is on", () => {
    const { state } = run(account(SEPARATE), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" }, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "cy", d2: "ana" });
    expect(checkInvariants(state)).toEqual([]);
  });

  it("with both subsettings off no follower changes", () => {
    const { events } = run(account(SEPARATE), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" }, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(events.filter((e) => e.type.startsWith("Follower"))).toEqual([]);
  });

  it("turning the setting on moves no owner", () => {
    given(account()).when({ type: "updateSettings", allowDifferentOwners: true }).then(["SettingsChanged allowDifferentOwners false→true command"]);
  });
});
