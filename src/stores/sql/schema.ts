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
