/**
 * crm-ownership/sqlite: the official SQLite store, over the application's own better-sqlite3
 * `Database` (the package imports no driver). `runCommand(sqliteStore(db), …)` runs commands
 * exactly once per `commandId`, from any number of processes sharing the database file.
 * docs/integration.md shows the whole flow.
 * @packageDocumentation
 * @module crm-ownership/sqlite
 */
import type { SqlStore } from "crm-ownership";
import { jitterDelay, sleep, sqlStore, type Driver } from "../sql/sqlStore.js";
import type { Row, Steps } from "../sql/steps.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";

export { SQLITE_MIGRATIONS } from "./migrations.js";
export type { Migration, OutboxPlace, ReadEventsOptions, RelayReport, SqlStore, UnreadableEvent } from "crm-ownership";

/**
 * What the store calls on a better-sqlite3 statement (declared here so the package imports no
 * driver).
 *
 * @example
 * ```ts
 * import type { SqliteStatement } from "crm-ownership/sqlite";
 *
 * declare const statement: SqliteStatement;
 * statement.reader; // true for a statement that returns rows
 * ```
 */
export interface SqliteStatement {
  /** Whether the statement returns rows (a SELECT, or a write with RETURNING). */
  readonly reader: boolean;
  /** Runs it and returns every row. */
  all(...params: unknown[]): unknown[];
  /** Runs a statement that returns no rows. */
  run(...params: unknown[]): unknown;
}

/**
 * What the store calls on a better-sqlite3 `Database`: `prepare` and `exec`, nothing else. A
 * `Database` from better-sqlite3 12 is one.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3";
 * import type { SqliteDatabase } from "crm-ownership/sqlite";
 *
 * const db: SqliteDatabase = new Database("crm.db");
 * ```
 */
export interface SqliteDatabase {
  /** Compiles one statement (the store keeps each for the life of the store). */
  prepare(source: string): SqliteStatement;
  /** Runs statements without parameters: pragmas, BEGIN/COMMIT, migrations. */
  exec(source: string): unknown;
}

/**
 * Options of `sqliteStore`.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3";
 * import { sqliteStore } from "crm-ownership/sqlite";
 *
 * const store = sqliteStore(new Database("crm.db"), { busyTimeoutMs: 10_000 });
 * ```
 */
export interface SqliteStoreOptions {
  /** How long a writer waits for another process's write lock before it counts as a conflict (default 5000 ms). */
  readonly busyTimeoutMs?: number | undefined;
  /** Randomness for the retry jitter (default `Math.random`; tests pass a seeded one). */
  readonly random?: (() => number) | undefined;
}

/**
 * The official SQLite store over the application's better-sqlite3 `Database`. It sets WAL (readers
 * never wait for the writer) and a busy timeout (writers of other processes queue instead of
 * failing) on the connection itself. Each load is one read transaction (one snapshot); each
 * commit one `BEGIN IMMEDIATE` transaction, which serialises writers, checks the command id and
 * the version, and writes rows, events and the outcome together.
 *
 * Use one `Database` per process (better-sqlite3 is synchronous: a transaction never interleaves
 * with another call on the same connection). Call `migrate()` once at start-up.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3";
 * import { runCommand } from "crm-ownership";
 * import { sqliteStore } from "crm-ownership/sqlite";
 *
 * const store = sqliteStore(new Database("crm.db"));
 * await store.migrate();
 * await store.createAccount("acct-1", { users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
 * const result = await runCommand(store, "acct-1", { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "req-1" }, {
 *   actor: { system: "import" },
 * });
 * ```
 */
export function sqliteStore(db: SqliteDatabase, options: SqliteStoreOptions = {}): SqlStore {
  const busy = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  const random = options.random ?? Math.random;
  db.exec(`PRAGMA busy_timeout = ${busy}`);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");

  const cache = new Map<string, SqliteStatement>();
  const prepared = (sql: string): SqliteStatement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const run = <T>(steps: Steps<T>): T => {
    let next = steps.next();
    while (next.done !== true) {
      const statement = prepared(next.value.sql);
      const params = next.value.params;
      let rows: readonly Row[] = [];
      if (statement.reader) rows = statement.all(...params) as Row[];
      else statement.run(...params);
      next = steps.next(rows);
    }
    return next.value;
  };
  // After a failed statement SQLite may have rolled back already; the first error is the one to report.
  const rollbackQuietly = () => {
    try {
      db.exec("ROLLBACK");
    } catch {
      /* no transaction left to roll back */
    }
  };
  // The whole transaction runs synchronously: nothing else on this connection can slip into it.
  const transaction = <T>(begin: string, steps: Steps<T>, rollback?: (value: T) => boolean): T => {
    db.exec(begin);
    let value: T;
    try {
      value = run(steps);
    } catch (error) {
      rollbackQuietly();
      throw error;
    }
    db.exec(rollback?.(value) === true ? "ROLLBACK" : "COMMIT");
    return value;
  };

  const driver: Driver = {
    dialect: { ids: "SELECT value FROM json_each(?)", lock: "" },
    read: async (steps) => transaction("BEGIN", steps),
    write: async (steps, rollback) => transaction("BEGIN IMMEDIATE", steps, rollback),
    isConflict: (error) =>
      typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string" && /^SQLITE_(BUSY|LOCKED)/.test((error as { code: string }).code),
    async migrate() {
      db.exec("CREATE TABLE IF NOT EXISTS crm_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      let applied = 0;
      for (const migration of SQLITE_MIGRATIONS) {
        db.exec("BEGIN IMMEDIATE");
        try {
          const done = prepared("SELECT version FROM crm_migrations WHERE version = ?").all(migration.version).length > 0;
          if (!done) {
            db.exec(migration.sql);
            prepared("INSERT INTO crm_migrations (version, name) VALUES (?, ?)").run(migration.version, migration.name);
            applied++;
          }
          db.exec("COMMIT");
        } catch (error) {
          rollbackQuietly();
          throw error;
        }
      }
      return applied;
    },
    pause: (attempt) => sleep(jitterDelay(attempt, random())),
  };
  return sqlStore(driver);
}
