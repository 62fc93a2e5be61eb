/**
 * What a user may see (docs/permissions.md), as a plain predicate over records. One
 * definition for writes (the records a command may name) and reads (`canView` and the
 * `visible…` selectors), so a command and a selector never disagree.
 *
 * - Admins and scope `all` see every record (and may change any: rules/permissions.ts).
 * - Scope `assigned` sees what they own or follow (owning an opportunity does not reveal its
 *   contact).
 * - Unknown and inactive users see nothing.
 */
import { ownsOrFollows } from "./follows.js";
import type { Contact, Opportunity, User } from "./records.js";

/** The parts of a record that decide who may see and change it. @internal */
export type Owned = Pick<Contact | Opportunity, "ownerId" | "followers">;

/** Whether `user` sees a record. @internal */
export function canSee(user: User | undefined, record: Owned | undefined): boolean {
  if (user === undefined || !user.active || record === undefined) return false;
  return canSeeEverything(user) || ownsOrFollows(record, user.id);
}

/** Whether an active user sees every record of the account: an admin, or scope `all`. @internal */
export function canSeeEverything(user: User | undefined): boolean {
  return user !== undefined && user.active && (user.role === "admin" || user.scope === "all");
}
