/**
 * The SQLite schema, as versioned migrations (shipped in the package: `sqliteStore(db).migrate()`
 * applies those not applied yet, each in its own transaction, and records it in
 * `crm_migrations`). Never edit a released migration: add the next one. The tables are described
 * in src/stores/sql/schema.ts and docs/integration.md.
 */
import type { Migration } from "crm-ownership";
import { migrationsFor } from "../sql/schema.js";

/**
 * Every migration, oldest first (what `migrate()` applies; shown here for review or for a team
 * that runs its migrations with its own tool).
 *
 * @example
 * ```ts
 * import { SQLITE_MIGRATIONS } from "crm-ownership/sqlite";
 *
 * for (const migration of SQLITE_MIGRATIONS) console.log(migration.version, migration.name);
 * ```
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = migrationsFor({
  // SQLite: the rowid is the creation order; (account_id, id) is a unique key beside it.
  seq: "INTEGER PRIMARY KEY", key: "UNIQUE", flag: "INTEGER"
});
