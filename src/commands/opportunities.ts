/** Creating, reassigning, closing and deleting opportunities. */
import { errors } from "../errors.js";
import type { OpportunityStatus } from "../model/records.js";
import { changeOpportunityOwner } from "../rules/owners.js";
import { checkAssignable } from "../rules/users.js";
import { id, idOrNull, oneOf, optional } from "./fields.js";
import { checkNewFollowers, followerIds, followNewRecord } from "./followers.js";
import type { CommandMeta } from "./meta.js";
import type { Context, Refusal } from "./context.js";

/**
 * Creates an opportunity of a contact. Without `ownerId` it takes the contact's owner
 * (`ownerDefaulted: true`). With coupled owners an explicit, different `ownerId` moves the whole
 * group (the contact and its other opportunities) to that owner.
 *
 * @example
 * ```ts
 * const defaulted: CreateOpportunity = { type: "createOpportunity", opportunityId: "deal-1", contactId: "acme" };
 * const closedWon: CreateOpportunity = { type: "createOpportunity", opportunityId: "deal-2", contactId: "acme", ownerId: "ana", status: "won" };
 * executeAll(state, [defaulted, closedWon], context); // deal-1: OpportunityCreated with ownerDefaulted: true
 * ```
 */
export interface CreateOpportunity extends CommandMeta {
  readonly type: "createOpportunity";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly ownerId?: string | null | undefined;
  readonly followerIds?: readonly string[] | undefined;
  readonly status?: OpportunityStatus | undefined;
}

/**
 * Sets an opportunity's owner (`null` unassigns). Coupled owners: its contact and the contact's
 * other opportunities move too. Separate owners: only this opportunity, and the follower rule.
 *
 * @example
 * ```ts
 * const command: AssignOpportunityOwner = { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" };
 * execute(state, command, context); // coupled owners: the contact and its other deals move to ben too
 * ```
 */
export interface AssignOpportunityOwner extends CommandMeta {
  readonly type: "assignOpportunityOwner";
  readonly opportunityId: string;
  readonly ownerId: string | null;
}

/**
 * Marks an opportunity won, lost, abandoned or open again.
 *
 * @example
 * ```ts
 * const command: SetOpportunityStatus = { type: "setOpportunityStatus", opportunityId: "deal-1", status: "won" };
 * execute(state, command, context); // OpportunityStatusChanged from "open" to "won"
 * ```
 */
export interface SetOpportunityStatus extends CommandMeta {
  readonly type: "setOpportunityStatus";
  readonly opportunityId: string;
  readonly status: OpportunityStatus;
}

/**
 * Deletes one opportunity.
 *
 * @example
 * ```ts
 * const command: DeleteOpportunity = { type: "deleteOpportunity", opportunityId: "deal-1" };
 * execute(state, command, context); // OpportunityDeleted; the contact no longer lists deal-1
 * ```
 */
export interface DeleteOpportunity extends CommandMeta {
  readonly type: "deleteOpportunity";
  readonly opportunityId: string;
}

/** @internal */
export const opportunityStatus = oneOf("open", "won", "lost", "abandoned");
/** @internal */
export const createOpportunityShape = {
  opportunityId: id,
  contactId: id,
  ownerId: optional(idOrNull),
  followerIds: optional(followerIds),
  status: optional(opportunityStatus),
} as const;
/** @internal */
export const assignOpportunityOwnerShape = { opportunityId: id, ownerId: idOrNull } as const;
/** @internal */
export const setOpportunityStatusShape = { opportunityId: id, status: opportunityStatus } as const;
/** @internal */
export const deleteOpportunityShape = { opportunityId: id } as const;

/** @internal */
export function decideCreateOpportunity(ctx: Context, command: CreateOpportunity): Refusal {
  const { opportunityId, contactId } = command;
  if (ctx.s.opportunities.get(opportunityId)) return errors.alreadyExists("opportunity", opportunityId, "opportunityId");
  const contact = ctx.contact(contactId);
  if (contact === undefined) return errors.contactNotFound(contactId, "contactId");
  // A partial snapshot may list an opportunity it did not load: the id exists all the same.
  if (contact.opportunityIds.includes(opportunityId)) return errors.alreadyExists("opportunity", opportunityId, "opportunityId");
  const ownerDefaulted = command.ownerId === undefined;
  const ownerId = command.ownerId === undefined ? contact.ownerId : command.ownerId;
  const refusal = checkAssignable(ctx.s, ownerId, "ownerId");
  if (refusal) return refusal;
  const followers = checkNewFollowers(ctx, command.followerIds, ownerId, "opportunity", opportunityId);
  if ("code" in followers) return followers;

  const status = command.status ?? "open";
  ctx.emit({ type: "OpportunityCreated", opportunityId, contactId, ownerId, ownerDefaulted, status, cause: "command" });
  followNewRecord(ctx, { kind: "opportunity", id: opportunityId }, followers.userIds);
  if (ctx.s.settings.allowDifferentOwners || ownerId === contact.ownerId) return undefined;
  // Coupled owners: the new opportunity's explicit owner becomes the whole group's.
  const created = ctx.s.opportunities.get(opportunityId);
  return created && changeOpportunityOwner(ctx, created, ownerId, { cause: "command", field: "ownerId" });
}

/** @internal */
export function decideAssignOpportunityOwner(ctx: Context, command: AssignOpportunityOwner): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return errors.opportunityNotFound(command.opportunityId, "opportunityId");
  const refusal = checkAssignable(ctx.s, command.ownerId, "ownerId");
  if (refusal) return refusal;
  return changeOpportunityOwner(ctx, opportunity, command.ownerId, { cause: "command", field: "opportunityId" });
}

/** @internal */
export function decideSetOpportunityStatus(ctx: Context, command: SetOpportunityStatus): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return errors.opportunityNotFound(command.opportunityId, "opportunityId");
  if (opportunity.status === command.status) return undefined;
  ctx.emit({
    type: "OpportunityStatusChanged",
    opportunityId: opportunity.id,
    contactId: opportunity.contactId,
    from: opportunity.status,
    to: command.status,
    cause: "command",
  });
  return undefined;
}

/** @internal */
export function decideDeleteOpportunity(ctx: Context, command: DeleteOpportunity): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return errors.opportunityNotFound(command.opportunityId, "opportunityId");
  ctx.emit({ type: "OpportunityDeleted", opportunityId: opportunity.id, contactId: opportunity.contactId, cause: "command" });
  return undefined;
}
