/** Following records by hand. */
import { errors } from "../errors.js";
import type { RecordRef } from "../model/records.js";
import { LIMITS } from "../limits.js";
import { followersOf, isFull } from "../rules/followerLimit.js";
import { checkAssignable, checkKnown } from "../rules/users.js";
import { id, list, object, oneOf } from "./fields.js";
import type { CommandMeta } from "./meta.js";
import type { Context, Refusal } from "./context.js";

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

/** The record a command names, or the refusal naming it. @internal */
export function findRecord(ctx: Context, record: RecordRef) {
  return record.kind === "contact"
    ? ctx.contact(record.id) ?? errors.contactNotFound(record.id, "record.id")
    : ctx.opportunity(record.id) ?? errors.opportunityNotFound(record.id, "record.id");
}

/** @internal */
export function decideAddFollower(ctx: Context, command: AddFollower): Refusal {
  const found = findRecord(ctx, command.record);
  if ("code" in found) return found;
  const refusal = checkAssignable(ctx.s, command.userId, "userId");
  if (refusal) return refusal;
  const follow = found.followers.find((f) => f.userId === command.userId);
  if (follow?.source === "manual") return undefined;
  // The owner is not added, but an owner's automation follow still becomes manual (docs/rules.md §5.8).
  if (follow === undefined && found.ownerId === command.userId) return undefined;
  if (follow === undefined && isFull(ctx.s, command.record)) {
    return errors.followerLimit(command.record.kind, command.record.id, ctx.s.settings.maxFollowers, "userId");
  }
  ctx.emit({ type: "FollowerAdded", record: { ...command.record }, userId: command.userId, source: "manual", cause: "command" });
  return undefined;
}

/** @internal */
export function decideRemoveFollower(ctx: Context, command: RemoveFollower): Refusal {
  const found = findRecord(ctx, command.record);
  if ("code" in found) return found;
  const refusal = checkKnown(ctx.s, command.userId, "userId");
  if (refusal) return refusal;
  const follow = found.followers.find((f) => f.userId === command.userId);
  if (follow === undefined) return undefined;
  ctx.emit({ type: "FollowerRemoved", record: { ...command.record }, userId: command.userId, source: follow.source, cause: "command" });
  return undefined;
}

/**
 * The followers a create command names: known, active, each once, never the owner, within the
 * limit. Checked before anything is emitted. @internal
 */
export function checkNewFollowers(ctx: Context, userIds: readonly string[] | undefined, ownerId: string | null, kind: RecordRef["kind"], recordId: string): { userIds: string[] } | NonNullable<Refusal> {
  const unique: string[] = [];
  for (const [i, userId] of (userIds ?? []).entries()) {
    const refusal = checkAssignable(ctx.s, userId, `followerIds[${i}]`);
    if (refusal) return refusal;
    if (userId !== ownerId && !unique.includes(userId)) unique.push(userId);
  }
  if (unique.length > ctx.s.settings.maxFollowers) return errors.followerLimit(kind, recordId, ctx.s.settings.maxFollowers, "followerIds");
  return { userIds: unique };
}

/** Emits the follows of a newly created record. @internal */
export function followNewRecord(ctx: Context, record: RecordRef, userIds: readonly string[]): void {
  for (const userId of userIds) {
    if (followersOf(ctx.s, record).some((f) => f.userId === userId)) continue;
    ctx.emit({ type: "FollowerAdded", record: { kind: record.kind, id: record.id }, userId, source: "manual", cause: "command" });
  }
}
