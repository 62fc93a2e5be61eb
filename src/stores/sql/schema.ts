/**
 * The schema of both official stores, written once: version 1 of the tables, with the few types
 * that differ between SQLite and PostgreSQL as parameters. A released version is never edited;
 * a change is a new migration (see each store's migrations.ts).
 *
 * Every table is keyed by account first, so all of an account's rows sit together and every load
 * `recordsNeeded` can ask for is an index lookup: by contact, by opportunity, by owner, by
 * follower. No foreign keys between records: the library checks every loaded row (`createState`)
 * and reports a bad one by its id (`INVALID_STORED_DATA`), which a foreign key would not let a
 * team import and repair.
 */
import type { Migration } from "crm-ownership";

/** The column types that differ between the engines. @internal */
export interface SchemaTypes {
  /** A column that numbers rows in the order they were inserted. */
  readonly seq: string;
  /** The key on (account_id, id): SQLite keeps its rowid as the primary key, PostgreSQL needs one. */
  readonly key: "UNIQUE" | "PRIMARY KEY";
  /** A small integer for flags and states. */
  readonly flag: string;
}

/** Version 1: accounts, records, the outbox and command outcomes. @internal */
export const schemaV1 = (d: SchemaTypes): string => /* sql */ `
CREATE TABLE IF NOT EXISTS crm_accounts (
  id                           TEXT PRIMARY KEY,
  version                      INTEGER NOT NULL DEFAULT 0,  -- +1 per command that changed anything; guards every commit
  allow_different_owners       ${d.flag} NOT NULL DEFAULT 0,
  update_contact_followers     ${d.flag} NOT NULL DEFAULT 0,
  update_opportunity_followers ${d.flag} NOT NULL DEFAULT 0,
  max_followers                INTEGER NOT NULL DEFAULT 10
);
CREATE TABLE IF NOT EXISTS crm_users (
  seq        ${d.seq},  -- the order users were added
  account_id TEXT NOT NULL,
  id         TEXT NOT NULL,
  active     ${d.flag} NOT NULL DEFAULT 1,
  role       TEXT NOT NULL DEFAULT 'user',
  scope      TEXT NOT NULL DEFAULT 'all',
  ${d.key} (account_id, id)
);
CREATE TABLE IF NOT EXISTS crm_contacts (
  seq        ${d.seq},  -- creation order
  account_id TEXT NOT NULL,
  id         TEXT NOT NULL,
  owner_id   TEXT,
  ${d.key} (account_id, id)
);
CREATE INDEX IF NOT EXISTS crm_contacts_by_owner ON crm_contacts (account_id, owner_id);
CREATE TABLE IF NOT EXISTS crm_opportunities (
  seq        ${d.seq},
  account_id TEXT NOT NULL,
  id         TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  owner_id   TEXT,
  status     TEXT NOT NULL DEFAULT 'open',
  position   INTEGER NOT NULL,                                -- its place in its contact's order
  ${d.key} (account_id, id)
);
CREATE INDEX IF NOT EXISTS crm_opportunities_by_contact ON crm_opportunities (account_id, contact_id);
CREATE INDEX IF NOT EXISTS crm_opportunities_by_owner ON crm_opportunities (account_id, owner_id);
CREATE TABLE IF NOT EXISTS crm_followers (
  account_id  TEXT NOT NULL,
  record_kind TEXT NOT NULL,                                  -- 'contact' or 'opportunity'
  record_id   TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  source      TEXT NOT NULL,
  position    INTEGER NOT NULL,                               -- its place in the record's list
  PRIMARY KEY (account_id, record_kind, record_id, user_id)
);
CREATE INDEX IF NOT EXISTS crm_followers_by_user ON crm_followers (account_id, user_id);
CREATE TABLE IF NOT EXISTS crm_rotations (
  seq        ${d.seq},
  account_id TEXT NOT NULL,
  id         TEXT NOT NULL,
  picks      INTEGER NOT NULL DEFAULT 0,
  ${d.key} (account_id, id)
);
-- The outbox, written in the same transaction as the rows. relay: 0 waiting, 1 relayed, 2 set aside (unreadable; see problem).
CREATE TABLE IF NOT EXISTS crm_events (
  account_id TEXT NOT NULL,
  version    INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  type       TEXT NOT NULL,
  command_id TEXT,
  payload    TEXT NOT NULL,                                   -- the event as JSON, as the library made it
  relay      ${d.flag} NOT NULL DEFAULT 0,
  problem    TEXT,
  PRIMARY KEY (account_id, version, seq)
);
CREATE INDEX IF NOT EXISTS crm_events_waiting ON crm_events (account_id, version, seq) WHERE relay = 0;
-- One outcome per command id: the unique key that makes a command run exactly once.
CREATE TABLE IF NOT EXISTS crm_commands (
  account_id TEXT NOT NULL,
  command_id TEXT NOT NULL,
  version    INTEGER NOT NULL,                                -- the version it made (or ran on, when it changed nothing)
  outcome    TEXT NOT NULL,                                   -- 'changed', 'unchanged' or 'refused'
  error      TEXT,                                            -- the refusal, as JSON
  PRIMARY KEY (account_id, command_id)
);
`;

/**
 * Version 2: what re-coupling and bulk runs query, indexed so each is one lookup.
 *
 * - `crm_contacts.recouple`: 1 when turning separate owners off would change the contact's group
 *   (an opportunity whose owner differs from the contact's, or an `automation` follow on the
 *   contact or one of its opportunities). Every commit keeps it current for the groups it
 *   writes; the partial index holds only those contacts, so the re-coupling load reads what it
 *   changes, not the account.
 * - `crm_opportunities_by_owner_seq`: the first N groups a user owns, in creation order, for
 *   the chunks of a bulk run (`crm_contacts_by_owner` serves the contacts already).
 * @internal
 */
export const schemaV2 = (d: SchemaTypes): string => /* sql */ `
ALTER TABLE crm_contacts ADD COLUMN recouple ${d.flag} NOT NULL DEFAULT 0;
UPDATE crm_contacts SET recouple = 1
 WHERE EXISTS (SELECT 1 FROM crm_opportunities o
                WHERE o.account_id = crm_contacts.account_id AND o.contact_id = crm_contacts.id
                  AND o.owner_id IS DISTINCT FROM crm_contacts.owner_id)
    OR EXISTS (SELECT 1 FROM crm_followers f
                WHERE f.account_id = crm_contacts.account_id AND f.record_kind = 'contact'
                  AND f.record_id = crm_contacts.id AND f.source = 'automation')
    OR EXISTS (SELECT 1 FROM crm_followers f JOIN crm_opportunities o ON o.account_id = f.account_id AND o.id = f.record_id
                WHERE f.account_id = crm_contacts.account_id AND f.record_kind = 'opportunity'
                  AND o.contact_id = crm_contacts.id AND f.source = 'automation');
CREATE INDEX IF NOT EXISTS crm_contacts_to_recouple ON crm_contacts (account_id, seq) WHERE recouple = 1;
CREATE INDEX IF NOT EXISTS crm_contacts_by_owner_seq ON crm_contacts (account_id, owner_id, seq);
CREATE INDEX IF NOT EXISTS crm_opportunities_by_owner_contact ON crm_opportunities (account_id, owner_id, contact_id);
`;

/**
 * Version 3: the fingerprint of the request that made each outcome (who sent it, a hash of what it
 * said; src/host/fingerprint.ts), so that another request with the same command id is refused
 * (`COMMAND_ID_REUSED`) rather than given this one's outcome. NULL on outcomes stored before it:
 * nothing proves who sent those, so they are answered to nobody. @internal
 */
export const schemaV3 = (): string => /* sql */ `
ALTER TABLE crm_commands ADD COLUMN fingerprint TEXT;
`;

/**
 * Every migration, oldest first, for one engine's column types: the one list both stores ship,
 * so a new version is added here once and reaches SQLite and PostgreSQL alike. @internal
 */
export const migrationsFor = (types: SchemaTypes): readonly Migration[] =>
  Object.freeze([
    { version: 1, name: "accounts, records, outbox, command outcomes", sql: schemaV1(types) },
    { version: 2, name: "re-coupling flag and bulk-run indexes", sql: schemaV2(types) },
    { version: 3, name: "the request behind each command outcome", sql: schemaV3() },
  ]);
