/** Bulk ownership moves and user offboarding (SPEC §8). */
import { errors } from "../errors.js";
import { moveOwnedRecords } from "../rules/bulkMove.js";
import { checkAssignable, checkKnown } from "../rules/users.js";
import { boolean, id, idOrNull, oneOf, optional } from "./fields.js";
import type { User } from "../model/records.js";
import type { CommandMeta } from "./meta.js";
import type { Context, Refusal } from "./context.js";

/**
 * Moves every record in the snapshot owned by `fromUserId` to `toUserId` (`null` unassigns).
 * `records` picks contacts, opportunities or both (default); closed opportunities stay unless
 * `includeClosed`.
 *
 * @example
 * ```ts
 * // Separate owners: ana's open deals go to ben and her contacts stay hers. (With coupled
 * // owners a group never splits: the contacts of those deals would move too.)
 * const command: TransferOwnership = { type: "transferOwnership", fromUserId: "ana", toUserId: "ben", records: "opportunities" };
 * execute(state, command, context); // one OpportunityOwnerChanged per deal, cause "transfer"
 * ```
 */
export interface TransferOwnership extends CommandMeta {
  readonly type: "transferOwnership";
  readonly fromUserId: string;
  readonly toUserId: string | null;
  readonly records?: "contacts" | "opportunities" | "all" | undefined;
  readonly includeClosed?: boolean | undefined;
}

/**
 * Offboards a user: marks them inactive, moves everything they own to `reassignTo` (`null`
 * unassigns; closed opportunities stay unless `includeClosed`), and removes them as a follower
 * everywhere.
 *
 * @example
 * ```ts
 * const command: DeactivateUser = { type: "deactivateUser", userId: "ana", reassignTo: "ben", includeClosed: true };
 * execute(state, command, context); // UserDeactivated, owner changes and follower removals with cause "user-deactivated"
 * ```
 */
export interface DeactivateUser extends CommandMeta {
  readonly type: "deactivateUser";
  readonly userId: string;
  readonly reassignTo: string | null;
  readonly includeClosed?: boolean | undefined;
}

/**
 * Makes a deactivated user active again. What they owned stays where it was moved.
 *
 * @example
 * ```ts
 * const command: ReactivateUser = { type: "reactivateUser", userId: "ana" };
 * execute(state, command, context); // UserReactivated; what ana owned stays with its new owners
 * ```
 */
export interface ReactivateUser extends CommandMeta {
  readonly type: "reactivateUser";
  readonly userId: string;
}

/** @internal */
export const transferOwnershipShape = {
  fromUserId: id,
  toUserId: idOrNull,
  records: optional(oneOf("contacts", "opportunities", "all")),
  includeClosed: optional(boolean),
} as const;
/** @internal */
export const deactivateUserShape = { userId: id, reassignTo: idOrNull, includeClosed: optional(boolean) } as const;
/** @internal */
export const reactivateUserShape = { userId: id } as const;

/** @internal */
export function decideTransferOwnership(ctx: Context, command: TransferOwnership): Refusal {
  const refusal = checkKnown(ctx.s, command.fromUserId, "fromUserId") ?? checkAssignable(ctx.s, command.toUserId, "toUserId");
  if (refusal) return refusal;
  if (command.fromUserId === command.toUserId) return undefined;
  return moveOwnedRecords(ctx, {
    from: command.fromUserId,
    to: command.toUserId,
    records: command.records ?? "all",
    includeClosed: command.includeClosed ?? false,
    cause: "transfer",
    field: "fromUserId",
  });
}

/** @internal */
export function decideDeactivateUser(ctx: Context, command: DeactivateUser): Refusal {
  const { userId, reassignTo } = command;
  const user = ctx.s.users.get(userId);
  if (user === undefined) return errors.userNotFound(userId, "userId");
  if (reassignTo === userId) return errors.invalid("reassignTo", "another user than the one deactivated, or null");
  const refusal = checkAssignable(ctx.s, reassignTo, "reassignTo") ?? checkNotLastAdmin(ctx, user);
  if (refusal) return refusal;

  if (user.active) ctx.emit({ type: "UserDeactivated", userId, cause: "command" });
  const moved = moveOwnedRecords(ctx, {
    from: userId,
    to: reassignTo,
    records: "all",
    includeClosed: command.includeClosed ?? false,
    cause: "user-deactivated",
    field: "userId",
  });
  if (moved) return moved;
  // A departed user follows nothing: manual follows go too.
  const cause = "user-deactivated";
  // Read off the user index: the user's groups only, in the snapshot's order.
  for (const contact of ctx.s.groupsOf(userId, false)) {
    const follow = contact.followers.find((f) => f.userId === userId);
    if (follow) ctx.emit({ type: "FollowerRemoved", record: { kind: "contact", id: contact.id }, userId, source: follow.source, cause });
  }
  for (const opportunity of ctx.s.opportunitiesOf(userId)) {
    const follow = opportunity.followers.find((f) => f.userId === userId);
    if (follow) ctx.emit({ type: "FollowerRemoved", record: { kind: "opportunity", id: opportunity.id }, userId, source: follow.source, cause });
  }
  return undefined;
}

/**
 * An account always keeps an active admin, whoever asks (a system actor too): without one,
 * nobody could change its settings or bring anyone back. The host loads every user for it.
 */
function checkNotLastAdmin(ctx: Context, user: User): Refusal {
  if (user.role !== "admin" || !user.active) return undefined;
  for (const other of ctx.s.users.all()) {
    if (other.id !== user.id && other.role === "admin" && other.active) return undefined;
  }
  const refusal = errors.forbidden(ctx.context.actor, "last-admin", `${errors.quote(user.id)} is the account's last active admin`);
  return { ...refusal, field: "userId", id: user.id };
}

/** @internal */
export function decideReactivateUser(ctx: Context, command: ReactivateUser): Refusal {
  const user = ctx.s.users.get(command.userId);
  if (user === undefined) return errors.userNotFound(command.userId, "userId");
  if (!user.active) ctx.emit({ type: "UserReactivated", userId: user.id, cause: "command" });
  return undefined;
}
