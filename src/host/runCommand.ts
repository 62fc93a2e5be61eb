/**
 * The host loop every application needs, written once: parse → load → execute → commit, exactly
 * once per `commandId`, over any `Store`. docs/integration.md walks through it.
 */
import { parseCommand, type Command } from "../commands/command.js";
import { parseContext } from "../commands/commandContext.js";
import { errors, InvalidSnapshotError, line, quote, type CrmError } from "../errors.js";
import type { CrmEvent } from "../events.js";
import { execute } from "../execute.js";
import type { CommandContext } from "../model/actor.js";
import { createState } from "../state/createState.js";
import type { CrmState } from "../state/state.js";
import { changedRecords } from "./changedRecords.js";
import { requestFingerprint } from "./fingerprint.js";
import { commandIdReused, invalidStoredData, type RunCommandError } from "./hostErrors.js";
import { recordsNeeded } from "./recordsNeeded.js";
import type { CommitRequest, CommitResult, Store, StoredOutcome } from "./store.js";

/**
 * Options of `runCommand`.
 *
 * @example
 * ```ts
 * declare const store: Store;
 * const options: RunCommandOptions = { maxAttempts: 3 };
 * await runCommand(store, "acct-1", { type: "deleteContact", contactId: "acme" }, { actor: { userId: "ana" } }, options);
 * ```
 */
export interface RunCommandOptions {
  /** How many times to load and execute before giving up on version conflicts (default 10). */
  readonly maxAttempts?: number | undefined;
}

/**
 * The outcome of `runCommand`.
 *
 * - `ok: true`: committed (or a command that changed nothing): the account's version after it
 *   and its events. `duplicate: true` when a copy of the command (same `commandId`, same actor,
 *   same command) was handled before: nothing was done again, and this is that copy's outcome,
 *   same version and events.
 * - `ok: false`: refused (a `CrmError`, final), or the account is missing, or stored rows are
 *   invalid, or the account kept changing (`VERSION_CONFLICT` after every attempt: retry later).
 *
 * `attempts` counts loads (1 without a conflict; 0 when the body did not parse).
 *
 * @example
 * ```ts
 * declare const result: RunCommandResult;
 * if (result.ok) result.events.map((e) => e.type);
 * else result.error.code; // "FORBIDDEN", "ACCOUNT_NOT_FOUND", "INVALID_STORED_DATA", …
 * ```
 */
export type RunCommandResult =
  | {
      readonly ok: true;
      readonly version: number;
      readonly events: readonly CrmEvent[];
      readonly duplicate: boolean;
      readonly attempts: number;
    }
  | { readonly ok: false; readonly error: RunCommandError; readonly duplicate: boolean; readonly attempts: number };

const DEFAULT_ATTEMPTS = 10;

/**
 * Runs one command, given as untrusted JSON, against an account in `store`, exactly once per
 * `commandId`:
 *
 * 1. parses `body` (`INVALID_COMMAND` naming the field, nothing read);
 * 2. loads what `recordsNeeded` names, in one consistent read — or, when a command with this
 *    `commandId` has an outcome already, returns it with `duplicate: true` if it is the same
 *    request (the same actor and the same command; `context.at` may differ), and refuses any
 *    other with `COMMAND_ID_REUSED`, telling nothing of the first (a `commandId` comes from the
 *    request: anyone can send one that is taken);
 * 3. executes it with `context` (who acts, and when);
 * 4. commits the changed rows, the events and the outcome (with the request's fingerprint) in
 *    one transaction guarded by the version it loaded; the store checks `commandId` **inside**
 *    that transaction, so two copies delivered at once never both commit: the second gets the
 *    first's outcome (or `COMMAND_ID_REUSED`, as in 2);
 * 5. on a version conflict, waits (`store.pause`, with jitter) and goes back to 2, at most
 *    `maxAttempts` times.
 *
 * A refusal is final: with a `commandId` it is remembered (a redelivered copy gets the same
 * refusal, never a different answer on a later state), and nothing else is written. A malformed
 * `context` (`INVALID_COMMAND` naming `context…`) is the host's mistake and is not remembered. A command
 * that changes nothing writes no row and no event (only its outcome, when it has a `commandId`).
 * Stored rows the library refuses give `INVALID_STORED_DATA` naming the record's id; nothing is
 * written. Store failures (a lost connection) are thrown as the driver threw them, and a `commit`
 * result that is not a `CommitResult` as a `TypeError` (retrying it as a conflict could write the
 * command twice).
 *
 * @example
 * ```ts
 * import { runCommand } from "crm-ownership";
 * import { sqliteStore } from "crm-ownership/sqlite";
 * import Database from "better-sqlite3";
 *
 * const store = sqliteStore(new Database("crm.db"));
 * await store.migrate();
 * const body: unknown = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "req-81f2" };
 * const result = await runCommand(store, "acct-1", body, { actor: { userId: "ana" }, at: "2025-05-01T09:30:00Z" });
 * if (result.ok) result.version; // the account's version after the command (the same for a duplicate)
 * ```
 */
export async function runCommand(
  store: Store,
  accountId: string,
  body: unknown,
  context: CommandContext,
  options: RunCommandOptions = {},
): Promise<RunCommandResult> {
  const parsed = parseCommand(body);
  // An unparsable body has no trustworthy commandId: refused, not remembered.
  if (!parsed.ok) return { ok: false, error: parsed.error, duplicate: false, attempts: 0 };
  // A malformed context is the host's mistake: refused before anything is read, not remembered.
  const host = parseContext(context);
  if (!host.ok) return { ok: false, error: host.error, duplicate: false, attempts: 0 };
  const command = parsed.command;
  return runParsed(store, accountId, command, host.value, options, requestFingerprint(host.value.actor, command));
}

/**
 * `runCommand` on a command already parsed, with a context already checked; `fingerprint` is what
 * a stored outcome of its `commandId` must carry to be returned, and is kept with its own
 * (`runBulk` gives each chunk its bulk's, so a resumed run finds its own chunks). @internal
 */
export async function runParsed(
  store: Store,
  accountId: string,
  command: Command,
  context: CommandContext,
  options: RunCommandOptions,
  fingerprint: string,
): Promise<RunCommandResult> {
  const commandId = command.commandId;
  const needed = recordsNeeded(command, context);
  const asked = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  const maxAttempts = Number.isFinite(asked) ? Math.max(1, Math.floor(asked)) : DEFAULT_ATTEMPTS;
  // An outcome under this id goes to the same request only; any other (or one stored without a
  // fingerprint, which nothing proves to be this request's) is refused, and told nothing of it.
  // (An outcome is only ever found under a commandId.)
  const stored = (found: { readonly outcome: StoredOutcome; readonly fingerprint: string | undefined }, attempts: number): RunCommandResult =>
    found.fingerprint === fingerprint
      ? fromOutcome(found.outcome, true, attempts)
      : { ok: false, error: commandIdReused(commandId as string), duplicate: false, attempts };
  const outcomeRequest = (id: string, outcome: StoredOutcome): CommitRequest => ({ kind: "outcome", commandId: id, fingerprint, outcome });

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await store.pause?.(attempt - 1);
    const loaded = await store.load(accountId, needed, commandId);
    if (loaded.found === "noAccount") {
      return {
        ok: false,
        error: { code: "ACCOUNT_NOT_FOUND", message: line(`There is no account ${quote(accountId)}.`), id: accountId },
        duplicate: false,
        attempts: attempt,
      };
    }
    if (loaded.found === "outcome") return stored(loaded, attempt);

    let before: CrmState;
    try {
      before = createState(loaded.records);
    } catch (error) {
      // createState reports every problem, hostile getters included, as InvalidSnapshotError.
      /* c8 ignore next */
      if (!(error instanceof InvalidSnapshotError)) throw error;
      return { ok: false, error: invalidStoredData(accountId, error, loaded.records), duplicate: false, attempts: attempt };
    }

    const result = execute(before, command, context);
    let request: CommitRequest;
    if (!result.ok) {
      if (commandId === undefined || !isFinal(result.error)) return { ok: false, error: result.error, duplicate: false, attempts: attempt };
      request = outcomeRequest(commandId, { ok: false, error: result.error });
    } else if (result.state === before) {
      // No effect: no row, no event, no version; only the outcome, for later copies.
      if (commandId === undefined) return { ok: true, version: before.version, events: [], duplicate: false, attempts: attempt };
      request = outcomeRequest(commandId, { ok: true, version: before.version, events: [] });
    } else {
      request = { kind: "change", commandId, fingerprint: commandId === undefined ? undefined : fingerprint, before, after: result.state, changes: changedRecords(before, result), events: result.events };
    }

    const committed = await store.commit(accountId, request);
    // A store's bug, not a conflict: retrying it could write the command a second time.
    if (!isCommitResult(committed)) throw new TypeError(`runCommand: Store.commit returned ${describeResult(committed)}, not a CommitResult (status "committed", "conflict", "duplicate" or "exists").`);
    switch (committed.status) {
      case "committed":
        return request.kind === "change"
          ? { ok: true, version: request.after.version, events: request.events, duplicate: false, attempts: attempt }
          : fromOutcome(request.outcome, false, attempt);
      case "duplicate":
        return stored(committed, attempt);
      case "exists": {
        // A row the load could not see (an opportunity whose contact is gone) holds the id.
        const field = committed.kind === "contact" ? "contactId" : "opportunityId";
        const outcome: StoredOutcome = { ok: false, error: errors.alreadyExists(committed.kind, committed.id, field) };
        if (commandId === undefined) return fromOutcome(outcome, false, attempt);
        const remembered = await store.commit(accountId, outcomeRequest(commandId, outcome));
        if (remembered.status === "duplicate") return stored(remembered, attempt);
        return fromOutcome(outcome, false, attempt);
      }
      case "conflict":
        break;
    }
  }
  return {
    ok: false,
    error: {
      code: "VERSION_CONFLICT",
      message: line(`Account ${quote(accountId)} kept changing while the command ran: gave up after ${maxAttempts} attempts. Retry later.`),
      field: "expectedVersion",
    },
    duplicate: false,
    attempts: maxAttempts,
  };
}

/**
 * A refusal worth remembering: the command's own answer. Not an incomplete load (the store's
 * fault) nor an invalid context (the host's: the body parsed, so INVALID_COMMAND here is about
 * the context), which a corrected retry of the same command must not be refused for.
 */
const isFinal = (error: CrmError): boolean => error.code !== "INCOMPLETE_SNAPSHOT" && error.code !== "INVALID_COMMAND";

const COMMIT_STATUSES: ReadonlySet<unknown> = new Set(["committed", "conflict", "duplicate", "exists"]);
const isCommitResult = (value: unknown): value is CommitResult =>
  typeof value === "object" && value !== null && COMMIT_STATUSES.has((value as { status?: unknown }).status);
/** What a store returned instead of a CommitResult, for the message. */
function describeResult(value: unknown): string {
  if (typeof value !== "object" || value === null) return String(value);
  const status: unknown = (value as { status?: unknown }).status;
  return `status ${typeof status === "string" ? quote(status) : typeof status}`;
}

const fromOutcome = (outcome: StoredOutcome, duplicate: boolean, attempts: number): RunCommandResult =>
  outcome.ok
    ? { ok: true, version: outcome.version, events: outcome.events, duplicate, attempts }
    : { ok: false, error: outcome.error, duplicate, attempts };
