/**
 * The types of the official stores (`crm-ownership/sqlite`, `crm-ownership/postgres`), in the main
 * entry so that both store entries share one declaration of each (types only: no code).
 */
import type { CrmEvent } from "../events.js";
import type { GroupsToRecoupleQuery, OwnedGroups, OwnedGroupsQuery, Store } from "../host/store.js";
import type { CrmRecordsInit } from "../model/records.js";
import type { CrmState } from "../state/state.js";

/**
 * One migration: its number and the statements it runs.
 *
 * @example
 * ```ts
 * import { SQLITE_MIGRATIONS, type Migration } from "crm-ownership/sqlite";
 *
 * const latest: Migration | undefined = SQLITE_MIGRATIONS.at(-1);
 * latest?.version; // the schema version a migrated database is at
 * ```
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Where an event is in the outbox: the key a consumer deduplicates on, since `relay` delivers at
 * least once. `relay` gives it to its handler beside each event.
 *
 * @example
 * ```ts
 * import type { OutboxPlace } from "crm-ownership/sqlite";
 *
 * const place: OutboxPlace = { accountId: "acct-1", version: 12, seq: 0 };
 * const key = `${place.accountId}/${place.version}/${place.seq}`; // unique per event
 * ```
 */
export interface OutboxPlace {
  readonly accountId: string;
  /** The account version of the command that wrote it. */
  readonly version: number;
  /** Its place among that command's events. */
  readonly seq: number;
}

/**
 * An outbox row that is not a readable event (truncated JSON, not an object, a version that does
 * not match its row): set aside by `relay`, skipped by `readEvents`, and reported by both.
 *
 * @example
 * ```ts
 * import type { UnreadableEvent } from "crm-ownership/postgres";
 *
 * const problem: UnreadableEvent = { accountId: "acct-1", version: 12, seq: 0, problem: "Unexpected end of JSON input" };
 * ```
 */
export interface UnreadableEvent {
  readonly accountId: string;
  /** The account version of the command that wrote it. */
  readonly version: number;
  /** Its place among that command's events. */
  readonly seq: number;
  /** Why it could not be read. */
  readonly problem: string;
}

/**
 * Options of `readEvents`.
 *
 * @example
 * ```ts
 * import type { ReadEventsOptions } from "crm-ownership/sqlite";
 *
 * const options: ReadEventsOptions = { afterVersion: 41, onUnreadable: (problem) => console.warn(problem) };
 * ```
 */
export interface ReadEventsOptions {
  /** Only events of versions after this one (default 0: all of them). A whole number: anything else is a `RangeError`. */
  readonly afterVersion?: number | undefined;
  /** Called for each outbox row that is not a readable event (it is skipped). */
  readonly onUnreadable?: ((problem: UnreadableEvent) => void) | undefined;
}

/**
 * What a call of `relay` did.
 *
 * @example
 * ```ts
 * import type { RelayReport } from "crm-ownership/postgres";
 *
 * const report: RelayReport = { delivered: 3, setAside: [] };
 * ```
 */
export interface RelayReport {
  /** Events handed to the handler (and recorded as relayed). */
  readonly delivered: number;
  /** Outbox rows that could not be read: set aside (never handed out again) and reported here. */
  readonly setAside: readonly UnreadableEvent[];
}

/**
 * An official store: the `Store` that `runCommand` drives, plus what a host needs around it.
 *
 * @example
 * ```ts
 * import type { SqlStore } from "crm-ownership/sqlite";
 *
 * declare const store: SqlStore;
 * await store.migrate();
 * await store.createAccount("acct-1", { users: [{ id: "ana" }], contacts: [], opportunities: [] });
 * const report = await store.relay("acct-1", async (event) => {
 *   event.version; // publish it: to a queue, webhooks, a timeline
 * });
 * report.delivered;
 * ```
 */
export interface SqlStore extends Store {
  /** Creates or updates the schema: applies the shipped migrations not applied yet (running it twice is harmless). Returns how many it applied. */
  migrate(): Promise<number>;
  /** The first groups a user owns something of, and how many (`runBulk` cuts its chunks from them). */
  ownedGroups(accountId: string, query: OwnedGroupsQuery): Promise<OwnedGroups>;
  /** The first groups turning separate owners off would change, and how many (`runBulk` re-couples in chunks of them). */
  groupsToRecouple(accountId: string, query: GroupsToRecoupleQuery): Promise<OwnedGroups>;
  /**
   * Creates an account from plain records (checked by `createState` first: throws
   * `InvalidSnapshotError` for records it refuses). Its version is the records' (0 unless they
   * say otherwise). Throws when the account exists already.
   */
  createAccount(accountId: string, records: CrmRecordsInit): Promise<CrmState>;
  /** The whole account as a snapshot; `undefined` when there is none; throws `StoredDataError` naming the record when stored rows are invalid. */
  loadAccount(accountId: string): Promise<CrmState | undefined>;
  /** The outbox in order (each event carries its `version`, `actor`, `commandId` and `at`); unreadable rows are skipped and reported to `onUnreadable`. */
  readEvents(accountId: string, options?: ReadEventsOptions): Promise<CrmEvent[]>;
  /**
   * Hands the events not relayed yet to `handler`, one at a time, in order, and records each as
   * relayed once the handler's promise resolves: at least once (a crash between the two hands it
   * out again; consumers deduplicate on its `place`, given beside it, or on the event as a whole).
   * A second call after a completed one delivers nothing. An unreadable row is set aside,
   * reported, and passed over. If `handler` throws, the relay stops there and throws it; the
   * next call starts with that event.
   */
  relay(accountId: string, handler: (event: CrmEvent, place: OutboxPlace) => Promise<void> | void): Promise<RelayReport>;
}

