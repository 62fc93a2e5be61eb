/**
 * Properties of docs/rules.md §10–§11 over random snapshots: rotations are fair per cycle, offboarding leaves
 * nothing behind, and a transfer can be undone.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkInvariants,
  createState,
  execute,
  executeAll,
  getContact,
  getUser,
  listContacts,
  listOpportunities,
  toRecords,
  type Command,
  type CrmRecordsInit,
  type CrmState,
  type Follower,
  type OpportunityStatus,
} from "../../src/index.js";
import { SYSTEM } from "../helpers.js";

// ---------------------------------------------------------------------------------------------
// Small local arbitraries (a whole account of a few users, contacts and opportunities).

const USER_IDS = ["u0", "u1", "u2", "u3", "u4"] as const;
const userId = fc.constantFrom(...USER_IDS);
const owner = fc.option(userId, { nil: null, freq: 4 });
const status = fc.constantFrom<OpportunityStatus>("open", "open", "won", "lost", "abandoned");
const followers = fc.uniqueArray(
  fc.record({ userId, source: fc.constantFrom<Follower["source"]>("manual", "automation") }),
  { selector: (f) => f.userId, maxLength: 3 },
);

interface AccountOptions {
  /** Users who own nothing (they may still follow). */
  readonly ownerless?: readonly string[];
}

/**
 * A sound snapshot: u0…u4 (some inactive), up to 5 contacts with up to 3 opportunities each,
 * random settings. With coupled owners every group has one owner, so checkInvariants is empty.
 */
function account(options: AccountOptions = {}): fc.Arbitrary<CrmRecordsInit> {
  const ownerless = new Set(options.ownerless ?? []);
  const pickOwner = owner.map((o) => (o !== null && ownerless.has(o) ? null : o));
  const deal = fc.record({ ownerId: pickOwner, status, followers });
  const contact = fc.record({ ownerId: pickOwner, followers, deals: fc.array(deal, { maxLength: 3 }) });
  return fc
    .record({
      allowDifferentOwners: fc.boolean(),
      updateContactFollowersOnOpportunityOwnerChange: fc.boolean(),
      updateOpportunityFollowersOnContactOwnerChange: fc.boolean(),
      active: fc.array(fc.boolean(), { minLength: USER_IDS.length, maxLength: USER_IDS.length }),
      contacts: fc.array(contact, { maxLength: 5 }),
    })
    .map(({ active, contacts, ...settings }) => ({
      settings,
      users: USER_IDS.map((id, i) => ({ id, active: active[i] ?? true })),
      contacts: contacts.map((c, i) => ({ id: `c${i}`, ownerId: c.ownerId, followers: c.followers })),
      opportunities: contacts.flatMap((c, i) =>
        c.deals.map((d, j) => ({
          id: `c${i}-o${j}`,
          contactId: `c${i}`,
          // Coupled owners: the group's owner is the contact's.
          ownerId: settings.allowDifferentOwners ? d.ownerId : c.ownerId,
          status: d.status,
          followers: d.followers,
        })),
      ),
    }));
}

/** The same records with some users made active (a command needs them to receive records). */
const activate = (init: CrmRecordsInit, ids: readonly string[]): CrmRecordsInit => ({
  ...init,
  users: init.users.map((u) => (ids.includes(u.id) ? { ...u, active: true } : u)),
});

const records = (state: CrmState) => [...listContacts(state), ...listOpportunities(state)];
const ownersOf = (state: CrmState) => Object.fromEntries(records(state).map((r) => [r.id, r.ownerId]));

// ---------------------------------------------------------------------------------------------

describe("rotation fairness", () => {
  /** Eligible members (distinct active users, weight 1–5 or none) mixed with ineligible ones. */
  const rotation = fc
    .record({
      eligible: fc.uniqueArray(fc.record({ userId: fc.constantFrom("a", "b", "c", "d", "e", "f"), weight: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }), {
        selector: (m) => m.userId,
        minLength: 1,
        maxLength: 6,
      }),
      ineligible: fc.array(fc.record({ userId: fc.constantFrom("off", "gone"), weight: fc.integer({ min: 1, max: 5 }) }), { maxLength: 3 }),
      seed: fc.array(fc.nat(), { maxLength: 3 }),
      start: fc.nat({ max: 1000 }),
      cycles: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ eligible, ineligible, seed, start, cycles }) => {
      // Interleave the ineligible members at positions chosen by `seed`.
      const members: { userId: string; weight?: number | undefined }[] = [...eligible];
      ineligible.forEach((m, i) => members.splice((seed[i] ?? 0) % (members.length + 1), 0, m));
      return { eligible, members, start, cycles };
    });

  it("over n eligible users with weights w, every full cycle picks user i exactly w_i times", () => {
    fc.assert(
      fc.property(rotation, ({ eligible, members, start, cycles }) => {
        const cycle = eligible.reduce((sum, m) => sum + (m.weight ?? 1), 0);
        const picks = cycle * cycles;
        const state = createState({
          users: [...eligible.map((m) => ({ id: m.userId })), { id: "off", active: false }, { id: "gone", active: false }],
          contacts: Array.from({ length: picks }, (_, i) => ({ id: `k${i}` })),
          opportunities: [],
          // Any starting point: a full cycle is any run of `cycle` consecutive picks.
          rotations: [{ id: "r", picks: start }],
        });
        const commands: Command[] = Array.from({ length: picks }, (_, i) => ({ type: "assignUser", contactId: `k${i}`, users: members, rotationId: "r" }));
        const result = executeAll(state, commands, SYSTEM);
        if (!result.ok) throw new Error(result.error.message);
        const chosen = Array.from({ length: picks }, (_, i) => getContact(result.state, `k${i}`)?.ownerId);
        for (let c = 0; c < cycles; c++) {
          const window = chosen.slice(c * cycle, (c + 1) * cycle);
          for (const m of eligible) expect(window.filter((u) => u === m.userId)).toHaveLength(m.weight ?? 1);
        }
        expect(chosen.every((u) => u !== "off" && u !== "ghost")).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe("rotation members (docs/rules.md §10)", () => {
  it("a member who is not a user of the snapshot is refused with USER_NOT_FOUND naming the first such member, whether or not the record is owned (before onlyIfUnassigned)", () => {
    const members = fc.array(fc.record({ userId: fc.constantFrom("a", "b", "ghost", "nobody"), weight: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(members, fc.option(fc.constantFrom("a", "b"), { nil: null }), fc.boolean(), fc.boolean(), (users, ownerId, onlyIfUnassigned, byContact) => {
        const unknown = users.findIndex((m) => m.userId === "ghost" || m.userId === "nobody");
        fc.pre(unknown >= 0);
        const state = createState({
          users: [{ id: "a" }, { id: "b", active: false }],
          contacts: [{ id: "k", ownerId }],
          opportunities: [{ id: "o", contactId: "k", ownerId }],
          rotations: [{ id: "r", picks: 2 }],
        });
        const command: Command = byContact
          ? { type: "assignUser", contactId: "k", users, rotationId: "r", onlyIfUnassigned }
          : { type: "addOpportunityOwner", opportunityId: "o", users, rotationId: "r", onlyIfUnassigned };
        const result = execute(state, command, SYSTEM);
        expect(result.ok ? undefined : result.error).toMatchObject({ code: "USER_NOT_FOUND", id: users[unknown]?.userId, field: `users[${unknown}].userId` });
      }),
      { numRuns: 200 },
    );
  });
});

describe("deactivateUser", () => {
  /** An account, a user to offboard, and an active user (or null) to take their records. */
  const offboarding = fc
    .record({ init: account(), user: userId, heir: fc.option(userId, { nil: null }) })
    .filter(({ user, heir }) => user !== heir)
    .map(({ init, user, heir }) => ({ init: heir === null ? init : activate(init, [heir]), user, heir }));

  it("with includeClosed the user owns and follows nothing, is inactive, and invariants hold", () => {
    fc.assert(
      fc.property(offboarding, ({ init, user, heir }) => {
        const state = createState(init);
        expect(checkInvariants(state)).toEqual([]);
        const result = execute(state, { type: "deactivateUser", userId: user, reassignTo: heir, includeClosed: true }, SYSTEM);
        if (!result.ok) throw new Error(result.error.message);
        const after = result.state;
        expect(getUser(after, user)?.active).toBe(false);
        expect(records(after).filter((r) => r.ownerId === user)).toEqual([]);
        expect(records(after).filter((r) => r.followers.some((f) => f.userId === user))).toEqual([]);
        expect(checkInvariants(after)).toEqual([]);
        // What they owned went to the heir; everything else kept its owner.
        const before = ownersOf(state);
        for (const [id, ownerId] of Object.entries(ownersOf(after))) expect(ownerId).toBe(before[id] === user ? heir : before[id]);
      }),
    );
  });

  it("without includeClosed, the only records they still own are closed opportunities, and only with separate owners", () => {
    fc.assert(
      fc.property(offboarding, ({ init, user, heir }) => {
        const state = createState(init);
        const result = execute(state, { type: "deactivateUser", userId: user, reassignTo: heir }, SYSTEM);
        if (!result.ok) throw new Error(result.error.message);
        const after = result.state;
        const kept = listOpportunities(after).filter((o) => o.ownerId === user);
        expect(listContacts(after).filter((c) => c.ownerId === user)).toEqual([]);
        expect(kept.every((o) => o.status !== "open")).toBe(true);
        if (!state.settings.allowDifferentOwners) expect(kept).toEqual([]);
        // With separate owners every closed opportunity of theirs stays theirs.
        else expect(kept.map((o) => o.id)).toEqual(listOpportunities(state).filter((o) => o.ownerId === user && o.status !== "open").map((o) => o.id));
        expect(records(after).filter((r) => r.followers.some((f) => f.userId === user))).toEqual([]);
        expect(checkInvariants(after)).toEqual([]);
      }),
    );
  });
});

describe("transferOwnership", () => {
  /**
   * An account where u4 owns nothing (but may follow), an active source among u0…u3, and the
   * same `records`/`includeClosed` both ways.
   */
  const roundTrip = fc
    .record({
      init: account({ ownerless: ["u4"] }),
      from: fc.constantFrom("u0", "u1", "u2", "u3"),
      records: fc.constantFrom("contacts", "opportunities", "all", undefined),
      includeClosed: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ init, from, ...options }) => ({ init: activate(init, [from, "u4"]), from, to: "u4", options }));

  const transfer = (fromUserId: string, toUserId: string, options: { records?: "contacts" | "opportunities" | "all" | undefined; includeClosed?: boolean | undefined }): Command => ({
    type: "transferOwnership",
    fromUserId,
    toUserId,
    ...(options.records !== undefined && { records: options.records }),
    ...(options.includeClosed !== undefined && { includeClosed: options.includeClosed }),
  });

  it("A→B then B→A, when B owned nothing before, restores the owner of every contact and opportunity", () => {
    fc.assert(
      fc.property(roundTrip, ({ init, from, to, options }) => {
        const state = createState(init);
        const there = execute(state, transfer(from, to, options), SYSTEM);
        if (!there.ok) throw new Error(there.error.message);
        const back = execute(there.state, transfer(to, from, options), SYSTEM);
        if (!back.ok) throw new Error(back.error.message);
        expect(ownersOf(back.state)).toEqual(ownersOf(state));
        expect(checkInvariants(back.state)).toEqual([]);
      }),
    );
  });

  it("with separate owners, a follower rule never makes the new owner follow a record the same transfer hands to them", () => {
    const rulesOn = { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true };
    fc.assert(
      fc.property(roundTrip, ({ init, from, to, options }) => {
        const result = execute(createState({ ...init, settings: rulesOn }), transfer(from, to, options), SYSTEM);
        if (!result.ok) throw new Error(result.error.message);
        const handed = new Set(
          result.events.flatMap((e) => (e.type === "ContactOwnerChanged" && e.to === to ? [`contact ${e.contactId}`] : e.type === "OpportunityOwnerChanged" && e.to === to ? [`opportunity ${e.opportunityId}`] : [])),
        );
        const ruleFollows = result.events.flatMap((e) => (e.type === "FollowerAdded" && e.userId === to && e.source === "automation" ? [`${e.record.kind} ${e.record.id}`] : []));
        expect(ruleFollows.filter((r) => handed.has(r))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("taking opportunities, it refuses a snapshot where a contact lists an opportunity it did not load", () => {
    const partial = roundTrip
      .filter(({ init }) => init.opportunities.length > 0)
      .chain((t) => fc.nat({ max: t.init.opportunities.length - 1 }).map((drop) => ({ ...t, drop })))
      .map(({ init, drop, ...rest }) => {
        const dropped = init.opportunities[drop];
        return {
          ...rest,
          dropped,
          init: {
            ...init,
            // Every contact lists its whole group; one opportunity is not loaded.
            contacts: init.contacts.map((c) => ({ ...c, opportunityIds: init.opportunities.filter((o) => o.contactId === c.id).map((o) => o.id) })),
            opportunities: init.opportunities.filter((_, i) => i !== drop),
          },
        };
      });
    fc.assert(
      fc.property(partial, ({ init, from, to, options, dropped }) => {
        const state = createState(init);
        for (const command of [transfer(from, to, { ...options, records: options.records === "contacts" ? "all" : options.records }), { type: "deactivateUser", userId: from, reassignTo: to } as const]) {
          const result = execute(state, command, SYSTEM);
          expect(result.ok ? undefined : result.error).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", id: dropped?.contactId, missingIds: [dropped?.id] });
        }
      }),
    );
  });

  it("with both follower subsettings off, the round trip restores the whole snapshot but its version", () => {
    fc.assert(
      fc.property(roundTrip, ({ init, from, to, options }) => {
        const quiet = { ...init, settings: { ...init.settings, updateContactFollowersOnOpportunityOwnerChange: false, updateOpportunityFollowersOnContactOwnerChange: false } };
        const state = createState(quiet);
        const there = execute(state, transfer(from, to, options), SYSTEM);
        if (!there.ok) throw new Error(there.error.message);
        const back = execute(there.state, transfer(to, from, options), SYSTEM);
        if (!back.ok) throw new Error(back.error.message);
        const { version: _v1, ...before } = toRecords(state);
        const { version: _v2, ...after } = toRecords(back.state);
        expect(after).toEqual(before);
      }),
    );
  });
});
