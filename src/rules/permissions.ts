/**
 * Who may do what (SPEC §9): one function for writes (`authorize`) and one for reads
 * (`canSee`), so a command and a selector never disagree.
 *
 * - Admins may do everything, and alone change settings, users and bulk ownership.
 * - Scope `all`: sees every record and may change any owner.
 * - Scope `assigned`: sees what they own or follow (owning an opportunity does not reveal its
 *   contact); works followers and status of what they see; changes the owner of, or deletes,
 *   only what they own.
 */
import { errors } from "../errors.js";
import { isClosed, type Contact, type Opportunity, type RecordRef, type User } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Command } from "../commands/command.js";
import type { Refusal } from "../commands/context.js";

type Owned = Pick<Contact | Opportunity, "ownerId" | "followers">;

/** Whether `user` sees a record. @internal */
export function canSee(user: User | undefined, record: Owned | undefined): boolean {
  if (user === undefined || !user.active || record === undefined) return false;
  if (user.role === "admin" || user.scope === "all") return true;
  return record.ownerId === user.id || record.followers.some((f) => f.userId === user.id);
}

/** Whether `user` may change a record's owner. @internal */
function canReassign(user: User, record: Owned): boolean {
  return user.role === "admin" || user.scope === "all" || record.ownerId === user.id;
}

const ADMIN_ONLY: ReadonlySet<Command["type"]> = new Set(["updateSettings", "deactivateUser", "reactivateUser", "transferOwnership"]);

/** The refusal for a command by its `actorId`, or nothing when it may go ahead. @internal */
export function authorize(s: Overlay, command: Command): Refusal {
  const actorId = command.actorId;
  if (actorId === undefined) return undefined;
  const actor = s.users.get(actorId);
  if (actor === undefined) return errors.forbidden(actorId, "unknown-actor", "they are not a user of this account");
  if (!actor.active) return errors.forbidden(actorId, "inactive-actor", "they are deactivated");
  if (actor.role === "admin") return undefined;
  if (ADMIN_ONLY.has(command.type)) return errors.forbidden(actorId, "admin-only", `only an admin may ${command.type}`);

  const contact = (id: string) => s.contacts.get(id);
  const opportunity = (id: string) => s.opportunities.get(id);
  // A record that is not there is the command's own error to report, not a permission matter.
  const see = (record: Owned | undefined, what: string): Refusal =>
    record === undefined || canSee(actor, record) ? undefined : errors.forbidden(actorId, "not-visible", `they cannot see ${what}`);
  const reassign = (record: Owned | undefined, what: string): Refusal =>
    see(record, what) ??
    (record === undefined || canReassign(actor, record)
      ? undefined
      : errors.forbidden(actorId, "owner-only", `only the owner (or a user with scope "all") may change the owner of ${what}`));
  const own = (record: Owned | undefined, what: string): Refusal =>
    see(record, what) ??
    (record === undefined || canReassign(actor, record)
      ? undefined
      : errors.forbidden(actorId, "owner-only", `only the owner (or a user with scope "all") may delete ${what}`));
  const ref = (r: RecordRef) => (r.kind === "contact" ? contact(r.id) : opportunity(r.id));

  switch (command.type) {
    case "createContact":
      return undefined;
    case "createOpportunity": {
      const parent = contact(command.contactId);
      const visible = see(parent, `contact ${JSON.stringify(command.contactId)}`);
      if (visible) return visible;
      // With coupled owners an explicit, different owner reassigns the whole group.
      const movesGroup = !s.settings.allowDifferentOwners && command.ownerId !== undefined && command.ownerId !== parent?.ownerId;
      return movesGroup ? reassign(parent, `contact ${JSON.stringify(command.contactId)}`) : undefined;
    }
    case "assignContactOwner": {
      const target = contact(command.contactId);
      const refusal = reassign(target, `contact ${JSON.stringify(command.contactId)}`);
      if (refusal || target === undefined || !s.settings.allowDifferentOwners || (command.transfer ?? "none") === "none") return refusal;
      if (target.ownerId === command.ownerId) return undefined; // a no-op, even with a transfer
      // The handover reassigns open opportunities too: each needs the right to change its owner.
      for (const id of target.opportunityIds) {
        const o = opportunity(id);
        const moves = o !== undefined && !isClosed(o.status) && o.ownerId !== command.ownerId && (command.transfer === "all" || o.ownerId === target.ownerId);
        const denied = moves ? reassign(o, `opportunity ${JSON.stringify(id)}`) : undefined;
        if (denied) return denied;
      }
      return undefined;
    }
    case "assignUser":
    case "removeAssignedUser":
      return reassign(contact(command.contactId), `contact ${JSON.stringify(command.contactId)}`);
    case "assignOpportunityOwner":
    case "addOpportunityOwner":
    case "removeOpportunityOwner":
      return reassign(opportunity(command.opportunityId), `opportunity ${JSON.stringify(command.opportunityId)}`);
    case "addFollower":
    case "removeFollower":
      return see(ref(command.record), `${command.record.kind} ${JSON.stringify(command.record.id)}`);
    case "setOpportunityStatus":
      return see(opportunity(command.opportunityId), `opportunity ${JSON.stringify(command.opportunityId)}`);
    case "deleteContact":
      return own(contact(command.contactId), `contact ${JSON.stringify(command.contactId)}`);
    case "deleteOpportunity":
      return own(opportunity(command.opportunityId), `opportunity ${JSON.stringify(command.opportunityId)}`);
    /* c8 ignore next 2: admin-only commands were refused above */
    default:
      return undefined;
  }
}
