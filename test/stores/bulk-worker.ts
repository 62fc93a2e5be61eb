/**
 * A process that runs one `runBulk` and prints a JSON line after each chunk (its progress), then
 * `{ "end": result }`; the parent SIGKILLs it mid-run to show that a rerun with the same bulk id
 * applies no chunk twice (bulk-recouple.test.ts). Bundled by harness.ts's `workerBundle`.
 *
 *   node bulk-worker.mjs <config.json>
 */
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { runBulk, type BulkCommand, type Store } from "../../src/index.js";
import { postgresStore } from "../../src/stores/postgres/index.js";
import { sqliteStore } from "../../src/stores/sqlite/index.js";

export interface BulkWorkerConfig {
  readonly kind: "sqlite" | "postgres";
  readonly file?: string;
  readonly pg?: { readonly host: string; readonly port: number; readonly user: string; readonly database: string };
  readonly accountId: string;
  readonly bulk: BulkCommand;
  readonly chunkSize: number;
}

const config = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as BulkWorkerConfig;
let store: Store;
let close: () => Promise<void>;
if (config.kind === "sqlite") {
  const db = new Database(config.file as string);
  store = sqliteStore(db);
  close = async () => {
    db.close();
  };
} else {
  const pool = new pg.Pool({ ...config.pg, max: 2 });
  store = postgresStore(pool);
  close = () => pool.end();
}
const result = await runBulk(store, config.accountId, config.bulk, { actor: { system: "bulk-worker" } }, {
  chunkSize: config.chunkSize,
  onProgress: (progress) => void process.stdout.write(`${JSON.stringify(progress)}\n`),
});
process.stdout.write(`${JSON.stringify({ end: result })}\n`);
await close();
