/** Creating, reassigning and deleting contacts. */
import { errors } from "../errors.js";
import type { Context, Refusal } from "../kernel/context.js";
import { changeContactOwner, transferHandover, type Transfer } from "../rules/owners.js";
import { createContact, deleteContact } from "../rules/records.js";
import { checkAssignable } from "../rules/users.js";
import { id, idOrNull, oneOf, optional } from "../model/fields.js";
import { followerIds } from "./followers.js";
import type { CommandMeta } from "./meta.js";

/**
 * Creates a contact, unassigned unless `ownerId` is given, with optional `manual` followers.
 *
 * @example
 * ```ts
 * const command: CreateContact = { type: "createContact", contactId: "acme", ownerId: "ana", followerIds: ["ben"] };
 * execute(state, command, context); // ContactCreated, then FollowerAdded (manual) for ben
 * ```
 */
export interface CreateContact extends CommandMeta {
  readonly type: "createContact";
  readonly contactId: string;
  readonly ownerId?: string | null | undefined;
  readonly followerIds?: readonly string[] | undefined;
}

/**
 * Sets a contact's owner (`null` unassigns). Coupled owners: every opportunity moves too.
 * Separate owners: only the contact, unless `transfer` hands over its open opportunities
 * (`"ownedByPreviousOwner"` or `"all"`).
 *
 * @example
 * ```ts
 * // Separate owners: hand the contact over with the open deals the previous owner had.
 * const handover: AssignContactOwner = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", transfer: "ownedByPreviousOwner" };
 * const unassign: AssignContactOwner = { type: "assignContactOwner", contactId: "acme", ownerId: null };
 * executeAll(state, [handover, unassign], context);
 * ```
 */
export interface AssignContactOwner extends CommandMeta {
  readonly type: "assignContactOwner";
  readonly contactId: string;
  readonly ownerId: string | null;
  readonly transfer?: Transfer | undefined;
}

/**
 * Deletes a contact and all of its opportunities.
 *
 * @example
 * ```ts
 * const command: DeleteContact = { type: "deleteContact", contactId: "acme" };
 * execute(state, command, context); // ContactDeleted, then OpportunityDeleted (cause "contact-deleted") for each deal
 * ```
 */
export interface DeleteContact extends CommandMeta {
  readonly type: "deleteContact";
  readonly contactId: string;
}

/** @internal */
export const createContactShape = { contactId: id, ownerId: optional(idOrNull), followerIds: optional(followerIds) } as const;
/** @internal */
export const assignContactOwnerShape = {
  contactId: id,
  ownerId: idOrNull,
  transfer: optional(oneOf("none", "ownedByPreviousOwner", "all")),
} as const;
/** @internal */
export const deleteContactShape = { contactId: id } as const;

/** @internal */
export function decideCreateContact(ctx: Context, command: CreateContact): Refusal {
  if (ctx.s.contacts.get(command.contactId)) return errors.alreadyExists("contact", command.contactId, "contactId");
  return createContact(ctx, command.contactId, command.ownerId ?? null, command.followerIds);
}

/** @internal */
export function decideAssignContactOwner(ctx: Context, command: AssignContactOwner): Refusal {
  const contact = ctx.contact(command.contactId);
  if (contact === undefined) return errors.contactNotFound(command.contactId, "contactId");
  const refusal = checkAssignable(ctx.s, command.ownerId, "ownerId");
  if (refusal) return refusal;
  const handover = transferHandover(command.transfer, contact.ownerId);
  return changeContactOwner(ctx, contact, command.ownerId, { cause: "command", field: "contactId" }, handover);
}

/** @internal */
export function decideDeleteContact(ctx: Context, command: DeleteContact): Refusal {
  const contact = ctx.contact(command.contactId);
  if (contact === undefined) return errors.contactNotFound(command.contactId, "contactId");
  return deleteContact(ctx, contact, "contactId");
}
