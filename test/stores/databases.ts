/**
 * Opening the stores under test: a SQLite file in a temporary folder, a fresh database on the
 * test PostgreSQL server, or an in-memory PGlite. Each comes with `sql`, raw access for tests
 * that damage stored rows on purpose, and `close`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";
import pg from "pg";
import { inject } from "vitest";
import { postgresStore } from "../../src/stores/postgres/index.js";
import type { CrmState, SqlStore } from "../../src/index.js";
import { sqliteStore } from "../../src/stores/sqlite/index.js";

export interface Opened {
  readonly store: SqlStore;
  /** Runs one statement directly (no parameters). */
  sql(statement: string): Promise<void>;
  /** Reads rows directly. */
  rows(statement: string): Promise<Record<string, unknown>[]>;
  /** What a worker process needs to open the same database. */
  readonly connection: { file?: string; pg?: { host: string; port: number; user: string; database: string } };
  close(): Promise<void>;
}

export type Engine = "sqlite" | "postgres" | "pglite";

export async function openSqlite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), "crm-sqlite-"));
  const file = join(dir, "crm.db");
  const db = new Database(file);
  return {
    store: sqliteStore(db),
    sql: async (statement) => void db.exec(statement),
    rows: async (statement) => db.prepare(statement).all() as Record<string, unknown>[],
    connection: { file },
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let databases = 0;
/** The test PostgreSQL server; throws when it did not start (its tests are skipped then: see `engines`). */
export function postgresServer(): { host: string; port: number; user: string } {
  const server = inject("postgres");
  if (server === null) throw new Error("no PostgreSQL server in this run");
  return server;
}

/** Whether this run has a PostgreSQL server (always in CI; see globalSetup.ts). */
export const hasPostgres = (): boolean => inject("postgres") !== null;

/** The engines to test: both, or SQLite alone on a machine without PostgreSQL outside CI. */
export const engines = (): Engine[] => (hasPostgres() ? ["sqlite", "postgres"] : ["sqlite"]);

export async function openPostgres(): Promise<Opened> {
  const server = postgresServer();
  const database = `crm_${process.pid}_${++databases}`;
  const admin = new pg.Client({ ...server, database: "postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const pool = new pg.Pool({ ...server, database, max: 4 });
  return {
    store: postgresStore(pool),
    sql: async (statement) => void (await pool.query(statement)),
    rows: async (statement) => (await pool.query(statement)).rows as Record<string, unknown>[],
    connection: { pg: { ...server, database } },
    close: async () => {
      await pool.end();
      const cleanup = new pg.Client({ ...server, database: "postgres" });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${database}`);
      await cleanup.end();
    },
  };
}

export async function openPGlite(): Promise<Opened> {
  const db = new PGlite();
  return {
    store: postgresStore(db),
    sql: async (statement) => void (await db.exec(statement)),
    rows: async (statement) => (await db.query(statement)).rows as Record<string, unknown>[],
    connection: {},
    close: () => db.close(),
  };
}

export const open = (engine: Engine): Promise<Opened> =>
  engine === "sqlite" ? openSqlite() : engine === "postgres" ? openPostgres() : openPGlite();

/** An account the test created, as the store loads it whole; a test fails if it is gone. */
export async function reload(db: Opened, accountId: string): Promise<CrmState> {
  const state = await db.store.loadAccount(accountId);
  if (state === undefined) throw new Error(`the account ${accountId} is gone`);
  return state;
}
