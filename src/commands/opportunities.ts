/** Creating, reassigning, closing and deleting opportunities: the input, then the rules. */
import { opportunityMissing } from "../kernel/group.js";
import { errors } from "../errors.js";
import type { Context, Refusal } from "../kernel/context.js";
import type { OpportunityStatus } from "../model/records.js";
import { changeOpportunityOwner } from "../rules/owners.js";
import { checkNewOpportunityId, createOpportunity, deleteOpportunity } from "../rules/records.js";
import { setStatus } from "../rules/status.js";
import { checkAssignable } from "../rules/users.js";
import { id, idOrNull, oneOf, optional } from "../model/fields.js";
import { followerIds } from "./followers.js";
import type { CommandMeta } from "./meta.js";

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
  const taken = checkNewOpportunityId(ctx, command.opportunityId, undefined);
  if (taken) return taken;
  const contact = ctx.contact(command.contactId);
  if (contact === undefined) return errors.contactNotFound(command.contactId, "contactId");
  return checkNewOpportunityId(ctx, command.opportunityId, contact) ?? createOpportunity(ctx, contact, command);
}

/** @internal */
export function decideAssignOpportunityOwner(ctx: Context, command: AssignOpportunityOwner): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return opportunityMissing(ctx.s, command.opportunityId, "opportunityId");
  const refusal = checkAssignable(ctx.s, command.ownerId, "ownerId");
  if (refusal) return refusal;
  return changeOpportunityOwner(ctx, opportunity, command.ownerId, { cause: "command", field: "opportunityId" });
}

/** @internal */
export function decideSetOpportunityStatus(ctx: Context, command: SetOpportunityStatus): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return opportunityMissing(ctx.s, command.opportunityId, "opportunityId");
  setStatus(ctx, opportunity, command.status);
  return undefined;
}

/** @internal */
export function decideDeleteOpportunity(ctx: Context, command: DeleteOpportunity): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return opportunityMissing(ctx.s, command.opportunityId, "opportunityId");
  deleteOpportunity(ctx, opportunity.id, opportunity.contactId);
  return undefined;
}
