/**
 * Writing: only the rows a command changed, plus its events in the outbox, in one transaction
 * that first moves the account's version on — and only if nobody else did since the load.
 */
import {
  createState,
  getContact,
  getOpportunity,
  toRecords,
  type Contact,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
  type Follower,
  type Opportunity,
  type RecordChanges,
  type RecordKind,
  type Rotation,
  type Settings,
  type User,
} from "../../src/index.js";
import type { Db } from "./schema.js";

/** The steps of a commit, in order; a fault injected before any of them must leave nothing behind. */
export const WRITE_STEPS = [
  "account",
  "deleteOpportunities",
  "deleteContacts",
  "users",
  "contacts",
  "opportunities",
  "followers",
  "ordering",
  "rotations",
  "outbox",
] as const;
/** One step of a commit. */
export type WriteStep = (typeof WRITE_STEPS)[number];

function prepare(db: Db) {
  return {
    guardVersion: db.prepare<[number, number, number, number, number, string, number]>(
      `UPDATE accounts SET version = ?, allow_different_owners = ?, update_contact_followers = ?,
              update_opportunity_followers = ?, max_followers = ?
        WHERE id = ? AND version = ?`,
    ),
    insertAccount: db.prepare<[string, number, number, number, number, number]>(
      `INSERT INTO accounts (id, version, allow_different_owners, update_contact_followers, update_opportunity_followers, max_followers)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    deleteFollowers: db.prepare<[string, RecordKind, string]>(`DELETE FROM followers WHERE account_id = ? AND record_kind = ? AND record_id = ?`),
    insertFollower: db.prepare<[string, RecordKind, string, string, Follower["source"], number]>(
      `INSERT INTO followers (account_id, record_kind, record_id, user_id, source, position) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    deleteOpportunity: db.prepare<[string, string]>(`DELETE FROM opportunities WHERE account_id = ? AND id = ?`),
    deleteContact: db.prepare<[string, string]>(`DELETE FROM contacts WHERE account_id = ? AND id = ?`),
    upsertUser: db.prepare<[string, string, number, string, string]>(
      `INSERT INTO users (account_id, id, active, role, scope) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, id) DO UPDATE SET active = excluded.active, role = excluded.role, scope = excluded.scope`,
    ),
    upsertContact: db.prepare<[string, string, string | null]>(
      `INSERT INTO contacts (account_id, id, owner_id) VALUES (?, ?, ?)
       ON CONFLICT (account_id, id) DO UPDATE SET owner_id = excluded.owner_id`,
    ),
    upsertOpportunity: db.prepare<[string, string, string, string | null, string, number]>(
      `INSERT INTO opportunities (account_id, id, contact_id, owner_id, status, position) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, id) DO UPDATE SET contact_id = excluded.contact_id, owner_id = excluded.owner_id,
              status = excluded.status, position = excluded.position`,
    ),
    setPosition: db.prepare<[number, string, string]>(`UPDATE opportunities SET position = ? WHERE account_id = ? AND id = ?`),
    upsertRotation: db.prepare<[string, string, number]>(
      `INSERT INTO rotations (account_id, id, picks) VALUES (?, ?, ?)
       ON CONFLICT (account_id, id) DO UPDATE SET picks = excluded.picks`,
    ),
    insertEvent: db.prepare<[string, number, number, string, string, string | null, string | null, string | null, string]>(
      `INSERT INTO events (account_id, version, seq, type, cause, command_id, actor_id, at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}
const cache = new WeakMap<Db, ReturnType<typeof prepare>>();
function statements(db: Db): ReturnType<typeof prepare> {
  let prepared = cache.get(db);
  if (prepared === undefined) {
    prepared = prepare(db);
    cache.set(db, prepared);
  }
  return prepared;
}

const bit = (value: boolean) => (value ? 1 : 0);
const settingsRow = (s: Settings) =>
  [
    bit(s.allowDifferentOwners),
    bit(s.updateContactFollowersOnOpportunityOwnerChange),
    bit(s.updateOpportunityFollowersOnContactOwnerChange),
    s.maxFollowers,
  ] as const;

/** What one commit writes. */
export interface Commit {
  readonly accountId: string;
  /** The snapshot the command ran on (its version guards the write). */
  readonly before: CrmState;
  /** The snapshot the command produced. */
  readonly after: CrmState;
  readonly changes: RecordChanges;
  readonly events: readonly CrmEvent[];
  /** The acting user, kept with the events for the timeline. */
  readonly actorId?: string | undefined;
}

/**
 * Writes one command's changes in one `BEGIN IMMEDIATE` transaction. The first statement moves
 * the account's version from `before.version` on; when another writer got there first it matches
 * no row, nothing is written, and this returns `false` (reload and retry). Any exception —
 * including one `beforeWrite` throws to simulate a crash — rolls everything back.
 */
export function commit(db: Db, c: Commit, beforeWrite?: (step: WriteStep) => void): boolean {
  const s = statements(db);
  const step = (name: WriteStep) => beforeWrite?.(name);
  const { accountId, before, after, changes } = c;
  const write = db.transaction((): boolean => {
    step("account");
    const guarded = s.guardVersion.run(after.version, ...settingsRow(after.settings), accountId, before.version);
    if (guarded.changes === 0) return false;

    step("deleteOpportunities");
    for (const id of changes.opportunities.deleted) {
      s.deleteFollowers.run(accountId, "opportunity", id);
      s.deleteOpportunity.run(accountId, id);
    }
    step("deleteContacts");
    for (const id of changes.contacts.deleted) {
      s.deleteFollowers.run(accountId, "contact", id);
      s.deleteContact.run(accountId, id);
    }
    step("users");
    for (const user of changes.users.upserted) writeUser(s, accountId, user);
    step("contacts");
    for (const contact of changes.contacts.upserted) s.upsertContact.run(accountId, contact.id, contact.ownerId);
    step("opportunities");
    for (const opportunity of changes.opportunities.upserted) writeOpportunity(s, accountId, after, opportunity);
    step("followers");
    // Identity again: an owner change keeps the very same followers array.
    for (const contact of changes.contacts.upserted) {
      if (getContact(before, contact.id)?.followers !== contact.followers) writeFollowers(s, accountId, "contact", contact.id, contact.followers);
    }
    for (const opportunity of changes.opportunities.upserted) {
      if (getOpportunity(before, opportunity.id)?.followers !== opportunity.followers) {
        writeFollowers(s, accountId, "opportunity", opportunity.id, opportunity.followers);
      }
    }
    step("ordering");
    for (const contact of changes.contacts.upserted) {
      if (getContact(before, contact.id)?.opportunityIds !== contact.opportunityIds) writeOrder(s, accountId, contact);
    }
    step("rotations");
    for (const rotation of changes.rotations.upserted) writeRotation(s, accountId, rotation);
    step("outbox");
    c.events.forEach((event, seq) => {
      s.insertEvent.run(
        accountId,
        event.version,
        seq,
        event.type,
        event.cause,
        event.commandId ?? null,
        c.actorId ?? null,
        event.at ?? null,
        JSON.stringify(event),
      );
    });
    return true;
  });
  return write.immediate();
}

type Statements = ReturnType<typeof prepare>;

function writeUser(s: Statements, accountId: string, user: User): void {
  s.upsertUser.run(accountId, user.id, bit(user.active), user.role, user.scope);
}

function writeOpportunity(s: Statements, accountId: string, after: CrmState, opportunity: Opportunity): void {
  const position = getContact(after, opportunity.contactId)?.opportunityIds.indexOf(opportunity.id) ?? -1;
  s.upsertOpportunity.run(accountId, opportunity.id, opportunity.contactId, opportunity.ownerId, opportunity.status, position);
}

function writeFollowers(s: Statements, accountId: string, kind: RecordKind, id: string, followers: readonly Follower[]): void {
  s.deleteFollowers.run(accountId, kind, id);
  followers.forEach((f, position) => s.insertFollower.run(accountId, kind, id, f.userId, f.source, position));
}

function writeOrder(s: Statements, accountId: string, contact: Contact): void {
  contact.opportunityIds.forEach((id, position) => s.setPosition.run(position, accountId, id));
}

function writeRotation(s: Statements, accountId: string, rotation: Rotation): void {
  s.upsertRotation.run(accountId, rotation.id, rotation.picks);
}

/**
 * Creates an account from plain records (validated by `createState` first, so the database never
 * holds a snapshot the library would refuse). Throws when the account exists already.
 */
export function createAccount(db: Db, accountId: string, init: CrmRecordsInit): CrmState {
  const state = createState(init);
  const records = toRecords(state);
  const s = statements(db);
  db.transaction(() => {
    s.insertAccount.run(accountId, records.version, ...settingsRow(records.settings));
    for (const user of records.users) writeUser(s, accountId, user);
    for (const contact of records.contacts) s.upsertContact.run(accountId, contact.id, contact.ownerId);
    for (const opportunity of records.opportunities) writeOpportunity(s, accountId, state, opportunity);
    for (const contact of records.contacts) writeFollowers(s, accountId, "contact", contact.id, contact.followers);
    for (const opportunity of records.opportunities) writeFollowers(s, accountId, "opportunity", opportunity.id, opportunity.followers);
    for (const rotation of records.rotations) writeRotation(s, accountId, rotation);
  }).immediate();
  return state;
}
