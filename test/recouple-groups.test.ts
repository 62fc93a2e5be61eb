/**
 * docs/rules.md §8, `recoupleGroups`: re-coupling the named groups only, whatever the setting
 * (a chunk of a bulk re-coupling). Exactly the events turning the setting off gives for those
 * groups, in the snapshot's order, without a `SettingsChanged`; admin-only; a contact not in the
 * snapshot is skipped; a group not loaded whole is refused.
 */
import { describe, expect, it } from "vitest";
import {
  checkInvariants,
  createState,
  execute,
  getOpportunity,
  LIMITS,
  parseCommand,
  recordsNeeded,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
} from "../src/index.js";
import { as, auto, brief, manual, owners, run, SYSTEM } from "./helpers.js";
import { follows, given } from "./spec.js";

const OFF = { type: "updateSettings", allowDifferentOwners: false } as const;
const BOTH_ON = { updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true } as const;

/** Three split groups (acme lists its deals in another order than the snapshot), one aligned group. */
function records(settings: CrmRecordsInit["settings"] = { allowDifferentOwners: true }): CrmRecordsInit {
  return {
    settings,
    users: [{ id: "root", role: "admin" }, { id: "ana" }, { id: "ben" }, { id: "cy" }, { id: "dee" }, { id: "sam", scope: "assigned" }],
    contacts: [
      { id: "acme", ownerId: "ana", opportunityIds: ["d3", "d1", "d2"], followers: [auto("ben")] },
      { id: "bolt", ownerId: null },
      { id: "cora", ownerId: "cy", followers: [manual("dee"), auto("ben")] },
      { id: "dune", ownerId: "dee" },
    ],
    opportunities: [
      { id: "d1", contactId: "acme", ownerId: "ben", followers: [auto("ana")] },
      { id: "d2", contactId: "acme", ownerId: "ana" },
      { id: "b1", contactId: "bolt", ownerId: "dee" },
      { id: "d3", contactId: "acme", ownerId: "cy", status: "won" },
      { id: "c1", contactId: "cora", ownerId: "cy", followers: [auto("ana")] },
      { id: "e1", contactId: "dune", ownerId: "ben" },
    ],
  };
}

/** The events of turning the setting off on `state` that concern these groups, without the SettingsChanged. */
function offEventsFor(state: CrmState, contactIds: readonly string[]): string[] {
  const result = execute(state, OFF, SYSTEM);
  if (!result.ok) throw new Error(result.error.message);
  const groupOf = (e: CrmEvent): string | undefined => {
    if (e.type === "OpportunityOwnerChanged") return e.contactId;
    if (e.type !== "FollowerRemoved") return undefined;
    if (e.record.kind === "contact") return e.record.id;
    return getOpportunity(state, e.record.id)?.contactId;
  };
  return brief(result.events.filter((e) => contactIds.includes(groupOf(e) ?? "")));
}

describe("§8 recoupleGroups re-couples the named groups only", () => {
  it("separate owners: the events of turning the setting off for those groups, in the snapshot's order (not the order named); no SettingsChanged, the setting stays on", () => {
    const start = createState(records());
    const { state } = given(start)
      .when({ type: "recoupleGroups", contactIds: ["cora", "acme", "cora"] })
      .then([
        "OpportunityOwnerChanged d3 cy→ana owners-recoupled",
        "OpportunityOwnerChanged d1 ben→ana owners-recoupled",
        "FollowerRemoved contact:acme ben owners-recoupled",
        "FollowerRemoved opportunity:d1 ana owners-recoupled",
        "FollowerRemoved contact:cora ben owners-recoupled",
        "FollowerRemoved opportunity:c1 ana owners-recoupled",
      ]);
    expect(brief(run(start, { type: "recoupleGroups", contactIds: ["cora", "acme"] }).events)).toEqual(offEventsFor(start, ["acme", "cora"]));
    // bolt and dune, not named, stay split; the manual follow on cora stays.
    expect(owners(state, "acme", "d1", "d2", "d3", "bolt", "b1", "dune", "e1")).toEqual({ acme: "ana", d1: "ana", d2: "ana", d3: "ana", bolt: null, b1: "dee", dune: "dee", e1: "ben" });
    expect(follows(state)).toEqual(["contact:cora dee manual"]);
    expect(state.settings.allowDifferentOwners).toBe(true);
    expect(checkInvariants(state)).toEqual([]);
  });

  it("coupled owners: a group split (or an automation follow kept) from before the rule is realigned, the setting untouched", () => {
    const start = createState(records({ allowDifferentOwners: false }));
    const { state } = given(start)
      .when({ type: "recoupleGroups", contactIds: ["bolt", "dune", "acme"] })
      .then([
        "OpportunityOwnerChanged d3 cy→ana owners-recoupled",
        "OpportunityOwnerChanged d1 ben→ana owners-recoupled",
        "OpportunityOwnerChanged b1 dee→null owners-recoupled",
        "OpportunityOwnerChanged e1 ben→dee owners-recoupled",
        "FollowerRemoved contact:acme ben owners-recoupled",
        "FollowerRemoved opportunity:d1 ana owners-recoupled",
      ]);
    expect(state.settings.allowDifferentOwners).toBe(false);
    // Only cora's automatic follows are left of the old ones: it was not named.
    expect(follows(state)).toEqual(["contact:cora dee manual", "contact:cora ben automation", "opportunity:c1 ana automation"]);
  });

  it("with both follower subsettings on, the end-of-command reconciliation adds and removes nothing more (coupled groups give no reasons)", () => {
    // Follows made by the rules themselves: ben takes d1 (a reason to follow acme; ana, acme's
    // owner, gets one to follow d1); cy takes dune, whose e1 ben keeps (a reason for cy to follow e1).
    const base = createState({ ...records({ allowDifferentOwners: true, ...BOTH_ON }), contacts: records().contacts?.map((c) => ({ ...c, followers: c.id === "cora" ? [manual("dee")] : [] })), opportunities: records().opportunities?.map((o) => ({ ...o, ownerId: o.contactId === "acme" ? "ana" : o.ownerId, followers: [] })) });
    const prepared = run(base, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }, { type: "assignContactOwner", contactId: "dune", ownerId: "cy" }).state;
    expect(follows(prepared)).toEqual(["contact:acme ben automation", "opportunity:d1 ana automation", "contact:cora dee manual", "opportunity:e1 cy automation"]);
    const command = { type: "recoupleGroups", contactIds: ["acme", "dune"] } as const;
    const { state, events } = given(prepared)
      .when(command)
      .then([
        "OpportunityOwnerChanged d1 ben→ana owners-recoupled",
        "OpportunityOwnerChanged e1 ben→cy owners-recoupled",
        "FollowerRemoved contact:acme ben owners-recoupled",
        "FollowerRemoved opportunity:d1 ana owners-recoupled",
        "FollowerRemoved opportunity:e1 cy owners-recoupled",
      ]);
    expect(brief(events)).toEqual(offEventsFor(prepared, ["acme", "dune"]));
    expect(events.some((e) => e.type === "FollowerAdded")).toBe(false);
    expect(follows(state)).toEqual(["contact:cora dee manual"]);
    expect(checkInvariants(state)).toEqual([]);
    // And the setting turned off afterwards has nothing left to do for those groups.
    expect(offEventsFor(state, ["acme", "dune"])).toEqual([]);
  });

  it("a full record: ending its automation follows needs no room, and nothing is added to it", () => {
    const full = createState({
      ...records({ allowDifferentOwners: true, maxFollowers: 2, ...BOTH_ON }),
      contacts: [{ id: "acme", ownerId: "ana", followers: [manual("dee"), auto("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben", followers: [auto("ana"), manual("cy")] }],
    });
    const { state } = given(full)
      .when({ type: "recoupleGroups", contactIds: ["acme"] })
      .then(["OpportunityOwnerChanged d1 ben→ana owners-recoupled", "FollowerRemoved contact:acme ben owners-recoupled", "FollowerRemoved opportunity:d1 ana owners-recoupled"]);
    expect(follows(state)).toEqual(["contact:acme dee manual", "opportunity:d1 cy manual"]);
  });

  it("a manual follow stays, the owner's own manual follow included; an aligned group without automatic follows changes nothing", () => {
    const state = createState({
      ...records(),
      contacts: [{ id: "acme", ownerId: "ana", followers: [manual("ben")] }, { id: "bolt", ownerId: "ana" }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "cy", followers: [manual("cy"), manual("ana")] },
        { id: "b1", contactId: "bolt", ownerId: "ana" },
      ],
    });
    const after = given(state).when({ type: "recoupleGroups", contactIds: ["acme", "bolt"] }).then(["OpportunityOwnerChanged d1 cy→ana owners-recoupled"]).state;
    expect(follows(after)).toEqual(["contact:acme ben manual", "opportunity:d1 cy manual", "opportunity:d1 ana manual"]);
    const aligned = run(state, { type: "recoupleGroups", contactIds: ["bolt"] });
    expect(aligned.events).toEqual([]);
    expect(aligned.state).toBe(state);
  });

  it("admin-only, as turning the setting off: a user (scope all or assigned, owning the group) is refused; an admin and a system actor may", () => {
    const state = createState({ ...records(), contacts: [...(records().contacts ?? []), { id: "mine", ownerId: "sam" }], opportunities: [...(records().opportunities ?? []), { id: "m1", contactId: "mine", ownerId: "ana" }] });
    const command = { type: "recoupleGroups", contactIds: ["mine"] } as const;
    given(state).when(command, as("sam")).thenError({ code: "FORBIDDEN", field: "context.actor", rule: "admin-only", actorId: "sam" });
    given(state).when(command, as("ana")).thenError({ code: "FORBIDDEN", rule: "admin-only" });
    given(state).when(command, as("root")).then(["OpportunityOwnerChanged m1 ana→sam owners-recoupled"]);
    given(state).when(command, SYSTEM).then(["OpportunityOwnerChanged m1 ana→sam owners-recoupled"]);
  });

  it("a contact not in the snapshot is skipped, as transferOwnership's contactIds does: none there, nothing changes", () => {
    const state = createState(records());
    given(state).when({ type: "recoupleGroups", contactIds: ["ghost", "dune"] }).then(["OpportunityOwnerChanged e1 ben→dee owners-recoupled"]);
    const none = run(state, { type: "recoupleGroups", contactIds: ["ghost"] });
    expect(none.events).toEqual([]);
    expect(none.state).toBe(state);
  });

  it("a group not loaded whole is refused (INCOMPLETE_SNAPSHOT naming contactIds and the missing ids), as the whole-account re-coupling refuses it; nothing changes", () => {
    const partial = createState({
      ...records(),
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d1", "d9"] }, { id: "dune", ownerId: "dee" }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "e1", contactId: "dune", ownerId: "ben" }],
    });
    const error = given(partial).when({ type: "recoupleGroups", contactIds: ["dune", "acme"] }).thenError({ code: "INCOMPLETE_SNAPSHOT", field: "contactIds", id: "acme" });
    const whole = given(partial).when(OFF).thenError({ code: "INCOMPLETE_SNAPSHOT", field: "allowDifferentOwners", id: "acme" });
    expect({ ...error, field: undefined }).toEqual({ ...whole, field: undefined });
    expect(error).toMatchObject({ missingIds: ["d9"] });
  });

  it("contactIds: 1 to LIMITS.transferContactIds ids, read as transferOwnership's; recordsNeeded asks for those groups only", () => {
    expect(parseCommand({ type: "recoupleGroups", contactIds: [] })).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "contactIds" } });
    expect(parseCommand({ type: "recoupleGroups" })).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "contactIds" } });
    const tooMany = Array.from({ length: LIMITS.transferContactIds + 1 }, (_, i) => `c${i}`);
    expect(parseCommand({ type: "recoupleGroups", contactIds: tooMany })).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "contactIds" } });
    expect(parseCommand({ type: "recoupleGroups", contactIds: tooMany.slice(1) })).toMatchObject({ ok: true });
    expect(parseCommand({ type: "recoupleGroups", contactIds: ["ok", 3] })).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "contactIds[1]" } });
    expect(recordsNeeded({ type: "recoupleGroups", contactIds: ["acme", "bolt", "acme"] }, as("root"))).toEqual({
      load: "records",
      contactIds: ["acme", "bolt"],
      opportunityIds: [],
      userIds: ["root"],
      rotationIds: [],
      allUsers: false,
    });
  });
});
