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
 * const retryable: ReadonlySet<ErrorCode> = new Set(["VERSION_CONFLICT"]);
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (!result.ok && retryable.has(result.error.code)) {
 *   // reload the snapshot and run the command again; HTTP_STATUS[result.error.code] is the answer to a client
 * }
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

/**
 * The outcome of something that may be refused: a value, or the `CrmError` saying why. The one
 * "value or refusal" type inside the library (parsers and rules alike); a decision without a
 * value returns a `Refusal` (kernel/context.ts) instead.
 */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CrmError };

// ---------------------------------------------------------------------------------------------
// Log-safe text. Every value a message echoes (an id, a field name, an object key, the text of an
// unexpected exception) goes through `quote` or `escapeText`, and every message through `line`, so
// no message is multi-line, carries a character that rewrites a terminal or a log line, or grows
// with its input (docs/errors.md, "Messages are safe to log").

/** The longest message any error of the library carries. */
export const MAX_MESSAGE = 600;
/** The longest quoted value, escapes included, before it is cut. */
const MAX_QUOTED = 80;

// Controls (C0, DEL, C1), format characters (bidirectional controls, zero-width characters, the
// BOM, tag characters), the line and paragraph separators, and lone surrogates (invalid UTF-16).
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NEEDS_ESCAPE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}"\\]/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One character as JSON writes it escaped: `\n`, `\"`, or `\uXXXX` per UTF-16 unit. */
function escapeChar(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) return short;
  let out = "";
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0")}`;
  return out;
}

/**
 * `text` with every unsafe character (and `"` and `\`) escaped as in a JSON string, cut so the
 * escaped text has at most `max` characters. Reads only what it keeps: a 10 MB text costs no
 * more than a short one. @internal
 */
export function escapeText(text: string, max: number = MAX_QUOTED): { readonly text: string; readonly cut: boolean } {
  if (text.length <= max && !NEEDS_ESCAPE.test(text)) return { text, cut: false };
  let out = "";
  let used = 0;
  // for…of walks code points lazily, so a surrogate pair is never split and a huge text is not copied.
  for (const ch of text) {
    const piece = NEEDS_ESCAPE.test(ch) ? escapeChar(ch) : ch;
    if (out.length + piece.length > max) break;
    out += piece;
    used += ch.length;
  }
  return { text: out, cut: used < text.length };
}

/**
 * A value as a message shows it: a JSON string literal with control, format and line-separator
 * characters escaped, cut after `max` characters with the value's full length said after it.
 * Uncut, `JSON.parse(quote(v))` gives `v` back.
 *
 * @example
 * ```ts
 * quote("acme"); // "\"acme\""
 * quote("evil\u202Eid\n"); // "\"evil\\u202Eid\\n\""
 * quote("x".repeat(300)); // "\"xxx…x\"… (300 characters)"
 * ```
 * @internal
 */
export function quote(value: string, max: number = MAX_QUOTED): string {
  const { text, cut } = escapeText(value, max);
  return cut ? `"${text}"… (${value.length} characters)` : `"${text}"`;
}

/**
 * An object key or other caller-given name inside a path (`field`, `SnapshotProblem.path`):
 * escaped like `quote` but without the quotes, and cut with `…`. @internal
 */
export function pathKey(key: string): string {
  const { text, cut } = escapeText(key, MAX_QUOTED);
  return cut ? `${text}…` : text;
}

// What a name shown to people may not carry: controls (C0, DEL, C1), the line and paragraph
// separators, lone surrogates, and the format characters (bidirectional controls and marks,
// zero-width spaces, U+FEFF, tag characters, the soft hyphen): invisible, they could make "a\u200Bna"
// pass for "ana". As in messages, but for the two joiners (ZWJ, ZWNJ), which names and emoji need.
const UNSAFE_IN_NAME = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_IN_NAME_ALL = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * An id or display name for a sentence shown to people (`describeEvent`), which a log may carry
 * too: what could break the line, reorder the text or hide in it escaped as `line` escapes it
 * (`\n`, `\u202E`, `\u200B`), everything else (quotes, joiners) as it is, nothing cut. @internal
 */
export function escapeName(text: string): string {
  return UNSAFE_IN_NAME.test(text) ? text.replace(UNSAFE_IN_NAME_ALL, escapeChar) : text;
}

/**
 * The last guard on every message: one line, no unsafe character, at most `MAX_MESSAGE`
 * characters. The values in it are quoted already; this holds even if a caller forgot. @internal
 */
export function line(message: string): string {
  let out = message.length > MAX_MESSAGE * 2 ? message.slice(0, MAX_MESSAGE * 2) : message;
  if (UNSAFE.test(out)) out = out.replace(UNSAFE_ALL, escapeChar);
  if (out.length <= MAX_MESSAGE) return out;
  let end = MAX_MESSAGE - 1;
  // Never end on half a surrogate pair.
  const last = out.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${out.slice(0, end)}…`;
}

/** The text of something thrown, without trusting it: no getter or `toString` of it may throw or run long. */
function describeThrown(cause: unknown): string {
  try {
    if (cause instanceof Error) {
      const name = typeof cause.name === "string" ? cause.name.slice(0, 100) : "Error";
      const message = typeof cause.message === "string" ? cause.message : "";
      // Cut before joining: a 10 MB message is never copied.
      return message === "" ? name : `${name}: ${message.slice(0, 1_000)}${message.length > 1_000 ? "…" : ""}`;
    }
    if (typeof cause === "string") return cause.length > 1_000 ? `${cause.slice(0, 1_000)}…` : cause;
    if (cause === null || (typeof cause !== "object" && typeof cause !== "function")) return String(cause);
    return Object.prototype.toString.call(cause);
  } catch {
    return "(an exception that could not be read)";
  }
}

/** How every INVALID_COMMAND message starts (`invalidEvent` swaps it for events). */
const COMMAND_PREFIX = "Invalid command: ";

/** At most this many of `missingIds` are named in a message (all are in `missingIds`). */
const MAX_LISTED = 5;

const listed = (ids: readonly string[]): string =>
  ids.length <= MAX_LISTED
    ? ids.map((id) => quote(id)).join(", ")
    : `${ids.slice(0, MAX_LISTED).map((id) => quote(id)).join(", ")} and ${ids.length - MAX_LISTED} more`;

/** Constructors for every error, so texts stay consistent. @internal */
export const errors = {
  invalid: (field: string, expected: string): CrmError => ({
    code: "INVALID_COMMAND",
    message: line(`${COMMAND_PREFIX}${quote(field)} must be ${expected}.`),
    field,
  }),
  /** A field of the caller's that the command does not have; `name` is escaped already (`pathKey`). */
  unknownField: (name: string): CrmError => ({
    code: "INVALID_COMMAND",
    message: line(`${COMMAND_PREFIX}unknown field ${quote(name)}.`),
    field: name,
  }),
  /** An id longer than `LIMITS.idLength`: said so, with its length (the id itself is not echoed). */
  idTooLong: (field: string, length: number, max: number): CrmError => ({
    code: "INVALID_COMMAND",
    message: line(`${COMMAND_PREFIX}${quote(field)} must be at most ${max} characters (it has ${length}).`),
    field,
  }),
  /**
   * Something the library threw while running a command: a bug, or a `state` that is not a
   * snapshot. Its text is read defensively, escaped and cut.
   */
  internal: (cause: unknown): CrmError => ({
    code: "INVALID_COMMAND",
    message: line(`Internal error: ${quote(describeThrown(cause), 300)}.`),
    field: "(command)",
  }),
  contactNotFound: (id: string, field: string): CrmError => ({
    code: "CONTACT_NOT_FOUND",
    message: line(`Contact ${quote(id)} is not in the snapshot (field ${quote(field)}). Load it, or check the id.`),
    field,
    id,
  }),
  opportunityNotFound: (id: string, field: string): CrmError => ({
    code: "OPPORTUNITY_NOT_FOUND",
    message: line(`Opportunity ${quote(id)} is not in the snapshot (field ${quote(field)}). Load it with its contact, or check the id.`),
    field,
    id,
  }),
  userNotFound: (id: string, field: string): CrmError => ({
    code: "USER_NOT_FOUND",
    message: line(`User ${quote(id)} is not a known user of the account (field ${quote(field)}).`),
    field,
    id,
  }),
  userInactive: (id: string, field: string): CrmError => ({
    code: "USER_INACTIVE",
    message: line(`User ${quote(id)} is inactive and cannot own or follow records (field ${quote(field)}).`),
    field,
    id,
  }),
  alreadyExists: (kind: "contact" | "opportunity", id: string, field: string): CrmError => ({
    code: "ALREADY_EXISTS",
    message: line(`${kind === "opportunity" ? "An" : "A"} ${kind} with id ${quote(id)} already exists (field ${quote(field)}).`),
    field,
    id,
  }),
  versionConflict: (expected: number, actual: number): CrmError => ({
    code: "VERSION_CONFLICT",
    message: line(`The command expected version ${expected} but the snapshot is at version ${actual}: reload and retry.`),
    field: "expectedVersion",
    expectedVersion: expected,
    actualVersion: actual,
  }),
  /**
   * A command names an opportunity a loaded contact lists but the snapshot lacks. Names only
   * what the command named (`id` is that opportunity's, `missingIds` just it), whoever acts: not
   * the contact, which a scoped actor may not see.
   */
  notLoaded: (opportunityId: string, field: string): CrmError => ({
    code: "INCOMPLETE_SNAPSHOT",
    message: line(`The command names opportunity ${quote(opportunityId)}, which a loaded contact lists but the snapshot lacks. Load the contact with all of its opportunities.`),
    field,
    id: opportunityId,
    missingIds: [opportunityId],
  }),
  incomplete: (contactId: string, missingIds: readonly string[], field: string): CrmError => ({
    code: "INCOMPLETE_SNAPSHOT",
    message: line(
      `The command must change every opportunity of contact ${quote(contactId)}, but the snapshot lacks ` +
        `${listed(missingIds)}. Load the contact with all of its opportunities.`,
    ),
    field,
    id: contactId,
    missingIds,
  }),
  followerLimit: (kind: "contact" | "opportunity", id: string, max: number, field: string): CrmError => ({
    code: "FOLLOWER_LIMIT",
    message: line(
      field === "followerIds"
        ? `The new ${kind} ${quote(id)} would have more followers than allowed (${max}).`
        : `The ${kind} ${quote(id)} already has the most followers allowed (${max}).`,
    ),
    field,
    id,
  }),
  noEligibleUser: (rotationId: string): CrmError => ({
    code: "NO_ELIGIBLE_USER",
    message: line(`Rotation ${quote(rotationId)} has no known, active user to pick.`),
    field: "users",
    id: rotationId,
  }),
  forbidden: (actor: Actor, rule: string, explanation: string): CrmError => ({
    code: "FORBIDDEN",
    // `explanation` names records: its ids must be quoted with `quote` by the caller; `line`
    // escapes and bounds what is left.
    message: line(`${"userId" in actor ? `User ${quote(actor.userId)}` : `System actor ${quote(actor.system)}`} may not do this: ${explanation}.`),
    field: "context.actor",
    ...("userId" in actor && { actorId: actor.userId }),
    rule,
  }),
  /** An id, quoted for a message. */
  quote: (id: string): string => quote(id),
} as const;

/** How many problems an `InvalidSnapshotError` lists; the rest are counted in `moreProblems`. */
export const MAX_PROBLEMS = 100;

/**
 * Thrown by `createState` for a structurally unsound snapshot. A snapshot like that is a
 * programmer mistake at the edge, not a command outcome, so it throws. `problems` lists the first
 * 100 problems found, in the order of the records, and `moreProblems` counts the rest; the
 * message is one line naming the first problem and the count, safe to log as it is.
 *
 * @example
 * ```ts
 * try {
 *   createState({ users: [], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [{ id: "deal-1", contactId: "gone" }] });
 * } catch (error) {
 *   if (error instanceof InvalidSnapshotError) {
 *     error.problems.map((p) => p.path); // ["contacts[0].ownerId", "opportunities[0].contactId"]
 *     error.problems.length + error.moreProblems; // 2: every problem found
 *     error.message; // 'Invalid snapshot (2 problems): contacts[0].ownerId: unknown user "ana" (…); and 1 more in problems.'
 *   }
 * }
 * ```
 */
export class InvalidSnapshotError extends Error {
  override readonly name = "InvalidSnapshotError";
  /** The first problems found (at most 100), each with the path of the record at fault. */
  readonly problems: readonly SnapshotProblem[];
  /** How many more problems were found than `problems` lists (0 when it lists them all). */
  readonly moreProblems: number;
  constructor(problems: readonly SnapshotProblem[], moreProblems = 0) {
    const kept = Object.freeze(problems.slice(0, MAX_PROBLEMS).map((p) => Object.freeze({ path: p.path, message: p.message })));
    const more = problems.length - kept.length + moreProblems;
    const total = kept.length + more;
    const first = kept[0];
    super(
      line(
        first === undefined
          ? "Invalid snapshot."
          : `Invalid snapshot (${total} problem${total === 1 ? "" : "s"}): ${first.path}: ${first.message}` +
              (total > 1 ? `; and ${total - 1} more in problems.` : "."),
      ),
    );
    this.problems = kept;
    this.moreProblems = more;
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
    super(line(`${error.code}: ${error.message}`));
    this.error = error;
  }
}

/**
 * Thrown by `evolve` for an event that is not one the library could have emitted: an unknown
 * `type`, a missing or mistyped field, an id that is not a non-empty string of at most
 * `LIMITS.idLength` characters, a value outside its set. Nothing is applied. Extra fields an
 * event may carry (from a newer version, or the host's own) are ignored, never stored.
 *
 * @example
 * ```ts
 * declare const stored: unknown; // an event read back from the host's outbox
 * try {
 *   evolve(state, stored as CrmEvent);
 * } catch (error) {
 *   if (error instanceof InvalidEventError) error.field; // "to", "record.kind", "(event)"…
 * }
 * ```
 */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
  /** The event field at fault, as a path (`"to"`, `"record.kind"`), or `"(event)"`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(line(message));
    this.field = field;
  }
}

/** The `InvalidEventError` for a field error of the shared field readers. @internal */
export function invalidEvent(error: CrmError, type?: string): InvalidEventError {
  const field = error.field ?? "(event)";
  // The field readers speak of commands; the sentence after the prefix is the same for events.
  const detail = error.message.startsWith(COMMAND_PREFIX) ? error.message.slice(COMMAND_PREFIX.length) : error.message;
  return new InvalidEventError(field, `Invalid event${type === undefined ? "" : ` ${type}`}: ${detail}`);
}
