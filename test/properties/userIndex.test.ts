/**
 * The user index (src/state/userIndex.ts): it always equals the index recomputed from the
 * records, and bulk moves and re-coupling read off it give exactly the events of a walk over
 * every contact.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { checkInvariants, createState, execute, executeAll, getOpportunity, toRecords, type Command, type CrmRecords, type CrmState } from "../../src/index.js";
import { forEachRow, getRow } from "../../src/state/table.js";
import { forEachId } from "../../src/state/idSet.js";
import { indexOf } from "../../src/state/userIndex.js";
import { arbCommand, arbScenario, runSequence } from "../../src/testing/index.js";
import { firstUnfrozen, SYSTEM } from "../helpers.js";
import { createsUnloadedListedId, runs } from "./helpers.js";

/** The index as plain data: per user, the sorted contact ids of their groups; the incomplete groups; the groups to re-couple. */
// Ids may be hostile ("__proto__", "constructor"): Maps, and sorted pairs to compare.
type Plain = { users: [string, string[]][]; incomplete: string[]; recouple: string[] };
const byUser = (a: [string, string[]], b: [string, string[]]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function plainIndex(state: CrmState): Plain {
  return plain(indexOf(state));
}

/** A set's ids, which a walk must visit once each (a list `createState` left repeating a group would not). */
function distinct(ids: string[]): string[] {
  if (new Set(ids).size !== ids.length) throw new Error(`an id set visits an id twice: ${JSON.stringify(ids)}`);
  return ids;
}

function plain(index: ReturnType<typeof indexOf>): Plain {
  if (index === undefined) throw new Error("no index");
  const users: [string, string[]][] = [];
  forEachRow(index.users, (entry) => {
    const groups: string[] = [];
    forEachId(entry.groups, (id) => groups.push(id));
    users.push([entry.id, distinct(groups).sort()]);
  });
  const incomplete: string[] = [];
  forEachRow(index.incomplete, (id) => incomplete.push(id));
  const recouple: string[] = [];
  forEachId(index.recouple, (id) => recouple.push(id));
  return { users: users.sort(byUser), incomplete: incomplete.sort(), recouple: distinct(recouple).sort() };
}

/** The same, recomputed from the records the straightforward way. */
function recomputed(records: CrmRecords): Plain {
  const users = new Map<string, Set<string>>();
  const add = (userId: string | null, contactId: string) => {
    if (userId === null) return;
    const groups = users.get(userId) ?? new Set<string>();
    users.set(userId, groups.add(contactId));
  };
  const loaded = new Set(records.opportunities.map((o) => o.id));
  const incomplete: string[] = [];
  // Split groups, and groups with an automation follow.
  const recouple = new Set<string>();
  const automated = (r: { followers: readonly { source: string }[] }) => r.followers.some((f) => f.source === "automation");
  const ownerOf = new Map(records.contacts.map((c) => [c.id, c.ownerId]));
  for (const c of records.contacts) {
    add(c.ownerId, c.id);
    for (const f of c.followers) add(f.userId, c.id);
    if (c.opportunityIds.some((id) => !loaded.has(id))) incomplete.push(c.id);
    if (automated(c)) recouple.add(c.id);
  }
  for (const o of records.opportunities) {
    add(o.ownerId, o.contactId);
    for (const f of o.followers) add(f.userId, o.contactId);
    if (automated(o) || o.ownerId !== ownerOf.get(o.contactId)) recouple.add(o.contactId);
  }
  return {
    users: [...users].map(([id, set]): [string, string[]] => [id, [...set].sort()]).sort(byUser),
    incomplete: incomplete.sort(),
    recouple: [...recouple].sort(),
  };
}

/** The record changes a list of deferred commits holds. */
function deferredCount(list: { readonly contacts: readonly unknown[]; readonly opportunities: readonly unknown[]; readonly next: unknown } | undefined): number {
  let count = 0;
  for (let at = list; at !== undefined; at = at.next as typeof list) count += (at.contacts.length + at.opportunities.length) / 2;
  return count;
}

/** Whether two computed indexes hold the same entries (two builds of one account are equal, not identical). */
const sameIndex = (a: ReturnType<typeof indexOf>, b: ReturnType<typeof indexOf>) => JSON.stringify(plain(a)) === JSON.stringify(plain(b));

/** The same snapshot without its index: bulk moves on it walk every contact (the reference). */
const withoutIndex = (state: CrmState): CrmState => ({ ...state });

const scenario = fc.oneof(arbScenario({}, { maxLength: 12 }), arbScenario({ partial: true }, { maxLength: 12 }));

describe("the user index", () => {
  it("equals the index recomputed from the records, after any sequence of commands", () => {
    fc.assert(
      // Read every `stride` steps and at the end: a commit defers the index, and a read catches
      // up on the changes of every commit since the last one (userIndex.ts, `indexOf`).
      fc.property(scenario, fc.integer({ min: 1, max: 6 }), ({ records, commands, contexts }, stride) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        const state = createState(records);
        expect(plainIndex(state)).toEqual(recomputed(toRecords(state)));
        let last = state;
        runSequence(state, commands, {
          context: contexts,
          checkInvariants: false,
          onStep: ({ result, index }) => {
            if (!result.ok) return;
            last = result.state;
            if ((index + 1) % stride === 0) expect(plainIndex(result.state)).toEqual(recomputed(toRecords(result.state)));
          },
        });
        expect(plainIndex(last)).toEqual(recomputed(toRecords(last)));
        // A batch commits once, with every change of the sequence: the same index.
        const batch = executeAll(state, commands, SYSTEM);
        if (batch.ok) expect(plainIndex(batch.state)).toEqual(recomputed(toRecords(batch.state)));
      }),
      runs(200),
    );
  });

  it("lists each group of a user once when a contact's opportunities do not come one after the other", () => {
    // acme's deals come before and after globex's: cy follows one of each, and both groups split.
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "ana" }, { id: "ben" }, { id: "cy" }],
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "globex", ownerId: "ana" },
      ],
      opportunities: [
        { id: "a1", contactId: "acme", ownerId: "ben", followers: [{ userId: "cy", source: "manual" }] },
        { id: "g1", contactId: "globex", ownerId: "ben", followers: [{ userId: "cy", source: "manual" }] },
        { id: "a2", contactId: "acme", ownerId: "ben", followers: [{ userId: "cy", source: "manual" }] },
      ],
    });
    const index = plainIndex(state);
    expect(index.users).toEqual([
      ["ana", ["acme", "globex"]],
      ["ben", ["acme", "globex"]],
      ["cy", ["acme", "globex"]],
    ]);
    expect(index.recouple).toEqual(["acme", "globex"]);
  });

  it("is left as lists by createState; a catch-up makes the sets it looks in tables, and the rest stay lists", () => {
    const state = createState({
      users: [{ id: "ana" }, { id: "ben" }],
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "globex", ownerId: "ben" },
      ],
      opportunities: [{ id: "a1", contactId: "acme", ownerId: "ana" }],
    });
    const created = indexOf(state);
    const groupsOf = (index: typeof created, userId: string) => (index === undefined ? undefined : getRow(index.users, userId)?.groups);
    expect(Array.isArray(groupsOf(created, "ana"))).toBe(true);
    expect(Array.isArray(groupsOf(created, "ben"))).toBe(true);
    expect(Array.isArray(created?.recouple)).toBe(true);
    // ana joins globex: her set is looked in and changed; ben's is not looked in, and a manual
    // follow changes no group's need of re-coupling.
    const next = execute(state, { type: "addFollower", record: { kind: "contact", id: "globex" }, userId: "ana" }, SYSTEM);
    if (!next.ok) throw new Error(next.error.message);
    const after = indexOf(next.state);
    expect(Array.isArray(groupsOf(after, "ana"))).toBe(false);
    expect(groupsOf(after, "ben")).toBe(groupsOf(created, "ben"));
    expect(after?.recouple).toBe(created?.recouple);
    expect(plainIndex(next.state)).toEqual(recomputed(toRecords(next.state)));
  });

  it("is the same whatever order a snapshot's opportunities come in", () => {
    fc.assert(
      fc.property(
        arbScenario().chain(({ records }) => fc.shuffledSubarray([...records.opportunities], { minLength: records.opportunities.length }).map((opportunities) => ({ ...records, opportunities }))),
        (records) => {
          const state = createState(records);
          expect(plainIndex(state)).toEqual(recomputed(toRecords(state)));
        },
      ),
      runs(200),
    );
  });

  it("is the same whatever snapshots of a long run are read, and in whatever order", () => {
    // A commit defers its own changes; once more than 64 record changes were deferred before it,
    // it computes its base's index first. Reading a snapshot catches up from the last computed
    // index, even after later snapshots were committed from it.
    let computedByCommit = 0;
    fc.assert(
      fc.property(arbScenario({}, { minLength: 60, maxLength: 120 }), fc.integer({ min: 2, max: 40 }), ({ records, commands }, every) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        const snapshots: CrmState[] = [];
        runSequence(createState(records), commands, {
          checkInvariants: false,
          onStep: ({ result }) => {
            if (result.ok) snapshots.push(result.state);
          },
        });
        const created = indexOf(createState(records));
        for (const state of snapshots) {
          const pending = state.index?.pending;
          if (pending === undefined) continue;
          // What a snapshot holds on to stays bounded: its own commit's changes, and at most 64 before.
          expect(deferredCount(pending.changes.next)).toBeLessThanOrEqual(64);
          if (!sameIndex(pending.index, created)) computedByCommit++;
        }
        // Every `every`-th snapshot, newest first; the snapshot, and the index computed at the
        // read (cached outside it), frozen.
        for (let i = snapshots.length - 1; i >= 0; i -= every) {
          const state = snapshots[i] as CrmState;
          expect(plainIndex(state)).toEqual(recomputed(toRecords(state)));
          expect(firstUnfrozen(state)).toBeUndefined();
          expect(firstUnfrozen(indexOf(state), "index")).toBeUndefined();
        }
      }),
      runs(40),
    );
    expect(computedByCommit).toBeGreaterThan(0);
  });

  it("works on a snapshot another copy of the library made (a CJS and an ESM build in one process)", async () => {
    const one = await import("../../src/index.js");
    vi.resetModules();
    const other = await import("../../src/index.js");
    expect(other.execute).not.toBe(one.execute);
    const state = one.createState({
      users: [{ id: "ana" }, { id: "ben" }],
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "bolt", ownerId: "ana" },
      ],
      opportunities: [{ id: "o1", contactId: "acme", ownerId: "ana" }],
    });
    // The first copy defers the index of its commit; the other one reads and extends it.
    const moved = one.execute(state, { type: "assignContactOwner", contactId: "bolt", ownerId: "ben" }, SYSTEM);
    if (!moved.ok) throw new Error(moved.error.message);
    const followed = other.execute(moved.state, { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }, SYSTEM);
    if (!followed.ok) throw new Error(followed.error.message);
    const transfer = { type: "transferOwnership", fromUserId: "ben", toUserId: "ana" } as const;
    const byOther = other.execute(followed.state, transfer, SYSTEM);
    const byOne = one.execute(followed.state, transfer, SYSTEM);
    expect(byOther.ok && byOther.events.map((e) => e.type)).toEqual(["ContactOwnerChanged"]);
    expect(byOther).toEqual(byOne);
  });

  it("is deferred by a batch however many records it changes, and caught up by the next commit", () => {
    const contacts = Array.from({ length: 100 }, (_, i) => ({ id: `c${i}`, ownerId: "ana" }));
    const state = createState({ users: [{ id: "ana" }, { id: "ben" }], contacts, opportunities: [] });
    const created = indexOf(state);
    const batch = executeAll(state, contacts.map((c): Command => ({ type: "assignContactOwner", contactId: c.id, ownerId: "ben" })), SYSTEM);
    if (!batch.ok) throw new Error(batch.error.message);
    // A host that stores the batch's snapshot and drops it never pays for the index.
    expect(batch.state.index?.pending?.count).toBe(100);
    expect(batch.state.index?.pending?.index).toBe(created);
    // The next commit computes the batch's index (on the batch's tables) and defers its own change.
    const next = execute(batch.state, { type: "addFollower", record: { kind: "contact", id: "c0" }, userId: "ana" }, SYSTEM);
    if (!next.ok) throw new Error(next.error.message);
    expect(next.state.index?.pending?.count).toBe(1);
    expect(next.state.index?.pending?.index).toBe(indexOf(batch.state));
    expect(plainIndex(batch.state)).toEqual(recomputed(toRecords(batch.state)));
    expect(plainIndex(next.state)).toEqual(recomputed(toRecords(next.state)));
  });

  it("carries 64 record changes deferred before a commit over, and computes 65", () => {
    const contacts = Array.from({ length: 65 }, (_, i) => ({ id: `c${i}`, ownerId: "ana" }));
    const state = createState({ users: [{ id: "ana" }, { id: "ben" }, { id: "cat" }], contacts, opportunities: [] });
    const after = (count: number) => {
      const moves = contacts.slice(0, count).map((c): Command => ({ type: "assignContactOwner", contactId: c.id, ownerId: "ben" }));
      const batch = executeAll(state, moves, SYSTEM);
      if (!batch.ok) throw new Error(batch.error.message);
      const next = execute(batch.state, { type: "addFollower", record: { kind: "contact", id: "c64" }, userId: "cat" }, SYSTEM);
      if (!next.ok) throw new Error(next.error.message);
      expect(plainIndex(next.state)).toEqual(recomputed(toRecords(next.state)));
      return next.state.index?.pending;
    };
    expect(after(64)).toMatchObject({ count: 65, index: indexOf(state) });
    expect(after(65)).toMatchObject({ count: 1 });
    expect(after(65)?.index).not.toBe(indexOf(state));
  });

  it("is not part of the snapshot's value: not enumerable, and copies without it still work", () => {
    const state = createState({ users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
    expect(Object.keys(state)).not.toContain("index");
    expect(getRow(indexOf(state)?.users ?? (undefined as never), "ana")?.id).toBe("ana");
    expect(JSON.stringify(state)).not.toContain("index");
    const copy = withoutIndex(state);
    expect(copy.index).toBeUndefined();
    const moved = execute(copy, { type: "transferOwnership", fromUserId: "ana", toUserId: null }, SYSTEM);
    expect(moved.ok && moved.events.map((e) => e.type)).toEqual(["ContactOwnerChanged"]);
  });
});

/** A bulk move of one of the snapshot's users (or a stranger), with every option; or re-coupling. */
function arbBulkMove(records: CrmRecords): fc.Arbitrary<Command> {
  const users = [...records.users.map((u) => u.id), "stranger"];
  const user = fc.constantFrom(...users);
  const to = fc.oneof(user, fc.constant(null));
  return fc.oneof(
    fc.record({
      type: fc.constant("transferOwnership" as const),
      fromUserId: user,
      toUserId: to,
      records: fc.constantFrom("contacts" as const, "opportunities" as const, "all" as const),
      includeClosed: fc.boolean(),
    }),
    fc.record({ type: fc.constant("deactivateUser" as const), userId: user, reassignTo: to, includeClosed: fc.boolean() }),
    fc.constant<Command>({ type: "updateSettings", allowDifferentOwners: false }),
  );
}

/** Commands that give a user records or follows the snapshot's index does not know of yet. */
const PREFIX = ["createContact", "createOpportunity", "assignContactOwner", "assignOpportunityOwner", "addFollower", "removeFollower", "deleteOpportunity"] as const;

describe("bulk moves and re-coupling read off the index", () => {
  it("give the events of a walk over every contact, from a snapshot and after other commands of the same batch", () => {
    const arb = scenario.chain((s) => {
      const records = toRecords(createState(s.records));
      return fc.record({ s: fc.constant(s), moves: fc.array(arbBulkMove(records), { minLength: 1, maxLength: 3 }), prefix: fc.array(arbCommand(records, { meta: false, types: PREFIX }), { maxLength: 5 }) });
    });
    fc.assert(
      fc.property(arb, ({ s, moves, prefix }) => {
        fc.pre(!createsUnloadedListedId(s.records, [...s.commands, ...prefix]));
        const { state } = runSequence(createState(s.records), s.commands, { context: s.contexts, checkInvariants: false });
        for (const move of moves) {
          const indexed = execute(state, move, SYSTEM);
          const walked = execute(withoutIndex(state), move, SYSTEM);
          expect(indexed.ok ? indexed.events : indexed.error).toEqual(walked.ok ? walked.events : walked.error);
          if (indexed.ok && walked.ok) expect(toRecords(indexed.state)).toEqual(toRecords(walked.state));
        }
        // Moves after other changes in one working copy: the groups it changed are read too.
        const batch = [...prefix, ...moves];
        const indexed = executeAll(state, batch, SYSTEM);
        const walked = executeAll(withoutIndex(state), batch, SYSTEM);
        expect(indexed.ok ? indexed.events : indexed.error).toEqual(walked.ok ? walked.events : walked.error);
      }),
      runs(300),
    );
  });
});

describe("an opportunity deleted and created again under another contact in one batch", () => {
  it("leaves one group and joins the other in the index: re-coupling and bulk moves still find it", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "ana" }, { id: "ben" }],
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "bolt", ownerId: "ben" },
      ],
      opportunities: [{ id: "o1", contactId: "acme", ownerId: "ana" }],
    });
    const moved = executeAll(
      state,
      [
        { type: "deleteOpportunity", opportunityId: "o1" },
        { type: "createOpportunity", opportunityId: "o1", contactId: "bolt", ownerId: "ana" },
      ],
      SYSTEM,
    );
    if (!moved.ok) throw new Error(moved.error.message);
    expect(plainIndex(moved.state)).toEqual(recomputed(toRecords(moved.state)));
    // bolt is split now (ana owns its deal): turning the setting off moves o1 to ben.
    const off = execute(moved.state, { type: "updateSettings", allowDifferentOwners: false }, SYSTEM);
    expect(off.ok && checkInvariants(off.state)).toEqual([]);
    // ana's bulk move finds o1 under bolt.
    const transfer = execute(moved.state, { type: "transferOwnership", fromUserId: "ana", toUserId: "ben", records: "opportunities" }, SYSTEM);
    expect(transfer.ok && getOpportunity(transfer.state, "o1")?.ownerId).toBe("ben");
  });
});
