/**
 * One worker process of the multi-process tests (bundled by esbuild and run with plain node):
 * opens its own connection, sends its list of deliveries through `runCommand` from `start` on,
 * and prints one JSON line per acknowledged delivery. A delivery that gave up on conflicts is
 * sent again, as a client would. The parent may SIGKILL it at any moment.
 *
 *   node worker.mjs <config.json>
 */
import { readFileSync } from "node:fs";
import { runCommand } from "../../src/index.js";
import { dedupeOutsideTransaction } from "./broken.js";
import { openWorkerStore, type WorkerConnection } from "./workerStore.js";
import type { Delivery } from "./workload.js";

export interface WorkerConfig extends WorkerConnection {
  readonly accountId: string;
  readonly deliveries: readonly Delivery[];
  readonly start: number;
  /** Positions to send only after the parent says "go" (the other copy is sent at the same moment). */
  readonly together: readonly number[];
  readonly broken: boolean;
}

/** What a worker prints per acknowledged delivery. */
export interface Ack {
  readonly accountId: string;
  readonly position: number;
  readonly commandId: string;
  readonly ok: boolean;
  readonly version?: number;
  readonly events: number;
  readonly duplicate: boolean;
  readonly attempts: number;
  readonly sends: number;
  readonly code?: string;
}

const config = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as WorkerConfig;
const opened = openWorkerStore(config);
const store = config.broken ? dedupeOutsideTransaction(opened.store) : opened.store;
const close = opened.close;

// "go" lines from the parent, one per barrier.
const waiting: (() => void)[] = [];
let gone = 0;
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  for (const _ of chunk.split("\n").slice(0, -1)) {
    const wake = waiting.shift();
    if (wake) wake();
    else gone++;
  }
});
const go = () =>
  new Promise<void>((resolve) => {
    if (gone > 0) {
      gone--;
      resolve();
    } else waiting.push(resolve);
  });
const together = new Set(config.together);

for (let position = config.start; position < config.deliveries.length; position++) {
  const delivery = config.deliveries[position] as Delivery;
  if (together.has(position)) {
    process.stdout.write(`${JSON.stringify({ ready: position })}\n`);
    await go();
  }
  let sends = 0;
  let attempts = 0;
  for (;;) {
    sends++;
    const result = await runCommand(store, config.accountId, delivery.body, delivery.context);
    attempts += result.attempts;
    const gaveUp = !result.ok && result.error.code === "VERSION_CONFLICT" && !("expectedVersion" in result.error);
    if (gaveUp && sends < 50) continue;
    const ack: Ack = result.ok
      ? { accountId: config.accountId, position, commandId: delivery.commandId, ok: true, version: result.version, events: result.events.length, duplicate: result.duplicate, attempts, sends }
      : { accountId: config.accountId, position, commandId: delivery.commandId, ok: false, events: 0, duplicate: result.duplicate, attempts, sends, code: result.error.code };
    process.stdout.write(`${JSON.stringify(ack)}\n`);
    break;
  }
}
await close();
process.stdin.destroy();
