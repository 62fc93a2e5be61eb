/** Following records by hand: the input, then the rules (rules/follows.ts). */
import { opportunityMissing } from "../kernel/group.js";
import { errors, type Result } from "../errors.js";
import type { Context, Refusal } from "../kernel/context.js";
import type { Contact, Opportunity, RecordRef } from "../model/records.js";
import { LIMITS } from "../limits.js";
import { addFollow, removeFollow } from "../rules/follows.js";
import { checkAssignable, checkKnown } from "../rules/users.js";
import { id, list, object, oneOf } from "../model/fields.js";
import type { CommandMeta } from "./meta.js";

/**
 * Adds a `manual` follower. Adding the record's owner, or a user who already follows by hand,
 * changes nothing; a user who follows by `automation` becomes a `manual` follower.
 *
 * @example
 * ```ts
 * const command: AddFollower = { type: "addFollower", record: { kind: "opportunity", id: "deal-1" }, userId: "ben" };
 * execute(state, command, context); // FollowerAdded (manual), or FOLLOWER_LIMIT when the deal is full
 * ```
 */
export interface AddFollower extends CommandMeta {
  readonly type: "addFollower";
  readonly record: RecordRef;
  readonly userId: string;
}

/**
 * Removes a follower, whatever the follow's source. Removing a non-follower changes nothing.
 *
 * @example
 * ```ts
 * const command: RemoveFollower = { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "ben" };
 * execute(state, command, context); // FollowerRemoved, or no event when ben did not follow acme
 * ```
 */
export interface RemoveFollower extends CommandMeta {
  readonly type: "removeFollower";
  readonly record: RecordRef;
  readonly userId: string;
}

/** @internal */
export const recordRef = object({ kind: oneOf("contact", "opportunity"), id });
/** @internal */
export const followerShape = { record: recordRef, userId: id } as const;
/** @internal */
export const followerIds = list(id, LIMITS.followerIds);

/** The record a command names (as the actor may name it), or the refusal naming it. */
function findRecord(ctx: Context, record: RecordRef): Result<Contact | Opportunity> {
  const found = record.kind === "contact" ? ctx.contact(record.id) : ctx.opportunity(record.id);
  if (found !== undefined) return { ok: true, value: found };
  const error = record.kind === "contact" ? errors.contactNotFound(record.id, "record.id") : opportunityMissing(ctx.s, record.id, "record.id");
  return { ok: false, error };
}

/** @internal */
export function decideAddFollower(ctx: Context, command: AddFollower): Refusal {
  const found = findRecord(ctx, command.record);
  if (!found.ok) return found.error;
  return checkAssignable(ctx.s, command.userId, "userId") ?? addFollow(ctx, command.record, found.value, command.userId);
}

/** @internal */
export function decideRemoveFollower(ctx: Context, command: RemoveFollower): Refusal {
  const found = findRecord(ctx, command.record);
  if (!found.ok) return found.error;
  const refusal = checkKnown(ctx.s, command.userId, "userId");
  if (refusal) return refusal;
  removeFollow(ctx, command.record, found.value, command.userId);
  return undefined;
}
