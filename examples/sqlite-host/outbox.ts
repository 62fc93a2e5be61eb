/**
 * Reading the outbox: the events of an account in the order they happened. A relay publishes
 * them (to a queue, webhooks, a timeline) and marks them published; the demo prints them.
 */
import type { CrmEvent } from "../../src/index.js";
import type { Db } from "./schema.js";

/** One event as the outbox holds it. */
export interface OutboxEntry {
  readonly version: number;
  readonly seq: number;
  /** The user who issued the command, when the command named one. */
  readonly actorId: string | null;
  readonly publishedAt: string | null;
  readonly event: CrmEvent;
}

interface EventRow {
  version: number;
  seq: number;
  actor_id: string | null;
  published_at: string | null;
  payload: string;
}

const toEntry = (row: EventRow): OutboxEntry => ({
  version: row.version,
  seq: row.seq,
  actorId: row.actor_id,
  publishedAt: row.published_at,
  event: JSON.parse(row.payload) as CrmEvent,
});

/** The account's events after `afterVersion` (default: all of them), oldest first. */
export function readEvents(db: Db, accountId: string, afterVersion = 0): OutboxEntry[] {
  return db
    .prepare<[string, number], EventRow>(
      `SELECT version, seq, actor_id, published_at, payload FROM events
        WHERE account_id = ? AND version > ? ORDER BY version, seq`,
    )
    .all(accountId, afterVersion)
    .map(toEntry);
}

/** The events a command with this `commandId` produced (empty when it was never committed). */
export function eventsOfCommand(db: Db, accountId: string, commandId: string): OutboxEntry[] {
  return db
    .prepare<[string, string], EventRow>(
      `SELECT version, seq, actor_id, published_at, payload FROM events
        WHERE account_id = ? AND command_id = ? ORDER BY version, seq`,
    )
    .all(accountId, commandId)
    .map(toEntry);
}

/**
 * A relay's step: the unpublished events, oldest first, handed to `publish`, then marked published
 * in the same transaction. If `publish` throws, none are marked, and the next run sends them again
 * (at-least-once: consumers deduplicate on `(accountId, version, seq)`).
 */
export function relay(db: Db, accountId: string, publish: (entries: readonly OutboxEntry[]) => void, now: string): number {
  return db.transaction(() => {
    const entries = db
      .prepare<[string], EventRow>(
        `SELECT version, seq, actor_id, published_at, payload FROM events
          WHERE account_id = ? AND published_at IS NULL ORDER BY version, seq`,
      )
      .all(accountId)
      .map(toEntry);
    if (entries.length === 0) return 0;
    publish(entries);
    db.prepare<[string, string]>(`UPDATE events SET published_at = ? WHERE account_id = ? AND published_at IS NULL`).run(now, accountId);
    return entries.length;
  }).immediate();
}
