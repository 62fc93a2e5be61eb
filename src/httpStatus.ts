/**
 * The HTTP status a JSON API should answer for each error code, so hosts do not each invent one.
 * Why each status is what it is: docs/errors.md.
 */
import type { ErrorCode } from "./errors.js";

/**
 * The statuses `HTTP_STATUS` uses: client errors, and 500 for the one code that is the host's
 * own mistake.
 *
 * @example
 * ```ts
 * const status: HttpErrorStatus = HTTP_STATUS.FORBIDDEN; // 403
 * ```
 */
export type HttpErrorStatus = 400 | 403 | 404 | 409 | 422 | 500;

/**
 * The HTTP status for every `ErrorCode` (the primary API; `httpStatus` wraps it for codes that
 * are not typed). A frozen table, exhaustive by its type: a new error code does not compile
 * until it has a status here.
 *
 * | code | status | why |
 * | --- | --- | --- |
 * | `INVALID_COMMAND` | 400 | the request body (or the context the host built) is malformed |
 * | `FORBIDDEN` | 403 | the actor may not do this to a record they can see |
 * | `CONTACT_NOT_FOUND`, `OPPORTUNITY_NOT_FOUND` | 404 | no such record, or one the actor may not see (the same answer, so ids cannot be probed) |
 * | `ALREADY_EXISTS` | 409 | the id is taken: a conflict with the current state |
 * | `VERSION_CONFLICT` | 409 | the snapshot moved on: reload and retry |
 * | `USER_NOT_FOUND`, `USER_INACTIVE` | 422 | the body is well-formed but names a user who cannot take part |
 * | `FOLLOWER_LIMIT` | 422 | the rule refuses it as asked; it changes only when a follower goes |
 * | `NO_ELIGIBLE_USER` | 422 | the rotation given has nobody who can be picked |
 * | `INCOMPLETE_SNAPSHOT` | 500 | the host loaded less than `recordsNeeded` said: its bug, not the client's |
 *
 * @example
 * ```ts
 * declare const body: unknown; // the parsed request body
 * declare const session: { userId: string }; // the authenticated user
 * const parsed = parseCommand(body);
 * const result = parsed.ok ? execute(state, parsed.command, { actor: { userId: session.userId } }) : parsed;
 * const response = result.ok
 *   ? { status: 200, body: { events: result.events } }
 *   : { status: HTTP_STATUS[result.error.code], body: { error: result.error } };
 * ```
 */
export const HTTP_STATUS: { readonly [C in ErrorCode]: HttpErrorStatus } = Object.freeze({
  INVALID_COMMAND: 400,
  FORBIDDEN: 403,
  CONTACT_NOT_FOUND: 404,
  OPPORTUNITY_NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  VERSION_CONFLICT: 409,
  USER_NOT_FOUND: 422,
  USER_INACTIVE: 422,
  FOLLOWER_LIMIT: 422,
  NO_ELIGIBLE_USER: 422,
  INCOMPLETE_SNAPSHOT: 500,
});

/**
 * Hosting's own codes (`runCommand`, `runBulk`): not `CrmError`s, answered alike. A stored row the
 * library refuses is the host's to repair, so 500.
 */
const HOSTING_STATUS: { readonly [C in "ACCOUNT_NOT_FOUND" | "COMMAND_ID_REUSED" | "INVALID_STORED_DATA"]: HttpErrorStatus } = Object.freeze({
  ACCOUNT_NOT_FOUND: 404,
  COMMAND_ID_REUSED: 422,
  INVALID_STORED_DATA: 500,
});

/**
 * `HTTP_STATUS[code]`, hosting's codes too (`ACCOUNT_NOT_FOUND` 404, `COMMAND_ID_REUSED` 422,
 * `INVALID_STORED_DATA` 500), and 500 for a string that is not an error code of this version (an
 * error stored by a newer version, or one from untyped code): never `undefined`, never an
 * inherited property such as `toString`.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "deleteContact", contactId: "acme" }, context);
 * const status = result.ok ? 200 : httpStatus(result.error.code); // 404, 403…
 * ```
 */
export function httpStatus(code: ErrorCode | keyof typeof HOSTING_STATUS | (string & {})): HttpErrorStatus {
  if (Object.hasOwn(HTTP_STATUS, code)) return HTTP_STATUS[code as ErrorCode];
  return Object.hasOwn(HOSTING_STATUS, code) ? HOSTING_STATUS[code as keyof typeof HOSTING_STATUS] : 500;
}
