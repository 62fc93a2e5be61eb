/**
 * Automatic follows follow ownership (docs/rules.md, "Automatic follows"). Each follower
 * subsetting gives users a *reason* to follow a record:
 * - contact followers follow opportunity owners: owning one of a contact's opportunities (any
 *   status) without owning the contact is a reason to follow the contact;
 * - opportunity followers follow the contact owner: owning the contact without owning one of its
 *   opportunities is a reason to follow that opportunity.
 *
 * A command does not apply rules change by change: the groups (a contact and its opportunities)
 * whose ownership it changes are watched, their reasons noted before the first change, and at
 * the end one reconciliation compares reasons before and after. An `automation` follow without a
 * reason ends; a reason that began adds a follow; a reason that persisted adds nothing (so a
 * person who unfollowed stays unfollowed). Removals come before additions, so a swap on a full
 * record works. `manual` follows are never touched.
 */
import { errors } from "../errors.js";
import type { Cause, EventBody } from "../events.js";
import type { Contact, Follower, Opportunity, RecordRef } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context, Refusal } from "../commands/context.js";
import { followersOf, isFull } from "./followerLimit.js";
import { missingOpportunities } from "./group.js";

/**
 * A group's ownership at one moment: its contact's owner and its opportunities. Records are
 * immutable, so keeping them is enough to read the owners of that moment later.
 */
interface Ownership {
  readonly ownerId: string | null;
  readonly opportunities: readonly Opportunity[];
}

const CONTACT_RULE: Cause = "opportunity-owner-followers";
const OPPORTUNITY_RULE: Cause = "contact-owner-followers";

/** Whether `userId` has a reason to follow the contact: they own a deal of it, not the contact. */
function followsContact(group: Ownership, userId: string): boolean {
  return userId !== group.ownerId && group.opportunities.some((o) => o.ownerId === userId);
}

/** Who has a reason to follow the opportunity: the contact's owner, when not its owner. */
function followsOpportunity(ownerId: string | null, opportunity: Opportunity | undefined): string | undefined {
  return opportunity !== undefined && ownerId !== null && ownerId !== opportunity.ownerId ? ownerId : undefined;
}

/** The opportunity `id` of a group; `at` is where to look first (the order rarely changes). */
function find(group: Ownership, id: string, at: number): Opportunity | undefined {
  const guess = group.opportunities[at];
  return guess?.id === id ? guess : group.opportunities.find((o) => o.id === id);
}

/** A contact's loaded opportunities, in its order. */
function loaded(s: Overlay, contact: Contact): Opportunity[] {
  const out: Opportunity[] = [];
  for (const id of contact.opportunityIds) {
    const opportunity = s.opportunities.get(id);
    if (opportunity !== undefined) out.push(opportunity);
  }
  return out;
}

/** Whether any follower subsetting acts: owners separate and at least one subsetting on. @internal */
export function reconciling(s: Overlay): boolean {
  const settings = s.settings;
  return (
    settings.allowDifferentOwners &&
    (settings.updateContactFollowersOnOpportunityOwnerChange || settings.updateOpportunityFollowersOnContactOwnerChange)
  );
}

/** The contact whose group an event changes the ownership of, if it does. */
function groupOf(body: EventBody): string | undefined {
  switch (body.type) {
    case "ContactOwnerChanged":
    case "OpportunityOwnerChanged":
    case "OpportunityCreated":
    case "OpportunityDeleted":
      return body.contactId;
    default:
      return undefined;
  }
}

/** What a command's decide reports to the watch, and how the watch ends. @internal */
export interface OwnershipWatch {
  /** Called with each event before it is applied: notes a group's ownership at its first change. */
  see(body: EventBody): void;
  /**
   * At the end of the command: every watched group's automatic follows brought in line with its
   * reasons, removals first, then additions, each in record order.
   */
  reconcile(ctx: Context): Refusal;
}

/**
 * Watches the groups one command changes the ownership of, each as it was before the command's
 * first change to it. `field`: the command field to name when a watched group is not wholly
 * loaded. @internal
 */
export function watchOwnership(s: Overlay, field: string): OwnershipWatch {
  /** By contact id, in the order the command first changed each group; `null`: contact gone. */
  const before = new Map<string, Ownership | null>();
  let refusal: Refusal;
  return {
    see(body) {
      const contactId = groupOf(body);
      if (contactId === undefined || before.has(contactId) || !reconciling(s)) return;
      const contact = s.contacts.get(contactId);
      if (contact === undefined) {
        before.set(contactId, null);
        return;
      }
      const opportunities = loaded(s, contact);
      // A reason depends on every opportunity's owner: a partial snapshot must not guess.
      if (opportunities.length < contact.opportunityIds.length) refusal ??= errors.incomplete(contactId, missingOpportunities(s, contact), field);
      before.set(contactId, { ownerId: contact.ownerId, opportunities });
    },
    reconcile(ctx) {
      if (refusal) return refusal;
      if (before.size === 0 || !reconciling(ctx.s)) return undefined;
      const settings = ctx.s.settings;
      const removals: Change[] = [];
      const additions: Change[] = [];
      for (const [contactId, was] of before) {
        const contact = ctx.s.contacts.get(contactId);
        if (was === null || contact === undefined) continue;
        const now: Ownership = { ownerId: contact.ownerId, opportunities: loaded(ctx.s, contact) };
        if (settings.updateContactFollowersOnOpportunityOwnerChange) {
          const record: RecordRef = { kind: "contact", id: contactId };
          for (const follower of contact.followers) {
            if (follower.source === "automation" && !followsContact(now, follower.userId)) removals.push({ record, userId: follower.userId, cause: CONTACT_RULE });
          }
          for (const [i, { ownerId }] of now.opportunities.entries()) {
            if (ownerId === null || ownerId === now.ownerId || now.opportunities.findIndex((o) => o.ownerId === ownerId) !== i) continue;
            if (!followsContact(was, ownerId)) additions.push({ record, userId: ownerId, cause: CONTACT_RULE });
          }
        }
        if (settings.updateOpportunityFollowersOnContactOwnerChange) {
          for (const [i, opportunity] of now.opportunities.entries()) {
            const record: RecordRef = { kind: "opportunity", id: opportunity.id };
            const reason = followsOpportunity(now.ownerId, opportunity);
            for (const follower of opportunity.followers) {
              if (follower.source === "automation" && follower.userId !== reason) removals.push({ record, userId: follower.userId, cause: OPPORTUNITY_RULE });
            }
            if (reason !== undefined && followsOpportunity(was.ownerId, find(was, opportunity.id, i)) !== reason) additions.push({ record, userId: reason, cause: OPPORTUNITY_RULE });
          }
        }
      }
      for (const { record, userId, cause } of removals) {
        ctx.emit({ type: "FollowerRemoved", record, userId, source: "automation", cause });
      }
      for (const { record, userId, cause } of additions) addByRule(ctx, record, userId, cause);
      return undefined;
    },
  };
}

interface Change {
  readonly record: RecordRef;
  readonly userId: string;
  readonly cause: Cause;
}

/**
 * A reason began: `userId` follows the record by `automation`, unless they already follow it
 * (any source) or are inactive; a full record gets `FollowerNotAdded` instead, so a host can tell
 * a person.
 */
function addByRule(ctx: Context, record: RecordRef, userId: string, cause: Cause): void {
  if (followersOf(ctx.s, record).some((f) => f.userId === userId)) return;
  if (ctx.s.users.get(userId)?.active !== true) return;
  if (isFull(ctx.s, record)) ctx.emit({ type: "FollowerNotAdded", record, userId, reason: "limit", cause });
  else ctx.emit({ type: "FollowerAdded", record, userId, source: "automation", cause });
}

/**
 * Re-coupling: coupled owners give automatic follows no reason, so every `automation` follow of
 * these contacts and their opportunities ends, in record order. `manual` follows stay. @internal
 */
export function endAutomationFollows(ctx: Context, contacts: readonly Contact[]): void {
  const cause: Cause = "owners-recoupled";
  for (const { id } of contacts) {
    const contact = ctx.s.contacts.get(id);
    if (contact === undefined) continue;
    const records: [RecordRef, readonly Follower[]][] = [[{ kind: "contact", id }, contact.followers]];
    for (const opportunity of loaded(ctx.s, contact)) records.push([{ kind: "opportunity", id: opportunity.id }, opportunity.followers]);
    for (const [record, followers] of records) {
      for (const follower of followers) {
        if (follower.source === "automation") ctx.emit({ type: "FollowerRemoved", record, userId: follower.userId, source: "automation", cause });
      }
    }
  }
}
