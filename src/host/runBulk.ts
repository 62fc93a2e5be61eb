/**
 * Bulk work on accounts too big for one transaction: a transfer or an offboarding run as a
 * sequence of chunk commands through `runCommand`, each committed on its own, resumable after a
 * crash. docs/integration.md ("Bulk work on large accounts") explains the choices.
 */
import { parseCommand } from "../commands/command.js";
import type { DeactivateUser, TransferOwnership } from "../commands/users.js";
import { errors, InvalidSnapshotError, line, quote } from "../errors.js";
import type { CrmEvent } from "../events.js";
import { execute } from "../execute.js";
import { LIMITS } from "../limits.js";
import type { CommandContext } from "../model/actor.js";
import { createState } from "../state/createState.js";
import type { CrmState } from "../state/state.js";
import { invalidStoredData, type RunCommandError } from "./hostErrors.js";
import { recordsNeeded, type RecordsNeeded } from "./recordsNeeded.js";
import { runCommand } from "./runCommand.js";
import type { OwnedGroupsQuery, Store } from "./store.js";

/**
 * What `runBulk` runs: a `transferOwnership` (without `contactIds`) or a `deactivateUser`, with
 * a `commandId` (the bulk id) that names the whole run: chunk `k` is committed as
 * `${commandId}:chunk:${k}`, and the final `deactivateUser` under the bulk id itself.
 *
 * @example
 * ```ts
 * const bulk: BulkCommand = { type: "deactivateUser", userId: "ana", reassignTo: "ben", commandId: "offboard-ana" };
 * ```
 */
export type BulkCommand = (TransferOwnership | DeactivateUser) & { readonly commandId: string };

/**
 * Where a bulk run stands, after each chunk: `done` groups moved by this run, of `total` (those
 * moved plus those left at the last count; it grows if other commands give the user more).
 *
 * @example
 * ```ts
 * const progress: BulkProgress = { done: 500, total: 1200, chunk: 0 };
 * Math.round((100 * progress.done) / progress.total); // 42 (%)
 * ```
 */
export interface BulkProgress {
  readonly done: number;
  readonly total: number;
  /** The chunk just finished (its command id ends in `:chunk:${chunk}`). */
  readonly chunk: number;
}

/**
 * Options of `runBulk`.
 *
 * @example
 * ```ts
 * const options: RunBulkOptions = { chunkSize: 200, onProgress: ({ done, total }) => console.log(`${done}/${total}`) };
 * ```
 */
export interface RunBulkOptions {
  /** Groups per chunk (default 500, at most `LIMITS.transferContactIds`): one transaction each. */
  readonly chunkSize?: number | undefined;
  /** Called after each chunk; awaited. */
  readonly onProgress?: ((progress: BulkProgress) => void | Promise<void>) | undefined;
  /** Passed to each `runCommand` (attempts on version conflicts). */
  readonly maxAttempts?: number | undefined;
}

/**
 * What a bulk run came to.
 *
 * - `ok: true`: nothing is left to move; for an offboarding, the final `deactivateUser` is
 *   committed (`events` are its events; `duplicate` when it had been committed before). `chunks`
 *   counts the chunks this run committed, `skipped` those found committed by an earlier run.
 * - `ok: false`: the first refusal, with the `commandId` of the command refused (a chunk's, the
 *   bulk id for the final command, `undefined` for the checks before any chunk).
 *
 * @example
 * ```ts
 * declare const result: RunBulkResult;
 * if (!result.ok) console.error(result.commandId, result.error.code);
 * ```
 */
export type RunBulkResult =
  | {
      readonly ok: true;
      readonly version: number;
      readonly chunks: number;
      readonly skipped: number;
      readonly groups: number;
      readonly events: readonly CrmEvent[];
      readonly duplicate: boolean;
    }
  | { readonly ok: false; readonly error: RunCommandError; readonly commandId: string | undefined };

const DEFAULT_CHUNK = 500;
/** Chunks in a row that moved nothing (other writers got there first) before the run stops: a store whose `ownedGroups` disagrees with the rules. */
const MAX_IDLE_CHUNKS = 3;

/**
 * Runs a transfer or an offboarding of a user who owns too much for one transaction, as chunks
 * of at most `chunkSize` groups, each a `transferOwnership` with `contactIds` committed on its
 * own through `runCommand`. Each chunk takes the first groups the user **still** owns (the
 * store's `ownedGroups`, in creation order), so a rerun with the same bulk id after a crash
 * recomputes the same remaining work: chunks already committed are found by their command ids
 * and skipped, none is applied twice. An offboarding ends with the `deactivateUser` itself,
 * committed last under the bulk id, once nothing is left to move (it then only removes follows
 * and moves what other commands gave the user meanwhile). Commands from other writers between
 * chunks stay correct: each chunk is an ordinary command, version-guarded.
 *
 * The chunk moves carry cause `"transfer"`, also in an offboarding (they are transfers); the
 * final command's carry `"user-deactivated"`.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3";
 * import { runBulk } from "crm-ownership";
 * import { sqliteStore } from "crm-ownership/sqlite";
 *
 * const store = sqliteStore(new Database("crm.db"));
 * const result = await runBulk(store, "acct-1", { type: "deactivateUser", userId: "ana", reassignTo: "ben", commandId: "offboard-ana" }, {
 *   actor: { system: "offboarding" },
 * }, { chunkSize: 500, onProgress: ({ done, total }) => console.log(`${done}/${total}`) });
 * if (!result.ok) console.error(result.error.code);
 * ```
 */
export async function runBulk(
  store: Store,
  accountId: string,
  bulk: BulkCommand,
  context: CommandContext,
  options: RunBulkOptions = {},
): Promise<RunBulkResult> {
  const refused = (error: RunCommandError, commandId?: string): RunBulkResult => ({ ok: false, error, commandId });
  const parsed = parseCommand(bulk);
  if (!parsed.ok) return refused(parsed.error);
  const command = parsed.command;
  if (command.type !== "transferOwnership" && command.type !== "deactivateUser") {
    return refused(errors.invalid("type", '"transferOwnership" or "deactivateUser"'));
  }
  if (command.commandId === undefined) return refused(errors.invalid("commandId", "the bulk id (a string)"));
  if (command.type === "transferOwnership" && command.contactIds !== undefined) return refused(errors.invalid("contactIds", "absent (runBulk cuts the chunks)"));
  if (store.ownedGroups === undefined) return refused(errors.invalid("store.ownedGroups", "a store that lists a user's groups (the official stores do)"));
  const bulkId = command.commandId;
  const asked = options.chunkSize ?? DEFAULT_CHUNK;
  const chunkSize = Number.isFinite(asked) ? Math.min(LIMITS.transferContactIds, Math.max(1, Math.floor(asked))) : DEFAULT_CHUNK;
  const attempts = { maxAttempts: options.maxAttempts };

  const from = command.type === "transferOwnership" ? command.fromUserId : command.userId;
  const to = command.type === "transferOwnership" ? command.toUserId : command.reassignTo;
  const query: OwnedGroupsQuery = {
    userId: from,
    records: command.type === "transferOwnership" ? (command.records ?? "all") : "all",
    includeClosed: command.includeClosed ?? false,
    limit: chunkSize,
  };
  const chunkOf = (contactIds: readonly string[], k: number): TransferOwnership => ({
    type: "transferOwnership",
    fromUserId: from,
    toUserId: to,
    records: query.records,
    includeClosed: query.includeClosed,
    contactIds,
    commandId: `${bulkId}:chunk:${k}`,
  });

  // Before any chunk: a finished offboarding answers with its outcome; then the command is
  // checked on the users alone (unknown users, the last admin, permissions), so a bulk that
  // would be refused moves nothing.
  const probe = command.type === "deactivateUser" ? command : { ...chunkOf([], 0), commandId: undefined };
  const needed = recordsNeeded(probe, context);
  const usersOnly: RecordsNeeded = { load: "records", contactIds: [], opportunityIds: [], userIds: needed.userIds, rotationIds: [], allUsers: needed.allUsers };
  const loaded = await store.load(accountId, usersOnly, command.type === "deactivateUser" ? bulkId : undefined);
  if (loaded.found === "noAccount") return refused({ code: "ACCOUNT_NOT_FOUND", message: line(`There is no account ${quote(accountId)}.`), id: accountId });
  if (loaded.found === "outcome") {
    const o = loaded.outcome;
    return o.ok ? { ok: true, version: o.version, chunks: 0, skipped: 0, groups: 0, events: o.events, duplicate: true } : refused(o.error, bulkId);
  }
  let version = loaded.records.version ?? 0;
  let users: CrmState;
  try {
    users = createState(loaded.records);
  } catch (error) {
    /* c8 ignore next: createState reports every problem as InvalidSnapshotError */
    if (!(error instanceof InvalidSnapshotError)) throw error;
    return refused(invalidStoredData(accountId, error, loaded.records));
  }
  const checked = execute(users, { ...probe, commandId: undefined }, context);
  if (!checked.ok) return refused(checked.error);
  if (from === to) return { ok: true, version, chunks: 0, skipped: 0, groups: 0, events: [], duplicate: false };

  let chunks = 0;
  let skipped = 0;
  let done = 0;
  let idle = 0;
  for (let k = 0; ; k++) {
    const found = await store.ownedGroups(accountId, query);
    if (found.contactIds.length === 0) break;
    const chunk = chunkOf(found.contactIds, k);
    const result = await runCommand(store, accountId, chunk, context, attempts);
    if (!result.ok) return refused(result.error, chunk.commandId);
    version = Math.max(version, result.version);
    if (result.duplicate) {
      skipped++;
      continue;
    }
    chunks++;
    if (result.events.length === 0) {
      // Someone else moved these groups between the count and the chunk: count again, but not forever.
      if (++idle >= MAX_IDLE_CHUNKS) {
        return refused(errors.invalid("store.ownedGroups", "groups that a transfer moves (chunks moved nothing)"), chunk.commandId);
      }
    } else {
      idle = 0;
      done += found.contactIds.length;
    }
    await options.onProgress?.({ done, total: Math.max(done, done + found.total - found.contactIds.length), chunk: k });
  }

  if (command.type === "transferOwnership") return { ok: true, version, chunks, skipped, groups: done, events: [], duplicate: false };
  const final = await runCommand(store, accountId, command, context, attempts);
  if (!final.ok) return refused(final.error, bulkId);
  return { ok: true, version: final.version, chunks, skipped, groups: done, events: final.events, duplicate: final.duplicate };
}
