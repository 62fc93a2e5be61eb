/**
 * vitest global setup: one throwaway PostgreSQL server for the whole run (see scripts/pg-server.ts);
 * test files get its address with `inject("postgres")` and each creates its own database.
 */
import type { TestProject } from "vitest/node";
import { startPostgres, type PgServer } from "../../scripts/pg-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string };
  }
}

let server: PgServer | undefined;

export function setup(project: TestProject): void {
  server = startPostgres();
  project.provide("postgres", { host: server.host, port: server.port, user: server.user });
}

export function teardown(): void {
  server?.stop();
}
