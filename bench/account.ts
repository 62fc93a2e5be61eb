/**
 * Generated accounts and command streams for the benchmark: deterministic (no randomness), so the
 * library and the floor see exactly the same records and the same commands.
 *
 * An account of `n` contacts has 3 opportunities per contact and 50 users; both follower
 * subsettings are on. Mode `coupled` has the setting off (every group has one owner); mode
 * `separate` has it on, with the second and third opportunity of each contact owned by other
 * users, who follow the contact by `automation` (as the subsetting would have made them).
 *
 * Every command stream is a pure function of a cursor `i`. Contacts are visited with a stride
 * coprime to the account size, so consecutive commands touch records spread over the account.
 * Streams for single commands are meant to run from the base snapshot in short chains (the
 * harness resets after every sample); every command of them changes something, except `noop`.
 */
import type { Command, CrmRecordsInit, Follower, OpportunityStatus } from "../src/index.js";

/** Owners coupled (setting off) or separate (setting on). */
export type Mode = "coupled" | "separate";

/** Users of every generated account. */
export const USERS = 50;
/** Opportunities per contact. */
export const OPPORTUNITIES_PER_CONTACT = 3;
/** A prime stride: coprime to 1k, 10k, 100k and to 3× and 4× those. */
const STRIDE = 7919;

/** The user `i` places after user 0 (wrapping). */
export const user = (i: number): string => `u${i % USERS}`;
export const contactId = (c: number): string => `c${c}`;
export const opportunityId = (c: number, k: number): string => `o${c}-${k}`;

const manual = (userId: string): Follower => ({ userId, source: "manual" });
const automation = (userId: string): Follower => ({ userId, source: "automation" });

/** Offsets (from the contact's number) of the owners of its opportunities, per mode. */
const OWNER_OFFSETS: Record<Mode, readonly number[]> = { coupled: [0, 0, 0], separate: [0, 3, 5] };

/**
 * The plain records of a generated account of `n` contacts. `splitEvery` (mode `separate`):
 * only every `splitEvery`-th contact's group has other owners (1: all of them, the default).
 */
export function generateAccount(n: number, mode: Mode, splitEvery = 1): CrmRecordsInit {
  const users = Array.from({ length: USERS }, (_, i) => ({ id: user(i) }));
  const contacts: { id: string; ownerId: string; followers: Follower[] }[] = [];
  const opportunities: { id: string; contactId: string; ownerId: string; followers: Follower[]; status: OpportunityStatus }[] = [];
  for (let c = 0; c < n; c++) {
    const split = mode === "separate" && c % splitEvery === 0;
    const offsets = OWNER_OFFSETS[split ? "separate" : "coupled"];
    const followers = [manual(user(c + 1))];
    // Separate owners: the other owners of the contact's deals follow it (subsetting 4.2.3).
    if (split) followers.push(automation(user(c + 3)), automation(user(c + 5)));
    contacts.push({ id: contactId(c), ownerId: user(c), followers });
    for (let k = 0; k < OPPORTUNITIES_PER_CONTACT; k++) {
      const ownerId = user(c + (offsets[k] ?? 0));
      const oppFollowers = [manual(user(c + 7))];
      // …and the contact's owner follows the deals it does not own (subsetting 4.2.4).
      if (ownerId !== user(c)) oppFollowers.push(automation(user(c)));
      const status: OpportunityStatus = k === 2 && c % 5 === 0 ? "won" : "open";
      opportunities.push({ id: opportunityId(c, k), contactId: contactId(c), ownerId, followers: oppFollowers, status });
    }
  }
  return {
    settings: {
      allowDifferentOwners: mode === "separate",
      updateContactFollowersOnOpportunityOwnerChange: true,
      updateOpportunityFollowersOnContactOwnerChange: true,
    },
    users,
    contacts,
    opportunities,
  };
}

/** A stream of commands: command number `i` on an account of `n` contacts. */
export type Stream = (i: number, n: number) => Command;

const spread = (i: number, m: number): number => (i * STRIDE) % m;
/** An offset in 10..39: never 0, 1, 3, 5 or 7, so never a current owner or follower. */
const fresh = (round: number): number => 10 + (round % 30);

/** The single commands measured one by one. Each changes something when run from the base. */
export const STREAMS = {
  assignContactOwner: (i, n) => {
    const c = spread(i, n);
    return { type: "assignContactOwner", contactId: contactId(c), ownerId: user(c + fresh(Math.floor(i / n))) };
  },
  assignOpportunityOwner: (i, n) => {
    const j = spread(i, OPPORTUNITIES_PER_CONTACT * n);
    const c = Math.floor(j / OPPORTUNITIES_PER_CONTACT);
    const k = j % OPPORTUNITIES_PER_CONTACT;
    return { type: "assignOpportunityOwner", opportunityId: opportunityId(c, k), ownerId: user(c + fresh(Math.floor(i / (3 * n)) + k)) };
  },
  createOpportunity: (i, n) => ({ type: "createOpportunity", opportunityId: `new-${i}`, contactId: contactId(spread(i, n)) }),
  noop: (i, n) => {
    const c = spread(i, n);
    return { type: "assignContactOwner", contactId: contactId(c), ownerId: user(c) };
  },
  addFollower: (i, n) => {
    const j = spread(i, 4 * n);
    const userId = (c: number) => user(c + fresh(Math.floor(i / (4 * n))));
    if (j < n) return { type: "addFollower", record: { kind: "contact", id: contactId(j) }, userId: userId(j) };
    const c = Math.floor((j - n) / OPPORTUNITIES_PER_CONTACT);
    const k = (j - n) % OPPORTUNITIES_PER_CONTACT;
    return { type: "addFollower", record: { kind: "opportunity", id: opportunityId(c, k) }, userId: userId(c) };
  },
} satisfies Record<string, Stream>;

/** The names of the single-command streams. */
export type StreamName = keyof typeof STREAMS;

/** Turning the setting off: re-couples the whole account (meaningful in mode `separate`). */
export const RECOUPLE: Command = { type: "updateSettings", allowDifferentOwners: false };

/** A command after a batch: a new contact, so it commits (and the batch's user index is computed). */
export const AFTER_BATCH: Command = { type: "createContact", contactId: "after-batch", ownerId: user(1), commandId: "after-batch" };

/**
 * A batch of `count` mixed commands, meant to run chained from the base (every one valid in
 * sequence): 25% contact owner, 25% opportunity owner, 15% new opportunity (half with an
 * explicit owner), 15% add follower, 10% remove follower, 5% status, 5% new contact. Every
 * command carries a `commandId`.
 */
export function mixedBatch(count: number, n: number): Command[] {
  const out: Command[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i % 20;
    const commandId = `b${i}`;
    const round = Math.floor(i / 20);
    const c = spread(round, n);
    if (slot < 5) {
      const cc = spread(round * 5 + slot, n);
      out.push({ type: "assignContactOwner", contactId: contactId(cc), ownerId: user(cc + fresh(i)), commandId });
    } else if (slot < 10) {
      const j = spread(round * 5 + slot - 5, 3 * n);
      const oc = Math.floor(j / 3);
      out.push({ type: "assignOpportunityOwner", opportunityId: opportunityId(oc, j % 3), ownerId: user(oc + fresh(i + 7)), commandId });
    } else if (slot < 13) {
      const explicit = slot === 11;
      out.push({
        type: "createOpportunity",
        opportunityId: `batch-${i}`,
        contactId: contactId(c),
        ...(explicit && { ownerId: user(c + fresh(i + 3)) }),
        commandId,
      });
    } else if (slot < 16) {
      const cc = spread(round * 3 + slot - 13 + 1, n);
      const record = slot === 13 ? { kind: "contact" as const, id: contactId(cc) } : { kind: "opportunity" as const, id: opportunityId(cc, slot - 14) };
      out.push({ type: "addFollower", record, userId: user(cc + 40 + (round % 10)), commandId });
    } else if (slot < 18) {
      const cc = spread(round * 2 + slot - 16 + 2, n);
      const record = slot === 16 ? { kind: "contact" as const, id: contactId(cc) } : { kind: "opportunity" as const, id: opportunityId(cc, 0) };
      out.push({ type: "removeFollower", record, userId: user(cc + (slot === 16 ? 1 : 7)), commandId });
    } else if (slot === 18) {
      const statuses: OpportunityStatus[] = ["won", "lost", "open", "abandoned"];
      out.push({ type: "setOpportunityStatus", opportunityId: opportunityId(c, 1), status: statuses[round % 4] ?? "open", commandId });
    } else {
      out.push({ type: "createContact", contactId: `batch-c${i}`, ownerId: user(i), followerIds: [user(i + 1)], commandId });
    }
  }
  return out;
}

/**
 * Gives `user` every record of `groups` whole groups spread over the account (a contact and its
 * opportunities each: 4 records a group), for the bulk moves; adds the user. Changes `records`.
 */
export function giveGroups(records: CrmRecordsInit, userId: string, groups: number, taken: Set<number>): void {
  const n = records.contacts.length;
  (records.users as { id: string }[]).push({ id: userId });
  const contacts = records.contacts as unknown as { ownerId: string | null }[];
  const opportunities = records.opportunities as unknown as { ownerId: string | null }[];
  let given = 0;
  for (let i = 0; given < groups; i++) {
    const c = spread(i, n);
    if (taken.has(c)) continue;
    taken.add(c);
    given += 1;
    (contacts[c] as { ownerId: string | null }).ownerId = userId;
    for (let k = 0; k < OPPORTUNITIES_PER_CONTACT; k++) (opportunities[c * OPPORTUNITIES_PER_CONTACT + k] as { ownerId: string | null }).ownerId = userId;
  }
}
