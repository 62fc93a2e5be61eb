/**
 * The host helpers: `recordsNeeded` (what to load before a command) and `changedRecords` (what
 * to write after it). docs/rules.md §1: a host loads "the contacts a command needs, with all of their
 * opportunities, plus settings and users"; it persists "the snapshot (or just the changed
 * records)".
 */
import { describe, expect, it } from "vitest";
import {
  changedRecords,
  createState,
  execute,
  executeAll,
  parseCommand,
  recordsNeeded,
  toRecords,
  type Command,
  type CrmRecords,
  type CrmState,
  type RecordChanges,
} from "../src/index.js";
import { initialRecords, partialFor, partialRecords, prng, randomCommand, randomContext } from "./host-random.js";
import { SYSTEM } from "./helpers.js";

const account = (separate = false) =>
  createState({
    settings: { allowDifferentOwners: separate },
    users: [{ id: "ana", role: "admin" }, { id: "ben" }, { id: "cleo" }],
    contacts: [
      { id: "acme", ownerId: "ana", followers: [{ userId: "cleo", source: "manual" }] },
      { id: "globex", ownerId: "ben" },
    ],
    opportunities: [
      { id: "deal-1", contactId: "acme", ownerId: "ana" },
      { id: "deal-2", contactId: "acme", ownerId: "ana" },
      { id: "deal-3", contactId: "globex", ownerId: "ben" },
    ],
  });

const run = (state: CrmState, command: Command) => {
  const result = execute(state, command, SYSTEM);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
};
const ids = (records: readonly { readonly id: string }[]) => records.map((r) => r.id);

describe("recordsNeeded: what a host loads before a command", () => {
  it("an opportunity command asks for the opportunity (loaded through its contact) and the new owner", () => {
    expect(recordsNeeded({ type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" }, SYSTEM)).toEqual({
      load: "records",
      contactIds: [],
      opportunityIds: ["deal-1"],
      userIds: ["ben"],
      rotationIds: [],
      allUsers: false,
    });
  });

  it("creating an opportunity asks for its contact and for the new id, which another contact may already use", () => {
    const needed = recordsNeeded({ type: "createOpportunity", opportunityId: "deal-9", contactId: "acme" }, SYSTEM);
    expect(needed.contactIds).toEqual(["acme"]);
    expect(needed.opportunityIds).toEqual(["deal-9"]);
  });

  it("asks for every user the command names and the acting user: actor first, then owner and followers", () => {
    const needed = recordsNeeded({ type: "createContact", contactId: "acme", ownerId: "ben", followerIds: ["cleo", "dev"] }, { actor: { userId: "ana" } });
    expect(needed.userIds).toEqual(["ana", "ben", "cleo", "dev"]);
    expect(recordsNeeded({ type: "createContact", contactId: "acme", ownerId: "ben" }, { actor: { system: "import" } }).userIds).toEqual(["ben"]);
    expect(recordsNeeded({ type: "assignContactOwner", contactId: "acme", ownerId: null }, SYSTEM).userIds).toEqual([]);
  });

  it("a rotation command asks for the rotation and its members", () => {
    const users = [{ userId: "ben", weight: 3 }, { userId: "cleo" }];
    expect(recordsNeeded({ type: "assignUser", contactId: "lead-1", users, rotationId: "inbound" }, SYSTEM)).toMatchObject({
      contactIds: ["lead-1"],
      userIds: ["ben", "cleo"],
      rotationIds: ["inbound"],
    });
    expect(recordsNeeded({ type: "addOpportunityOwner", opportunityId: "deal-1", users, rotationId: "deals" }, SYSTEM)).toMatchObject({
      opportunityIds: ["deal-1"],
      userIds: ["ben", "cleo"],
      rotationIds: ["deals"],
    });
    expect(recordsNeeded({ type: "addOpportunityOwner", opportunityId: "deal-1", userId: "ben" }, SYSTEM).rotationIds).toEqual([]);
  });

  it("a follower command asks for the record of the kind it names", () => {
    expect(recordsNeeded({ type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }, SYSTEM)).toMatchObject({
      contactIds: ["acme"],
      opportunityIds: [],
      userIds: ["ben"],
    });
    expect(recordsNeeded({ type: "removeFollower", record: { kind: "opportunity", id: "deal-1" }, userId: "ben" }, SYSTEM)).toMatchObject({
      contactIds: [],
      opportunityIds: ["deal-1"],
    });
  });

  it("turning separate owners off needs the groups it re-couples (load: recoupling); other setting changes need no record", () => {
    expect(recordsNeeded({ type: "updateSettings", allowDifferentOwners: false }, SYSTEM)).toEqual({
      load: "recoupling",
      users: [],
      includeClosed: false,
      contactIds: [],
      opportunityIds: [],
      userIds: [],
      rotationIds: [],
      allUsers: false,
    });
    expect(recordsNeeded({ type: "updateSettings", allowDifferentOwners: true }, SYSTEM).load).toBe("records");
    expect(recordsNeeded({ type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: true }, SYSTEM)).toEqual({
      load: "records",
      contactIds: [],
      opportunityIds: [],
      userIds: [],
      rotationIds: [],
      allUsers: false,
    });
  });

  it("bulk moves and offboarding need just the records of the user they move from; offboarding also every user (the last-admin rule)", () => {
    expect(recordsNeeded({ type: "transferOwnership", fromUserId: "ana", toUserId: "ben" }, SYSTEM)).toMatchObject({
      load: "recordsOfUsers",
      userIds: ["ana", "ben"],
      users: ["ana"],
      allUsers: false,
    });
    expect(recordsNeeded({ type: "deactivateUser", userId: "ana", reassignTo: null }, SYSTEM)).toMatchObject({ load: "recordsOfUsers", userIds: ["ana"], users: ["ana"], allUsers: true });
    expect(recordsNeeded({ type: "reactivateUser", userId: "ana" }, SYSTEM)).toMatchObject({ load: "records", userIds: ["ana"] });
    // Groups where the user owns only closed deals are needed only by a move that takes those.
    expect(recordsNeeded({ type: "deactivateUser", userId: "ana", reassignTo: null }, SYSTEM)).toMatchObject({ includeClosed: false });
    expect(recordsNeeded({ type: "deactivateUser", userId: "ana", reassignTo: null, includeClosed: true }, SYSTEM)).toMatchObject({ includeClosed: true });
    expect(recordsNeeded({ type: "transferOwnership", fromUserId: "ana", toUserId: "ben", includeClosed: true }, SYSTEM)).toMatchObject({ includeClosed: true });
    expect(
      recordsNeeded([{ type: "transferOwnership", fromUserId: "ana", toUserId: "ben" }, { type: "deactivateUser", userId: "cy", reassignTo: null, includeClosed: true }], SYSTEM),
    ).toMatchObject({ users: ["ana", "cy"], includeClosed: true });
  });

  it("deleting, closing or unassigning asks for the record only", () => {
    expect(recordsNeeded({ type: "deleteContact", contactId: "acme" }, SYSTEM).contactIds).toEqual(["acme"]);
    expect(recordsNeeded({ type: "removeAssignedUser", contactId: "acme" }, SYSTEM).contactIds).toEqual(["acme"]);
    expect(recordsNeeded({ type: "deleteOpportunity", opportunityId: "deal-1" }, SYSTEM).opportunityIds).toEqual(["deal-1"]);
    expect(recordsNeeded({ type: "setOpportunityStatus", opportunityId: "deal-1", status: "won" }, SYSTEM).opportunityIds).toEqual(["deal-1"]);
    expect(recordsNeeded({ type: "removeOpportunityOwner", opportunityId: "deal-1" }, SYSTEM).opportunityIds).toEqual(["deal-1"]);
  });

  it("a batch asks for the union of its commands, each id once, and ids such as __proto__ are ordinary", () => {
    const needed = recordsNeeded([
      { type: "assignContactOwner", contactId: "__proto__", ownerId: "constructor" },
      { type: "assignContactOwner", contactId: "__proto__", ownerId: "ben" },
      { type: "deactivateUser", userId: "constructor", reassignTo: "ben" },
    ], SYSTEM);
    expect(needed).toEqual({
      load: "recordsOfUsers",
      users: ["constructor"],
      includeClosed: false,
      contactIds: ["__proto__"],
      opportunityIds: [],
      userIds: ["constructor", "ben"],
      rotationIds: [],
      allUsers: true,
    });
  });

  it("a batch that also turns separate owners off needs the re-coupled groups plus what its bulk moves need", () => {
    const needed = recordsNeeded([
      { type: "deactivateUser", userId: "ana", reassignTo: "ben" },
      { type: "updateSettings", allowDifferentOwners: false },
    ], SYSTEM);
    expect(needed).toMatchObject({ load: "recoupling", users: ["ana"], allUsers: true });
  });

  it("a snapshot loaded without one of a contact's opportunities is refused, not half-applied", () => {
    // What happens if a host ignores the rule "with all of its opportunities".
    const all = toRecords(account());
    const partial = createState({ ...all, opportunities: all.opportunities.filter((o) => o.id !== "deal-2") });
    const result = execute(partial, { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" }, SYSTEM);
    expect(result).toMatchObject({ ok: false, error: { code: "INCOMPLETE_SNAPSHOT", missingIds: ["deal-2"] } });
  });

  it("a move that leaves closed deals needs no group where the user owns only those, in a batch too: a deal reopened first is named, so loaded", () => {
    const whole = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "ana", role: "admin" }, { id: "ben" }, { id: "dev" }],
      contacts: [{ id: "a" }, { id: "b" }, { id: "c" }].map((c) => ({ ...c, ownerId: "ana" })),
      opportunities: [
        { id: "a1", contactId: "a", ownerId: "ben" },
        { id: "b1", contactId: "b", ownerId: "ben", status: "won" },
        { id: "c1", contactId: "c", ownerId: "ben", status: "lost" },
      ],
    });
    for (const batch of [
      [{ type: "transferOwnership", fromUserId: "ben", toUserId: "dev" }],
      [{ type: "setOpportunityStatus", opportunityId: "b1", status: "open" }, { type: "transferOwnership", fromUserId: "ben", toUserId: "dev" }],
      [{ type: "deactivateUser", userId: "ben", reassignTo: "dev" }, { type: "updateSettings", allowDifferentOwners: false }],
    ] satisfies Command[][]) {
      const needed = recordsNeeded(batch, SYSTEM);
      const partial = createState(partialRecords(toRecords(whole), needed));
      const onWhole = executeAll(whole, batch, SYSTEM);
      const onPartial = executeAll(partial, batch, SYSTEM);
      expect(onPartial.ok && onPartial.events).toEqual(onWhole.ok && onWhole.events);
      if (batch.length === 1) expect(partial.contacts.size).toBe(1); // only "a": b and c hold nothing of ben's but closed deals
    }
  });

  it("loading what it names (the records of a recordsOfUsers load included) lets every command decide exactly as on the whole account (2,000 random commands)", () => {
    let checked = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = prng(seed);
      let full = createState(initialRecords(rng));
      for (let step = 0; step < 100; step++) {
        const command = randomCommand(rng, full.version);
        const actor = randomContext(rng);
        if (!parseCommand(command).ok) continue;
        const partial = createState(partialFor(toRecords(full), command, actor));
        const onFull = execute(full, command, actor);
        const onPartial = execute(partial, command, actor);
        const context = `seed ${seed}, step ${step}: ${JSON.stringify(command)} as ${JSON.stringify(actor)}`;
        expect(onPartial.ok, context).toBe(onFull.ok);
        if (!onFull.ok || !onPartial.ok) {
          expect(onPartial, context).toEqual(onFull);
          continue;
        }
        expect(onPartial.events, context).toEqual(onFull.events);
        // What the host writes from its partial snapshot is what changed in the whole account.
        expect(changedRecords(partial, onPartial), context).toEqual(changedRecords(full, onFull));
        full = onFull.state;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

/** The old records with `changes` written over them, as a host's database would hold them. */
function applyChanges(before: CrmRecords, changes: RecordChanges, after: CrmState): Record<string, Map<string, unknown>> {
  const write = <T extends { id: string }>(rows: readonly T[], change: { upserted: readonly T[]; deleted: readonly string[] }) => {
    const map = new Map<string, unknown>(rows.map((r) => [r.id, r]));
    for (const id of change.deleted) map.delete(id);
    for (const row of change.upserted) map.set(row.id, row);
    return map;
  };
  return {
    contacts: write(before.contacts, changes.contacts),
    opportunities: write(before.opportunities, changes.opportunities),
    users: write(before.users, changes.users),
    rotations: write(before.rotations, changes.rotations),
    settings: new Map([["settings", changes.settingsChanged ? after.settings : before.settings]]),
  };
}
const asMaps = (records: CrmRecords) => ({
  contacts: new Map<string, unknown>(records.contacts.map((r) => [r.id, r])),
  opportunities: new Map<string, unknown>(records.opportunities.map((r) => [r.id, r])),
  users: new Map<string, unknown>(records.users.map((r) => [r.id, r])),
  rotations: new Map<string, unknown>(records.rotations.map((r) => [r.id, r])),
  settings: new Map([["settings", records.settings]]),
});

describe("changedRecords: what a host writes after a command", () => {
  it("a change to one record reports that record only", () => {
    const state = account(true);
    const result = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    const changes = changedRecords(state, result);
    expect(ids(changes.contacts.upserted)).toEqual(["acme"]);
    expect(changes.contacts.upserted[0]).toMatchObject({ ownerId: "ben" });
    expect(changes).toMatchObject({
      version: 1,
      settingsChanged: false,
      contacts: { deleted: [] },
      opportunities: { upserted: [], deleted: [] },
      users: { upserted: [], deleted: [] },
      rotations: { upserted: [], deleted: [] },
    });
  });

  it("with coupled owners, reports the contact and every opportunity that moved, and nothing of other contacts", () => {
    const state = account();
    const changes = changedRecords(state, run(state, { type: "assignOpportunityOwner", opportunityId: "deal-2", ownerId: "ben" }));
    expect(ids(changes.contacts.upserted)).toEqual(["acme"]);
    expect(ids(changes.opportunities.upserted).sort()).toEqual(["deal-1", "deal-2"]);
  });

  it("creating an opportunity reports it and its contact, whose opportunityIds grew", () => {
    const state = account();
    const changes = changedRecords(state, run(state, { type: "createOpportunity", opportunityId: "deal-4", contactId: "globex" }));
    expect(ids(changes.opportunities.upserted)).toEqual(["deal-4"]);
    expect(changes.contacts.upserted).toEqual([expect.objectContaining({ id: "globex", opportunityIds: ["deal-3", "deal-4"] })]);
  });

  it("deleting a contact reports it and its opportunities as deleted, and nothing to upsert", () => {
    const state = account();
    const changes = changedRecords(state, run(state, { type: "deleteContact", contactId: "acme" }));
    expect(changes.contacts).toEqual({ upserted: [], deleted: ["acme"] });
    expect(changes.opportunities).toEqual({ upserted: [], deleted: ["deal-1", "deal-2"] });
  });

  it("deleting one opportunity reports it deleted and its contact upserted", () => {
    const state = account();
    const changes = changedRecords(state, run(state, { type: "deleteOpportunity", opportunityId: "deal-1" }));
    expect(changes.opportunities.deleted).toEqual(["deal-1"]);
    expect(changes.contacts.upserted).toEqual([expect.objectContaining({ id: "acme", opportunityIds: ["deal-2"] })]);
  });

  it("flags a settings change, and turning separate owners off reports each re-coupled opportunity", () => {
    const split = run(account(true), { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "cleo" }).state;
    const changes = changedRecords(split, run(split, { type: "updateSettings", allowDifferentOwners: false }));
    expect(changes.settingsChanged).toBe(true);
    expect(changes.opportunities.upserted).toEqual([expect.objectContaining({ id: "deal-1", ownerId: "ana" })]);
    expect(changes.contacts.upserted).toEqual([]);
  });

  it("a follower a rule could not add (FollowerNotAdded) changes no record, only the version", () => {
    let state = createState({
      settings: { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true, maxFollowers: 1 },
      users: [{ id: "ana" }, { id: "ben" }, { id: "cleo" }],
      contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "cleo", source: "manual" }] }],
      opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }],
    });
    const result = run(state, { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" });
    expect(result.events.map((e) => e.type)).toEqual(["OpportunityOwnerChanged", "FollowerNotAdded"]);
    const changes = changedRecords(state, result);
    expect(ids(changes.opportunities.upserted)).toEqual(["deal-1"]);
    expect(changes.contacts).toEqual({ upserted: [], deleted: [] });
    state = result.state;
    expect(changes.version).toBe(state.version);
  });

  it("offboarding reports the deactivated user; a rotation pick reports the rotation", () => {
    const state = account();
    const off = changedRecords(state, run(state, { type: "deactivateUser", userId: "ben", reassignTo: "ana" }));
    expect(off.users.upserted).toEqual([expect.objectContaining({ id: "ben", active: false })]);
    expect(ids(off.contacts.upserted)).toEqual(["globex"]);
    const pick = changedRecords(state, run(state, { type: "assignUser", contactId: "globex", users: [{ userId: "cleo" }], rotationId: "inbound" }));
    expect(pick.rotations.upserted).toEqual([{ id: "inbound", picks: 1 }]);
  });

  it("a command with no effect reports nothing", () => {
    const state = account();
    const result = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ana" });
    expect(changedRecords(state, result)).toEqual({
      version: 0,
      settingsChanged: false,
      contacts: { upserted: [], deleted: [] },
      opportunities: { upserted: [], deleted: [] },
      users: { upserted: [], deleted: [] },
      rotations: { upserted: [], deleted: [] },
    });
  });

  it("in a batch, a record created and deleted again is neither written nor deleted, and settings turned on and off again are unchanged", () => {
    const state = account();
    const result = executeAll(state, [
      { type: "createContact", contactId: "temp", ownerId: "ben" },
      { type: "createOpportunity", opportunityId: "temp-deal", contactId: "temp" },
      { type: "deleteContact", contactId: "temp" },
      { type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: true },
      { type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: false },
    ], SYSTEM);
    if (!result.ok) throw new Error(result.error.message);
    const changes = changedRecords(state, result);
    expect(changes.contacts).toEqual({ upserted: [], deleted: [] });
    expect(changes.opportunities).toEqual({ upserted: [], deleted: [] });
    expect(changes.settingsChanged).toBe(false);
    expect(changes.version).toBe(5);
  });

  it("writing the reported changes over the old records gives the new records (random commands, and their batch)", () => {
    for (let seed = 100; seed < 115; seed++) {
      const rng = prng(seed);
      const initial = createState(initialRecords(rng));
      let state = initial;
      const accepted: Command[] = [];
      for (let step = 0; step < 120; step++) {
        const command = randomCommand(rng, state.version);
        const result = execute(state, command, SYSTEM);
        if (!result.ok) continue;
        const changes = changedRecords(state, result);
        expect(applyChanges(toRecords(state), changes, result.state), `seed ${seed}, step ${step}`).toEqual(asMaps(toRecords(result.state)));
        accepted.push(command);
        state = result.state;
      }
      const batch = executeAll(initial, accepted, SYSTEM);
      if (!batch.ok) throw new Error(batch.error.message);
      expect(applyChanges(toRecords(initial), changedRecords(initial, batch), batch.state)).toEqual(asMaps(toRecords(state)));
    }
  });
});

describe("recordsNeeded on what is not a command", () => {
  it("never throws: a value that is not a command needs no record (execute refuses it before reading anything)", () => {
    for (const junk of [null, 5, "deleteContact", { type: "bogus" }, { type: "deleteContact", contactId: 42 }, new Proxy({}, { get: () => { throw new Error("trap"); } })]) {
      expect(recordsNeeded(junk as Command, SYSTEM)).toEqual({ load: "records", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: false });
    }
    expect(recordsNeeded([{ type: "bogus" } as unknown as Command, { type: "deleteContact", contactId: "acme" }], SYSTEM).contactIds).toEqual(["acme"]);
  });
});
