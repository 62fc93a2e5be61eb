/**
 * crm-ownership/postgres: the official PostgreSQL store, over the application's own node-postgres
 * `Pool` (or a PGlite instance; the package imports no driver). docs/integration.md shows the
 * whole flow; docs/scaling.md says why the same SQL runs on a distributed PostgreSQL.
 * @packageDocumentation
 * @module crm-ownership/postgres
 */
import type { SqlStore } from "crm-ownership";
import { jitterDelay, sleep, sqlStore, type Driver } from "../sql/sqlStore.js";
import type { Row, Steps } from "../sql/steps.js";
import { POSTGRES_MIGRATIONS } from "./migrations.js";

export { POSTGRES_MIGRATIONS } from "./migrations.js";
export type { Migration, OutboxPlace, ReadEventsOptions, RelayReport, SqlStore, UnreadableEvent } from "crm-ownership";

/**
 * What the store calls to run a statement: node-postgres clients and PGlite (and its
 * transactions) all have it.
 *
 * @example
 * ```ts
 * import type { PgQueryable } from "crm-ownership/postgres";
 *
 * declare const client: PgQueryable;
 * const { rows } = await client.query("SELECT version FROM crm_accounts WHERE id = $1", ["acct-1"]);
 * ```
 */
export interface PgQueryable {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, params?: unknown[]): Promise<{ readonly rows: unknown[] }>;
}

/**
 * A node-postgres `Pool` as the store uses it: `connect()` a client, `release()` it.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import type { PgPool } from "crm-ownership/postgres";
 *
 * const pool: PgPool = new pg.Pool({ connectionString: "postgres://crm@db.internal/crm" });
 * ```
 */
export interface PgPool {
  /** A client of the pool, for one transaction. */
  connect(): Promise<PgClient>;
}

/**
 * A client checked out of a node-postgres `Pool`.
 *
 * @example
 * ```ts
 * import type { PgPool, PgClient } from "crm-ownership/postgres";
 *
 * declare const pool: PgPool;
 * const client: PgClient = await pool.connect();
 * client.release();
 * ```
 */
export interface PgClient extends PgQueryable {
  /** Gives it back to the pool; with an error, the pool discards it. */
  release(error?: Error | boolean): void;
}

/**
 * A PGlite instance as the store uses it: `transaction(fn)` runs `fn` alone on its single
 * connection; `exec` runs several statements.
 *
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import type { PGliteLike } from "crm-ownership/postgres";
 *
 * const db: PGliteLike = new PGlite();
 * ```
 */
export interface PGliteLike {
  /** Runs `fn` in one transaction, alone on the instance's connection. */
  transaction<T>(fn: (tx: PgQueryable & { exec(text: string): Promise<unknown> }) => Promise<T>): Promise<T>;
}

/**
 * Options of `postgresStore`.
 *
 * @example
 * ```ts
 * import { postgresStore, type PgPool } from "crm-ownership/postgres";
 *
 * declare const pool: PgPool;
 * const store = postgresStore(pool, { random: () => 0.5 });
 * ```
 */
export interface PostgresStoreOptions {
  /** Randomness for the retry jitter (default `Math.random`; tests pass a seeded one). */
  readonly random?: (() => number) | undefined;
}

/** A pool client or a PGlite transaction: where a transaction's statements go. */
type Connection = PgQueryable & { exec?(text: string): Promise<unknown> };

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * The official PostgreSQL store over the application's node-postgres `Pool` (or a PGlite
 * instance). Each load is one `REPEATABLE READ, READ ONLY` transaction, so the command id's
 * outcome and every row come from one snapshot. Each commit is one transaction that first locks
 * the account's row (`SELECT … FOR UPDATE`): commits of one account queue on that row, and the
 * command-id check, the version guard and the writes all happen under it. Accounts never wait
 * for each other.
 *
 * Call `migrate()` once at start-up (concurrent calls wait for each other on an advisory lock).
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { runCommand } from "crm-ownership";
 * import { postgresStore } from "crm-ownership/postgres";
 *
 * const store = postgresStore(new pg.Pool({ connectionString: "postgres://crm@db.internal/crm" }));
 * await store.migrate();
 * const result = await runCommand(store, "acct-1", { type: "deleteContact", contactId: "acme", commandId: "req-7" }, {
 *   actor: { userId: "ana" },
 * });
 * ```
 */
export function postgresStore(db: PgPool | PGliteLike, options: PostgresStoreOptions = {}): SqlStore {
  const random = options.random ?? Math.random;
  const placeholders = new Map<string, string>();
  // The shared statements use `?`; PostgreSQL numbers them.
  const numbered = (sql: string): string => {
    let text = placeholders.get(sql);
    if (text === undefined) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      placeholders.set(sql, text);
    }
    return text;
  };
  const run = async <T>(connection: Connection, steps: Steps<T>): Promise<T> => {
    let next = steps.next();
    while (next.done !== true) {
      const result = await connection.query(numbered(next.value.sql), [...next.value.params]);
      next = steps.next(result.rows as Row[]);
    }
    return next.value;
  };

  const transaction = async <T>(mode: "read" | "write", body: (connection: Connection) => Promise<T>, rollback?: (value: T) => boolean): Promise<T> => {
    const setup = mode === "read" ? "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY" : undefined;
    if (isPGlite(db)) {
      try {
        return await db.transaction(async (tx) => {
          if (setup !== undefined) await tx.query(setup);
          const value = await body(tx);
          if (rollback?.(value) === true) throw new Rollback(value);
          return value;
        });
      } catch (error) {
        if (error instanceof Rollback) return error.value as T;
        throw error;
      }
    }
    const client = await db.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      if (setup !== undefined) await client.query(setup);
      const value = await body(client);
      await client.query(rollback?.(value) === true ? "ROLLBACK" : "COMMIT");
      return value;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (failed) {
        // A client that cannot even roll back is discarded by the pool, not reused.
        broken = failed instanceof Error ? failed : new Error(String(failed));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  };

  const driver: Driver = {
    dialect: { ids: "SELECT jsonb_array_elements_text(?::jsonb)", lock: " FOR UPDATE" },
    read: (steps) => transaction("read", (c) => run(c, steps)),
    write: (steps, rollback) => transaction("write", (c) => run(c, steps), rollback),
    // Serialisation failure and deadlock: PostgreSQL's own "try again".
    isConflict: (error) => {
      const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
      return code === "40001" || code === "40P01";
    },
    async migrate() {
      let applied = 0;
      for (const migration of POSTGRES_MIGRATIONS) {
        const done = await transaction("write", async (c) => {
          // One migrator at a time, across processes (the key is arbitrary, fixed for this package).
          await c.query("SELECT pg_advisory_xact_lock(7203119)");
          await c.query("CREATE TABLE IF NOT EXISTS crm_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
          const found = await c.query("SELECT version FROM crm_migrations WHERE version = $1", [migration.version]);
          if (found.rows.length > 0) return false;
          await (c.exec !== undefined ? c.exec(migration.sql) : c.query(migration.sql));
          await c.query("INSERT INTO crm_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
          return true;
        });
        if (done) applied++;
      }
      return applied;
    },
    pause: (attempt) => sleep(jitterDelay(attempt, random())),
  };
  return sqlStore(driver);
}

const isPGlite = (db: PgPool | PGliteLike): db is PGliteLike => typeof (db as Partial<PGliteLike>).transaction === "function";
