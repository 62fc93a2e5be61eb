import { count, id, isoTime, optional } from "./fields.js";

/**
 * Fields every command may carry.
 *
 * @example
 * ```ts
 * const meta: CommandMeta = { commandId: "req-81f3", actorId: "ana", at: "2026-11-28T09:30:00Z", expectedVersion: 12 };
 * execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", ...meta });
 * ```
 */
export interface CommandMeta {
  /** The host's id for the command; copied onto every event it produces. */
  readonly commandId?: string | undefined;
  /** The user acting. With it the command is authorised (SPEC §9); without it, it is trusted. */
  readonly actorId?: string | undefined;
  /** When the host received the command (ISO 8601); copied onto every event. */
  readonly at?: string | undefined;
  /** Refuse with `VERSION_CONFLICT` unless the snapshot is at this version. */
  readonly expectedVersion?: number | undefined;
}

/** The shape of the fields every command may carry. @internal */
export const metaShape = {
  commandId: optional(id),
  actorId: optional(id),
  at: optional(isoTime),
  expectedVersion: optional(count),
} as const;
