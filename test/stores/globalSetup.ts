/**
 * vitest global setup: one throwaway PostgreSQL server for the whole run (see scripts/pg-server.ts);
 * test files get its address with `inject("postgres")` and each creates its own database.
 *
 * In CI (CI=true) a server that does not start fails the run. Elsewhere, on a machine without
 * PostgreSQL, the PostgreSQL tests are skipped with a warning (`engines()` in databases.ts), so
 * the rest of the suite still runs.
 */
import type { TestProject } from "vitest/node";
import { startPostgres, type PgServer } from "../../scripts/pg-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string } | null;
  }
}

let server: PgServer | undefined;

export function setup(project: TestProject): void {
  try {
    server = startPostgres();
    project.provide("postgres", { host: server.host, port: server.port, user: server.user });
  } catch (error) {
    if (process.env["CI"] === "true") throw error;
    console.warn(`PostgreSQL did not start, so its tests are skipped (CI=true makes this an error): ${String(error).split("\n")[0]}`);
    project.provide("postgres", null);
  }
}

export function teardown(): void {
  server?.stop();
}
