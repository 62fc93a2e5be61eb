import { count, id, optional } from "../model/fields.js";

/**
 * Fields every command may carry. Who acts and when are not among them: they come from the
 * host, beside the command (`CommandContext`), since a command body is the client's word.
 *
 * @example
 * ```ts
 * const meta: CommandMeta = { commandId: "req-81f3", expectedVersion: 12 };
 * execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", ...meta }, { actor: { userId: "ana" } });
 * ```
 */
export interface CommandMeta {
  /** The host's id for the command; copied onto every event it produces. */
  readonly commandId?: string | undefined;
  /** Refuse with `VERSION_CONFLICT` unless the snapshot is at this version. */
  readonly expectedVersion?: number | undefined;
}

/** The shape of the fields every command may carry. @internal */
export const metaShape = {
  commandId: optional(id),
  expectedVersion: optional(count),
} as const;

/**
 * Fields a 0.1 command carried that now come from the context: a body that still has them is
 * refused by name, so a client cannot pick its own identity. @internal
 */
export const CONTEXT_FIELDS: readonly string[] = ["actorId", "at"];
