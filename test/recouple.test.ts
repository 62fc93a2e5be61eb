/**
 * docs/rules.md §8: turning `allowDifferentOwners` off re-couples owners, one event per moved
 * opportunity; every `automation` follow in the account ends, `manual` follows stay; a host can
 * preview the changes with `decide`.
 */
import { describe, expect, it } from "vitest";
import { checkInvariants, decide, getContact, getOpportunity, toRecords, type CrmState } from "../src/index.js";
import { account, auto, brief, manual, owners, run, SEPARATE, SYSTEM } from "./helpers.js";
import { follows, given } from "./spec.js";


/** Separate owners with split groups; acme lists its deals in another order than the snapshot. */
function split(): CrmState {
  return account(SEPARATE, {
    contacts: [
      { id: "acme", ownerId: "ana", opportunityIds: ["d3", "d1", "d2"], followers: [auto("ben")] },
      { id: "bolt", ownerId: null },
      { id: "cora", ownerId: "cy", followers: [manual("dee"), auto("ben")] },
    ],
    opportunities: [
      { id: "d1", contactId: "acme", ownerId: "ben", followers: [auto("ana")] },
      { id: "d2", contactId: "acme", ownerId: "ana" },
      { id: "b1", contactId: "bolt", ownerId: "dee" },
      { id: "d3", contactId: "acme", ownerId: "cy", status: "won" },
      { id: "c1", contactId: "cora", ownerId: "cy", followers: [auto("ana")] },
    ],
  });
}
const OFF = { type: "updateSettings", allowDifferentOwners: false } as const;

describe("§8 turning the setting off re-couples owners", () => {
  it("moves every opportunity whose owner differs to its contact's owner, one event each, in contact order, then ends every automatic follow in record order", () => {
    const { state, events } = given(split())
      .when(OFF)
      .then([
        "SettingsChanged allowDifferentOwners true→false command",
        "OpportunityOwnerChanged d3 cy→ana owners-recoupled",
        "OpportunityOwnerChanged d1 ben→ana owners-recoupled",
        "OpportunityOwnerChanged b1 dee→null owners-recoupled",
        "FollowerRemoved contact:acme ben owners-recoupled",
        "FollowerRemoved opportunity:d1 ana owners-recoupled",
        "FollowerRemoved contact:cora ben owners-recoupled",
        "FollowerRemoved opportunity:c1 ana owners-recoupled",
      ]);
    expect(events[1]).toMatchObject({ opportunityId: "d3", contactId: "acme", from: "cy", to: "ana" });
    expect(owners(state, "acme", "d1", "d2", "d3", "bolt", "b1", "cora", "c1")).toEqual({
      acme: "ana",
      d1: "ana",
      d2: "ana",
      d3: "ana",
      bolt: null,
      b1: null,
      cora: "cy",
      c1: "cy",
    });
    expect(state.settings.allowDifferentOwners).toBe(false);
    expect(checkInvariants(state)).toEqual([]);
  });

  it("contacts keep their owners: no ContactOwnerChanged", () => {
    expect(run(split(), OFF).events.some((e) => e.type === "ContactOwnerChanged")).toBe(false);
  });

  it("ends every automation follow of the account, groups it did not move included; manual follows stay", () => {
    const { state } = run(split(), OFF);
    expect(follows(state)).toEqual(["contact:cora dee manual"]);
    expect(getContact(state, "acme")?.followers).toEqual([]);
    expect(getOpportunity(state, "c1")?.followers).toEqual([]);
  });

  it("the same follows end whether the follower subsettings are on or off", () => {
    const on = run(split(), { type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true }).state;
    const followerEvents = (state: CrmState) => brief(run(state, OFF).events).filter((line) => line.startsWith("Follower"));
    expect(followerEvents(on)).toEqual(followerEvents(split()));
    expect(followerEvents(on)).toHaveLength(4);
  });

  it("an owner who followed their own record by automation (from before the rule) stops following it", () => {
    const state = account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", followers: [auto("ana")] }] });
    given(state).when(OFF).then(["SettingsChanged allowDifferentOwners true→false command", "FollowerRemoved opportunity:d1 ana owners-recoupled"]);
  });

  it("settings changed in the same command come first, one event per setting", () => {
    const { events } = run(split(), { type: "updateSettings", allowDifferentOwners: false, updateContactFollowersOnOpportunityOwnerChange: true });
    expect(brief(events).slice(0, 2)).toEqual([
      "SettingsChanged allowDifferentOwners true→false command",
      "SettingsChanged updateContactFollowersOnOpportunityOwnerChange false→true command",
    ]);
    expect(events.slice(2).every((e) => e.cause === "owners-recoupled")).toBe(true);
  });

  it("aligned groups move nothing: only the setting changes", () => {
    expect(brief(run(account(SEPARATE), OFF).events)).toEqual(["SettingsChanged allowDifferentOwners true→false command"]);
  });

  it("turning it off when it is off is a no-op", () => {
    const state = account();
    const result = run(state, OFF);
    expect(result.state).toBe(state);
    expect(result.events).toEqual([]);
  });

  it("a host can preview the moves with decide on the same state, which stays unchanged", () => {
    const state = split();
    const before = toRecords(state);
    const preview = decide(state, OFF, SYSTEM);
    expect(preview.flatMap((e) => (e.type === "OpportunityOwnerChanged" ? [e.opportunityId] : []))).toEqual(["d3", "d1", "b1"]);
    expect(toRecords(state)).toEqual(before);
    expect(state.settings.allowDifferentOwners).toBe(true);
    // Committing afterwards gives exactly the previewed events.
    expect(run(state, OFF).events).toEqual(preview);
  });

  it("an execute that is not kept also leaves the original state as it was", () => {
    const state = split();
    const before = toRecords(state);
    run(state, OFF);
    expect(toRecords(state)).toEqual(before);
  });
});
