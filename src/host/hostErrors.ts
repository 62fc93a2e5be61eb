/**
 * Errors of hosting, besides the library's own: an account that does not exist, a command id
 * already taken by another request, and stored rows the library refuses. Plain data, like `CrmError`, so a host logs and returns them as they are.
 */
import { line, quote, type CrmError, type InvalidSnapshotError } from "../errors.js";
import type { CrmRecordsInit } from "../model/records.js";

/**
 * A `commandId` that already has an outcome, made by another request: another actor, or the same
 * actor with another command. Nothing was run, nothing is written, and nothing of the first
 * request is told (not its outcome, nor whose it was). A client that meant a new command sends a
 * new id; a host keeps users from blocking each other's ids by making them itself, or by
 * prefixing the client's with the user's id (docs/integration.md). `httpStatus` maps it to 422.
 *
 * @example
 * ```ts
 * const error: CommandIdReusedError = {
 *   code: "COMMAND_ID_REUSED",
 *   message: 'Command id "req-1001" was used before for another request. Send this command with a new id.',
 *   field: "commandId",
 *   id: "req-1001",
 * };
 * ```
 */
export interface CommandIdReusedError {
  readonly code: "COMMAND_ID_REUSED";
  readonly message: string;
  /** Always `commandId`: the field to change. */
  readonly field: "commandId";
  /** The command id. */
  readonly id: string;
}

/** The refusal of a request whose command id another request took. @internal */
export function commandIdReused(commandId: string): CommandIdReusedError {
  return {
    code: "COMMAND_ID_REUSED",
    message: line(`Command id ${quote(commandId)} was used before for another request. Send this command with a new id.`),
    field: "commandId",
    id: commandId,
  };
}

/**
 * `runCommand` on an account the store does not hold.
 *
 * @example
 * ```ts
 * const error: AccountNotFoundError = { code: "ACCOUNT_NOT_FOUND", message: 'There is no account "acct-9".', id: "acct-9" };
 * ```
 */
export interface AccountNotFoundError {
  readonly code: "ACCOUNT_NOT_FOUND";
  readonly message: string;
  /** The account id. */
  readonly id: string;
}

/**
 * One stored row the library refuses, named by the record's id (never by a position in a list).
 *
 * @example
 * ```ts
 * const problem: StoredDataProblem = { kind: "contact", id: "acme", field: "ownerId", message: 'unknown user "zed"' };
 * ```
 */
export interface StoredDataProblem {
  /** Which kind of record (`account` for the account row itself). */
  readonly kind: "account" | "user" | "contact" | "opportunity" | "rotation";
  /** The record's id (the account id for `account`). */
  readonly id: string;
  /** The field at fault, as `createState` names it (`ownerId`, `followers[1].userId`, `contactId`). */
  readonly field: string;
  readonly message: string;
}

/**
 * Stored rows break the snapshot rules (an unknown owner, an opportunity whose contact is gone):
 * nothing was run and nothing was written. `id` and `kind` name the first record at fault;
 * `problems` lists every one found among the rows the command needed.
 *
 * @example
 * ```ts
 * declare const result: RunCommandResult;
 * if (!result.ok && result.error.code === "INVALID_STORED_DATA") {
 *   result.error.id; // "acme": repair that row
 * }
 * ```
 */
export interface InvalidStoredDataError {
  readonly code: "INVALID_STORED_DATA";
  readonly message: string;
  readonly kind: StoredDataProblem["kind"];
  readonly id: string;
  readonly field: string;
  readonly problems: readonly StoredDataProblem[];
}

/**
 * Every error `runCommand` returns: the library's (`CrmError`) or hosting's.
 *
 * @example
 * ```ts
 * declare const error: RunCommandError;
 * const status = httpStatus(error.code); // 404 for ACCOUNT_NOT_FOUND, 422 for COMMAND_ID_REUSED, 500 for INVALID_STORED_DATA, …
 * ```
 */
export type RunCommandError = CrmError | AccountNotFoundError | CommandIdReusedError | InvalidStoredDataError;

/**
 * Thrown by a store's `loadAccount` when the stored rows break the snapshot rules (a read that
 * returns a snapshot has no error value to return); `error` is the same plain value
 * `runCommand` returns.
 *
 * @example
 * ```ts
 * try {
 *   throw new StoredDataError({ code: "INVALID_STORED_DATA", message: "…", kind: "contact", id: "acme", field: "ownerId", problems: [] });
 * } catch (error) {
 *   if (error instanceof StoredDataError) error.error.id; // "acme"
 * }
 * ```
 */
export class StoredDataError extends Error {
  override readonly name = "StoredDataError";
  readonly error: InvalidStoredDataError;
  constructor(error: InvalidStoredDataError) {
    super(error.message);
    this.error = error;
  }
}

const KINDS = { users: "user", contacts: "contact", opportunities: "opportunity", rotations: "rotation" } as const;

/**
 * Turns `createState`'s refusal of stored rows (problems named by position, `contacts[3].ownerId`)
 * into an error naming each record by id, looked up in the rows that were given to it.
 *
 * @example
 * ```ts
 * declare const refusal: InvalidSnapshotError;
 * declare const rows: CrmRecordsInit;
 * invalidStoredData("acct-1", refusal, rows).id; // the id of the first record at fault
 * ```
 */
export function invalidStoredData(accountId: string, refusal: InvalidSnapshotError, records: CrmRecordsInit): InvalidStoredDataError {
  const problems = refusal.problems.map((problem): StoredDataProblem => {
    const match = /^(users|contacts|opportunities|rotations)\[(\d+)\]\.?(.*)$/.exec(problem.path);
    if (match === null) return { kind: "account", id: accountId, field: problem.path, message: problem.message };
    const table = match[1] as keyof typeof KINDS;
    const row: unknown = records[table]?.[Number(match[2])];
    const id = typeof row === "object" && row !== null && typeof (row as { id?: unknown }).id === "string" ? (row as { id: string }).id : `#${match[2]}`;
    return { kind: KINDS[table], id, field: match[3] === "" ? "id" : (match[3] as string), message: problem.message };
  });
  const first = problems[0] ?? { kind: "account" as const, id: accountId, field: "", message: refusal.message };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return {
    code: "INVALID_STORED_DATA",
    message: line(
      `Stored ${first.kind} ${quote(first.id)} of account ${quote(accountId)} is invalid: ${first.field} ${first.message}${more}. Nothing was run or written; repair the row.`,
    ),
    kind: first.kind,
    id: first.id,
    field: first.field,
    problems,
  };
}
