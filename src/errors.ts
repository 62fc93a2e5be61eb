/**
 * Errors a caller must handle are values, with a stable `code`, a sentence a developer
 * understands, and the field or id at fault. Every error text lives in this file.
 */

import type { Actor } from "./model/actor.js";

/**
 * Every code a rejected command can carry. Stable across minor versions.
 *
 * @example
 * ```ts
 * const status: Record<ErrorCode, number> = {
 *   INVALID_COMMAND: 400, CONTACT_NOT_FOUND: 404, OPPORTUNITY_NOT_FOUND: 404, USER_NOT_FOUND: 422, USER_INACTIVE: 422,
 *   ALREADY_EXISTS: 409, VERSION_CONFLICT: 409, INCOMPLETE_SNAPSHOT: 500, FOLLOWER_LIMIT: 422, NO_ELIGIBLE_USER: 422, FORBIDDEN: 403,
 * };
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (!result.ok) status[result.error.code];
 * ```
 */
export type ErrorCode =
  | "INVALID_COMMAND"
  | "CONTACT_NOT_FOUND"
  | "OPPORTUNITY_NOT_FOUND"
  | "USER_NOT_FOUND"
  | "USER_INACTIVE"
  | "ALREADY_EXISTS"
  | "VERSION_CONFLICT"
  | "INCOMPLETE_SNAPSHOT"
  | "FOLLOWER_LIMIT"
  | "NO_ELIGIBLE_USER"
  | "FORBIDDEN";

/**
 * Why a command was rejected. Plain data: safe to log, serialise and send to a client.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "nobody-we-know" }, context);
 * if (!result.ok) {
 *   const error: CrmError = result.error;
 *   error.code; // "USER_NOT_FOUND"
 *   error.field; // "ownerId"
 *   error.id; // "nobody-we-know"
 * }
 * ```
 */
export interface CrmError {
  readonly code: ErrorCode;
  /** A sentence for the developer; not meant to be shown to end users as is. */
  readonly message: string;
  /** The command field at fault, as a path (`"record.kind"`, `"followerIds[2]"`). */
  readonly field?: string | undefined;
  /** The id at fault (a contact, opportunity, user or rotation id). */
  readonly id?: string | undefined;
  /** `VERSION_CONFLICT`: the version the command expected and the snapshot's version. */
  readonly expectedVersion?: number | undefined;
  readonly actualVersion?: number | undefined;
  /** `INCOMPLETE_SNAPSHOT`: the ids the command needs that the snapshot does not hold. */
  readonly missingIds?: readonly string[] | undefined;
  /** `FORBIDDEN`: the acting user (absent for a system actor) and the rule that refused them. */
  readonly actorId?: string | undefined;
  readonly rule?: string | undefined;
  /** `executeAll`: the position of the rejected command in the list. */
  readonly index?: number | undefined;
}

/** The outcome of something that may be rejected: a value, or a `CrmError`. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CrmError };

/** @internal */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
/** @internal */
export const fail = (error: CrmError): { readonly ok: false; readonly error: CrmError } => ({ ok: false, error });

const show = (id: string): string => JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);

/** Constructors for every error, so texts stay consistent. @internal */
export const errors = {
  invalid: (field: string, expected: string): CrmError => ({
    code: "INVALID_COMMAND",
    message: `Invalid command: "${field}" must be ${expected}.`,
    field,
  }),
  contactNotFound: (id: string, field: string): CrmError => ({
    code: "CONTACT_NOT_FOUND",
    message: `Contact ${show(id)} is not in the snapshot (field "${field}"). Load it, or check the id.`,
    field,
    id,
  }),
  opportunityNotFound: (id: string, field: string): CrmError => ({
    code: "OPPORTUNITY_NOT_FOUND",
    message: `Opportunity ${show(id)} is not in the snapshot (field "${field}"). Load it with its contact, or check the id.`,
    field,
    id,
  }),
  userNotFound: (id: string, field: string): CrmError => ({
    code: "USER_NOT_FOUND",
    message: `User ${show(id)} is not a known user of the account (field "${field}").`,
    field,
    id,
  }),
  userInactive: (id: string, field: string): CrmError => ({
    code: "USER_INACTIVE",
    message: `User ${show(id)} is inactive and cannot own or follow records (field "${field}").`,
    field,
    id,
  }),
  alreadyExists: (kind: "contact" | "opportunity", id: string, field: string): CrmError => ({
    code: "ALREADY_EXISTS",
    message: `A ${kind} with id ${show(id)} already exists (field "${field}").`,
    field,
    id,
  }),
  versionConflict: (expected: number, actual: number): CrmError => ({
    code: "VERSION_CONFLICT",
    message: `The command expected version ${expected} but the snapshot is at version ${actual}: reload and retry.`,
    field: "expectedVersion",
    expectedVersion: expected,
    actualVersion: actual,
  }),
  incomplete: (contactId: string, missingIds: readonly string[], field: string): CrmError => ({
    code: "INCOMPLETE_SNAPSHOT",
    message:
      `The command must change every opportunity of contact ${show(contactId)}, but the snapshot lacks ` +
      `${missingIds.map(show).join(", ")}. Load the contact with all of its opportunities.`,
    field,
    id: contactId,
    missingIds,
  }),
  followerLimit: (kind: "contact" | "opportunity", id: string, max: number, field: string): CrmError => ({
    code: "FOLLOWER_LIMIT",
    message:
      field === "followerIds"
        ? `The new ${kind} ${show(id)} would have more followers than allowed (${max}).`
        : `The ${kind} ${show(id)} already has the most followers allowed (${max}).`,
    field,
    id,
  }),
  noEligibleUser: (rotationId: string): CrmError => ({
    code: "NO_ELIGIBLE_USER",
    message: `Rotation ${show(rotationId)} has no known, active user to pick.`,
    field: "users",
    id: rotationId,
  }),
  forbidden: (actor: Actor, rule: string, explanation: string): CrmError => ({
    code: "FORBIDDEN",
    message: `${"userId" in actor ? `User ${show(actor.userId)}` : `System actor ${show(actor.system)}`} may not do this: ${explanation}.`,
    field: "context.actor",
    ...("userId" in actor && { actorId: actor.userId }),
    rule,
  }),
  /** An id, quoted for a message. */
  quote: (id: string): string => show(id),
} as const;

/**
 * Thrown by `createState` for a structurally unsound snapshot, listing every problem found.
 * A snapshot like that is a programmer mistake at the edge, not a command outcome, so it throws.
 *
 * @example
 * ```ts
 * try {
 *   createState({ users: [], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [{ id: "deal-1", contactId: "gone" }] });
 * } catch (error) {
 *   if (error instanceof InvalidSnapshotError) error.problems.map((p) => p.path); // ["contacts[0].ownerId", "opportunities[0].contactId"]
 * }
 * ```
 */
export class InvalidSnapshotError extends Error {
  override readonly name = "InvalidSnapshotError";
  /** Every problem, each with the path of the record at fault. */
  readonly problems: readonly SnapshotProblem[];
  constructor(problems: readonly SnapshotProblem[]) {
    super(
      `Invalid snapshot (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `- ${p.path}: ${p.message}`).join("\n"),
    );
    this.problems = problems;
  }
}

/**
 * One reason a snapshot is unsound.
 *
 * @example
 * ```ts
 * try {
 *   createState({ users: [{ id: "ana" }, { id: "ana" }], contacts: [], opportunities: [] });
 * } catch (error) {
 *   const problems: readonly SnapshotProblem[] = error instanceof InvalidSnapshotError ? error.problems : [];
 *   problems.map((p) => `${p.path}: ${p.message}`); // the duplicate id, with where it is
 * }
 * ```
 */
export interface SnapshotProblem {
  /** Where: `"contacts[3].ownerId"`, `"opportunities[0].contactId"`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown by `decide` for a rejected command (`execute` returns the same error as a value).
 *
 * @example
 * ```ts
 * try {
 *   decide(state, { type: "deleteContact", contactId: "no-such-contact" }, context);
 * } catch (error) {
 *   if (error instanceof CommandRejectedError) error.error.code; // "CONTACT_NOT_FOUND"
 * }
 * ```
 */
export class CommandRejectedError extends Error {
  override readonly name = "CommandRejectedError";
  readonly error: CrmError;
  constructor(error: CrmError) {
    super(`${error.code}: ${error.message}`);
    this.error = error;
  }
}
