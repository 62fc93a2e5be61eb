/**
 * Loading: exactly the rows `recordsNeeded` names, read in one transaction so they are one
 * consistent version of the account, turned into the plain records `createState` takes.
 */
import {
  createState,
  recordsNeeded,
  type Command,
  type CommandContext,
  type ContactInit,
  type CrmRecordsInit,
  type CrmState,
  type Follower,
  type OpportunityInit,
  type OpportunityStatus,
  type RecordsNeeded,
  type RotationInit,
  type UserInit,
  type UserRole,
  type UserScope,
} from "../../src/index.js";
import type { Db } from "./schema.js";

interface AccountRow {
  version: number;
  allow_different_owners: number;
  update_contact_followers: number;
  update_opportunity_followers: number;
  max_followers: number;
}
interface ContactRow {
  id: string;
  owner_id: string | null;
}
interface OpportunityRow {
  id: string;
  contact_id: string;
  owner_id: string | null;
  status: OpportunityStatus;
  position: number;
}
interface FollowerRow {
  record_kind: "contact" | "opportunity";
  record_id: string;
  user_id: string;
  source: Follower["source"];
}
interface UserRow {
  id: string;
  active: number;
  role: UserRole;
  scope: UserScope;
}
interface RotationRow {
  id: string;
  picks: number;
}

/**
 * Ids are passed to SQLite as one JSON array and read with `json_each`: no dynamic SQL. The
 * `CROSS JOIN` makes SQLite walk the few ids and look each up by its index, whatever the size of
 * the account (a plain `IN (…)` may let the planner scan the whole account instead).
 */
const byIds = (table: string, columns: string, key: string, extra = "") =>
  `SELECT ${columns} FROM json_each(?) AS wanted CROSS JOIN ${table} AS t
    WHERE t.account_id = ? AND t.${key} = wanted.value ${extra}`;

function prepare(db: Db) {
  const some = {
    contactsOfOpportunities: db.prepare<[string, string], { contact_id: string }>(byIds("opportunities", "DISTINCT t.contact_id", "id")),
    contacts: db.prepare<[string, string], ContactRow>(`${byIds("contacts", "t.id, t.owner_id", "id")} ORDER BY t.seq`),
    opportunities: db.prepare<[string, string], OpportunityRow>(
      `${byIds("opportunities", "t.id, t.contact_id, t.owner_id, t.status, t.position", "contact_id")} ORDER BY t.seq`,
    ),
    contactFollowers: db.prepare<[string, string], FollowerRow>(
      `${byIds("followers", "t.record_kind, t.record_id, t.user_id, t.source", "record_id", "AND t.record_kind = 'contact'")} ORDER BY t.position`,
    ),
    opportunityFollowers: db.prepare<[string, string], FollowerRow>(
      `${byIds("followers", "t.record_kind, t.record_id, t.user_id, t.source", "record_id", "AND t.record_kind = 'opportunity'")} ORDER BY t.position`,
    ),
    // The records of some users (bulk moves, offboarding): what they own or follow.
    contactsOwnedBy: db.prepare<[string, string], { id: string }>(byIds("contacts", "t.id", "owner_id")),
    contactsOfOpportunitiesOwnedBy: db.prepare<[string, string], { contact_id: string }>(byIds("opportunities", "DISTINCT t.contact_id", "owner_id")),
    followedBy: db.prepare<[string, string], { record_kind: "contact" | "opportunity"; record_id: string }>(
      byIds("followers", "t.record_kind, t.record_id", "user_id"),
    ),
    users: db.prepare<[string, string], UserRow>(`${byIds("users", "t.id, t.active, t.role, t.scope", "id")} ORDER BY t.seq`),
    rotations: db.prepare<[string, string], RotationRow>(`${byIds("rotations", "t.id, t.picks", "id")} ORDER BY t.seq`),
  };
  const all = {
    contacts: db.prepare<[string], ContactRow>(`SELECT id, owner_id FROM contacts WHERE account_id = ? ORDER BY seq`),
    opportunities: db.prepare<[string], OpportunityRow>(
      `SELECT id, contact_id, owner_id, status, position FROM opportunities WHERE account_id = ? ORDER BY seq`,
    ),
    followers: db.prepare<[string], FollowerRow>(
      `SELECT record_kind, record_id, user_id, source FROM followers WHERE account_id = ? ORDER BY position`,
    ),
    users: db.prepare<[string], UserRow>(`SELECT id, active, role, scope FROM users WHERE account_id = ? ORDER BY seq`),
    rotations: db.prepare<[string], RotationRow>(`SELECT id, picks FROM rotations WHERE account_id = ? ORDER BY seq`),
  };
  return {
    account: db.prepare<[string], AccountRow>(
      `SELECT version, allow_different_owners, update_contact_followers, update_opportunity_followers, max_followers
         FROM accounts WHERE id = ?`,
    ),
    some,
    all,
  };
}

/** Prepared once per connection. */
const cache = new WeakMap<Db, ReturnType<typeof prepare>>();
function statements(db: Db): ReturnType<typeof prepare> {
  let prepared = cache.get(db);
  if (prepared === undefined) {
    prepared = prepare(db);
    cache.set(db, prepared);
  }
  return prepared;
}

/**
 * Reads the rows `needed` names for one account, as plain records for `createState`; `undefined`
 * when there is no such account. Call it inside a transaction (as `load` does) so every row
 * comes from the same version.
 */
export function readRecords(db: Db, accountId: string, needed: RecordsNeeded): CrmRecordsInit | undefined {
  const s = statements(db);
  const account = s.account.get(accountId);
  if (account === undefined) return undefined;
  const json = (ids: Iterable<string>) => JSON.stringify([...ids]);

  // Everything, or only the ids (and, for bulk moves, the records of some users).
  const everything = needed.load === "wholeAccount";
  let contactRows: ContactRow[];
  let opportunityRows: OpportunityRow[];
  let followerRows: FollowerRow[];
  if (everything) {
    contactRows = s.all.contacts.all(accountId);
    opportunityRows = s.all.opportunities.all(accountId);
    followerRows = s.all.followers.all(accountId);
  } else {
    const contactIds = new Set(needed.contactIds);
    const viaOpportunities = new Set(needed.opportunityIds);
    if (needed.load === "recordsOfUsers") {
      const users = json(needed.users);
      for (const row of s.some.contactsOwnedBy.all(users, accountId)) contactIds.add(row.id);
      for (const row of s.some.contactsOfOpportunitiesOwnedBy.all(users, accountId)) contactIds.add(row.contact_id);
      for (const row of s.some.followedBy.all(users, accountId)) (row.record_kind === "contact" ? contactIds : viaOpportunities).add(row.record_id);
    }
    // An opportunity is loaded through its contact, with all of the contact's opportunities.
    if (viaOpportunities.size > 0) {
      for (const row of s.some.contactsOfOpportunities.all(json(viaOpportunities), accountId)) contactIds.add(row.contact_id);
    }
    contactRows = contactIds.size > 0 ? s.some.contacts.all(json(contactIds), accountId) : [];
    opportunityRows = contactRows.length > 0 ? s.some.opportunities.all(json(contactRows.map((c) => c.id)), accountId) : [];
    followerRows = [
      ...(contactRows.length > 0 ? s.some.contactFollowers.all(json(contactRows.map((c) => c.id)), accountId) : []),
      ...(opportunityRows.length > 0 ? s.some.opportunityFollowers.all(json(opportunityRows.map((o) => o.id)), accountId) : []),
    ];
  }

  // Users: those the command names, and those the loaded records name (createState needs them).
  let userRows: UserRow[];
  if (everything || needed.allUsers) {
    userRows = s.all.users.all(accountId);
  } else {
    const userIds = new Set(needed.userIds);
    for (const row of contactRows) if (row.owner_id !== null) userIds.add(row.owner_id);
    for (const row of opportunityRows) if (row.owner_id !== null) userIds.add(row.owner_id);
    for (const row of followerRows) userIds.add(row.user_id);
    userRows = userIds.size > 0 ? s.some.users.all(json(userIds), accountId) : [];
  }
  const rotationRows = everything
    ? s.all.rotations.all(accountId)
    : needed.rotationIds.length > 0
      ? s.some.rotations.all(json(needed.rotationIds), accountId)
      : [];

  return toInit(account, contactRows, opportunityRows, followerRows, userRows, rotationRows);
}

function toInit(
  account: AccountRow,
  contactRows: readonly ContactRow[],
  opportunityRows: readonly OpportunityRow[],
  followerRows: readonly FollowerRow[],
  userRows: readonly UserRow[],
  rotationRows: readonly RotationRow[],
): CrmRecordsInit {
  const followersOf = new Map<string, Follower[]>();
  for (const row of followerRows) {
    const key = `${row.record_kind}:${row.record_id}`;
    const list = followersOf.get(key) ?? [];
    list.push({ userId: row.user_id, source: row.source });
    followersOf.set(key, list);
  }
  // Each contact's full opportunityIds, in the contact's order.
  const ordered = new Map<string, OpportunityRow[]>();
  for (const row of opportunityRows) {
    const list = ordered.get(row.contact_id) ?? [];
    list.push(row);
    ordered.set(row.contact_id, list);
  }
  const contacts: ContactInit[] = contactRows.map((row) => ({
    id: row.id,
    ownerId: row.owner_id,
    followers: followersOf.get(`contact:${row.id}`) ?? [],
    opportunityIds: (ordered.get(row.id) ?? []).sort((a, b) => a.position - b.position).map((o) => o.id),
  }));
  const opportunities: OpportunityInit[] = opportunityRows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    ownerId: row.owner_id,
    followers: followersOf.get(`opportunity:${row.id}`) ?? [],
    status: row.status,
  }));
  const users: UserInit[] = userRows.map((row) => ({ id: row.id, active: row.active === 1, role: row.role, scope: row.scope }));
  const rotations: RotationInit[] = rotationRows.map((row) => ({ id: row.id, picks: row.picks }));
  return {
    version: account.version,
    settings: {
      allowDifferentOwners: account.allow_different_owners === 1,
      updateContactFollowersOnOpportunityOwnerChange: account.update_contact_followers === 1,
      updateOpportunityFollowersOnContactOwnerChange: account.update_opportunity_followers === 1,
      maxFollowers: account.max_followers,
    },
    users,
    contacts,
    opportunities,
    rotations,
  };
}

/** What `load` read: the snapshot, the plain records it was built from, and what was asked for. */
export interface Loaded {
  readonly state: CrmState;
  readonly records: CrmRecordsInit;
  readonly needed: RecordsNeeded;
}

/**
 * Loads the partial snapshot a command needs (or a batch of commands run together), in one read
 * transaction; `undefined` when the account does not exist. `tamper` lets a test change the
 * records before `createState` sees them (for example, lose an opportunity).
 */
export function load(
  db: Db,
  accountId: string,
  command: Command | readonly Command[],
  context: CommandContext,
  tamper?: (records: CrmRecordsInit) => CrmRecordsInit,
): Loaded | undefined {
  const needed = recordsNeeded(command, context);
  const read = db.transaction(() => readRecords(db, accountId, needed));
  const raw = read();
  if (raw === undefined) return undefined;
  const records = tamper ? tamper(raw) : raw;
  return { state: createState(records), records, needed };
}

/** The whole account as a snapshot (for reports, tests and the demo); `undefined` if none. */
export function loadAccount(db: Db, accountId: string): CrmState | undefined {
  const whole: RecordsNeeded = { load: "wholeAccount", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: true };
  const records = db.transaction(() => readRecords(db, accountId, whole))();
  return records === undefined ? undefined : createState(records);
}
