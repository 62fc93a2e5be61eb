/**
 * The SQL both official stores run, written once as generators of queries: a store's driver
 * runs each query (synchronously on better-sqlite3, awaited on PostgreSQL) and sends the rows
 * back in. So the loading, dedupe and write order cannot drift apart between the two engines.
 * Only the transaction control and three bits of dialect (how a list of ids is passed, how the
 * account row is locked, placeholders) differ; see `Dialect`.
 */
// The engine by its package name: the store entries share the installed main entry (one
// createState, one set of error classes) instead of bundling a copy (see tsup.config.ts).
import {
  getContact,
  getOpportunity,
  type CommitRequest,
  type CommitResult,
  type Contact,
  type ContactInit,
  type CrmError,
  type CrmEvent,
  type CrmRecords,
  type CrmRecordsInit,
  type CrmState,
  type Follower,
  type LoadResult,
  type Opportunity,
  type GroupsToRecoupleQuery,
  type OwnedGroups,
  type OwnedGroupsQuery,
  type OpportunityInit,
  type RecordKind,
  type RecordsNeeded,
  type Rotation,
  type RotationInit,
  type Settings,
  type StoredOutcome,
  type User,
  type UserInit,
} from "crm-ownership";

/** One statement, with `?` placeholders. */
export interface Query {
  readonly sql: string;
  readonly params: readonly unknown[];
}
/** A row as a driver returns it. */
export type Row = Readonly<Record<string, unknown>>;
/** A sequence of queries ending in a value: the driver feeds each query's rows back in. */
export type Steps<T> = Generator<Query, T, readonly Row[]>;

/** What differs between SQLite and PostgreSQL in the shared statements. */
export interface Dialect {
  /** A subquery listing the ids of one JSON-array text parameter. */
  readonly ids: string;
  /** Appended to the statement that reads the account row in a commit (PostgreSQL: ` FOR UPDATE`). */
  readonly lock: string;
}

const q = (sql: string, ...params: unknown[]): Query => ({ sql, params });
const json = (ids: Iterable<string>): string => JSON.stringify([...ids]);
const bit = (value: boolean): number => (value ? 1 : 0);
const str = (value: unknown): string => (typeof value === "string" ? value : String(value));
const strOrNull = (value: unknown): string | null => (value === null ? null : str(value));

// ---------------------------------------------------------------- outcomes of commands

/** The stored outcome of `commandId` and the fingerprint kept with it, if the command ran before. */
export function* readOutcome(accountId: string, commandId: string): Steps<{ outcome: StoredOutcome; fingerprint: string | undefined } | undefined> {
  const [row] = yield q(`SELECT version, outcome, error, fingerprint FROM crm_commands WHERE account_id = ? AND command_id = ?`, accountId, commandId);
  if (row === undefined) return undefined;
  // NULL on an outcome stored before migration 3: runCommand answers it to nobody.
  const fingerprint = row.fingerprint === null || row.fingerprint === undefined ? undefined : str(row.fingerprint);
  return { outcome: yield* outcomeOf(accountId, row), fingerprint };
}

/** A `crm_commands` row's outcome (a committed command's events read from the outbox). */
function* outcomeOf(accountId: string, row: Row): Steps<StoredOutcome> {
  const version = Number(row.version);
  if (row.outcome === "refused") return { ok: false, error: JSON.parse(str(row.error)) as CrmError };
  if (row.outcome === "unchanged") return { ok: true, version, events: [] };
  const rows = yield q(`SELECT version, seq, payload FROM crm_events WHERE account_id = ? AND version = ? ORDER BY seq`, accountId, version);
  const events: CrmEvent[] = [];
  for (const eventRow of rows) {
    const read = readEvent(eventRow);
    // An unreadable event of a duplicate's first copy: the duplicate still reports what it can.
    if (read.ok) events.push(read.event);
  }
  return { ok: true, version, events };
}

// ---------------------------------------------------------------- loading

/** Reads the account row, then the records `needed` names (or the whole account). */
export function* loadSteps(d: Dialect, accountId: string, needed: RecordsNeeded, commandId: string | undefined): Steps<LoadResult> {
  if (commandId !== undefined) {
    const stored = yield* readOutcome(accountId, commandId);
    if (stored !== undefined) return { found: "outcome", ...stored };
  }
  const records = yield* readRecords(d, accountId, needed);
  return records === undefined ? { found: "noAccount" } : { found: "records", records };
}

const ACCOUNT = `SELECT version, allow_different_owners, update_contact_followers, update_opportunity_followers, max_followers
  FROM crm_accounts WHERE id = ?`;
const CONTACT_COLS = `id, owner_id`;
const OPPORTUNITY_COLS = `id, contact_id, owner_id, status, position`;
const FOLLOWER_COLS = `record_kind, record_id, user_id, source`;

/** The records `needed` names as plain records for `createState`; `undefined` without the account. */
export function* readRecords(d: Dialect, accountId: string, needed: RecordsNeeded): Steps<CrmRecordsInit | undefined> {
  const [account] = yield q(ACCOUNT, accountId);
  if (account === undefined) return undefined;
  const whole = needed.load === "wholeAccount";
  let contactRows: readonly Row[];
  let opportunityRows: readonly Row[];
  let followerRows: readonly Row[];
  if (whole) {
    contactRows = yield q(`SELECT ${CONTACT_COLS} FROM crm_contacts WHERE account_id = ? ORDER BY seq`, accountId);
    opportunityRows = yield q(`SELECT ${OPPORTUNITY_COLS} FROM crm_opportunities WHERE account_id = ? ORDER BY seq`, accountId);
    followerRows = yield q(`SELECT ${FOLLOWER_COLS} FROM crm_followers WHERE account_id = ? ORDER BY position`, accountId);
  } else {
    const contactIds = new Set(needed.contactIds);
    const viaOpportunities = new Set(needed.opportunityIds);
    if (needed.load === "recoupling") {
      // One lookup on the partial index: the groups re-coupling changes (kept by every commit).
      for (const row of yield q(`SELECT id FROM crm_contacts WHERE account_id = ? AND recouple = 1`, accountId)) contactIds.add(str(row.id));
    }
    if ((needed.load === "recordsOfUsers" || needed.load === "recoupling") && needed.users.length > 0) {
      const users = json(needed.users);
      for (const row of yield q(`SELECT id FROM crm_contacts WHERE account_id = ? AND owner_id IN (${d.ids})`, accountId, users)) {
        contactIds.add(str(row.id));
      }
      // A move that leaves closed deals where they are does not need a group where the user owns only those.
      const open = needed.includeClosed === false ? ` AND status = 'open'` : "";
      for (const row of yield q(`SELECT contact_id FROM crm_opportunities WHERE account_id = ? AND owner_id IN (${d.ids})${open}`, accountId, users)) {
        contactIds.add(str(row.contact_id));
      }
      for (const row of yield q(`SELECT record_kind, record_id FROM crm_followers WHERE account_id = ? AND user_id IN (${d.ids})`, accountId, users)) {
        (row.record_kind === "contact" ? contactIds : viaOpportunities).add(str(row.record_id));
      }
    }
    // An opportunity is loaded through its contact, with all of the contact's opportunities.
    if (viaOpportunities.size > 0) {
      const rows = yield q(`SELECT contact_id FROM crm_opportunities WHERE account_id = ? AND id IN (${d.ids})`, accountId, json(viaOpportunities));
      for (const row of rows) contactIds.add(str(row.contact_id));
    }
    contactRows =
      contactIds.size > 0
        ? yield q(`SELECT ${CONTACT_COLS} FROM crm_contacts WHERE account_id = ? AND id IN (${d.ids}) ORDER BY seq`, accountId, json(contactIds))
        : [];
    const loadedContacts = json(contactRows.map((c) => str(c.id)));
    opportunityRows =
      contactRows.length > 0
        ? yield q(`SELECT ${OPPORTUNITY_COLS} FROM crm_opportunities WHERE account_id = ? AND contact_id IN (${d.ids}) ORDER BY seq`, accountId, loadedContacts)
        : [];
    followerRows =
      contactRows.length > 0
        ? [
            ...(yield q(
              `SELECT ${FOLLOWER_COLS} FROM crm_followers WHERE account_id = ? AND record_kind = 'contact' AND record_id IN (${d.ids}) ORDER BY position`,
              accountId,
              loadedContacts,
            )),
            ...(opportunityRows.length > 0
              ? yield q(
                  `SELECT ${FOLLOWER_COLS} FROM crm_followers WHERE account_id = ? AND record_kind = 'opportunity' AND record_id IN (${d.ids}) ORDER BY position`,
                  accountId,
                  json(opportunityRows.map((o) => str(o.id))),
                )
              : []),
          ]
        : [];
  }

  // Users: those the command names, and those the loaded records name (createState needs them).
  let userRows: readonly Row[];
  let rotationRows: readonly Row[];
  if (whole || needed.allUsers) {
    // Every user: the whole account, or a rule over all users (the last admin).
    userRows = yield q(`SELECT id, active, role, scope FROM crm_users WHERE account_id = ? ORDER BY seq`, accountId);
  } else {
    const userIds = new Set(needed.userIds);
    for (const row of contactRows) if (row.owner_id !== null) userIds.add(str(row.owner_id));
    for (const row of opportunityRows) if (row.owner_id !== null) userIds.add(str(row.owner_id));
    for (const row of followerRows) userIds.add(str(row.user_id));
    userRows =
      userIds.size > 0
        ? yield q(`SELECT id, active, role, scope FROM crm_users WHERE account_id = ? AND id IN (${d.ids}) ORDER BY seq`, accountId, json(userIds))
        : [];
  }
  if (whole) {
    rotationRows = yield q(`SELECT id, picks FROM crm_rotations WHERE account_id = ? ORDER BY seq`, accountId);
  } else {
    rotationRows =
      needed.rotationIds.length > 0
        ? yield q(`SELECT id, picks FROM crm_rotations WHERE account_id = ? AND id IN (${d.ids}) ORDER BY seq`, accountId, json(needed.rotationIds))
        : [];
  }
  return toInit(account, contactRows, opportunityRows, followerRows, userRows, rotationRows);
}

function toInit(
  account: Row,
  contactRows: readonly Row[],
  opportunityRows: readonly Row[],
  followerRows: readonly Row[],
  userRows: readonly Row[],
  rotationRows: readonly Row[],
): CrmRecordsInit {
  const followersOf = new Map<string, Follower[]>();
  for (const row of followerRows) {
    const key = `${str(row.record_kind)}:${str(row.record_id)}`;
    const list = followersOf.get(key) ?? [];
    list.push({ userId: str(row.user_id), source: row.source as Follower["source"] });
    followersOf.set(key, list);
  }
  // Each contact's full opportunityIds, in the contact's own order.
  const ordered = new Map<string, Row[]>();
  for (const row of opportunityRows) {
    const list = ordered.get(str(row.contact_id)) ?? [];
    list.push(row);
    ordered.set(str(row.contact_id), list);
  }
  const contacts: ContactInit[] = contactRows.map((row) => ({
    id: str(row.id),
    ownerId: strOrNull(row.owner_id),
    followers: followersOf.get(`contact:${str(row.id)}`) ?? [],
    opportunityIds: (ordered.get(str(row.id)) ?? []).sort((a, b) => Number(a.position) - Number(b.position)).map((o) => str(o.id)),
  }));
  const opportunities: OpportunityInit[] = opportunityRows.map((row) => ({
    id: str(row.id),
    contactId: str(row.contact_id),
    ownerId: strOrNull(row.owner_id),
    followers: followersOf.get(`opportunity:${str(row.id)}`) ?? [],
    status: row.status as OpportunityInit["status"],
  }));
  const users: UserInit[] = userRows.map((row) => ({
    id: str(row.id),
    active: Number(row.active) === 1,
    role: row.role as UserInit["role"],
    scope: row.scope as UserInit["scope"],
  }));
  const rotations: RotationInit[] = rotationRows.map((row) => ({ id: str(row.id), picks: Number(row.picks) }));
  return {
    version: Number(account.version),
    settings: {
      allowDifferentOwners: Number(account.allow_different_owners) === 1,
      updateContactFollowersOnOpportunityOwnerChange: Number(account.update_contact_followers) === 1,
      updateOpportunityFollowersOnContactOwnerChange: Number(account.update_opportunity_followers) === 1,
      maxFollowers: Number(account.max_followers),
    },
    users,
    contacts,
    opportunities,
    rotations,
  };
}

// ---------------------------------------------------------------- writing

/** What a commit came to, and whether the driver must roll back what it ran. */
export interface Committed {
  readonly result: CommitResult;
  readonly rollback: boolean;
}

const settingsParams = (s: Settings) =>
  [bit(s.allowDifferentOwners), bit(s.updateContactFollowersOnOpportunityOwnerChange), bit(s.updateOpportunityFollowersOnContactOwnerChange), s.maxFollowers] as const;

/**
 * One commit: lock the account row, check the command id **inside** the transaction, then the
 * version guard, then the rows (deletes, records, followers, order), the events and the outcome.
 */
export function* commitSteps(d: Dialect, accountId: string, request: CommitRequest): Steps<Committed> {
  const [account] = yield q(`SELECT version FROM crm_accounts WHERE id = ?${d.lock}`, accountId);
  if (account === undefined) return { result: { status: "conflict" }, rollback: false };
  if (request.commandId !== undefined) {
    const stored = yield* readOutcome(accountId, request.commandId);
    if (stored !== undefined) return { result: { status: "duplicate", ...stored }, rollback: false };
  }
  if (request.kind === "outcome") {
    const { outcome } = request;
    yield q(
      `INSERT INTO crm_commands (account_id, command_id, version, outcome, error, fingerprint) VALUES (?, ?, ?, ?, ?, ?)`,
      accountId,
      request.commandId,
      outcome.ok ? outcome.version : Number(account.version),
      outcome.ok ? "unchanged" : "refused",
      outcome.ok ? null : JSON.stringify(outcome.error),
      request.fingerprint,
    );
    return { result: { status: "committed" }, rollback: false };
  }

  const { before, after, changes } = request;
  if (Number(account.version) !== before.version) return { result: { status: "conflict" }, rollback: false };

  for (const id of changes.opportunities.deleted) {
    yield q(`DELETE FROM crm_followers WHERE account_id = ? AND record_kind = 'opportunity' AND record_id = ?`, accountId, id);
    yield q(`DELETE FROM crm_opportunities WHERE account_id = ? AND id = ?`, accountId, id);
  }
  for (const id of changes.contacts.deleted) {
    yield q(`DELETE FROM crm_followers WHERE account_id = ? AND record_kind = 'contact' AND record_id = ?`, accountId, id);
    yield q(`DELETE FROM crm_contacts WHERE account_id = ? AND id = ?`, accountId, id);
  }
  for (const user of changes.users.upserted) yield writeUser(accountId, user);
  for (const contact of changes.contacts.upserted) {
    if (getContact(before, contact.id) === undefined) {
      // New: a row the load did not see may hold the id already; then nothing is written.
      const inserted = yield q(
        `INSERT INTO crm_contacts (account_id, id, owner_id) VALUES (?, ?, ?) ON CONFLICT (account_id, id) DO NOTHING RETURNING id`,
        accountId,
        contact.id,
        contact.ownerId,
      );
      if (inserted.length === 0) return { result: { status: "exists", kind: "contact", id: contact.id }, rollback: true };
    } else {
      yield q(`UPDATE crm_contacts SET owner_id = ? WHERE account_id = ? AND id = ?`, contact.ownerId, accountId, contact.id);
    }
  }
  for (const opportunity of changes.opportunities.upserted) {
    const position = positionOf(after, opportunity);
    if (getOpportunity(before, opportunity.id) === undefined) {
      const inserted = yield q(
        `INSERT INTO crm_opportunities (account_id, id, contact_id, owner_id, status, position) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, id) DO NOTHING RETURNING id`,
        accountId,
        opportunity.id,
        opportunity.contactId,
        opportunity.ownerId,
        opportunity.status,
        position,
      );
      if (inserted.length === 0) return { result: { status: "exists", kind: "opportunity", id: opportunity.id }, rollback: true };
    } else {
      yield q(
        `UPDATE crm_opportunities SET owner_id = ?, status = ?, position = ? WHERE account_id = ? AND id = ?`,
        opportunity.ownerId,
        opportunity.status,
        position,
        accountId,
        opportunity.id,
      );
    }
  }
  // Identity: an owner change keeps the very same followers array and order.
  for (const contact of changes.contacts.upserted) {
    if (getContact(before, contact.id)?.followers !== contact.followers) yield* writeFollowers(accountId, "contact", contact.id, contact.followers);
  }
  for (const opportunity of changes.opportunities.upserted) {
    if (getOpportunity(before, opportunity.id)?.followers !== opportunity.followers) {
      yield* writeFollowers(accountId, "opportunity", opportunity.id, opportunity.followers);
    }
  }
  for (const contact of changes.contacts.upserted) {
    if (getContact(before, contact.id)?.opportunityIds !== contact.opportunityIds) yield* writeOrder(accountId, contact);
  }
  for (const rotation of changes.rotations.upserted) yield writeRotation(accountId, rotation);
  yield* writeRecoupleFlags(accountId, request);

  yield q(
    `UPDATE crm_accounts SET version = ?, allow_different_owners = ?, update_contact_followers = ?, update_opportunity_followers = ?, max_followers = ?
      WHERE id = ?`,
    after.version,
    ...settingsParams(after.settings),
    accountId,
  );
  let seq = 0;
  for (const event of request.events) {
    yield q(
      `INSERT INTO crm_events (account_id, version, seq, type, command_id, payload) VALUES (?, ?, ?, ?, ?, ?)`,
      accountId,
      event.version,
      seq++,
      event.type,
      event.commandId ?? null,
      JSON.stringify(event),
    );
  }
  if (request.commandId !== undefined) {
    yield q(
      `INSERT INTO crm_commands (account_id, command_id, version, outcome, error, fingerprint) VALUES (?, ?, ?, 'changed', NULL, ?)`,
      accountId,
      request.commandId,
      after.version,
      request.fingerprint ?? null,
    );
  }
  return { result: { status: "committed" }, rollback: false };
}

/**
 * Whether turning separate owners off would change this contact's group: an opportunity whose
 * owner differs from the contact's, or an `automation` follow on the contact or one of its
 * opportunities. Stored as `crm_contacts.recouple` (migration 2) for the re-coupling load.
 */
export function needsRecoupling(state: CrmState, contact: Contact): boolean {
  if (contact.followers.some((f) => f.source === "automation")) return true;
  for (const id of contact.opportunityIds) {
    const opportunity = getOpportunity(state, id);
    if (opportunity === undefined) continue;
    if (opportunity.ownerId !== contact.ownerId || opportunity.followers.some((f) => f.source === "automation")) return true;
  }
  return false;
}

/** Rewrites `recouple` for every group the commit touched whose answer changed (the snapshot holds each whole). */
function* writeRecoupleFlags(accountId: string, request: Extract<CommitRequest, { kind: "change" }>): Steps<void> {
  const { before, after, changes } = request;
  const touched = new Set<string>();
  for (const contact of changes.contacts.upserted) touched.add(contact.id);
  for (const opportunity of changes.opportunities.upserted) touched.add(opportunity.contactId);
  for (const id of changes.opportunities.deleted) {
    const gone = getOpportunity(before, id);
    if (gone !== undefined) touched.add(gone.contactId);
  }
  for (const id of touched) {
    const now = getContact(after, id);
    if (now === undefined) continue;
    const then = getContact(before, id);
    const flag = needsRecoupling(after, now);
    if (then !== undefined ? needsRecoupling(before, then) === flag : !flag) continue;
    yield q(`UPDATE crm_contacts SET recouple = ? WHERE account_id = ? AND id = ?`, bit(flag), accountId, id);
  }
}

/**
 * Up to `limit` contact ids, in creation order, whose group still holds something a transfer from
 * `userId` moves (the same selection as `transferOwnership`: `records`, `includeClosed`), and
 * how many such groups there are. Two indexed lookups by owner; read in one snapshot.
 */
export function* groupsOwnedSteps(accountId: string, query: OwnedGroupsQuery): Steps<OwnedGroups> {
  const contacts = query.records !== "opportunities";
  const opportunities = query.records !== "contacts";
  const closed = query.includeClosed ? "" : ` AND status = 'open'`;
  const parts: string[] = [];
  const params: unknown[] = [];
  if (contacts) {
    parts.push(`SELECT seq, id FROM crm_contacts WHERE account_id = ? AND owner_id = ?`);
    params.push(accountId, query.userId);
  }
  if (opportunities) {
    parts.push(
      `SELECT DISTINCT c.seq, c.id FROM crm_contacts c JOIN crm_opportunities o ON o.account_id = c.account_id AND o.contact_id = c.id
        WHERE o.account_id = ? AND o.owner_id = ?${closed}`,
    );
    params.push(accountId, query.userId);
  }
  const union = parts.join(" UNION ");
  const [count] = yield q(`SELECT COUNT(*) AS n FROM (${union}) g`, ...params);
  const rows = yield q(`SELECT id FROM (${union}) g ORDER BY seq LIMIT ?`, ...params, Math.max(0, Math.floor(query.limit)));
  return { contactIds: rows.map((row) => str(row.id)), total: Number(count?.n ?? 0) };
}

/**
 * The first `limit` groups re-coupling changes, in creation order, and how many: one statement
 * on the partial index `crm_contacts_to_recouple` (account_id, seq) WHERE recouple = 1 of
 * migration 2, which holds exactly those contacts in that order, so no migration adds one. The
 * count is a window over the whole result (computed before the LIMIT); its frame is ordered by
 * `seq` so neither engine sorts (EXPLAIN: SQLite searches the index with no temp B-tree,
 * PostgreSQL an Index Scan under the WindowAgg; docs/integration.md).
 */
export function* groupsToRecoupleSteps(accountId: string, query: GroupsToRecoupleQuery): Steps<OwnedGroups> {
  const limit = Math.max(0, Math.floor(query.limit));
  // At least one row, so the count comes back even for limit 0 (the row is then dropped).
  const rows = yield q(
    `SELECT id, COUNT(*) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
       FROM crm_contacts WHERE account_id = ? AND recouple = 1 ORDER BY seq LIMIT ?`,
    accountId,
    Math.max(1, limit),
  );
  return { contactIds: rows.slice(0, limit).map((row) => str(row.id)), total: Number(rows[0]?.n ?? 0) };
}

const positionOf = (state: CrmState, opportunity: Opportunity): number =>
  getContact(state, opportunity.contactId)?.opportunityIds.indexOf(opportunity.id) ?? -1;

const writeUser = (accountId: string, user: User): Query =>
  q(
    `INSERT INTO crm_users (account_id, id, active, role, scope) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, id) DO UPDATE SET active = excluded.active, role = excluded.role, scope = excluded.scope`,
    accountId,
    user.id,
    bit(user.active),
    user.role,
    user.scope,
  );

const writeRotation = (accountId: string, rotation: Rotation): Query =>
  q(
    `INSERT INTO crm_rotations (account_id, id, picks) VALUES (?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE SET picks = excluded.picks`,
    accountId,
    rotation.id,
    rotation.picks,
  );

function* writeFollowers(accountId: string, kind: RecordKind, id: string, followers: readonly Follower[]): Steps<void> {
  yield q(`DELETE FROM crm_followers WHERE account_id = ? AND record_kind = ? AND record_id = ?`, accountId, kind, id);
  let position = 0;
  for (const f of followers) {
    yield q(
      `INSERT INTO crm_followers (account_id, record_kind, record_id, user_id, source, position) VALUES (?, ?, ?, ?, ?, ?)`,
      accountId,
      kind,
      id,
      f.userId,
      f.source,
      position++,
    );
  }
}

function* writeOrder(accountId: string, contact: Contact): Steps<void> {
  let position = 0;
  for (const id of contact.opportunityIds) {
    yield q(`UPDATE crm_opportunities SET position = ? WHERE account_id = ? AND id = ?`, position++, accountId, id);
  }
}

/**
 * A new account from a validated snapshot; `false` (nothing written) when the id is taken.
 * Rows go in the snapshot's order, so creation order (`seq`) is the snapshot's.
 */
export function* createAccountSteps(accountId: string, state: CrmState, records: CrmRecords): Steps<boolean> {
  const inserted = yield q(
    `INSERT INTO crm_accounts (id, version, allow_different_owners, update_contact_followers, update_opportunity_followers, max_followers)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id`,
    accountId,
    records.version,
    ...settingsParams(records.settings),
  );
  if (inserted.length === 0) return false;
  for (const user of records.users) yield writeUser(accountId, user);
  for (const contact of records.contacts) {
    yield q(
      `INSERT INTO crm_contacts (account_id, id, owner_id, recouple) VALUES (?, ?, ?, ?)`,
      accountId,
      contact.id,
      contact.ownerId,
      bit(needsRecoupling(state, contact)),
    );
  }
  for (const opportunity of records.opportunities) {
    yield q(
      `INSERT INTO crm_opportunities (account_id, id, contact_id, owner_id, status, position) VALUES (?, ?, ?, ?, ?, ?)`,
      accountId,
      opportunity.id,
      opportunity.contactId,
      opportunity.ownerId,
      opportunity.status,
      positionOf(state, opportunity),
    );
  }
  for (const contact of records.contacts) yield* writeFollowers(accountId, "contact", contact.id, contact.followers);
  for (const opportunity of records.opportunities) yield* writeFollowers(accountId, "opportunity", opportunity.id, opportunity.followers);
  for (const rotation of records.rotations) yield writeRotation(accountId, rotation);
  return true;
}

// ---------------------------------------------------------------- the outbox

type ReadEvent = { readonly ok: true; readonly event: CrmEvent } | { readonly ok: false; readonly problem: string };

/** Parses one outbox payload, checking what every consumer relies on: an object with a `type` and the row's `version`. */
export function readEvent(row: Row): ReadEvent {
  let value: unknown;
  try {
    value = JSON.parse(str(row.payload));
  } catch (error) {
    return { ok: false, problem: (error as SyntaxError).message };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problem: "not a JSON object" };
  const event = value as { type?: unknown; version?: unknown };
  if (typeof event.type !== "string") return { ok: false, problem: 'no string "type"' };
  if (event.version !== Number(row.version)) return { ok: false, problem: `"version" is ${JSON.stringify(event.version)}, the row's is ${str(row.version)}` };
  return { ok: true, event: value as CrmEvent };
}

/** The account's events after `afterVersion`, in order. */
export const eventsAfter = (accountId: string, afterVersion: number): Query =>
  q(`SELECT version, seq, payload FROM crm_events WHERE account_id = ? AND version > ? ORDER BY version, seq`, accountId, afterVersion);

/** The next events the relay has not handed out yet, in order. */
export const pendingEvents = (accountId: string, limit: number): Query =>
  q(`SELECT version, seq, payload FROM crm_events WHERE account_id = ? AND relay = 0 ORDER BY version, seq LIMIT ?`, accountId, limit);

/** Marks one event relayed (1) or set aside (2, with the reason). */
export const markEvent = (accountId: string, version: number, seq: number, state: 1 | 2, problem: string | null): Query =>
  q(`UPDATE crm_events SET relay = ?, problem = ? WHERE account_id = ? AND version = ? AND seq = ?`, state, problem, accountId, version, seq);
