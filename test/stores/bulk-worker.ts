/**
 * A process that runs one `runBulk` and prints a JSON line after each chunk (its progress), then
 * `{ "end": result }`; the parent SIGKILLs it mid-run to show that a rerun with the same bulk id
 * applies no chunk twice (killBulkWorker.ts). Bundled by harness.ts's `workerBundle`.
 *
 *   node bulk-worker.mjs <config.json>
 */
import { readFileSync } from "node:fs";
import { runBulk, type BulkCommand } from "../../src/index.js";
import { BULK_WORKER } from "./killBulkWorker.js";
import { openWorkerStore, type WorkerConnection } from "./workerStore.js";

export interface BulkWorkerConfig extends WorkerConnection {
  readonly accountId: string;
  readonly bulk: BulkCommand;
  readonly chunkSize: number;
}

const config = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as BulkWorkerConfig;
const { store, close } = openWorkerStore(config);
const result = await runBulk(store, config.accountId, config.bulk, BULK_WORKER, {
  chunkSize: config.chunkSize,
  onProgress: (progress) => void process.stdout.write(`${JSON.stringify(progress)}\n`),
});
process.stdout.write(`${JSON.stringify({ end: result })}\n`);
await close();
