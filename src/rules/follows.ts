/**
 * Follows (docs/rules.md §5–§8): who follows what, by hand or by a rule.
 *
 * - By hand: `addFollow` and `removeFollow` (a `manual` follow; upgrading an `automation` one),
 *   the followers a new record starts with (checked by records.ts), the follower limit.
 * - By rule: automatic follows follow ownership. Each follower subsetting gives users a
 *   *reason* to follow a record: owning one of a contact's opportunities (any status) without
 *   owning the contact is a reason to follow the contact; owning the contact without owning one
 *   of its opportunities is a reason to follow that opportunity. A command does not apply the
 *   rules change by change: `watchOwnership` notes each group whose ownership it changes as it
 *   was before the first change, and at the end one reconciliation compares reasons before and
 *   after. An `automation` follow without a reason ends; a reason that began adds a follow; a
 *   reason that persisted adds nothing (so a person who unfollowed stays unfollowed). Removals
 *   come before additions, so a swap on a full record works. `manual` follows are never touched.
 * - Ends of follows that are not about ownership: re-coupling ends every automatic follow,
 *   offboarding every follow of the departed user.
 *
 * A new rule about follows ("when a deal is won, its contact's owner follows it") lives here,
 * and is called by the rule file of what triggers it (status.ts for a status change).
 */
import { errors } from "../errors.js";
import type { Cause, EventBody } from "../events.js";
import type { Contact, Follower, Opportunity, RecordRef } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context, Refusal } from "../kernel/context.js";
import { loadedOpportunities, missingOpportunities } from "../kernel/group.js";

// ---------------------------------------------------------------------------------------------
// Follows by hand, and the limit.

/** The followers of a record in the working copy (empty when it is not there). @internal */
export function followersOf(s: Overlay, record: RecordRef): readonly Follower[] {
  const found = record.kind === "contact" ? s.contacts.get(record.id) : s.opportunities.get(record.id);
  return found?.followers ?? [];
}

/** Whether the record has no room for one more follower. @internal */
export function isFull(s: Overlay, record: RecordRef): boolean {
  return followersOf(s, record).length >= s.settings.maxFollowers;
}

/**
 * A person follows a record (`manual`). Following again by hand changes nothing; the owner is
 * not added, but an `automation` follow (the owner's too) becomes `manual`: what the person
 * asked for wins (docs/rules.md §5.8). A full record refuses a new follower (`FOLLOWER_LIMIT`). @internal
 */
export function addFollow(ctx: Context, ref: RecordRef, found: Contact | Opportunity, userId: string): Refusal {
  const follow = found.followers.find((f) => f.userId === userId);
  if (follow?.source === "manual") return undefined;
  if (follow === undefined && found.ownerId === userId) return undefined;
  if (follow === undefined && isFull(ctx.s, ref)) return errors.followerLimit(ref.kind, ref.id, ctx.s.settings.maxFollowers, "userId");
  ctx.emit({ type: "FollowerAdded", record: { kind: ref.kind, id: ref.id }, userId, source: "manual", cause: "command" });
  return undefined;
}

/** A person ends a follow, whatever its source; ending one that does not exist changes nothing. @internal */
export function removeFollow(ctx: Context, ref: RecordRef, found: Contact | Opportunity, userId: string): void {
  const follow = found.followers.find((f) => f.userId === userId);
  if (follow !== undefined) ctx.emit({ type: "FollowerRemoved", record: { kind: ref.kind, id: ref.id }, userId, source: follow.source, cause: "command" });
}

/** Emits the follows a newly created record starts with (checked by records.ts). @internal */
export function followNewRecord(ctx: Context, ref: RecordRef, userIds: readonly string[]): void {
  for (const userId of userIds) {
    if (followersOf(ctx.s, ref).some((f) => f.userId === userId)) continue;
    ctx.emit({ type: "FollowerAdded", record: { kind: ref.kind, id: ref.id }, userId, source: "manual", cause: "command" });
  }
}

/** A departed user follows nothing: every follow of theirs ends, `manual` ones too. @internal */
export function endFollowsOf(ctx: Context, userId: string, cause: Cause): void {
  for (const contact of ctx.s.contacts.all()) {
    const follow = contact.followers.find((f) => f.userId === userId);
    if (follow) ctx.emit({ type: "FollowerRemoved", record: { kind: "contact", id: contact.id }, userId, source: follow.source, cause });
  }
  for (const opportunity of ctx.s.opportunities.all()) {
    const follow = opportunity.followers.find((f) => f.userId === userId);
    if (follow) ctx.emit({ type: "FollowerRemoved", record: { kind: "opportunity", id: opportunity.id }, userId, source: follow.source, cause });
  }
}

// ---------------------------------------------------------------------------------------------
// Automatic follows follow ownership.

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
      const opportunities = loadedOpportunities(s, contact);
      // A reason depends on every opportunity's owner: a partial snapshot must not guess.
      if (opportunities.length < contact.opportunityIds.length) refusal ??= errors.incomplete(contactId, missingOpportunities(s, contact), field);
      before.set(contactId, { ownerId: contact.ownerId, opportunities });
    },
    reconcile(ctx) {
      if (refusal) return refusal;
      if (before.size === 0 || !reconciling(ctx.s)) return undefined;
      const plan: Plan = { removals: [], additions: [] };
      for (const [contactId, was] of before) {
        const contact = ctx.s.contacts.get(contactId);
        if (was !== null && contact !== undefined) planGroup(ctx.s, contact, was, plan);
      }
      for (const { kind, id, userId, cause } of plan.removals) {
        ctx.emit({ type: "FollowerRemoved", record: { kind, id }, userId, source: "automation", cause });
      }
      for (const { kind, id, userId, cause } of plan.additions) addByRule(ctx, { kind, id }, userId, cause);
      return undefined;
    },
  };
}

/** One follow to end or to add: the record (`kind`, `id`), the user, the rule. */
interface Change extends RecordRef {
  readonly userId: string;
  readonly cause: Cause;
}

interface Plan {
  readonly removals: Change[];
  readonly additions: Change[];
}

/**
 * One group's changes, for each subsetting that is on, in record order: the `automation` follows
 * without a reason now, and the reasons that began since `was`.
 */
function planGroup(s: Overlay, contact: Contact, was: Ownership, plan: Plan): void {
  const now: Ownership = { ownerId: contact.ownerId, opportunities: loadedOpportunities(s, contact) };
  const deals = now.opportunities;
  if (s.settings.updateContactFollowersOnOpportunityOwnerChange) {
    const id = contact.id;
    for (const follower of contact.followers) {
      if (follower.source === "automation" && !followsContact(now, follower.userId)) plan.removals.push({ kind: "contact", id, userId: follower.userId, cause: CONTACT_RULE });
    }
    for (let i = 0; i < deals.length; i++) {
      const ownerId = (deals[i] as Opportunity).ownerId;
      if (ownerId === null || ownerId === now.ownerId || ownedEarlier(deals, i, ownerId)) continue;
      if (!followsContact(was, ownerId)) plan.additions.push({ kind: "contact", id, userId: ownerId, cause: CONTACT_RULE });
    }
  }
  if (s.settings.updateOpportunityFollowersOnContactOwnerChange) {
    for (let i = 0; i < deals.length; i++) {
      const opportunity = deals[i] as Opportunity;
      const { id } = opportunity;
      const reason = followsOpportunity(now.ownerId, opportunity);
      for (const follower of opportunity.followers) {
        if (follower.source === "automation" && follower.userId !== reason) plan.removals.push({ kind: "opportunity", id, userId: follower.userId, cause: OPPORTUNITY_RULE });
      }
      if (reason !== undefined && followsOpportunity(was.ownerId, find(was, id, i)) !== reason) {
        plan.additions.push({ kind: "opportunity", id, userId: reason, cause: OPPORTUNITY_RULE });
      }
    }
  }
}

/** Whether a deal before position `i` has the same owner (each reason is planned once). */
function ownedEarlier(deals: readonly Opportunity[], i: number, ownerId: string): boolean {
  for (let j = 0; j < i; j++) if ((deals[j] as Opportunity).ownerId === ownerId) return true;
  return false;
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
    for (const opportunity of loadedOpportunities(ctx.s, contact)) records.push([{ kind: "opportunity", id: opportunity.id }, opportunity.followers]);
    for (const [record, followers] of records) {
      for (const follower of followers) {
        if (follower.source === "automation") ctx.emit({ type: "FollowerRemoved", record, userId: follower.userId, source: "automation", cause });
      }
    }
  }
}
