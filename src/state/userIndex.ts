/**
 * The user index of a snapshot: for each user, the groups (a contact and its opportunities) in
 * which they own or follow a record; the groups the snapshot did not load whole; and the groups
 * re-coupling would change.
 *
 * Why: a bulk move (`transferOwnership`, `deactivateUser`) must touch every record a user owns
 * or follows, and only those. Without an index that means a walk over every contact of the
 * account (seconds on a million contacts, to move a thousand records); with it, the walk visits
 * the user's groups and nothing else (docs/performance.md).
 *
 * Why groups and not records: every rule that moves a record reads its whole group anyway, and a
 * group has far fewer distinct users than records (3 to 5 on the benchmark's accounts, for 4
 * records), so the index stays small. Why the incomplete groups: a bulk move refuses to go on
 * when a group it walks lists an opportunity the snapshot did not load (it could be the user's),
 * and it must see every such group to refuse exactly as a walk over the whole account would.
 *
 * Layout: the same persistent hash tries as the tables (table.ts), holding ids: one per user
 * (the contact ids of their groups), in a table keyed by user id, one of incomplete groups and
 * one of the groups to re-couple. `createState` leaves each user's groups and the groups to
 * re-couple as lists, each made a table when a catch-up first looks in it (idSet.ts). Bringing the index
 * up to date changes the entries of the users whose groups changed, by path copy,
 * so a snapshot shares its index with the one before it as it shares its tables; a commit
 * defers that until the index is read (`IndexCell`, below). The index is derived data:
 * `toRecords` ignores it, `createState` builds it, and it is not part of a snapshot's value
 * (state.ts: not enumerable, so neither equality nor JSON sees it).
 */
import { ownsOrFollows } from "../model/follows.js";
import type { Contact, Opportunity } from "../model/records.js";
import { tableOf, type IdSet } from "./idSet.js";
import { buildTable, emptyTable, getRow, getRows, TableEdit, type Table } from "./table.js";

/** One user's entry: the contact ids of the groups they own or follow a record of. @internal */
export interface UserGroups {
  readonly id: string;
  readonly groups: IdSet;
}

/** The user index of a snapshot (see the top of this file). @internal */
export interface UserIndex {
  readonly users: Table<UserGroups>;
  /** Contacts that list an opportunity the snapshot did not load. */
  readonly incomplete: Table<string>;
  /** Contacts whose group re-coupling changes: split, or with an `automation` follow (`needsRecoupling`). */
  readonly recouple: IdSet;
}

/** The tables an index is read from. @internal */
export interface Records {
  readonly contacts: Table<Contact>;
  readonly opportunities: Table<Opportunity>;
}

/** Adds the owner and followers of a record to `users`, once each. */
function addUsers(users: string[], record: Contact | Opportunity): void {
  if (record.ownerId !== null && !users.includes(record.ownerId)) users.push(record.ownerId);
  const { followers } = record;
  for (let i = 0; i < followers.length; i++) {
    const userId = (followers[i] as { readonly userId: string }).userId;
    if (!users.includes(userId)) users.push(userId);
  }
}

/**
 * A group as the new tables hold it: its contact (`undefined`: not there) and the opportunities
 * it lists, in its order (`undefined` where the snapshot did not load one). Catching up asks up
 * to three things of a group (who is in it, is it whole, does re-coupling change it) and reads it
 * once for all of them, its opportunities side by side (`getRows`): on a large account every
 * record read is a cache miss.
 */
interface GroupRows {
  readonly contact: Contact | undefined;
  readonly opportunities: readonly (Opportunity | undefined)[];
}

/** A group read from the tables: its contact, then its opportunities side by side. */
function readGroup(records: Records, contactId: string): GroupRows {
  const contact = getRow(records.contacts, contactId);
  const opportunities: (Opportunity | undefined)[] = [];
  if (contact !== undefined) getRows(records.opportunities, contact.opportunityIds, opportunities);
  return { contact, opportunities };
}

/** The users who own or follow a record of a group, once each. A contact that is not there has none. */
function groupUsers(group: GroupRows): string[] {
  const users: string[] = [];
  if (group.contact === undefined) return users;
  addUsers(users, group.contact);
  const { opportunities } = group;
  for (let i = 0; i < opportunities.length; i++) {
    const opportunity = opportunities[i];
    if (opportunity !== undefined) addUsers(users, opportunity);
  }
  return users;
}

/** Whether the snapshot holds every opportunity a group lists. A contact that is not there has no group: whole. */
function isWhole(group: GroupRows): boolean {
  const { opportunities } = group;
  for (let i = 0; i < opportunities.length; i++) if (opportunities[i] === undefined) return false;
  return true;
}

/** Whether a record has an `automation` follower. */
function automated(record: Contact | Opportunity): boolean {
  const { followers } = record;
  for (let i = 0; i < followers.length; i++) if ((followers[i] as { readonly source: string }).source === "automation") return true;
  return false;
}

/**
 * Whether re-coupling changes a group: an opportunity it holds has another owner than the
 * contact, or a record of it has an `automation` follower. A contact that is not there: no.
 */
function needsRecoupling(group: GroupRows): boolean {
  const { contact, opportunities } = group;
  if (contact === undefined) return false;
  if (automated(contact)) return true;
  for (let i = 0; i < opportunities.length; i++) {
    const opportunity = opportunities[i];
    if (opportunity !== undefined && (opportunity.ownerId !== contact.ownerId || automated(opportunity))) return true;
  }
  return false;
}

/**
 * Whether a record's change may change whether its group needs re-coupling: not when the record
 * keeps its owner and has no `automation` follower before or after (most follower changes), nor
 * when an opportunity without one comes or goes owned by its contact's owner (a change of the
 * contact's owner is a change of the contact, seen on its own). Saves reading the whole group.
 */
function mayChangeRecoupling(after: Records, before: Contact | Opportunity | undefined, next: Contact | Opportunity | undefined, contactId: string): boolean {
  if ((before !== undefined && automated(before)) || (next !== undefined && automated(next))) return true;
  if (before !== undefined && next !== undefined) return before.ownerId !== next.ownerId;
  const record = (next ?? before) as Contact | Opportunity;
  if (!("contactId" in record)) return true;
  const contact = getRow(after.contacts, contactId);
  return contact === undefined || contact.ownerId !== record.ownerId;
}

/**
 * The index of a snapshot `createState` builds, gathered as it reads the records (no second pass
 * over them): each user's groups in a list, kept a list (idSet.ts). @internal
 */
export class IndexBuilder {
  readonly #byUser = new Map<string, string[]>();
  readonly #incomplete: string[] = [];
  readonly #recouple: string[] = [];
  /** Whether a group's records did not all come one after the other: its id may be listed twice. */
  #revisited = false;

  /**
   * The owner and followers of a record of the group of `contactId`; for an opportunity, its
   * `contact`, which must have been added before any opportunity, with its final owner and
   * followers (`createState` reads every contact first): its users and, if it has an automation
   * follower, its group are listed already. The caller tells `groupRevisited` when an
   * opportunity's contact is not the previous opportunity's and had opportunities before.
   */
  addRecord(record: Contact | Opportunity, contactId: string, contact?: Contact): void {
    // A group's id once per list: its contact, read first, listed it already where it has the
    // user or an automation follower, and a repeat from its opportunities follows the group's
    // last id, unless another contact's opportunities came between (`groupRevisited`).
    const recouple = this.#recouple;
    const needs = contact === undefined ? automated(record) : (automated(record) || record.ownerId !== contact.ownerId) && !automated(contact);
    if (needs && recouple[recouple.length - 1] !== contactId) recouple.push(contactId);
    if (record.ownerId !== null) this.#add(record.ownerId, contactId, contact);
    const { followers } = record;
    for (let i = 0; i < followers.length; i++) this.#add((followers[i] as { readonly userId: string }).userId, contactId, contact);
  }

  /** A group that lists an opportunity the snapshot does not hold. */
  addIncomplete(contactId: string): void {
    this.#incomplete.push(contactId);
  }

  /**
   * An opportunity of a group whose opportunities came before another group's: the lists drop
   * a repeat only when it follows its group's last id, so they are made distinct at the end.
   */
  groupRevisited(): void {
    this.#revisited = true;
  }

  #add(userId: string, contactId: string, contact: Contact | undefined): void {
    if (contact !== undefined && ownsOrFollows(contact, userId)) return;
    const groups = this.#byUser.get(userId);
    if (groups === undefined) this.#byUser.set(userId, [contactId]);
    // A repeat follows its group's last id, unless the group was revisited (`finish` drops those).
    else if (groups[groups.length - 1] !== contactId) groups.push(contactId);
  }

  finish(): UserIndex {
    // Copied at their length (a list grown by `push` keeps spare capacity); made distinct only
    // when a group came back (hosts list opportunities contact by contact: no `Set` to build).
    const finished = this.#revisited ? (list: string[]) => [...new Set(list)] : (list: string[]) => list.slice();
    const ids: string[] = [];
    const entries: UserGroups[] = [];
    for (const [userId, groups] of this.#byUser) {
      ids.push(userId);
      entries.push(Object.freeze({ id: userId, groups: Object.freeze(finished(groups)) }));
    }
    return Object.freeze({
      users: buildTable(ids, entries),
      // A table: a group is listed once per opportunity it is missing, and the list is mostly empty.
      incomplete: buildTable(this.#incomplete, this.#incomplete, true),
      recouple: Object.freeze(finished(this.#recouple)),
    });
  }
}

/** Whether two records have the same owner and followers (the same array: records share it when it did not change). */
const sameUsers = (a: Contact | Opportunity, b: Contact | Opportunity): boolean => a.ownerId === b.ownerId && a.followers === b.followers;

/** Calls `fn` on the owner and each follower of a record (a user twice if they are both). */
function forEachUser(record: Contact | Opportunity, fn: (userId: string) => unknown): void {
  if (record.ownerId !== null) fn(record.ownerId);
  const { followers } = record;
  for (let i = 0; i < followers.length; i++) fn((followers[i] as { readonly userId: string }).userId);
}

/**
 * The index after changes: `after` holds the new tables, and `contacts` / `opportunities` the
 * records created, changed or deleted since `index` was computed, in pairs: before, after
 * (`undefined`: not there).
 *
 * The cost is that of the change, not of the account: a record whose owner and followers did not
 * change costs a comparison; a user who joined a record costs a lookup in their entry (were they
 * in the group already?); a user who left one costs a read of the group's records (are they
 * still in it?); and only the entries of users who joined or left a group are copied.
 */
function updateIndex(
  index: UserIndex,
  after: Records,
  contacts: readonly (Contact | undefined)[],
  opportunities: readonly (Opportunity | undefined)[],
): UserIndex {
  // Per user, per group: whether some record of the group lost the user (else they only joined).
  const touched = new Map<string, Map<string, boolean>>();
  const touch = (userId: string, contactId: string, lost: boolean) => {
    let groups = touched.get(userId);
    if (groups === undefined) touched.set(userId, (groups = new Map()));
    if (lost || !groups.has(contactId)) groups.set(contactId, lost || (groups.get(contactId) ?? false));
  };
  /** Groups whose records came or went: their completeness may change. */
  const reshaped: string[] = [];
  /** Groups with a record whose owner or followers changed, or that came or went: whether re-coupling changes them may too. */
  const recheck = new Set<string>();
  const visit = (before: Contact | Opportunity | undefined, next: Contact | Opportunity | undefined, contactId: string) => {
    // A record created and deleted again in the same working copy: nothing to do.
    if (before === undefined && next === undefined) return;
    if (before === undefined || next === undefined) reshaped.push(contactId);
    else if (sameUsers(before, next)) return;
    if (mayChangeRecoupling(after, before, next, contactId)) recheck.add(contactId);
    if (next !== undefined) forEachUser(next, (userId) => (before === undefined || !ownsOrFollows(before, userId)) && touch(userId, contactId, false));
    if (before !== undefined) forEachUser(before, (userId) => (next === undefined || !ownsOrFollows(next, userId)) && touch(userId, contactId, true));
  };
  for (let i = 0; i < contacts.length; i += 2) {
    const before = contacts[i];
    const next = contacts[i + 1];
    // A list of opportunities that changed may have dropped an id the snapshot did not load.
    if (before !== undefined && next !== undefined && before.opportunityIds !== next.opportunityIds) reshaped.push(next.id);
    visit(before, next, (next ?? before)?.id as string);
  }
  for (let i = 0; i < opportunities.length; i += 2) {
    const before = opportunities[i];
    const next = opportunities[i + 1];
    if (before !== undefined && next !== undefined && before.contactId !== next.contactId) {
      // Deleted and created again under another contact in one working copy: it left one group
      // and joined another.
      visit(before, undefined, before.contactId);
      visit(undefined, next, next.contactId);
    } else visit(before, next, (next ?? before)?.contactId as string);
  }

  // Each group read once, whatever asks of it.
  const groupsRead = new Map<string, GroupRows>();
  const groupOf = (contactId: string): GroupRows => {
    let group = groupsRead.get(contactId);
    if (group === undefined) groupsRead.set(contactId, (group = readGroup(after, contactId)));
    return group;
  };

  // A contact's list of opportunities grows only with the opportunity it lists, so a complete
  // group stays complete; an incomplete one may lose its last missing id (`evolve` records any
  // OpportunityDeleted it is given) or its contact: check those (once, while any is incomplete).
  let incomplete = index.incomplete;
  if (incomplete.size > 0 && reshaped.length > 0) {
    const edit = new TableEdit(incomplete);
    for (const contactId of reshaped) if (getRow(incomplete, contactId) !== undefined && isWhole(groupOf(contactId))) edit.delete(contactId);
    incomplete = edit.finish();
  }

  let recouple = index.recouple;
  if (recheck.size > 0) {
    const table = tableOf(recouple);
    let edit: TableEdit<string> | undefined;
    for (const contactId of recheck) {
      const listed = getRow(table, contactId) !== undefined;
      if (listed === needsRecoupling(groupOf(contactId))) continue;
      edit ??= new TableEdit(table);
      if (listed) edit.delete(contactId);
      else edit.put(contactId, contactId);
    }
    if (edit !== undefined) recouple = edit.finish();
  }

  // The users of the groups someone left, gathered once per group.
  const usersByGroup = new Map<string, string[]>();
  const usersOf = (contactId: string) => {
    let users = usersByGroup.get(contactId);
    if (users === undefined) usersByGroup.set(contactId, (users = groupUsers(groupOf(contactId))));
    return users;
  };
  let users: TableEdit<UserGroups> | undefined;
  for (const [userId, changed] of touched) {
    const entry = getRow(index.users, userId);
    const userGroups = entry === undefined ? emptyTable<string>() : tableOf(entry.groups);
    let edit: TableEdit<string> | undefined;
    for (const [contactId, lost] of changed) {
      const listed = getRow(userGroups, contactId) !== undefined;
      const member = !lost || usersOf(contactId).includes(userId);
      if (listed === member) continue;
      edit ??= new TableEdit(userGroups);
      if (member) edit.put(contactId, contactId);
      else edit.delete(contactId);
    }
    if (edit === undefined) continue;
    const next = edit.finish();
    users ??= new TableEdit(index.users);
    if (next.size === 0) users.delete(userId);
    else users.put(userId, { id: userId, groups: next });
  }
  if (users === undefined && incomplete === index.incomplete && recouple === index.recouple) return index;
  return Object.freeze({ users: users?.finish() ?? index.users, incomplete, recouple });
}

/**
 * How a snapshot carries its index: computed (by `createState`), or not yet, and then computed
 * when a bulk move or re-coupling first reads it (`indexOf`), or when a commit made from it finds
 * more than 64 record changes deferred, from the last computed index and the records changed since.
 *
 * Why: keeping the index costs every command that changes an owner or a follower (30 to 45% of
 * such a command on 100k contacts: two users' entries and the index's table copied by path, each
 * read a cache miss), and most snapshots are never asked for it: a host that loads the records a
 * command needs, executes it and stores the result drops the snapshot before any bulk move. The
 * work deferred is done once, for every change since, when it is needed, and never is when it
 * is not. A commit defers its own changes, however many (an `executeAll` batch of thousands
 * stored by a host is never read for it either), but computes the index of its base first once
 * more than 64 record changes (a record changed by two commits counts twice) were deferred
 * before it: what a snapshot holds on to for it (those records, before and after) is its own
 * commit's and at most 64 more, and a long run of commands costs what keeping the index at every
 * commit costs. (A batch's snapshot kept, unread, holds the old version of each record the batch
 * changed, until a commit from it or a read computes its index.)
 *
 * The cell is frozen data, as the whole snapshot is, and holds what computing the index takes;
 * the index computed at a read is cached in a `WeakMap` keyed by the cell (gone with the
 * snapshot). @internal
 */
export type IndexCell =
  /** Computed with the snapshot. */
  | { readonly index: UserIndex; readonly pending?: undefined }
  /** Deferred: computed at the first read, from what `pending` holds, and then cached. */
  | { readonly index?: undefined; readonly pending: Pending };

/**
 * An index not computed yet: the last computed one, and the records changed since. Frozen data
 * held by the snapshot itself, so that another copy of this module (a CJS and an ESM build in
 * one process, two installed versions) can compute it too: only the cache is this module's.
 */
interface Pending {
  readonly index: UserIndex;
  readonly changes: ChangeList;
  /** How many record changes `changes` lists (a record changed by two commits counts twice). */
  readonly count: number;
}

/**
 * The records one commit created, changed or deleted, in pairs (before, after; `undefined`: not
 * there), then those of the commits before it. The pairs, not the ids: catching up then reads no
 * table (on a large account every read is a cache miss).
 */
interface ChangeList {
  readonly contacts: readonly (Contact | undefined)[];
  readonly opportunities: readonly (Opportunity | undefined)[];
  readonly next: ChangeList | undefined;
}

/** The index of each deferred cell read so far: a cache, gone with the snapshot. */
const computed = new WeakMap<IndexCell, UserIndex>();

/**
 * Record changes of earlier commits a commit may carry over without computing the index. Small:
 * catching up on records changed long ago reads them cold: with no limit, a long run measured
 * about ×1.1 the cost of keeping the index at each commit, and with 64 (a dozen commands) the
 * same (docs/performance.md).
 */
const DEFER_LIMIT = 64;

/** A cell holding a computed index. @internal */
export const computedIndex = (index: UserIndex): IndexCell => Object.freeze({ index });

/**
 * The index cell of a commit's snapshot: `cell` and `before` are the base snapshot's, and
 * `contacts` / `opportunities` the records the commit created, changed or deleted, in pairs
 * (before, after). Costs nothing more, unless the changes deferred before it exceed the limit.
 * @internal
 */
export function indexAfterCommit(
  cell: IndexCell,
  before: Records,
  contacts: (Contact | undefined)[],
  opportunities: (Opportunity | undefined)[],
): IndexCell {
  // The changes deferred before this commit, caught up (on the tables they were made to) once
  // they exceed the limit; this commit's own are deferred whatever their number.
  const base = cell.pending !== undefined && cell.pending.count <= DEFER_LIMIT ? computed.get(cell) : read(cell, before);
  const from = base === undefined ? cell.pending : undefined;
  const pending: Pending = Object.freeze({
    index: from?.index ?? (base as UserIndex),
    changes: Object.freeze({ contacts: Object.freeze(contacts), opportunities: Object.freeze(opportunities), next: from?.changes }),
    count: (from?.count ?? 0) + (contacts.length + opportunities.length) / 2,
  });
  return Object.freeze({ pending });
}

/**
 * The user index of a snapshot, computed at the first read when it was deferred; `undefined` for
 * a snapshot without one (a copy: bulk moves then walk every contact). @internal
 */
export function indexOf(state: Records & { readonly index?: IndexCell | undefined }): UserIndex | undefined {
  return state.index && read(state.index, state);
}

/** The index a cell holds or defers, `tables` being those of its snapshot. */
function read(cell: IndexCell, tables: Records): UserIndex {
  if (cell.index !== undefined) return cell.index;
  let index = computed.get(cell);
  if (index === undefined) computed.set(cell, (index = catchUp(cell.pending, tables)));
  return index;
}

/**
 * The index after the changes pending: each record changed since, as it was when the index was
 * computed (its oldest before) and as it is now (its newest after).
 */
function catchUp(pending: Pending, after: Records): UserIndex {
  // One commit's pairs as they are: the common case of a snapshot read right after its commit.
  if (pending.changes.next === undefined) return updateIndex(pending.index, after, pending.changes.contacts, pending.changes.opportunities);
  const contacts = netChanges(pending.changes, (list) => list.contacts);
  const opportunities = netChanges(pending.changes, (list) => list.opportunities);
  return updateIndex(pending.index, after, contacts, opportunities);
}

/** Each record's oldest before and newest after, in pairs, from lists of pairs (newest first). */
function netChanges<T extends { readonly id: string }>(changes: ChangeList, pairsOf: (list: ChangeList) => readonly (T | undefined)[]): (T | undefined)[] {
  const net = new Map<string, [T | undefined, T | undefined]>();
  for (let list: ChangeList | undefined = changes; list !== undefined; list = list.next) {
    const pairs = pairsOf(list);
    for (let i = 0; i < pairs.length; i += 2) {
      const before = pairs[i];
      const next = pairs[i + 1];
      // Created and deleted again in one working copy: never in a snapshot.
      if (before === undefined && next === undefined) continue;
      const id = ((before ?? next) as T).id;
      const seen = net.get(id);
      if (seen === undefined) net.set(id, [before, next]);
      else seen[0] = before;
    }
  }
  const out: (T | undefined)[] = [];
  for (const [before, next] of net.values()) out.push(before, next);
  return out;
}
