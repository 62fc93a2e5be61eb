/**
 * The PostgreSQL schema, as versioned migrations (shipped in the package:
 * `postgresStore(pool).migrate()` applies those not applied yet, each in its own transaction
 * under an advisory lock, so two processes migrating at once wait for each other, and records it
 * in `crm_migrations`). Never edit a released migration: add the next one. The tables are
 * described in src/stores/sql/schema.ts and docs/integration.md.
 */
import { migrationsFor } from "../sql/schema.js";
import type { Migration } from "crm-ownership";

/**
 * Every migration, oldest first (what `migrate()` applies; shown here for review or for a team
 * that runs its migrations with its own tool).
 *
 * @example
 * ```ts
 * import { POSTGRES_MIGRATIONS } from "crm-ownership/postgres";
 *
 * for (const migration of POSTGRES_MIGRATIONS) console.log(migration.version, migration.name);
 * ```
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = migrationsFor({
  // PostgreSQL: a primary key on (account_id, id), so that a distributed PostgreSQL can shard by account (docs/scaling.md).
  seq: "BIGINT GENERATED ALWAYS AS IDENTITY", key: "PRIMARY KEY", flag: "SMALLINT"
});
