/**
 * The multi-process workload: seeded random commands and contexts (the host tests' stream, see
 * host-random.ts) as request bodies with a `commandId`, laid out in one list per worker, with
 * duplicates of one command placed at the same position in two workers' lists (so two processes
 * send it at the same moment) and now and then a late copy further down.
 */
import type { CommandContext, CrmRecordsInit } from "../../src/index.js";
import { initialRecords, prng, randomCommand, randomContext, type Rng } from "../host-random.js";

/** One delivery: the body as a client sends it (with its commandId) and who acts. */
export interface Delivery {
  readonly commandId: string;
  readonly body: Record<string, unknown>;
  readonly context: CommandContext;
}

export interface Workload {
  readonly initial: CrmRecordsInit;
  /** One list per worker. */
  readonly lists: readonly (readonly Delivery[])[];
  /** Positions where two lists hold the same command: those two workers send it at the same moment. */
  readonly together: ReadonlyMap<number, readonly [number, number]>;
  /** Deliveries in all (copies included) and copies planted. */
  readonly deliveries: number;
  readonly copies: number;
}

function delivery(rng: Rng, id: string): Delivery {
  const command = randomCommand(rng, 0) as unknown as Record<string, unknown>;
  return { commandId: id, body: { ...command, commandId: id }, context: randomContext(rng) };
}

/**
 * A command that changes the account every time it runs (the rotation moves on), so a copy
 * applied twice shows in the outbox; most commands run twice in a row change nothing the second
 * time, which hides a broken dedupe.
 */
const rotating = (id: string): Delivery => ({
  commandId: id,
  body: { type: "assignUser", contactId: "c1", rotationId: "r1", users: [{ userId: "ana" }, { userId: "ben" }, { userId: "cleo" }], commandId: id },
  context: { actor: { system: "router" } },
});

/**
 * `perWorker` positions for each of `workers` lists; about `dupRate` of positions per worker
 * carry a copy in a second list. With `rotatingCopies`, the copied commands are rotation
 * assignments (see `rotating`).
 */
export function workload(
  seed: number,
  workers: number,
  perWorker: number,
  options: { readonly dupRate?: number; readonly lateRate?: number; readonly rotatingCopies?: boolean; readonly accounts?: number } = {},
): Workload {
  // Worker i writes to account i mod accounts: a copy goes to another worker of the same account.
  const accounts = options.accounts ?? 1;
  const peers = Math.floor(workers / accounts);
  const dupRate = options.dupRate ?? 0.15;
  const lateRate = options.lateRate ?? 0.03;
  const rng = prng(seed);
  const initial = initialRecords(rng);
  const lists: Delivery[][] = Array.from({ length: workers }, () => []);
  const together = new Map<number, readonly [number, number]>();
  let copies = 0;
  let next = 0;
  for (let p = 0; p < perWorker; p++) {
    for (const list of lists) {
      const d = delivery(rng, `cmd-${seed}-${next++}`);
      list.push(d);
    }
    if (peers > 1 && rng.chance(dupRate * workers)) {
      // The same command, at the same position, in two lists: two processes send it together.
      const a = rng.int(workers);
      const b = (a + accounts * (1 + rng.int(peers - 1))) % workers;
      if (options.rotatingCopies === true) (lists[a] as Delivery[])[p] = rotating(`cmd-${seed}-${next++}`);
      (lists[b] as Delivery[])[p] = (lists[a] as Delivery[])[p] as Delivery;
      together.set(p, [a, b]);
      copies++;
    } else if (p > 5 && rng.chance(lateRate * workers)) {
      // A late copy (a redelivered queue message): an earlier command of the same account again.
      const target = rng.int(workers);
      const list = lists[target] as Delivery[];
      const from = lists[(target + accounts * rng.int(peers)) % workers] as Delivery[];
      list[p] = from[rng.int(p)] as Delivery;
      copies++;
    }
  }
  return { initial, lists, together, deliveries: workers * perWorker, copies };
}
