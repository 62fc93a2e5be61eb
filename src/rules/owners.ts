/**
 * Owner changes (docs/rules.md, "Coupled owners" and "Separate owners"): coupled owners move as
 * one group; separate owners move alone. Every command that changes an owner (by a person, a
 * workflow or a bulk move) comes through here, so the rules hold whoever asks. Automatic follows
 * are not decided here: the follower rules reconcile each changed group once, at the end of the
 * command (followerSync.ts).
 */
import type { Cause } from "../events.js";
import { isClosed, type Contact, type Opportunity } from "../model/records.js";
import { ruleCause, type Context, type Refusal } from "../commands/context.js";
import { completeGroup } from "./group.js";

/** How an owner change came about. @internal */
export interface OwnerChange {
  readonly cause: Cause;
  /** The command field the new owner came from, for errors. */
  readonly field: string;
  /** Set when a rotation picked the owner. */
  readonly rotationId?: string | undefined;
}

/**
 * `assignContactOwner`'s handover option: which open opportunities move with the contact.
 *
 * @example
 * ```ts
 * const transfer: Transfer = "all"; // every open opportunity of the contact moves with it
 * execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", transfer }, context);
 * ```
 */
export type Transfer = "none" | "ownedByPreviousOwner" | "all";

/**
 * Which of a contact's opportunities move with it when its owner changes, as a sales handover
 * does: `assignContactOwner`'s `transfer`, or a bulk move taking the user's contacts with their
 * opportunities. @internal
 */
export type Handover = (opportunity: Opportunity) => boolean;

/** `assignContactOwner`'s `transfer` from the contact's current owner `from`: open opportunities only. @internal */
export function transferHandover(transfer: Transfer | undefined, from: string | null): Handover | undefined {
  if (transfer === undefined || transfer === "none") return undefined;
  return (opportunity) => !isClosed(opportunity.status) && (transfer === "all" || opportunity.ownerId === from);
}

const rotation = (change: OwnerChange) => (change.rotationId === undefined ? {} : { rotationId: change.rotationId });

/**
 * Sets a contact's owner; with coupled owners, its whole group's. With separate owners, the
 * opportunities `handover` selects move with it. @internal
 */
export function changeContactOwner(ctx: Context, contact: Contact, to: string | null, change: OwnerChange, handover?: Handover): Refusal {
  if (!ctx.s.settings.allowDifferentOwners) return moveGroup(ctx, contact, undefined, to, change);

  const from = contact.ownerId;
  if (from === to) return undefined;
  let group: readonly Opportunity[] = [];
  if (handover !== undefined) {
    const found = completeGroup(ctx.s, contact, change.field);
    if (found.refusal) return found.refusal;
    group = found.opportunities;
  }

  ctx.emit({ type: "ContactOwnerChanged", contactId: contact.id, from, to, cause: change.cause, ...rotation(change) });

  if (handover !== undefined) {
    const moved: OwnerChange = { cause: ruleCause(change.cause, "transfer"), field: change.field };
    for (const opportunity of group) {
      if (!handover(opportunity)) continue;
      const current = ctx.s.opportunities.get(opportunity.id);
      if (current === undefined) continue;
      const refusal = changeOpportunityOwner(ctx, current, to, moved);
      if (refusal) return refusal;
    }
  }
  return undefined;
}

/** Sets an opportunity's owner; with coupled owners, its whole group's. @internal */
export function changeOpportunityOwner(ctx: Context, opportunity: Opportunity, to: string | null, change: OwnerChange): Refusal {
  const contact = ctx.s.contacts.get(opportunity.contactId);
  if (!ctx.s.settings.allowDifferentOwners) {
    // createState guarantees every opportunity's contact is present.
    return contact === undefined ? undefined : moveGroup(ctx, contact, opportunity, to, change);
  }
  const from = opportunity.ownerId;
  if (from === to) return undefined;
  ctx.emit({
    type: "OpportunityOwnerChanged",
    opportunityId: opportunity.id,
    contactId: opportunity.contactId,
    from,
    to,
    cause: change.cause,
    ...rotation(change),
  });
  return undefined;
}

/**
 * Coupled owners: the contact and every opportunity of it end with one owner. The record the
 * command named (`lead`, or the contact) changes first with the command's cause; the rest of
 * the group follows with `owners-coupled` (or the bulk move's cause). A group that was split
 * before the rule existed is realigned here.
 */
function moveGroup(ctx: Context, contact: Contact, lead: Opportunity | undefined, to: string | null, change: OwnerChange): Refusal {
  const found = completeGroup(ctx.s, contact, change.field);
  if (found.refusal) return found.refusal;
  const follow = ruleCause(change.cause, "owners-coupled");
  const moveOpportunity = (opportunity: Opportunity, cause: Cause, extra: object) => {
    if (opportunity.ownerId === to) return;
    ctx.emit({
      type: "OpportunityOwnerChanged",
      opportunityId: opportunity.id,
      contactId: contact.id,
      from: opportunity.ownerId,
      to,
      cause,
      ...extra,
    });
  };
  if (lead !== undefined) moveOpportunity(lead, change.cause, rotation(change));
  if (contact.ownerId !== to) {
    const cause = lead === undefined ? change.cause : follow;
    const extra = lead === undefined ? rotation(change) : {};
    ctx.emit({ type: "ContactOwnerChanged", contactId: contact.id, from: contact.ownerId, to, cause, ...extra });
  }
  for (const opportunity of found.opportunities) {
    if (opportunity.id !== lead?.id) moveOpportunity(opportunity, follow, {});
  }
  return undefined;
}
