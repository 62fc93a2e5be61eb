/**
 * The host loop: load → execute → commit, with optimistic concurrency.
 *
 * 1. Load what the command needs (`recordsNeeded`), in one read transaction, at version v.
 * 2. Execute it in memory (pure; no lock is held meanwhile).
 * 3. Commit in one write transaction: `UPDATE accounts SET version = v + 1 … WHERE version = v`,
 *    then only the changed rows (`changedRecords`), then the events into the outbox.
 * 4. If the guard matched no row, another writer committed first: go back to 1 (bounded).
 */
import {
  changedRecords,
  execute,
  parseCommand,
  type Command,
  type CommandContext,
  type CrmError,
  type CrmEvent,
  type CrmRecordsInit,
  type RecordChanges,
} from "../../src/index.js";
import { load } from "./load.js";
import { eventsOfCommand } from "./outbox.js";
import type { Db } from "./schema.js";
import { commit, type WriteStep } from "./write.js";

/** Test hooks: where a test makes another writer race, a write fail, or a load lose a row. */
export interface HostHooks {
  /** After executing, before the commit transaction begins: a race with another writer goes here. */
  readonly beforeCommit?: ((info: { readonly attempt: number; readonly version: number }) => void) | undefined;
  /** Inside the commit transaction, before each step: throw to simulate a crash mid-write. */
  readonly beforeWrite?: ((step: WriteStep) => void) | undefined;
  /** Changes the loaded records before `createState` (simulate a load that missed a row). */
  readonly afterLoad?: ((records: CrmRecordsInit) => CrmRecordsInit) | undefined;
}

/** Options of `handle`. */
export interface HandleOptions {
  /** How many times to load and execute before giving up on conflicts (default 5). */
  readonly maxAttempts?: number | undefined;
  readonly hooks?: HostHooks | undefined;
}

/** Errors of the host itself, besides the library's. */
export interface HostError {
  readonly code: "ACCOUNT_NOT_FOUND";
  readonly message: string;
  readonly id: string;
}

/** The outcome of `handle`. */
export type HandleResult =
  | {
      readonly ok: true;
      /** The account's version after the command. */
      readonly version: number;
      readonly events: readonly CrmEvent[];
      /** The rows written (empty for a command with no effect). */
      readonly changes: RecordChanges | undefined;
      /** Loads and executions it took (1 without a conflict). */
      readonly attempts: number;
      /** True when a command with this `commandId` was committed before: nothing was done again. */
      readonly duplicate: boolean;
    }
  | { readonly ok: false; readonly error: CrmError | HostError; readonly attempts: number };

const DEFAULT_ATTEMPTS = 5;

/**
 * Runs one command (untrusted JSON is fine: it is parsed first) against an account stored in
 * SQLite. Never leaves a command half-written: everything it writes goes in one transaction
 * guarded by the account's version. A command whose `commandId` was already committed is not run
 * again; its stored events are returned with `duplicate: true`.
 */
export function handle(db: Db, accountId: string, input: Command | unknown, context: CommandContext, options: HandleOptions = {}): HandleResult {
  const parsed = parseCommand(input);
  if (!parsed.ok) return { ok: false, error: parsed.error, attempts: 0 };
  const command = parsed.command;
  const hooks = options.hooks ?? {};
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_ATTEMPTS);

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (command.commandId !== undefined) {
      const stored = eventsOfCommand(db, accountId, command.commandId);
      const last = stored.at(-1);
      if (last !== undefined) {
        return { ok: true, version: last.version, events: stored.map((e) => e.event), changes: undefined, attempts: attempt, duplicate: true };
      }
    }
    const loaded = load(db, accountId, command, context, hooks.afterLoad);
    if (loaded === undefined) {
      return { ok: false, error: { code: "ACCOUNT_NOT_FOUND", message: `There is no account ${JSON.stringify(accountId)}.`, id: accountId }, attempts: attempt };
    }
    const before = loaded.state;
    const result = execute(before, command, context);
    if (!result.ok) return { ok: false, error: result.error, attempts: attempt };
    // No effect: nothing to write, and nothing another writer could conflict with.
    if (result.state === before) {
      return { ok: true, version: before.version, events: [], changes: undefined, attempts: attempt, duplicate: false };
    }
    const changes = changedRecords(before, result);
    hooks.beforeCommit?.({ attempt, version: before.version });
    let committed: boolean;
    try {
      committed = commit(db, { accountId, before, after: result.state, changes, events: result.events, actorId: "userId" in context.actor ? context.actor.userId : context.actor.system }, hooks.beforeWrite);
    } catch (error) {
      // Another process held the write lock past the busy timeout: treat it as a conflict.
      if (isBusy(error)) continue;
      throw error;
    }
    if (committed) {
      return { ok: true, version: result.state.version, events: result.events, changes, attempts: attempt, duplicate: false };
    }
  }
  return {
    ok: false,
    error: {
      code: "VERSION_CONFLICT",
      message: `Account ${JSON.stringify(accountId)} kept changing while the command ran: gave up after ${maxAttempts} attempts. Retry later.`,
      field: "expectedVersion",
    },
    attempts: maxAttempts,
  };
}

const isBusy = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");
