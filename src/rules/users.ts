/**
 * Users (docs/rules.md §9): owners and followers are known, active users; offboarding and
 * coming back. A departed user stays in the account as an inactive one, so history keeps their
 * name.
 */
import { errors } from "../errors.js";
import type { User } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context, Refusal } from "../kernel/context.js";
import { endFollowsOf } from "./follows.js";
import { moveOwnedRecords } from "./owners.js";

/** An owner or follower must be a known, active user; `null` (unassigned) always may. @internal */
export function checkAssignable(s: Overlay, userId: string | null, field: string): Refusal {
  if (userId === null) return undefined;
  const user = s.users.get(userId);
  if (user === undefined) return errors.userNotFound(userId, field);
  if (!user.active) return errors.userInactive(userId, field);
  return undefined;
}

/** A user that must exist, active or not (removing a departed user's follow is fine). @internal */
export function checkKnown(s: Overlay, userId: string, field: string): Refusal {
  return s.users.get(userId) === undefined ? errors.userNotFound(userId, field) : undefined;
}

/**
 * Offboarding: the user becomes inactive, what they own moves to `reassignTo` (closed
 * opportunities stay unless `includeClosed`), and every follow of theirs ends. Safe to repeat
 * on a user already inactive. @internal
 */
export function deactivateUser(ctx: Context, user: User, reassignTo: string | null, includeClosed: boolean): Refusal {
  const refusal = checkAssignable(ctx.s, reassignTo, "reassignTo") ?? checkNotLastAdmin(ctx, user);
  if (refusal) return refusal;
  if (user.active) ctx.emit({ type: "UserDeactivated", userId: user.id, cause: "command" });
  const cause = "user-deactivated";
  const moved = moveOwnedRecords(ctx, { from: user.id, to: reassignTo, records: "all", includeClosed, cause, field: "userId" });
  if (moved) return moved;
  endFollowsOf(ctx, user.id, cause);
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

/** A deactivated user may own and follow records again; nothing moves back. @internal */
export function reactivateUser(ctx: Context, user: User): void {
  if (!user.active) ctx.emit({ type: "UserReactivated", userId: user.id, cause: "command" });
}
