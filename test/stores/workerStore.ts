/** How a worker process (worker.ts, bulk-worker.ts) opens its own connection to the store under test. */
import Database from "better-sqlite3";
import pg from "pg";
import type { Store } from "../../src/index.js";
import { postgresStore } from "../../src/stores/postgres/index.js";
import { sqliteStore } from "../../src/stores/sqlite/index.js";

export interface WorkerConnection {
  readonly kind: "sqlite" | "postgres";
  readonly file?: string;
  readonly pg?: { readonly host: string; readonly port: number; readonly user: string; readonly database: string };
}

/** The store on a connection of this process's own, and how to close it. */
export function openWorkerStore(config: WorkerConnection): { store: Store; close: () => Promise<void> } {
  if (config.kind === "sqlite") {
    const db = new Database(config.file as string);
    return {
      store: sqliteStore(db),
      close: async () => {
        db.close();
      },
    };
  }
  const pool = new pg.Pool({ ...config.pg, max: 2 });
  return { store: postgresStore(pool), close: () => pool.end() };
}
