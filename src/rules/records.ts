/**
 * Creating and deleting records (docs/rules.md §3.1, §4.1, §9): a new contact, a new opportunity
 * and the owner it starts with, the followers a record starts with, and what goes with a
 * deleted contact.
 */
import { errors, type Result } from "../errors.js";
import type { Contact, OpportunityStatus, RecordRef } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context, Refusal } from "../kernel/context.js";
import { completeGroup } from "../kernel/group.js";
import { followNewRecord } from "./follows.js";
import { changeOpportunityOwner } from "./owners.js";
import { checkAssignable } from "./users.js";

/** A new contact, unassigned unless `ownerId`, with its `manual` followers. @internal */
export function createContact(ctx: Context, contactId: string, ownerId: string | null, followerIds: readonly string[] | undefined): Refusal {
  const refusal = checkAssignable(ctx.s, ownerId, "ownerId");
  if (refusal) return refusal;
  const ref = { kind: "contact", id: contactId } as const;
  const followers = checkNewFollowers(ctx.s, followerIds, ownerId, ref);
  if (!followers.ok) return followers.error;
  ctx.emit({ type: "ContactCreated", contactId, ownerId, cause: "command" });
  followNewRecord(ctx, ref, followers.value);
  return undefined;
}

/** What a new opportunity is given: `ownerId` absent takes the contact's owner. @internal */
export interface NewOpportunity {
  readonly opportunityId: string;
  readonly ownerId?: string | null | undefined;
  readonly followerIds?: readonly string[] | undefined;
  readonly status?: OpportunityStatus | undefined;
}

/**
 * A new opportunity of `contact`. Its owner defaults to the contact's (`ownerDefaulted`); with
 * coupled owners an explicit, different owner becomes the whole group's. @internal
 */
export function createOpportunity(ctx: Context, contact: Contact, init: NewOpportunity): Refusal {
  const { opportunityId } = init;
  const ownerDefaulted = init.ownerId === undefined;
  const ownerId = init.ownerId === undefined ? contact.ownerId : init.ownerId;
  const refusal = checkAssignable(ctx.s, ownerId, "ownerId");
  if (refusal) return refusal;
  const ref = { kind: "opportunity", id: opportunityId } as const;
  const followers = checkNewFollowers(ctx.s, init.followerIds, ownerId, ref);
  if (!followers.ok) return followers.error;

  const status = init.status ?? "open";
  ctx.emit({ type: "OpportunityCreated", opportunityId, contactId: contact.id, ownerId, ownerDefaulted, status, cause: "command" });
  followNewRecord(ctx, ref, followers.value);
  if (ctx.s.settings.allowDifferentOwners || ownerId === contact.ownerId) return undefined;
  // Coupled owners: the new opportunity's explicit owner becomes the whole group's.
  const created = ctx.s.opportunities.get(opportunityId);
  return created && changeOpportunityOwner(ctx, created, ownerId, { cause: "command", field: "ownerId" });
}

/** Deletes a contact and every one of its opportunities (cause `contact-deleted`). @internal */
export function deleteContact(ctx: Context, contact: Contact, field: string): Refusal {
  const group = completeGroup(ctx.s, contact, field);
  if (!group.ok) return group.error;
  ctx.emit({ type: "ContactDeleted", contactId: contact.id, cause: "command" });
  for (const opportunity of group.value) {
    ctx.emit({ type: "OpportunityDeleted", opportunityId: opportunity.id, contactId: contact.id, cause: "contact-deleted" });
  }
  return undefined;
}

/** Deletes one opportunity; the follower rules then see its group's ownership changed. @internal */
export function deleteOpportunity(ctx: Context, opportunityId: string, contactId: string): void {
  ctx.emit({ type: "OpportunityDeleted", opportunityId, contactId, cause: "command" });
}

/** `ALREADY_EXISTS` for an id in use, a partial snapshot's unloaded ids included. @internal */
export function checkNewOpportunityId(ctx: Context, opportunityId: string, contact: Contact | undefined): Refusal {
  if (ctx.s.opportunities.get(opportunityId) || contact?.opportunityIds.includes(opportunityId)) {
    return errors.alreadyExists("opportunity", opportunityId, "opportunityId");
  }
  return undefined;
}

/**
 * The followers a create command names: known, active, each once, never the owner, within the
 * limit. Checked before anything is emitted. @internal
 */
export function checkNewFollowers(s: Overlay, userIds: readonly string[] | undefined, ownerId: string | null, ref: RecordRef): Result<string[]> {
  const unique: string[] = [];
  for (const [i, userId] of (userIds ?? []).entries()) {
    const refusal = checkAssignable(s, userId, `followerIds[${i}]`);
    if (refusal) return { ok: false, error: refusal };
    if (userId !== ownerId && !unique.includes(userId)) unique.push(userId);
  }
  if (unique.length > s.settings.maxFollowers) return { ok: false, error: errors.followerLimit(ref.kind, ref.id, s.settings.maxFollowers, "followerIds") };
  return { ok: true, value: unique };
}
