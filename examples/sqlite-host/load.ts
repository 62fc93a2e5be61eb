/**
 * Loading: exactly the rows `recordsNeeded` names, read in one transaction so they are one
 * consistent version of the account, turned into the plain records `createState` takes.
 */
import {
  createState,
  recordsNeeded,
  type Command,
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

/** Ids are passed to SQLite as one JSON array and read back with `json_each`: no dynamic SQL. */
const IN = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;

function prepare(db: Db) {
  const some = {
    contactsOfOpportunities: db.prepare<[string, string], { contact_id: string }>(
      `SELECT DISTINCT contact_id FROM opportunities WHERE account_id = ? AND ${IN("id")}`,
    ),
    contacts: db.prepare<[string, string], ContactRow>(`SELECT id, owner_id FROM contacts WHERE account_id = ? AND ${IN("id")} ORDER BY seq`),
    opportunities: db.prepare<[string, string], OpportunityRow>(
      `SELECT id, contact_id, owner_id, status, position FROM opportunities WHERE account_id = ? AND ${IN("contact_id")} ORDER BY seq`,
    ),
    followers: db.prepare<[string, string, string], FollowerRow>(
      `SELECT record_kind, record_id, user_id, source FROM followers
        WHERE account_id = ? AND ((record_kind = 'contact' AND ${IN("record_id")}) OR (record_kind = 'opportunity' AND ${IN("record_id")}))
        ORDER BY position`,
    ),
    users: db.prepare<[string, string], UserRow>(`SELECT id, active, role, scope FROM users WHERE account_id = ? AND ${IN("id")} ORDER BY seq`),
    rotations: db.prepare<[string, string], RotationRow>(`SELECT id, picks FROM rotations WHERE account_id = ? AND ${IN("id")} ORDER BY seq`),
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

  let contactRows: ContactRow[];
  let opportunityRows: OpportunityRow[];
  let followerRows: FollowerRow[];
  if (needed.wholeAccount) {
    contactRows = s.all.contacts.all(accountId);
    opportunityRows = s.all.opportunities.all(accountId);
    followerRows = s.all.followers.all(accountId);
  } else {
    // An opportunity is loaded through its contact, with all of the contact's opportunities.
    const contactIds = new Set(needed.contactIds);
    if (needed.opportunityIds.length > 0) {
      for (const row of s.some.contactsOfOpportunities.all(accountId, json(needed.opportunityIds))) contactIds.add(row.contact_id);
    }
    contactRows = contactIds.size > 0 ? s.some.contacts.all(accountId, json(contactIds)) : [];
    const loaded = json(contactRows.map((c) => c.id));
    opportunityRows = contactRows.length > 0 ? s.some.opportunities.all(accountId, loaded) : [];
    followerRows =
      contactRows.length > 0 ? s.some.followers.all(accountId, loaded, json(opportunityRows.map((o) => o.id))) : [];
  }

  // Users: those the command names, and those the loaded records name (createState needs them).
  let userRows: UserRow[];
  if (needed.wholeAccount) {
    userRows = s.all.users.all(accountId);
  } else {
    const userIds = new Set(needed.userIds);
    for (const row of contactRows) if (row.owner_id !== null) userIds.add(row.owner_id);
    for (const row of opportunityRows) if (row.owner_id !== null) userIds.add(row.owner_id);
    for (const row of followerRows) userIds.add(row.user_id);
    userRows = userIds.size > 0 ? s.some.users.all(accountId, json(userIds)) : [];
  }
  const rotationRows = needed.wholeAccount
    ? s.all.rotations.all(accountId)
    : needed.rotationIds.length > 0
      ? s.some.rotations.all(accountId, json(needed.rotationIds))
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
  tamper?: (records: CrmRecordsInit) => CrmRecordsInit,
): Loaded | undefined {
  const needed = recordsNeeded(command);
  const read = db.transaction(() => readRecords(db, accountId, needed));
  const raw = read();
  if (raw === undefined) return undefined;
  const records = tamper ? tamper(raw) : raw;
  return { state: createState(records), records, needed };
}

/** The whole account as a snapshot (for reports, tests and the demo); `undefined` if none. */
export function loadAccount(db: Db, accountId: string): CrmState | undefined {
  const whole: RecordsNeeded = { wholeAccount: true, contactIds: [], opportunityIds: [], userIds: [], rotationIds: [] };
  const records = db.transaction(() => readRecords(db, accountId, whole))();
  return records === undefined ? undefined : createState(records);
}
