/**
 * The user index of a snapshot: for each user, the groups (a contact and its opportunities) in
 * which they own or follow a record; and the groups the snapshot did not load whole.
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
 * (the contact ids of their groups), in a table keyed by user id, and one of incomplete groups.
 * A commit changes the entries of the users whose groups changed, by path copy, so a snapshot
 * shares its index with the one before it as it shares its tables. The index is derived data:
 * `toRecords` ignores it, `createState` builds it, and it is not part of a snapshot's value
 * (state.ts: not enumerable, so neither equality nor JSON sees it).
 */
import type { Contact, Opportunity } from "../model/records.js";
import { emptyTable, freezeTable, getRow, putRow, TableEdit, type Table } from "./table.js";

/** One user's entry: the contact ids of the groups they own or follow a record of. @internal */
export interface UserGroups {
  readonly id: string;
  readonly groups: Table<string>;
}

/** The user index of a snapshot (see the top of this file). @internal */
export interface UserIndex {
  readonly users: Table<UserGroups>;
  /** Contacts that list an opportunity the snapshot did not load. */
  readonly incomplete: Table<string>;
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
 * The users who own or follow a record of a contact's group, into `users`; whether the records
 * hold every opportunity the contact lists. A contact that is not there has no group (and no
 * users): complete.
 */
function groupUsers(records: Records, contactId: string, users: string[]): boolean {
  const contact = getRow(records.contacts, contactId);
  if (contact === undefined) return true;
  addUsers(users, contact);
  let complete = true;
  const ids = contact.opportunityIds;
  for (let i = 0; i < ids.length; i++) {
    const opportunity = getRow(records.opportunities, ids[i] as string);
    if (opportunity === undefined) complete = false;
    else addUsers(users, opportunity);
  }
  return complete;
}

/** Per user, the groups to add to their entry and to remove from it. */
type Moves = Map<string, { add: string[]; remove: string[] }>;

const movesOf = (moves: Moves, userId: string) => {
  let found = moves.get(userId);
  if (found === undefined) moves.set(userId, (found = { add: [], remove: [] }));
  return found;
};

/**
 * The index of a snapshot built by `createState` (`contacts` are every contact, as plain
 * records): one pass over the groups, then each user's set built in place and frozen.
 */
export function buildIndex(records: Records, contacts: readonly Contact[]): UserIndex {
  const byUser = new Map<string, string[]>();
  const incomplete = emptyTable<string>();
  const users: string[] = [];
  for (const contact of contacts) {
    users.length = 0;
    if (!groupUsers(records, contact.id, users)) putRow(incomplete, contact.id, contact.id);
    for (const userId of users) {
      let groups = byUser.get(userId);
      if (groups === undefined) byUser.set(userId, (groups = []));
      groups.push(contact.id);
    }
  }
  const table = emptyTable<UserGroups>();
  for (const [userId, ids] of byUser) {
    const groups = emptyTable<string>();
    for (const id of ids) putRow(groups, id, id);
    putRow(table, userId, Object.freeze({ id: userId, groups: freezeTable(groups) }));
  }
  return Object.freeze({ users: freezeTable(table), incomplete: freezeTable(incomplete) });
}

/** Whether two records have the same owner and followers (the same array: records share it when it did not change). */
const sameUsers = (a: Contact | Opportunity, b: Contact | Opportunity): boolean => a.ownerId === b.ownerId && a.followers === b.followers;

/**
 * The index after a commit: `before` and `after` are the tables of the two snapshots, and
 * `contactIds` / `opportunityIds` the ids the commit changed (created, changed or deleted).
 * Only the groups of those records are read, and only the entries of users who joined or left a
 * group are copied: the cost is that of the change, not of the account.
 */
export function updateIndex(index: UserIndex, before: Records, after: Records, contactIds: Iterable<string>, opportunityIds: Iterable<string>): UserIndex {
  // The groups whose users or completeness may have changed.
  const groups = new Set<string>();
  for (const id of contactIds) {
    const a = getRow(before.contacts, id);
    const b = getRow(after.contacts, id);
    // A contact's opportunity list changes only with an opportunity, which brings its group below.
    if (a === undefined || b === undefined || !sameUsers(a, b)) groups.add(id);
  }
  for (const id of opportunityIds) {
    const a = getRow(before.opportunities, id);
    const b = getRow(after.opportunities, id);
    if (a !== undefined && b !== undefined && sameUsers(a, b)) continue;
    groups.add((b ?? a)?.contactId as string);
  }
  if (groups.size === 0) return index;

  const moves: Moves = new Map();
  const incomplete = new TableEdit(index.incomplete);
  const was: string[] = [];
  const is: string[] = [];
  for (const contactId of groups) {
    was.length = 0;
    is.length = 0;
    const wasComplete = groupUsers(before, contactId, was);
    const isComplete = groupUsers(after, contactId, is);
    for (const userId of is) if (!was.includes(userId)) movesOf(moves, userId).add.push(contactId);
    for (const userId of was) if (!is.includes(userId)) movesOf(moves, userId).remove.push(contactId);
    if (wasComplete !== isComplete) {
      if (isComplete) incomplete.delete(contactId);
      else incomplete.put(contactId, contactId);
    }
  }
  const users = new TableEdit(index.users);
  for (const [userId, { add, remove }] of moves) {
    const edit = new TableEdit(getRow(index.users, userId)?.groups ?? emptyTable<string>());
    for (const id of remove) edit.delete(id);
    for (const id of add) edit.put(id, id);
    const next = edit.finish();
    if (next.size === 0) users.delete(userId);
    else users.put(userId, { id: userId, groups: next });
  }
  return Object.freeze({ users: users.finish(), incomplete: incomplete.finish() });
}
