/**
 * Owners and coupling (docs/rules.md §3, §4, §8, §11): who owns a contact and its
 * opportunities, and how owners move. Coupled owners move as one group; separate owners move
 * alone, or with a handover. Every command that changes an owner (a person, a workflow, a
 * rotation, a bulk move, offboarding) comes through here, so the rules hold whoever asks; so
 * does turning the setting off (re-coupling).
 *
 * Automatic follows are not decided here: the follower rules (follows.ts) reconcile each group
 * whose ownership a command changed, once, at the end of the command.
 */
import type { CrmError } from "../errors.js";
import type { Cause, EventBody, ToggleSetting } from "../events.js";
import { isClosed, type Contact, type Opportunity } from "../model/records.js";
import { ruleCause, type Context, type Refusal } from "../kernel/context.js";
import { completeGroup } from "../kernel/group.js";
import { pushAutomationFollowEnds } from "./follows.js";

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
    if (!found.ok) return found.error;
    group = found.value;
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
  if (!found.ok) return found.error;
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
  for (const opportunity of found.value) {
    if (opportunity.id !== lead?.id) moveOpportunity(opportunity, follow, {});
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Bulk moves: everything one user owns.

/** Which records a bulk move takes. @internal */
export interface BulkMove {
  readonly from: string;
  readonly to: string | null;
  readonly records: "contacts" | "opportunities" | "all";
  readonly includeClosed: boolean;
  readonly cause: Extract<Cause, "transfer" | "user-deactivated">;
  readonly field: string;
  /** Only the groups of these contacts (a chunk of a bulk run); absent: every group of the user. */
  readonly contactIds?: readonly string[] | undefined;
}

/**
 * Moves every record of the snapshot owned by `from`, contact by contact in the snapshot's
 * order, each contact's opportunities in the contact's order. Closed opportunities stay unless
 * `includeClosed`; with coupled owners a selected group moves whole, closed ones included,
 * because a coupled group has one owner. With separate owners, a contact of the user's hands its
 * selected opportunities over with it (as `assignContactOwner`'s `transfer` does). The follower
 * rules run once, after the whole move, on the final owners. @internal
 */
export function moveOwnedRecords(ctx: Context, move: BulkMove): Refusal {
  const takesContacts = move.records !== "opportunities";
  const takesOpportunities = move.records !== "contacts";
  const selected = (o: Opportunity) => o.ownerId === move.from && (move.includeClosed || !isClosed(o.status));
  const change = { cause: move.cause, field: move.field };

  // The user's groups (and, for their opportunities, every group not loaded whole), in the
  // snapshot's order: the index spares the walk over every other contact (state/userIndex.ts).
  // A chunk names its groups: those (each once), not the user's.
  const groups = move.contactIds === undefined ? ctx.s.groupsOf(move.from, takesOpportunities) : [...new Set(move.contactIds)].map((id) => ({ id }));
  for (const contact of groups) {
    const current = ctx.s.contacts.get(contact.id);
    if (current === undefined) continue;
    const ownsContact = takesContacts && current.ownerId === move.from;
    let owned: Opportunity[] = [];
    if (takesOpportunities) {
      // An opportunity the snapshot did not load could be the user's: refuse rather than skip it.
      const group = completeGroup(ctx.s, current, move.field);
      if (!group.ok) return group.error;
      owned = group.value.filter(selected);
    }

    if (!ctx.s.settings.allowDifferentOwners) {
      if (ownsContact || owned.length > 0) {
        const refusal = changeContactOwner(ctx, current, move.to, change);
        if (refusal) return refusal;
      }
      continue;
    }
    if (ownsContact) {
      const refusal = changeContactOwner(ctx, current, move.to, change, takesOpportunities ? selected : undefined);
      if (refusal) return refusal;
      continue;
    }
    for (const { id } of owned) {
      const opportunity = ctx.s.opportunities.get(id);
      if (opportunity === undefined) continue;
      const refusal = changeOpportunityOwner(ctx, opportunity, move.to, change);
      if (refusal) return refusal;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Settings: the switch between coupled and separate owners, and its subsettings.

/** The settings a command may turn on or off. @internal */
export type Toggles = { readonly [K in ToggleSetting]?: boolean | undefined };

const TOGGLES: readonly ToggleSetting[] = [
  "allowDifferentOwners",
  "updateContactFollowersOnOpportunityOwnerChange",
  "updateOpportunityFollowersOnContactOwnerChange",
];

/**
 * Turns settings on or off, one `SettingsChanged` each. Turning `allowDifferentOwners` off
 * re-couples the account (docs/rules.md §8): it must see every opportunity of each group it changes first. @internal
 */
export function changeSettings(ctx: Context, toggles: Toggles, field: string): Refusal {
  const before = ctx.s.settings;
  const recoupling = before.allowDifferentOwners && toggles.allowDifferentOwners === false;
  // The groups re-coupling may change: a superset read off the snapshot's index, not a walk.
  const recoupled = recoupling ? recouplingEvents(ctx, ctx.s.groupsToRecouple(), field) : [];
  if (!Array.isArray(recoupled)) return recoupled;
  for (const setting of TOGGLES) {
    const to = toggles[setting];
    if (to === undefined || to === before[setting]) continue;
    ctx.emit({ type: "SettingsChanged", setting, from: before[setting], to, cause: "command" });
  }
  for (const body of recoupled) ctx.emit(body);
  return undefined;
}

/**
 * Re-coupling's events: every opportunity whose owner differs from its contact's moves to the
 * contact's owner (its own event, cause `owners-recoupled`), contact by contact in order; then,
 * coupled owners giving automatic follows no reason, every `automation` follow of these groups
 * ends. Or the refusal for the first group the snapshot did not load whole, and no
 * event. One read of each group makes both lists: owner changes leave follower lists as they
 * are, and on a large account every read of a record is a cache miss. (So each record is read
 * before any event applies: on a sound snapshot, where an opportunity is listed by one contact,
 * once, that is what reading it later would give.)
 */
function recouplingEvents(ctx: Context, contacts: readonly Contact[], field: string): EventBody[] | CrmError {
  const ownerChanges: EventBody[] = [];
  const followsEnded: EventBody[] = [];
  for (const contact of contacts) {
    const group = completeGroup(ctx.s, contact, field);
    if (!group.ok) return group.error;
    const opportunities = group.value;
    for (const opportunity of opportunities) {
      if (opportunity.ownerId === contact.ownerId) continue;
      ownerChanges.push({
        type: "OpportunityOwnerChanged",
        opportunityId: opportunity.id,
        contactId: contact.id,
        from: opportunity.ownerId,
        to: contact.ownerId,
        cause: "owners-recoupled",
      });
    }
    pushAutomationFollowEnds(contact, opportunities, followsEnded);
  }
  return ownerChanges.concat(followsEnded);
}

/**
 * `recoupleGroups`: re-couples the groups of these contacts only, whatever the setting (a chunk
 * of a bulk re-coupling, docs/integration.md): the events turning the setting off gives for
 * them, contacts in the snapshot's order. A contact not in the snapshot is skipped (as
 * `transferOwnership`'s `contactIds`); a group not loaded whole is refused, as the
 * whole-account re-coupling refuses it. @internal
 */
export function recoupleGroups(ctx: Context, contactIds: readonly string[], field: string): Refusal {
  const recoupled = recouplingEvents(ctx, ctx.s.contacts.inOrder(new Set(contactIds)), field);
  if (!Array.isArray(recoupled)) return recoupled;
  for (const body of recoupled) ctx.emit(body);
  return undefined;
}
