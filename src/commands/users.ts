/** Bulk ownership moves and user offboarding (docs/rules.md §9, §11). */
import { errors } from "../errors.js";
import type { Context, Refusal } from "../kernel/context.js";
import { moveOwnedRecords } from "../rules/owners.js";
import { checkAssignable, checkKnown, deactivateUser, reactivateUser } from "../rules/users.js";
import { boolean, id, idOrNull, list, oneOf, optional } from "../model/fields.js";
import { LIMITS } from "../limits.js";
import type { CommandMeta } from "./meta.js";

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
  /**
   * Only the groups of these contacts (each contact with its opportunities); the others stay.
   * A contact that does not exist is skipped. At most `LIMITS.transferContactIds`. `runBulk`
   * uses it to move a large transfer chunk by chunk (docs/integration.md).
   */
  readonly contactIds?: readonly string[] | undefined;
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
  contactIds: optional(list(id, LIMITS.transferContactIds)),
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
    contactIds: command.contactIds,
  });
}

/** @internal */
export function decideDeactivateUser(ctx: Context, command: DeactivateUser): Refusal {
  const user = ctx.s.users.get(command.userId);
  if (user === undefined) return errors.userNotFound(command.userId, "userId");
  if (command.reassignTo === command.userId) return errors.invalid("reassignTo", "another user than the one deactivated, or null");
  return deactivateUser(ctx, user, command.reassignTo, command.includeClosed ?? false);
}

/** @internal */
export function decideReactivateUser(ctx: Context, command: ReactivateUser): Refusal {
  const user = ctx.s.users.get(command.userId);
  if (user === undefined) return errors.userNotFound(command.userId, "userId");
  reactivateUser(ctx, user);
  return undefined;
}
