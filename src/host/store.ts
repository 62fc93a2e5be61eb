/**
 * The storage interface `runCommand` drives: two async calls, `load` and `commit`, that a team
 * can implement over its own schema. The official stores (`crm-ownership/sqlite`,
 * `crm-ownership/postgres`) implement it; docs/integration.md says how to write another.
 */
import type { CrmError } from "../errors.js";
import type { CrmEvent } from "../events.js";
import type { CrmRecordsInit } from "../model/records.js";
import type { CrmState } from "../state/state.js";
import type { RecordChanges } from "./changedRecords.js";
import type { RecordsNeeded } from "./recordsNeeded.js";

/**
 * What a command with a `commandId` came to, as the store keeps it: committed (the version it
 * made and its events; no events for a command that changed nothing), or refused.
 *
 * @example
 * ```ts
 * const first: StoredOutcome = { ok: true, version: 7, events: [] }; // a command that changed nothing at version 7
 * const refused: StoredOutcome = {
 *   ok: false,
 *   error: { code: "CONTACT_NOT_FOUND", message: "Contact \"acme\" is not in the snapshot.", id: "acme" },
 * };
 * ```
 */
export type StoredOutcome =
  | { readonly ok: true; readonly version: number; readonly events: readonly CrmEvent[] }
  | { readonly ok: false; readonly error: CrmError };

/**
 * What `Store.load` read, in one consistent snapshot of the account.
 *
 * @example
 * ```ts
 * declare const loaded: LoadResult;
 * if (loaded.found === "outcome") loaded.outcome; // a command with this id ran before: its outcome, for the same request only (loaded.fingerprint)
 * else if (loaded.found === "records") createState(loaded.records);
 * ```
 */
export type LoadResult =
  /** There is no such account. */
  | { readonly found: "noAccount" }
  /**
   * A command with this `commandId` has an outcome already (nothing else was read), and the
   * fingerprint stored with it (`undefined` if it was stored without one).
   */
  | { readonly found: "outcome"; readonly outcome: StoredOutcome; readonly fingerprint: string | undefined }
  /** The rows `recordsNeeded` names, as plain records for `createState` (their `version` is the account's). */
  | { readonly found: "records"; readonly records: CrmRecordsInit };

/**
 * What `Store.commit` must write, in one transaction.
 *
 * - `change`: the changed rows (`changes`), the events, the account's new version
 *   (`after.version`) guarded by the version the command ran on (`before.version`), and, when
 *   there is a `commandId`, that command's outcome.
 * - `outcome`: only the outcome of a command that changed nothing or was refused, so a later copy
 *   of the command gets the same answer. No version guard: the outcome was decided on a
 *   consistent snapshot and writes no record.
 *
 * With a `commandId`, the store keeps `fingerprint` beside the outcome and gives it back with it
 * (`LoadResult`'s and `CommitResult`'s `fingerprint`): who sent the command and what it said, so
 * that `runCommand` refuses another request with the same id (`COMMAND_ID_REUSED`) rather than
 * answering it with this one's outcome. An outcome given back without one is answered to nobody.
 * Opaque: store it as it is (a string of at most a few hundred characters).
 *
 * @example
 * ```ts
 * const request: CommitRequest = { kind: "outcome", commandId: "cmd-1", fingerprint: "v1:user:ana#0f3c9a…", outcome: { ok: true, version: 3, events: [] } };
 * request.kind; // "outcome"
 * ```
 */
export type CommitRequest =
  | {
      readonly kind: "change";
      readonly commandId: string | undefined;
      /** Who sent it and what it said, to keep beside its outcome; `undefined` without a `commandId`. */
      readonly fingerprint: string | undefined;
      /** The snapshot the command ran on: `before.version` guards the write. */
      readonly before: CrmState;
      /** The snapshot it produced. */
      readonly after: CrmState;
      /** The rows to write: `changedRecords(before, result)`. */
      readonly changes: RecordChanges;
      /** The events, in order, for the outbox. */
      readonly events: readonly CrmEvent[];
    }
  | { readonly kind: "outcome"; readonly commandId: string; readonly fingerprint: string; readonly outcome: StoredOutcome };

/**
 * What `Store.commit` did.
 *
 * @example
 * ```ts
 * declare const result: CommitResult;
 * if (result.status === "duplicate") result.outcome; // a command with this id got there first (runCommand compares result.fingerprint)
 * ```
 */
export type CommitResult =
  /** Everything was written. */
  | { readonly status: "committed" }
  /** The account's version moved on since the load (or the database was busy): nothing was written; load and run again. */
  | { readonly status: "conflict" }
  /** A command with this `commandId` has an outcome already: nothing was written; here is that outcome, and the fingerprint stored with it. */
  | { readonly status: "duplicate"; readonly outcome: StoredOutcome; readonly fingerprint: string | undefined }
  /** A record the command creates has a row already (one the load could not see, e.g. an orphaned opportunity): nothing was written. */
  | { readonly status: "exists"; readonly kind: "contact" | "opportunity"; readonly id: string };

/**
 * The storage `runCommand` works on. Its methods may return promises (any real database) or plain
 * values (a synchronous driver such as better-sqlite3, or memory); the library calls nothing else
 * and does no I/O of its own. The rules an implementation must keep (the official stores keep them,
 * and `examples/custom-store/memoryStore.ts`, shipped in the package, is a whole small one):
 *
 * - `load` reads in **one consistent snapshot** (one read transaction; REPEATABLE READ on
 *   PostgreSQL): first the stored outcome of `commandId` and its fingerprint, if any; else the account's version and
 *   settings and the records `needed` names (see `RecordsNeeded`), each contact with all of its
 *   opportunities in its own order, and every user those records name.
 * - `commit` runs in **one transaction** that first serialises with every other commit of the
 *   account (lock its row: `SELECT … FOR UPDATE`, SQLite's `BEGIN IMMEDIATE`), then checks
 *   `commandId` against the stored outcomes (a unique key on account + command id) **inside that
 *   transaction**, then the version guard, then writes (with the outcome, the request's
 *   `fingerprint`). A failure anywhere writes nothing.
 * - `pause` (optional) waits before attempt `attempt + 1` after a conflict: a short random delay
 *   (jitter), so writers that collided do not collide again in step. Without it, `runCommand`
 *   retries at once. It lives in the store because the library has no clock and no randomness.
 *
 * @example
 * ```ts
 * // A store that keeps one account in memory (tests; see docs/integration.md for a real one).
 * declare const memory: Store;
 * const result = await runCommand(memory, "acct-1", { type: "createContact", contactId: "acme", ownerId: null }, { actor: { system: "import" } });
 * ```
 */
export interface Store {
  /** Reads what a command needs, or the stored outcome of its `commandId`, in one consistent snapshot. */
  load(accountId: string, needed: RecordsNeeded, commandId: string | undefined): Promise<LoadResult> | LoadResult;
  /** Writes one command's rows, events and outcome in one transaction, or nothing. */
  commit(accountId: string, request: CommitRequest): Promise<CommitResult> | CommitResult;
  /** Waits a little (with jitter) before attempt `attempt + 1` after a conflict. */
  pause?(attempt: number): Promise<void> | void;
  /**
   * The first `limit` groups (contact ids, in creation order) that hold something a transfer
   * from `query.userId` would move, and how many there are: what `runBulk` cuts its chunks from.
   * Optional: only `runBulk` calls it (the official stores have it).
   */
  ownedGroups?(accountId: string, query: OwnedGroupsQuery): Promise<OwnedGroups> | OwnedGroups;
  /**
   * The first `limit` groups (contact ids, in creation order) that turning separate owners off
   * would change (those `load: "recoupling"` loads: a split group, or one with an `automation`
   * follow), and how many there are: what `runBulk` cuts a re-coupling's chunks from.
   * Optional: only `runBulk` calls it (the official stores have it).
   */
  groupsToRecouple?(accountId: string, query: GroupsToRecoupleQuery): Promise<OwnedGroups> | OwnedGroups;
}

/**
 * How many groups `Store.groupsToRecouple` returns at most.
 *
 * @example
 * ```ts
 * const query: GroupsToRecoupleQuery = { limit: 500 };
 * ```
 */
export interface GroupsToRecoupleQuery {
  /** At most this many contact ids. */
  readonly limit: number;
}

/**
 * Which groups `Store.ownedGroups` looks for: those where `userId` owns the contact (unless
 * `records` is `"opportunities"`) or an opportunity (unless `records` is `"contacts"`; open ones
 * only unless `includeClosed`): exactly the groups a `transferOwnership` with the same fields
 * changes.
 *
 * @example
 * ```ts
 * const query: OwnedGroupsQuery = { userId: "ana", records: "all", includeClosed: false, limit: 500 };
 * ```
 */
export interface OwnedGroupsQuery {
  readonly userId: string;
  readonly records: "contacts" | "opportunities" | "all";
  readonly includeClosed: boolean;
  /** At most this many contact ids. */
  readonly limit: number;
}

/**
 * What `Store.ownedGroups` (or `Store.groupsToRecouple`) found, read in one snapshot.
 *
 * @example
 * ```ts
 * const found: OwnedGroups = { contactIds: ["acme", "globex"], total: 1200 }; // the first two of 1,200 groups
 * ```
 */
export interface OwnedGroups {
  /** The first groups, by their contact's creation order. */
  readonly contactIds: readonly string[];
  /** How many groups there are in all. */
  readonly total: number;
}
