/**
 * What the two official stores share above their drivers: the `Store` calls `runCommand` makes,
 * plus account creation, whole-account reads, the outbox and its relay. A driver only runs
 * query steps in a read or a write transaction and says which errors are conflicts.
 */
// The engine by its package name, as in steps.ts: one InvalidSnapshotError and StoredDataError class.
import {
  createState,
  InvalidSnapshotError,
  invalidStoredData,
  StoredDataError,
  toRecords,
  type CommitRequest,
  type CommitResult,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
  type GroupsToRecoupleQuery,
  type LoadResult,
  type OwnedGroups,
  type OwnedGroupsQuery,
  type ReadEventsOptions,
  type RecordsNeeded,
  type OutboxPlace,
  type RelayReport,
  type SqlStore,
  type UnreadableEvent,
} from "crm-ownership";
import {
  commitSteps,
  createAccountSteps,
  eventsAfter,
  groupsOwnedSteps,
  groupsToRecoupleSteps,
  loadSteps,
  markEvent,
  pendingEvents,
  readEvent,
  readRecords,
  type Committed,
  type Dialect,
  type Query,
  type Row,
  type Steps,
} from "./steps.js";

/** How a store runs statements on its engine. @internal */
export interface Driver {
  readonly dialect: Dialect;
  /** Runs `steps` in one read transaction that sees one consistent snapshot. */
  read<T>(steps: Steps<T>): Promise<T>;
  /** Runs `steps` in one write transaction; rolls it back instead of committing when `rollback(value)`. */
  write<T>(steps: Steps<T>, rollback?: (value: T) => boolean): Promise<T>;
  /** Whether an error means "another writer was in the way": busy, serialisation failure, deadlock. */
  isConflict(error: unknown): boolean;
  /** Applies the migrations not applied yet; returns how many it applied. */
  migrate(): Promise<number>;
  /** Waits before attempt `attempt + 1`. */
  pause(attempt: number): Promise<void>;
}

const RELAY_BATCH = 100;
const one = (query: Query) =>
  (function* (): Steps<readonly Row[]> {
    return yield query;
  })();

/** Builds a store over a driver. @internal */
export function sqlStore(driver: Driver): SqlStore {
  const d = driver.dialect;
  return {
    load(accountId: string, needed: RecordsNeeded, commandId: string | undefined): Promise<LoadResult> {
      return driver.read(loadSteps(d, accountId, needed, commandId));
    },
    async commit(accountId: string, request: CommitRequest): Promise<CommitResult> {
      try {
        const done = await driver.write<Committed>(commitSteps(d, accountId, request), (c) => c.rollback);
        return done.result;
      } catch (error) {
        if (driver.isConflict(error)) return { status: "conflict" };
        throw error;
      }
    },
    pause: (attempt: number) => driver.pause(attempt),
    ownedGroups: (accountId: string, query: OwnedGroupsQuery): Promise<OwnedGroups> => driver.read(groupsOwnedSteps(accountId, query)),
    groupsToRecouple: (accountId: string, query: GroupsToRecoupleQuery): Promise<OwnedGroups> => driver.read(groupsToRecoupleSteps(accountId, query)),
    migrate: () => driver.migrate(),
    async createAccount(accountId: string, records: CrmRecordsInit): Promise<CrmState> {
      const state = createState(records);
      const created = await driver.write(createAccountSteps(accountId, state, toRecords(state)));
      if (!created) throw new Error(`Account ${JSON.stringify(accountId)} exists already.`);
      return state;
    },
    async loadAccount(accountId: string): Promise<CrmState | undefined> {
      const whole: RecordsNeeded = { load: "wholeAccount", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: false };
      const records = await driver.read(readRecords(d, accountId, whole));
      if (records === undefined) return undefined;
      try {
        return createState(records);
      } catch (error) {
        // createState reports every problem as InvalidSnapshotError.
        /* c8 ignore next */
        if (!(error instanceof InvalidSnapshotError)) throw error;
        throw new StoredDataError(invalidStoredData(accountId, error, records));
      }
    },
    async readEvents(accountId: string, options: ReadEventsOptions = {}): Promise<CrmEvent[]> {
      const after = options.afterVersion ?? 0;
      // Checked: NaN, a fraction or a string would bind as something the database compares in its own way (NaN matched nothing).
      if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`afterVersion must be a whole number from 0 to 9007199254740991; got ${typeof after === "number" ? after : typeof after}.`);
      const rows = await driver.read(one(eventsAfter(accountId, after)));
      const events: CrmEvent[] = [];
      for (const row of rows) {
        const read = readEvent(row);
        if (read.ok) events.push(read.event);
        else options.onUnreadable?.({ accountId, version: Number(row.version), seq: Number(row.seq), problem: read.problem });
      }
      return events;
    },
    async relay(accountId: string, handler: (event: CrmEvent, place: OutboxPlace) => Promise<void> | void): Promise<RelayReport> {
      let delivered = 0;
      const setAside: UnreadableEvent[] = [];
      for (;;) {
        const rows = await driver.read(one(pendingEvents(accountId, RELAY_BATCH)));
        for (const row of rows) {
          const version = Number(row.version);
          const seq = Number(row.seq);
          const read = readEvent(row);
          if (read.ok) {
            await handler(read.event, { accountId, version, seq });
            delivered++;
            await driver.write(one(markEvent(accountId, version, seq, 1, null)));
          } else {
            await driver.write(one(markEvent(accountId, version, seq, 2, read.problem)));
            setAside.push({ accountId, version, seq, problem: read.problem });
          }
        }
        if (rows.length < RELAY_BATCH) return { delivered, setAside };
      }
    },
  };
}

/**
 * Full jitter, capped: a random wait between 0 and min(cap, base · 2^attempt) ms, so writers that
 * collided spread out instead of colliding again in step. @internal
 */
export function jitterDelay(attempt: number, random: number, baseMs = 2, capMs = 100): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16)) * random;
}

/**
 * Waits `ms` milliseconds. The host's timer, reached through `globalThis`: the library is built
 * without Node or DOM types, and only the store adapters (the I/O edge) ever wait. @internal
 */
export function sleep(ms: number): Promise<void> {
  const timers = globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown };
  return new Promise((resolve) => {
    timers.setTimeout(resolve, ms);
  });
}
