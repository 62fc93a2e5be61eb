/**
 * The tables of the reference host: one account per tenant, with a version that guards every
 * write, the records the library works on, and an outbox of events.
 *
 * Every table is keyed by account first, so the whole schema partitions on the account: a
 * sharded or multi-region deployment routes all of an account's rows and commands to one place.
 */
import Database from "better-sqlite3";

/** A connection to a host database. */
export type Db = Database.Database;

/** The DDL, idempotent (`IF NOT EXISTS`), so opening a database twice is harmless. */
export const SCHEMA = /* sql */ `
CREATE TABLE IF NOT EXISTS accounts (
  id                    TEXT PRIMARY KEY,
  -- The snapshot version: +1 per command that changed anything. Every commit is guarded by it.
  version               INTEGER NOT NULL DEFAULT 0,
  allow_different_owners          INTEGER NOT NULL DEFAULT 0,
  update_contact_followers        INTEGER NOT NULL DEFAULT 0,
  update_opportunity_followers    INTEGER NOT NULL DEFAULT 0,
  max_followers         INTEGER NOT NULL DEFAULT 10
);

CREATE TABLE IF NOT EXISTS users (
  seq         INTEGER PRIMARY KEY,           -- the order users were added
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  id          TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1,
  role        TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
  scope       TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'assigned')),
  UNIQUE (account_id, id)
);

CREATE TABLE IF NOT EXISTS contacts (
  seq         INTEGER PRIMARY KEY,           -- creation order
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  id          TEXT NOT NULL,
  owner_id    TEXT,
  UNIQUE (account_id, id),
  FOREIGN KEY (account_id, owner_id) REFERENCES users(account_id, id)
);
CREATE INDEX IF NOT EXISTS contacts_by_owner ON contacts (account_id, owner_id);

CREATE TABLE IF NOT EXISTS opportunities (
  seq         INTEGER PRIMARY KEY,           -- creation order
  account_id  TEXT NOT NULL,
  id          TEXT NOT NULL,
  contact_id  TEXT NOT NULL,
  owner_id    TEXT,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost', 'abandoned')),
  position    INTEGER NOT NULL,              -- the opportunity's place in its contact's order
  UNIQUE (account_id, id),
  FOREIGN KEY (account_id, contact_id) REFERENCES contacts(account_id, id),
  FOREIGN KEY (account_id, owner_id) REFERENCES users(account_id, id)
);
CREATE INDEX IF NOT EXISTS opportunities_by_contact ON opportunities (account_id, contact_id, position);
CREATE INDEX IF NOT EXISTS opportunities_by_owner ON opportunities (account_id, owner_id);

CREATE TABLE IF NOT EXISTS followers (
  account_id  TEXT NOT NULL,
  record_kind TEXT NOT NULL CHECK (record_kind IN ('contact', 'opportunity')),
  record_id   TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('manual', 'automation')),
  position    INTEGER NOT NULL,              -- the follower's place in the record's list
  PRIMARY KEY (account_id, record_kind, record_id, user_id),
  FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, id)
);
CREATE INDEX IF NOT EXISTS followers_by_user ON followers (account_id, user_id);

CREATE TABLE IF NOT EXISTS rotations (
  seq         INTEGER PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  id          TEXT NOT NULL,
  picks       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, id)
);

-- The outbox: every event, written in the same transaction as the rows it describes. A relay
-- publishes rows with published_at IS NULL and then sets it; (account_id, version, seq) orders
-- them and makes each event's key unique.
CREATE TABLE IF NOT EXISTS events (
  account_id   TEXT NOT NULL REFERENCES accounts(id),
  version      INTEGER NOT NULL,             -- the account version the command produced
  seq          INTEGER NOT NULL,             -- the event's place among that command's events
  type         TEXT NOT NULL,
  cause        TEXT NOT NULL,
  command_id   TEXT,
  actor_id     TEXT,
  at           TEXT,
  payload      TEXT NOT NULL,                -- the event as JSON, exactly as the library made it
  published_at TEXT,
  PRIMARY KEY (account_id, version, seq)
);
CREATE INDEX IF NOT EXISTS events_by_command ON events (account_id, command_id) WHERE command_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_unpublished ON events (account_id, version) WHERE published_at IS NULL;
`;

/**
 * Opens (or creates) a host database: WAL, so readers never wait for the writer; a busy timeout,
 * so concurrent writers queue instead of failing; foreign keys on; the schema in place.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);
  return db;
}
