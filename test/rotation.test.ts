/**
 * docs/rules.md §10, rotations: deterministic weighted round-robin kept in the snapshot; members
 * must be users of the snapshot.
 */
import { describe, expect, it } from "vitest";
import {
  createState,
  execute,
  executeAll,
  getContact,
  getRotation,
  toRecords,
  type Command,
  type CrmEvent,
  type CrmState,
  type RotationMember,
  type UserInit,
} from "../src/index.js";
import { given } from "./spec.js";
import { SYSTEM } from "./helpers.js";

const USERS: UserInit[] = [{ id: "ana" }, { id: "ben" }, { id: "cy" }, { id: "dee" }];

/** A snapshot with `count` unassigned contacts `c0`…, each with one opportunity `o0`…. */
function account(count: number, options: { users?: UserInit[]; separate?: boolean } = {}): CrmState {
  const contacts = Array.from({ length: count }, (_, i) => ({ id: `c${i}` }));
  return createState({
    settings: { allowDifferentOwners: options.separate ?? false },
    users: options.users ?? USERS,
    contacts,
    opportunities: contacts.map((c, i) => ({ id: `o${i}`, contactId: c.id })),
  });
}

const assign = (contactId: string, users: RotationMember[], extra: Partial<Command> = {}): Command =>
  ({ type: "assignUser", contactId, users, rotationId: "inbound", ...extra }) as Command;

/** Runs `assignUser` over contacts c0…c(n-1), one command each, and returns who got each. */
function picks(state: CrmState, users: RotationMember[], n: number): { owners: (string | null)[]; state: CrmState } {
  let current = state;
  const owners: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const result = execute(current, assign(`c${i}`, users), SYSTEM);
    if (!result.ok) throw new Error(result.error.message);
    current = result.state;
    owners.push(getContact(current, `c${i}`)?.ownerId ?? null);
  }
  return { owners, state: current };
}

const WEIGHTED: RotationMember[] = [
  { userId: "ana", weight: 3 },
  { userId: "ben", weight: 3 },
  { userId: "cy", weight: 1 },
];
const CYCLE = ["ana", "ana", "ana", "ben", "ben", "ben", "cy"];

describe("weighted rotation", () => {
  it("weights 3/3/1 pick A, A, A, B, B, B, C, then again, over several cycles", () => {
    const { owners } = picks(account(28), WEIGHTED, 28);
    expect(owners).toEqual([...CYCLE, ...CYCLE, ...CYCLE, ...CYCLE]);
  });

  it("without weights every user gets an equal share, in the listed order", () => {
    const users = [{ userId: "cy" }, { userId: "ana" }, { userId: "ben" }];
    const { owners } = picks(account(9), users, 9);
    expect(owners).toEqual(["cy", "ana", "ben", "cy", "ana", "ben", "cy", "ana", "ben"]);
  });

  it("a batch of assignUser commands in one executeAll picks the same sequence", () => {
    const commands = CYCLE.map((_, i) => assign(`c${i}`, WEIGHTED));
    const result = executeAll(account(7), commands, SYSTEM);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(CYCLE.map((_, i) => getContact(result.state, `c${i}`)?.ownerId)).toEqual(CYCLE);
  });

  it("an inactive user in the rotation is skipped", () => {
    const users = [{ id: "ana" }, { id: "ben", active: false }, { id: "cy" }];
    const { owners } = picks(account(8, { users }), WEIGHTED, 8);
    expect(owners).toEqual(["ana", "ana", "ana", "cy", "ana", "ana", "ana", "cy"]);
  });

  it("a member who is not a user of the snapshot is refused with USER_NOT_FOUND naming them, not skipped", () => {
    const state = account(4);
    const users = [{ userId: "ana" }, { userId: "ghost", weight: 2 }, { userId: "ben" }];
    given(state).when(assign("c0", users)).thenError({ code: "USER_NOT_FOUND", id: "ghost", field: "users[1].userId" });
    given(state)
      .when({ type: "addOpportunityOwner", opportunityId: "o0", users, rotationId: "deals" })
      .thenError({ code: "USER_NOT_FOUND", id: "ghost", field: "users[1].userId" });
  });

  it("members are checked before onlyIfUnassigned: an owned record with an unknown member is refused too", () => {
    const owned = createState({ users: USERS, contacts: [{ id: "c0", ownerId: "ana" }], opportunities: [{ id: "o0", contactId: "c0", ownerId: "ana" }] });
    const users = [{ userId: "ghost" }];
    given(owned).when(assign("c0", users, { onlyIfUnassigned: true })).thenError({ code: "USER_NOT_FOUND", id: "ghost" });
    given(owned)
      .when({ type: "addOpportunityOwner", opportunityId: "o0", users, rotationId: "deals", onlyIfUnassigned: true })
      .thenError({ code: "USER_NOT_FOUND", id: "ghost" });
    given(owned)
      .when({ type: "addOpportunityOwner", opportunityId: "o0", userId: "ghost", onlyIfUnassigned: true })
      .thenError({ code: "USER_NOT_FOUND", id: "ghost", field: "userId" });
  });

  it("a rotation with no active user fails with NO_ELIGIBLE_USER and changes nothing", () => {
    const users = [{ id: "ana", active: false }, { id: "ben", active: false }];
    const state = account(1, { users });
    given(state).when(assign("c0", [{ userId: "ana", weight: 2 }, { userId: "ben" }])).thenError({ code: "NO_ELIGIBLE_USER", id: "inbound" });
    expect(getRotation(state, "inbound")).toBeUndefined();
  });

  it("an empty rotation fails with NO_ELIGIBLE_USER", () => {
    const result = execute(account(1), assign("c0", []), SYSTEM);
    expect(result.ok ? undefined : result.error.code).toBe("NO_ELIGIBLE_USER");
  });

  it("addOpportunityOwner with a rotation of no eligible user fails with NO_ELIGIBLE_USER", () => {
    const state = account(1, { users: [{ id: "ana", active: false }] });
    given(state).when({ type: "addOpportunityOwner", opportunityId: "o0", users: [{ userId: "ana" }], rotationId: "deals" }).thenError({ code: "NO_ELIGIBLE_USER", id: "deals" });
  });

  for (const type of ["assignUser", "addOpportunityOwner"] as const) {
    it(`${type} refused for a partial snapshot does not move the rotation (INCOMPLETE_SNAPSHOT)`, () => {
      // Coupled owners: the pick moves the whole group, and o-missing was not loaded.
      const state = createState({
        users: USERS,
        contacts: [{ id: "c0", opportunityIds: ["o0", "o-missing"] }],
        opportunities: [{ id: "o0", contactId: "c0" }],
        rotations: [{ id: "inbound", picks: 2 }],
      });
      const command: Command =
        type === "assignUser"
          ? assign("c0", WEIGHTED)
          : { type: "addOpportunityOwner", opportunityId: "o0", users: WEIGHTED, rotationId: "inbound" };
      const result = execute(state, command, SYSTEM);
      expect(result.ok ? undefined : result.error).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", missingIds: ["o-missing"] });
      expect(getRotation(state, "inbound")?.picks).toBe(2);
    });
  }

  it("different rotation ids keep separate counters", () => {
    let state = account(4);
    const run = (contactId: string, rotationId: string) => {
      const result = execute(state, assign(contactId, [{ userId: "ana" }, { userId: "ben" }], { rotationId }), SYSTEM);
      if (!result.ok) throw new Error(result.error.message);
      state = result.state;
      return getContact(state, contactId)?.ownerId;
    };
    expect([run("c0", "north"), run("c1", "south"), run("c2", "north"), run("c3", "south")]).toEqual(["ana", "ana", "ben", "ben"]);
    expect(getRotation(state, "north")?.picks).toBe(2);
    expect(getRotation(state, "south")?.picks).toBe(2);
  });

  it("the counter is shared, the cycle comes from the users eligible now: a deactivated user's turns go to the rest", () => {
    // Decision (docs/automation.md): slot = picks mod the cycle of the users eligible at this pick.
    const { state } = picks(account(5), WEIGHTED, 3); // ana, ana, ana: picks = 3
    const off = execute(state, { type: "deactivateUser", userId: "ben", reassignTo: null }, SYSTEM);
    expect(off.ok).toBe(true);
    if (!off.ok) return;
    // Eligible cycle is now ana×3, cy (length 4); slot 3 is cy, slot 4 mod 4 = 0 is ana.
    const next = execute(off.state, assign("c3", WEIGHTED), SYSTEM);
    expect(next.ok && getContact(next.state, "c3")?.ownerId).toBe("cy");
    if (!next.ok) return;
    const after = execute(next.state, assign("c4", WEIGHTED), SYSTEM);
    expect(after.ok && getContact(after.state, "c4")?.ownerId).toBe("ana");
  });
});

describe("onlyIfUnassigned", () => {
  it("on an owned contact changes nothing and does not move the rotation on", () => {
    const { state } = picks(account(3), WEIGHTED, 1); // c0 → ana, picks = 1
    const owned = execute(state, { type: "assignContactOwner", contactId: "c1", ownerId: "dee" }, SYSTEM);
    if (!owned.ok) throw new Error(owned.error.message);
    const skipped = execute(owned.state, assign("c1", WEIGHTED, { onlyIfUnassigned: true }), SYSTEM);
    expect(skipped).toEqual({ ok: true, state: owned.state, events: [] });
    if (!skipped.ok) return;
    expect(skipped.state).toBe(owned.state);
    expect(getContact(skipped.state, "c1")?.ownerId).toBe("dee");
    expect(getRotation(skipped.state, "inbound")?.picks).toBe(1);
    // The next pick is the one the skipped command would have made: ana's second turn.
    const next = execute(skipped.state, assign("c2", WEIGHTED, { onlyIfUnassigned: true }), SYSTEM);
    expect(next.ok && getContact(next.state, "c2")?.ownerId).toBe("ana");
    expect(next.ok && getRotation(next.state, "inbound")?.picks).toBe(2);
  });

  it("on an unassigned contact assigns as usual", () => {
    const result = execute(account(1), assign("c0", WEIGHTED, { onlyIfUnassigned: true }), SYSTEM);
    expect(result.ok && getContact(result.state, "c0")?.ownerId).toBe("ana");
  });

  it("on an owned opportunity (addOpportunityOwner by rotation) changes nothing and keeps the rotation", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: USERS,
      contacts: [{ id: "c0" }],
      opportunities: [{ id: "o0", contactId: "c0", ownerId: "dee" }],
      rotations: [{ id: "inbound", picks: 4 }],
    });
    const result = execute(state, { type: "addOpportunityOwner", opportunityId: "o0", users: WEIGHTED, rotationId: "inbound", onlyIfUnassigned: true }, SYSTEM);
    expect(result).toEqual({ ok: true, state, events: [] });
    expect(result.ok && result.state).toBe(state);
  });
});

describe("rotation state lives in the snapshot", () => {
  it("toRecords lists each rotation with its count of picks", () => {
    const { state } = picks(account(2), WEIGHTED, 2);
    expect(toRecords(state).rotations).toEqual([{ id: "inbound", picks: 2 }]);
  });

  it("a snapshot rebuilt with createState(toRecords(s)) continues the rotation where it stood", () => {
    const { state } = picks(account(7), WEIGHTED, 4); // ana, ana, ana, ben
    const rebuilt = createState(toRecords(state));
    const fromOriginal = execute(state, assign("c4", WEIGHTED), SYSTEM);
    const fromRebuilt = execute(rebuilt, assign("c4", WEIGHTED), SYSTEM);
    expect(fromOriginal.ok && getContact(fromOriginal.state, "c4")?.ownerId).toBe("ben");
    expect(fromRebuilt.ok && getContact(fromRebuilt.state, "c4")?.ownerId).toBe("ben");
  });

  it("createState takes a rotation's picks: picks 6 of a 3/3/1 cycle is C's turn, then A's", () => {
    const state = createState({
      users: USERS,
      contacts: [{ id: "c0" }, { id: "c1" }],
      opportunities: [],
      rotations: [{ id: "inbound", picks: 6 }],
    });
    const result = executeAll(state, [assign("c0", WEIGHTED), assign("c1", WEIGHTED)], SYSTEM);
    expect(result.ok && [getContact(result.state, "c0")?.ownerId, getContact(result.state, "c1")?.ownerId]).toEqual(["cy", "ana"]);
    expect(result.ok && getRotation(result.state, "inbound")?.picks).toBe(8);
  });

  it("a rotation that has never picked is absent from the snapshot", () => {
    expect(getRotation(account(1), "inbound")).toBeUndefined();
    expect(toRecords(account(1)).rotations).toEqual([]);
  });
});

describe("rotation events", () => {
  const ownerChanges = (events: readonly CrmEvent[]) =>
    events.filter((e) => e.type === "ContactOwnerChanged" || e.type === "OpportunityOwnerChanged");

  it("the contact owner change carries the rotationId, and RotationAdvanced reports the pick", () => {
    const result = execute(account(1, { separate: true }), assign("c0", WEIGHTED, { commandId: "wf-1" }), SYSTEM);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toEqual([
      { type: "ContactOwnerChanged", contactId: "c0", from: null, to: "ana", cause: "command", rotationId: "inbound", version: 1, actor: SYSTEM.actor, schemaVersion: 2, commandId: "wf-1" },
      { type: "RotationAdvanced", rotationId: "inbound", userId: "ana", picks: 1, cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2, commandId: "wf-1" },
    ]);
  });

  it("with coupled owners the picked record's event carries the rotationId; the group follows with owners-coupled", () => {
    const result = execute(account(1), assign("c0", WEIGHTED), SYSTEM);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(ownerChanges(result.events)).toEqual([
      expect.objectContaining({ type: "ContactOwnerChanged", contactId: "c0", to: "ana", cause: "command", rotationId: "inbound" }),
      expect.objectContaining({ type: "OpportunityOwnerChanged", opportunityId: "o0", to: "ana", cause: "owners-coupled" }),
    ]);
    expect(ownerChanges(result.events)[1]).not.toHaveProperty("rotationId");
  });

  it("addOpportunityOwner by rotation reports the rotationId on the opportunity owner change", () => {
    const result = execute(account(1, { separate: true }), { type: "addOpportunityOwner", opportunityId: "o0", users: WEIGHTED, rotationId: "deals" }, SYSTEM);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(ownerChanges(result.events)).toEqual([
      expect.objectContaining({ type: "OpportunityOwnerChanged", opportunityId: "o0", from: null, to: "ana", cause: "command", rotationId: "deals" }),
    ]);
    expect(getRotation(result.state, "deals")?.picks).toBe(1);
  });

  it("a pick of the record's current owner changes no owner but still counts as that user's turn", () => {
    const state = createState({ users: USERS, contacts: [{ id: "c0", ownerId: "ana" }, { id: "c1" }], opportunities: [] });
    const same = execute(state, assign("c0", WEIGHTED), SYSTEM);
    expect(same.ok).toBe(true);
    if (!same.ok) return;
    expect(ownerChanges(same.events)).toEqual([]);
    expect(same.events).toEqual([expect.objectContaining({ type: "RotationAdvanced", userId: "ana", picks: 1 })]);
    expect(getRotation(same.state, "inbound")?.picks).toBe(1);
  });
});
