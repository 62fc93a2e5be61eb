/**
 * What a user may see and change (docs/permissions.md), as plain predicates over records. One
 * definition for writes (the permission checks of commands) and reads (`canView` and the
 * `visible…` selectors), so a command and a selector never disagree.
 *
 * - Admins and scope `all` see every record; scope `all` may change any owner.
 * - Scope `assigned` sees what they own or follow (owning an opportunity does not reveal its
 *   contact), and may change the owner of, or delete, only what they own.
 * - Unknown and inactive users see nothing.
 */
import type { Contact, Opportunity, User } from "./records.js";

/** The parts of a record that decide who may see and change it. @internal */
export type Owned = Pick<Contact | Opportunity, "ownerId" | "followers">;

/** Whether `user` sees a record. @internal */
export function canSee(user: User | undefined, record: Owned | undefined): boolean {
  if (user === undefined || !user.active || record === undefined) return false;
  if (user.role === "admin" || user.scope === "all") return true;
  return record.ownerId === user.id || record.followers.some((f) => f.userId === user.id);
}

/** Whether `user` may change a record's owner, or delete it. @internal */
export function canReassign(user: User, record: Owned): boolean {
  return user.role === "admin" || user.scope === "all" || record.ownerId === user.id;
}
