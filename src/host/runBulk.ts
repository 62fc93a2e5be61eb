/**
 * Bulk work on accounts too big for one transaction: a transfer, an offboarding or a
 * re-coupling run as a sequence of chunk commands through `runCommand`, each committed on its
 * own, resumable after a crash. docs/integration.md ("Bulk work on large accounts") explains the
 * choices.
 */
import { parseCommand } from "../commands/command.js";
import { parseContext } from "../commands/commandContext.js";
import type { RecoupleGroups, UpdateSettings } from "../commands/settings.js";
import type { DeactivateUser, TransferOwnership } from "../commands/users.js";
import { errors, InvalidSnapshotError, line, quote } from "../errors.js";
import type { CrmEvent } from "../events.js";
import { execute } from "../execute.js";
import { LIMITS } from "../limits.js";
import type { CommandContext } from "../model/actor.js";
import { createState } from "../state/createState.js";
import type { CrmState } from "../state/state.js";
import { requestFingerprint } from "./fingerprint.js";
import { commandIdReused, invalidStoredData, type RunCommandError } from "./hostErrors.js";
import { recordsNeeded, type RecordsNeeded } from "./recordsNeeded.js";
import { runParsed } from "./runCommand.js";
import type { OwnedGroups, OwnedGroupsQuery, Store } from "./store.js";

/**
 * What `runBulk` runs: a `transferOwnership` (without `contactIds`), a `deactivateUser`, or an
 * `updateSettings` turning `allowDifferentOwners` off (a re-coupling; other toggles may come
 * with it), with a `commandId` (the bulk id) that names the whole run: chunk `k` is committed
 * as `${commandId}:chunk:${k}`, and the final `deactivateUser` or `updateSettings` under the
 * bulk id itself.
 *
 * @example
 * ```ts
 * const offboarding: BulkCommand = { type: "deactivateUser", userId: "ana", reassignTo: "ben", commandId: "offboard-ana" };
 * const recoupling: BulkCommand = { type: "updateSettings", allowDifferentOwners: false, commandId: "recouple-2026-11" };
 * ```
 */
export type BulkCommand = (TransferOwnership | DeactivateUser | (UpdateSettings & { readonly allowDifferentOwners: false })) & { readonly commandId: string };

/**
 * Where a bulk run stands, after each chunk: `done` groups moved (or re-coupled) by this run, of
 * `total` (those done plus those left at the last count; it grows if other commands give the
 * user more, or split more groups).
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
  /**
   * Groups per chunk, one transaction each: default 500, from 1 to `LIMITS.transferContactIds`
   * (10,000). Brought into that range (a fraction rounded down); not a finite number: the default.
   */
  readonly chunkSize?: number | undefined;
  /** Called after each chunk; awaited. If it throws, the run stops there and throws it: a rerun with the same bulk id goes on. */
  readonly onProgress?: ((progress: BulkProgress) => void | Promise<void>) | undefined;
  /** Passed to each `runCommand` (attempts on version conflicts; below 1 runs once). */
  readonly maxAttempts?: number | undefined;
}

/**
 * What a bulk run came to.
 *
 * - `ok: true`: nothing is left to move; for an offboarding, the final `deactivateUser` is
 *   committed (`events` are its events; `duplicate` when it had been committed before). `chunks`
 *   counts the chunks this run committed and `groups` the groups they moved; `skipped` the chunks
 *   it found committed already when it came to them (by an earlier run it resumes, or one running
 *   beside it). A rerun of a finished transfer finds nothing left to do: 0, 0 and 0 (a transfer
 *   has no final command, so no `duplicate` either); of a finished offboarding or re-coupling,
 *   `duplicate: true` with the final command's events.
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
/** Chunks in a row that changed nothing (other writers got there first) before the run stops: a store whose `ownedGroups` (or `groupsToRecouple`) disagrees with the rules. */
const MAX_IDLE_CHUNKS = 3;

/**
 * Runs bulk work too big for one transaction as chunks of at most `chunkSize` groups, each an
 * ordinary command committed on its own through `runCommand`:
 *
 * - a transfer or an offboarding of a user who owns too much: each chunk a `transferOwnership`
 *   with `contactIds`, taking the first groups the user **still** owns (the store's
 *   `ownedGroups`, in creation order); an offboarding ends with the `deactivateUser` itself;
 * - a re-coupling (`updateSettings` turning `allowDifferentOwners` off): each chunk a
 *   `recoupleGroups` of the first groups that **still** need it (the store's
 *   `groupsToRecouple`), then the `updateSettings` itself, which re-couples whatever other
 *   writers split meanwhile (nothing, if the setting was off already: then it alone is committed).
 *
 * A rerun with the same bulk id after a crash recomputes the same remaining work: chunks already
 * committed are found by their command ids and skipped, none is applied twice. The rerun must be
 * the same bulk command by the same actor: any other request under the bulk id (another actor,
 * another command) is refused with `COMMAND_ID_REUSED` before it writes anything, and a run that
 * meets such a request's chunk stops there with it. The final command
 * is committed last under the bulk id, once nothing is left. Commands from other writers between
 * chunks stay correct: each chunk is an ordinary command, version-guarded.
 *
 * The chunk moves carry cause `"transfer"`, also in an offboarding (they are transfers); the
 * final command's carry `"user-deactivated"`. A re-coupling's carry `"owners-recoupled"`
 * throughout, as one `updateSettings` would.
 *
 * Returns a refusal as a value, as `runCommand` does. Throws what the store throws, and an `Error`
 * for a store that cannot run it: one without `ownedGroups` (or `groupsToRecouple`), or whose
 * list keeps naming groups the chunks do not change (three chunks in a row changed nothing). Both
 * are the host's fault, not the request's: answer them as a server error.
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
 * // Turning separate owners off on a large account, 500 groups per transaction:
 * await runBulk(store, "acct-1", { type: "updateSettings", allowDifferentOwners: false, commandId: "recouple-acct-1" }, { actor: { system: "admin-console" } });
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
  if (command.type !== "transferOwnership" && command.type !== "deactivateUser" && command.type !== "updateSettings") {
    return refused(errors.invalid("type", '"transferOwnership", "deactivateUser" or "updateSettings"'));
  }
  if (command.commandId === undefined) return refused(errors.invalid("commandId", "the bulk id (a string)"));
  const host = parseContext(context);
  if (!host.ok) return refused(host.error);
  const bulkId = command.commandId;
  // Every chunk and the final command carry the bulk's fingerprint: a resumed run finds its own
  // chunks (cut from what is left, so not the same ids), and a run of another actor or another
  // bulk under this id is refused (COMMAND_ID_REUSED) at its first chunk or at the start.
  const fingerprint = requestFingerprint(host.value.actor, command);
  const asked = options.chunkSize ?? DEFAULT_CHUNK;
  const chunkSize = Number.isFinite(asked) ? Math.min(LIMITS.transferContactIds, Math.max(1, Math.floor(asked))) : DEFAULT_CHUNK;
  const plan = planOf(store, accountId, command, bulkId, chunkSize);
  if ("error" in plan) return refused(plan.error);
  const attempts = { maxAttempts: options.maxAttempts };

  // Before any chunk: a finished run with a final command answers with its outcome (to its own
  // request only); a run another request began (its first chunk) is not this one's to go on
  // with, even with no chunk left; then the command is checked on the users alone (unknown
  // users, the last admin, permissions), so a bulk that would be refused changes nothing.
  const needed = recordsNeeded(plan.probe, host.value);
  const usersOnly: RecordsNeeded = { load: "records", contactIds: [], opportunityIds: [], userIds: needed.userIds, rotationIds: [], allUsers: needed.allUsers };
  const loaded = await store.load(accountId, usersOnly, plan.final === undefined ? undefined : bulkId);
  if (loaded.found === "noAccount") return refused({ code: "ACCOUNT_NOT_FOUND", message: line(`There is no account ${quote(accountId)}.`), id: accountId });
  if (loaded.found === "outcome") {
    if (loaded.fingerprint !== fingerprint) return refused(commandIdReused(bulkId), bulkId);
    const o = loaded.outcome;
    return o.ok ? { ok: true, version: o.version, chunks: 0, skipped: 0, groups: 0, events: o.events, duplicate: true } : refused(o.error, bulkId);
  }
  const begun = await store.load(accountId, NOTHING, chunkIdOf(bulkId, 0));
  if (begun.found === "outcome" && begun.fingerprint !== fingerprint) return refused(commandIdReused(bulkId), bulkId);
  let version = loaded.records.version ?? 0;
  let users: CrmState;
  try {
    users = createState(loaded.records);
  } catch (error) {
    /* c8 ignore next: createState reports every problem as InvalidSnapshotError */
    if (!(error instanceof InvalidSnapshotError)) throw error;
    return refused(invalidStoredData(accountId, error, loaded.records));
  }
  const checked = execute(users, { ...plan.probe, commandId: undefined }, host.value);
  if (!checked.ok) return refused(checked.error);

  let chunks = 0;
  let skipped = 0;
  let done = 0;
  let idle = 0;
  // Nothing to cut into chunks: a transfer to the same user, a re-coupling with owners coupled already.
  const chunked = command.type === "updateSettings" ? users.settings.allowDifferentOwners : !plan.noop;
  for (let k = 0; chunked; k++) {
    const found = await plan.next();
    if (found.contactIds.length === 0) break;
    const chunk = plan.chunkOf(found.contactIds, k);
    // Parsed as any body is: its groups come from the store.
    const parsedChunk = parseCommand(chunk);
    if (!parsedChunk.ok) return refused(parsedChunk.error, chunk.commandId);
    const result = await runParsed(store, accountId, parsedChunk.command, host.value, attempts, fingerprint);
    if (!result.ok) return refused(result.error, chunk.commandId);
    version = Math.max(version, result.version);
    if (result.duplicate) {
      skipped++;
      continue;
    }
    chunks++;
    if (result.events.length === 0) {
      // Someone else changed these groups between the count and the chunk: count again, but not forever.
      if (++idle >= MAX_IDLE_CHUNKS) {
        // The store's fault, not the request's: thrown, as a store's own errors are (a 500, not a 400).
        throw new Error(`runBulk: ${plan.source} keeps naming groups that the chunks do not change (${MAX_IDLE_CHUNKS} chunks in a row changed nothing, the last ${chunk.commandId}); it disagrees with the rules.`);
      }
    } else {
      idle = 0;
      done += found.contactIds.length;
    }
    await options.onProgress?.({ done, total: Math.max(done, done + found.total - found.contactIds.length), chunk: k });
  }

  if (plan.final === undefined) return { ok: true, version, chunks, skipped, groups: done, events: [], duplicate: false };
  const final = await runParsed(store, accountId, plan.final, host.value, attempts, fingerprint);
  if (!final.ok) return refused(final.error, bulkId);
  return { ok: true, version: final.version, chunks, skipped, groups: done, events: final.events, duplicate: final.duplicate };
}

/** The command id of chunk `k` of the bulk run `bulkId`. */
const chunkIdOf = (bulkId: string, k: number): string => `${bulkId}:chunk:${k}`;
/** A load that reads no record: only the stored outcome of the id it is given. */
const NOTHING: RecordsNeeded = { load: "records", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: false };

type Bulk = TransferOwnership | DeactivateUser | UpdateSettings;
type Chunk = (TransferOwnership | RecoupleGroups) & { readonly commandId: string };

/** How one kind of bulk work is cut: where its groups come from, its chunk, its checks, its end. */
interface Plan {
  /** The store method the chunks' groups come from (named when it is missing or disagrees). */
  readonly source: "store.ownedGroups" | "store.groupsToRecouple";
  /** The first groups still to do, and how many. */
  next(): Promise<OwnedGroups> | OwnedGroups;
  chunkOf(contactIds: readonly string[], k: number): Chunk;
  /** The command checked on the users alone before any chunk. */
  readonly probe: Bulk;
  /** Committed last under the bulk id; none for a transfer. */
  readonly final: Bulk | undefined;
  /** Nothing to do whatever the account holds (a transfer to the same user). */
  readonly noop: boolean;
}

/** The plan of a bulk command, or why it cannot run (the command or the store). */
function planOf(store: Store, accountId: string, command: Bulk, bulkId: string, chunkSize: number): Plan | { readonly error: RunCommandError } {
  if (command.type === "updateSettings") {
    if (command.allowDifferentOwners !== false) return { error: errors.invalid("allowDifferentOwners", "false (a re-coupling)") };
    const { groupsToRecouple } = store;
    if (groupsToRecouple === undefined) throw new TypeError("runBulk: the store has no groupsToRecouple, which a bulk re-coupling needs (the official stores have it).");
    return {
      source: "store.groupsToRecouple",
      next: () => groupsToRecouple.call(store, accountId, { limit: chunkSize }),
      chunkOf: (contactIds, k) => ({ type: "recoupleGroups", contactIds, commandId: chunkIdOf(bulkId, k) }),
      probe: command,
      final: command,
      noop: false,
    };
  }
  if (command.type === "transferOwnership" && command.contactIds !== undefined) return { error: errors.invalid("contactIds", "absent (runBulk cuts the chunks)") };
  const { ownedGroups } = store;
  if (ownedGroups === undefined) throw new TypeError("runBulk: the store has no ownedGroups, which a bulk transfer or offboarding needs (the official stores have it).");
  const from = command.type === "transferOwnership" ? command.fromUserId : command.userId;
  const to = command.type === "transferOwnership" ? command.toUserId : command.reassignTo;
  const query: OwnedGroupsQuery = {
    userId: from,
    records: command.type === "transferOwnership" ? (command.records ?? "all") : "all",
    includeClosed: command.includeClosed ?? false,
    limit: chunkSize,
  };
  const chunkOf = (contactIds: readonly string[], k: number): TransferOwnership & { readonly commandId: string } => ({
    type: "transferOwnership",
    fromUserId: from,
    toUserId: to,
    records: query.records,
    includeClosed: query.includeClosed,
    contactIds,
    commandId: chunkIdOf(bulkId, k),
  });
  return {
    source: "store.ownedGroups",
    next: () => ownedGroups.call(store, accountId, query),
    chunkOf,
    probe: command.type === "deactivateUser" ? command : { ...chunkOf([], 0), commandId: undefined },
    final: command.type === "deactivateUser" ? command : undefined,
    noop: from === to,
  };
}
