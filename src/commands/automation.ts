/** The workflow actions (docs/rules.md §10, §11): what an automation engine calls to set or clear owners. */
import { opportunityMissing } from "../kernel/group.js";
import { errors } from "../errors.js";
import { LIMITS } from "../limits.js";
import type { RotationMember } from "../model/records.js";
import type { Context, Refusal } from "../kernel/context.js";
import { changeContactOwner, changeOpportunityOwner } from "../rules/owners.js";
import { assignByRotation, checkMembers } from "../rules/rotation.js";
import { checkAssignable } from "../rules/users.js";
import { boolean, id, list, object, optional, positive } from "../model/fields.js";
import type { CommandMeta } from "./meta.js";

/**
 * Sets a contact's owner to the next user of a weighted rotation. With `onlyIfUnassigned`, an
 * owned contact is left alone and the rotation does not move on.
 *
 * @example
 * ```ts
 * // Round robin over three reps, 3:3:1 (ana, ana, ana, ben, ben, ben, cleo, then again).
 * const command: AssignUser = {
 *   type: "assignUser",
 *   contactId: "lead-42",
 *   rotationId: "inbound-leads",
 *   users: [{ userId: "ana", weight: 3 }, { userId: "ben", weight: 3 }, { userId: "cleo", weight: 1 }],
 *   onlyIfUnassigned: true,
 * };
 * execute(state, command, context); // ContactOwnerChanged with rotationId, then RotationAdvanced
 * ```
 */
export interface AssignUser extends CommandMeta {
  readonly type: "assignUser";
  readonly contactId: string;
  readonly users: readonly RotationMember[];
  readonly rotationId: string;
  readonly onlyIfUnassigned?: boolean | undefined;
}

/**
 * Sets an opportunity's owner to `userId`, or to the next user of the rotation `rotationId`
 * over `users` (give one or the other).
 *
 * @example
 * ```ts
 * const toOneUser: AddOpportunityOwner = { type: "addOpportunityOwner", opportunityId: "deal-1", userId: "ana" };
 * const byRotation: AddOpportunityOwner = {
 *   type: "addOpportunityOwner",
 *   opportunityId: "deal-2",
 *   rotationId: "deals",
 *   users: [{ userId: "ana" }, { userId: "ben" }],
 * };
 * executeAll(state, [toOneUser, byRotation], context);
 * ```
 */
export interface AddOpportunityOwner extends CommandMeta {
  readonly type: "addOpportunityOwner";
  readonly opportunityId: string;
  readonly userId?: string | undefined;
  readonly users?: readonly RotationMember[] | undefined;
  readonly rotationId?: string | undefined;
  readonly onlyIfUnassigned?: boolean | undefined;
}

/**
 * Unassigns an opportunity (with coupled owners: its whole group).
 *
 * @example
 * ```ts
 * const command: RemoveOpportunityOwner = { type: "removeOpportunityOwner", opportunityId: "deal-1" };
 * execute(state, command, context); // OpportunityOwnerChanged to null
 * ```
 */
export interface RemoveOpportunityOwner extends CommandMeta {
  readonly type: "removeOpportunityOwner";
  readonly opportunityId: string;
}

/**
 * Unassigns a contact (with coupled owners: its whole group).
 *
 * @example
 * ```ts
 * const command: RemoveAssignedUser = { type: "removeAssignedUser", contactId: "acme" };
 * execute(state, command, context); // ContactOwnerChanged to null
 * ```
 */
export interface RemoveAssignedUser extends CommandMeta {
  readonly type: "removeAssignedUser";
  readonly contactId: string;
}

const members = list(object({ userId: id, weight: optional(positive) }), LIMITS.rotationUsers);

/** @internal */
export const assignUserShape = { contactId: id, users: members, rotationId: id, onlyIfUnassigned: optional(boolean) } as const;
/** @internal */
export const addOpportunityOwnerShape = {
  opportunityId: id,
  userId: optional(id),
  users: optional(members),
  rotationId: optional(id),
  onlyIfUnassigned: optional(boolean),
} as const;
/** @internal */
export const removeOpportunityOwnerShape = { opportunityId: id } as const;
/** @internal */
export const removeAssignedUserShape = { contactId: id } as const;

/** Cross-field rule of `addOpportunityOwner`, checked by `parseCommand`. @internal */
export function checkAddOpportunityOwner(command: AddOpportunityOwner): Refusal {
  const byUser = command.userId !== undefined;
  const byRotation = command.users !== undefined || command.rotationId !== undefined;
  if (byUser === byRotation) return errors.invalid("userId", "given, or else both users and rotationId (not both ways)");
  if (byRotation && command.users === undefined) return errors.invalid("users", "given with rotationId");
  if (byRotation && command.rotationId === undefined) return errors.invalid("rotationId", "given with users");
  return undefined;
}

/** @internal */
export function decideAssignUser(ctx: Context, command: AssignUser): Refusal {
  const contact = ctx.contact(command.contactId);
  if (contact === undefined) return errors.contactNotFound(command.contactId, "contactId");
  // The input first, then onlyIfUnassigned: a workflow naming an unknown user fails every time.
  const members = checkMembers(ctx.s, command.users);
  if (members) return members;
  if (command.onlyIfUnassigned === true && contact.ownerId !== null) return undefined;
  return assignByRotation(ctx, { kind: "contact", record: contact }, command.rotationId, command.users);
}

/** @internal */
export function decideAddOpportunityOwner(ctx: Context, command: AddOpportunityOwner): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return opportunityMissing(ctx.s, command.opportunityId, "opportunityId");
  // The input first, then onlyIfUnassigned: a workflow naming an unknown user fails every time.
  const input = command.userId !== undefined ? checkAssignable(ctx.s, command.userId, "userId") : checkMembers(ctx.s, command.users ?? []);
  if (input) return input;
  if (command.onlyIfUnassigned === true && opportunity.ownerId !== null) return undefined;
  if (command.userId !== undefined) return changeOpportunityOwner(ctx, opportunity, command.userId, { cause: "command", field: "userId" });
  // checkAddOpportunityOwner (parseCommand) guarantees users and rotationId together.
  return assignByRotation(ctx, { kind: "opportunity", record: opportunity }, command.rotationId ?? "", command.users ?? []);
}

/** @internal */
export function decideRemoveOpportunityOwner(ctx: Context, command: RemoveOpportunityOwner): Refusal {
  const opportunity = ctx.opportunity(command.opportunityId);
  if (opportunity === undefined) return opportunityMissing(ctx.s, command.opportunityId, "opportunityId");
  return changeOpportunityOwner(ctx, opportunity, null, { cause: "command", field: "opportunityId" });
}

/** @internal */
export function decideRemoveAssignedUser(ctx: Context, command: RemoveAssignedUser): Refusal {
  const contact = ctx.contact(command.contactId);
  if (contact === undefined) return errors.contactNotFound(command.contactId, "contactId");
  return changeContactOwner(ctx, contact, null, { cause: "command", field: "contactId" });
}
