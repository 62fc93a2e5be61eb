/**
 * Seeded random accounts and command streams for the host tests (pure, no fast-check needed:
 * the same seed always gives the same stream, so a failure is reproduced by its seed).
 *
 * Ids are drawn from small pools that include "__proto__", "constructor" and "toString", so
 * commands collide on records (and hit the follower limit, missing records and refusals) often.
 */
import {
  recordsNeeded,
  type Command,
  type CommandContext,
  type CrmRecords,
  type CrmRecordsInit,
  type RecordsNeeded,
  type RotationMember,
} from "../src/index.js";
import { SYSTEM } from "./helpers.js";

/** mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = ReturnType<typeof prng>;

export const USERS = ["ana", "ben", "cleo", "dev", "__proto__", "constructor", "toString"] as const;
const USER_POOL = [...USERS, "ghost"]; // "ghost" is not a user: USER_NOT_FOUND
const CONTACTS = ["c1", "c2", "c3", "c4", "c5", "c6", "__proto__", "constructor", "hasOwnProperty"];
const OPPORTUNITIES = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9", "toString", "__proto__", "valueOf"];
const ROTATIONS = ["r1", "r2", "__proto__"];
const STATUSES = ["open", "won", "lost", "abandoned"] as const;

/** A small account to start from: ana is an admin, dev sees only what is assigned to him. */
export function initialRecords(rng: Rng): CrmRecordsInit {
  return {
    settings: {
      allowDifferentOwners: rng.chance(0.5),
      updateContactFollowersOnOpportunityOwnerChange: rng.chance(0.5),
      updateOpportunityFollowersOnContactOwnerChange: rng.chance(0.5),
      maxFollowers: 3,
    },
    users: USERS.map((id) => ({ id, role: id === "ana" ? "admin" : "user", scope: id === "dev" ? "assigned" : "all" })),
    contacts: [
      // The host's own order of the contact's opportunities, not the order they are listed in.
      { id: "c1", ownerId: "ben", followers: [{ userId: "cleo", source: "manual" }], opportunityIds: ["o2", "o1"] },
      { id: "__proto__", ownerId: "cleo" },
      { id: "c2", ownerId: null },
    ],
    opportunities: [
      { id: "o1", contactId: "c1", ownerId: "ben" },
      { id: "o2", contactId: "c1", ownerId: "ben", status: "won" },
      { id: "toString", contactId: "__proto__", ownerId: "cleo", followers: [{ userId: "ana", source: "automation" }] },
    ],
  };
}

const userOrNull = (rng: Rng) => (rng.chance(0.15) ? null : rng.pick(USER_POOL));
const someUsers = (rng: Rng) => Array.from({ length: rng.int(3) }, () => rng.pick(USER_POOL));
const members = (rng: Rng): RotationMember[] =>
  Array.from({ length: 1 + rng.int(3) }, () => (rng.chance(0.5) ? { userId: rng.pick(USER_POOL), weight: 1 + rng.int(3) } : { userId: rng.pick(USER_POOL) }));
const record = (rng: Rng) =>
  rng.chance(0.5) ? ({ kind: "contact", id: rng.pick(CONTACTS) } as const) : ({ kind: "opportunity", id: rng.pick(OPPORTUNITIES) } as const);

/** Who runs a random command: mostly a system actor, sometimes a user (permissions), with or without a time. */
export function randomContext(rng: Rng): CommandContext {
  const actor = rng.chance(0.15) ? { userId: rng.pick(USER_POOL) } : { system: "test" };
  return rng.chance(0.1) ? { actor, at: "2025-03-03T09:00:00Z" } : { actor };
}

/**
 * One random command: mostly valid in shape (the domain may still refuse it), now and then
 * malformed (`INVALID_COMMAND`), sometimes with an expected version.
 */
export function randomCommand(rng: Rng, version: number): Command {
  const body = randomBody(rng);
  const meta: Record<string, unknown> = {};
  if (rng.chance(0.05)) meta.expectedVersion = rng.chance(0.5) ? version : version + 1;
  const command = { ...body, ...meta } as Command;
  if (rng.chance(0.02)) return { ...command, unexpected: true } as unknown as Command; // INVALID_COMMAND
  return command;
}

function randomBody(rng: Rng): Command {
  const r = rng.int(100);
  if (r < 4) {
    const out: Record<string, unknown> = { type: "updateSettings" };
    if (rng.chance(0.7)) out.allowDifferentOwners = rng.chance(0.6);
    if (rng.chance(0.5)) out.updateContactFollowersOnOpportunityOwnerChange = rng.chance(0.6);
    if (rng.chance(0.5)) out.updateOpportunityFollowersOnContactOwnerChange = rng.chance(0.6);
    return out as unknown as Command;
  }
  if (r < 14) {
    const c: Record<string, unknown> = { type: "createContact", contactId: rng.pick(CONTACTS) };
    if (rng.chance(0.8)) c.ownerId = userOrNull(rng);
    if (rng.chance(0.3)) c.followerIds = someUsers(rng);
    return c as unknown as Command;
  }
  if (r < 28) {
    const c: Record<string, unknown> = { type: "createOpportunity", opportunityId: rng.pick(OPPORTUNITIES), contactId: rng.pick(CONTACTS) };
    if (rng.chance(0.5)) c.ownerId = userOrNull(rng);
    if (rng.chance(0.3)) c.followerIds = someUsers(rng);
    if (rng.chance(0.2)) c.status = rng.pick(STATUSES);
    return c as unknown as Command;
  }
  if (r < 38) {
    const c: Record<string, unknown> = { type: "assignContactOwner", contactId: rng.pick(CONTACTS), ownerId: userOrNull(rng) };
    if (rng.chance(0.3)) c.transfer = rng.pick(["none", "ownedByPreviousOwner", "all"]);
    return c as unknown as Command;
  }
  if (r < 50) return { type: "assignOpportunityOwner", opportunityId: rng.pick(OPPORTUNITIES), ownerId: userOrNull(rng) };
  if (r < 60) return { type: "addFollower", record: record(rng), userId: rng.pick(USER_POOL) };
  if (r < 66) return { type: "removeFollower", record: record(rng), userId: rng.pick(USER_POOL) };
  if (r < 71) return { type: "setOpportunityStatus", opportunityId: rng.pick(OPPORTUNITIES), status: rng.pick(STATUSES) };
  if (r < 73) return { type: "deleteContact", contactId: rng.pick(CONTACTS) };
  if (r < 76) return { type: "deleteOpportunity", opportunityId: rng.pick(OPPORTUNITIES) };
  if (r < 81) {
    const c: Record<string, unknown> = { type: "assignUser", contactId: rng.pick(CONTACTS), users: members(rng), rotationId: rng.pick(ROTATIONS) };
    if (rng.chance(0.3)) c.onlyIfUnassigned = rng.chance(0.5);
    return c as unknown as Command;
  }
  if (r < 86) {
    const c: Record<string, unknown> = { type: "addOpportunityOwner", opportunityId: rng.pick(OPPORTUNITIES) };
    if (rng.chance(0.5)) c.userId = rng.pick(USER_POOL);
    else Object.assign(c, { users: members(rng), rotationId: rng.pick(ROTATIONS) });
    if (rng.chance(0.3)) c.onlyIfUnassigned = rng.chance(0.5);
    return c as unknown as Command;
  }
  if (r < 88) return { type: "removeOpportunityOwner", opportunityId: rng.pick(OPPORTUNITIES) };
  if (r < 90) return { type: "removeAssignedUser", contactId: rng.pick(CONTACTS) };
  if (r < 93) {
    const c: Record<string, unknown> = { type: "transferOwnership", fromUserId: rng.pick(USER_POOL), toUserId: userOrNull(rng) };
    if (rng.chance(0.4)) c.records = rng.pick(["contacts", "opportunities", "all"]);
    if (rng.chance(0.4)) c.includeClosed = rng.chance(0.5);
    return c as unknown as Command;
  }
  if (r < 96) {
    const c: Record<string, unknown> = { type: "deactivateUser", userId: rng.pick(USER_POOL), reassignTo: userOrNull(rng) };
    if (rng.chance(0.4)) c.includeClosed = rng.chance(0.5);
    return c as unknown as Command;
  }
  return { type: "reactivateUser", userId: rng.pick(USER_POOL) };
}

/**
 * What a host loads for `needed`, done in memory over the whole account's records: the contacts
 * named (directly, through an opportunity, or as records of the `users` of a `recordsOfUsers` load) with all of their opportunities and full
 * `opportunityIds`, the users named or referenced, the rotations named, settings and version.
 */
export function partialRecords(all: CrmRecords, needed: RecordsNeeded): CrmRecordsInit {
  if (needed.load === "wholeAccount") return all;
  const contactIds = new Set(needed.contactIds);
  const wanted = new Set(needed.opportunityIds);
  for (const o of all.opportunities) if (wanted.has(o.id)) contactIds.add(o.contactId);
  // Bulk moves and offboarding: the contacts their users own or follow, directly or by a deal.
  const theirs = new Set(needed.load === "recordsOfUsers" || needed.load === "recoupling" ? needed.users : []);
  // Re-coupling: the split groups and those with an automatic follow, each whole.
  if (needed.load === "recoupling") for (const id of recouplingGroups(all)) contactIds.add(id);
  const touches = (r: { ownerId: string | null; followers: readonly { userId: string }[] }) =>
    (r.ownerId !== null && theirs.has(r.ownerId)) || r.followers.some((f) => theirs.has(f.userId));
  for (const c of all.contacts) if (touches(c)) contactIds.add(c.id);
  // A group where the users own only closed deals, for a move that leaves those: not needed.
  const closedToo = (needed.load === "recordsOfUsers" || needed.load === "recoupling") && needed.includeClosed !== false;
  const counts = (o: CrmRecords["opportunities"][number]) => closedToo || o.status === "open" || o.followers.some((f) => theirs.has(f.userId));
  for (const o of all.opportunities) if (touches(o) && counts(o)) contactIds.add(o.contactId);
  const contacts = all.contacts.filter((c) => contactIds.has(c.id));
  const opportunities = all.opportunities.filter((o) => contactIds.has(o.contactId));
  const userIds = new Set(needed.allUsers ? all.users.map((u) => u.id) : needed.userIds);
  for (const r of [...contacts, ...opportunities]) {
    if (r.ownerId !== null) userIds.add(r.ownerId);
    for (const f of r.followers) userIds.add(f.userId);
  }
  const rotationIds = new Set(needed.rotationIds);
  return {
    version: all.version,
    settings: all.settings,
    users: all.users.filter((u) => userIds.has(u.id)),
    contacts,
    opportunities,
    rotations: all.rotations.filter((r) => rotationIds.has(r.id)),
  };
}

/** The contacts whose group re-coupling changes: split, or with an `automation` follow on the contact or one of its opportunities. */
export function recouplingGroups(all: CrmRecords): Set<string> {
  const ids = new Set<string>();
  const owner = new Map(all.contacts.map((c) => [c.id, c.ownerId]));
  for (const c of all.contacts) if (c.followers.some((f) => f.source === "automation")) ids.add(c.id);
  for (const o of all.opportunities) {
    if (o.ownerId !== owner.get(o.contactId) || o.followers.some((f) => f.source === "automation")) ids.add(o.contactId);
  }
  return ids;
}

/** `partialRecords` for one command run with `context`. */
export const partialFor = (all: CrmRecords, command: Command, context: CommandContext = SYSTEM): CrmRecordsInit => partialRecords(all, recordsNeeded(command, context));
