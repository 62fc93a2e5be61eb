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
 * - Ends of follows that are not about ownership: re-coupling ends every automatic follow (its
 *   events made here, emitted by owners.ts after its owner changes), offboarding every follow of
 *   the departed user.
 *
 * A new rule about follows ("when a deal is won, its contact's owner follows it") lives here,
 * and is called by the rule file of what triggers it (status.ts for a status change).
 */
import { errors } from "../errors.js";
import type { Cause, EventBody } from "../events.js";
import { followOf } from "../model/follows.js";
import type { Contact, Follower, Opportunity, RecordRef } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context, Refusal } from "../kernel/context.js";
import { completeGroup } from "../kernel/group.js";

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
  const follow = followOf(found.followers, userId);
  if (follow?.source === "manual") return undefined;
  if (follow === undefined && found.ownerId === userId) return undefined;
  if (follow === undefined && isFull(ctx.s, ref)) return errors.followerLimit(ref.kind, ref.id, ctx.s.settings.maxFollowers, "userId");
  ctx.emit({ type: "FollowerAdded", record: { kind: ref.kind, id: ref.id }, userId, source: "manual", cause: "command" });
  return undefined;
}

/** A person ends a follow, whatever its source; ending one that does not exist changes nothing. @internal */
export function removeFollow(ctx: Context, ref: RecordRef, found: Contact | Opportunity, userId: string): void {
  const follow = followOf(found.followers, userId);
  if (follow !== undefined) ctx.emit({ type: "FollowerRemoved", record: { kind: ref.kind, id: ref.id }, userId, source: follow.source, cause: "command" });
}

/** Emits the follows a newly created record starts with (checked by records.ts). @internal */
export function followNewRecord(ctx: Context, ref: RecordRef, userIds: readonly string[]): void {
  for (const userId of userIds) {
    if (followOf(followersOf(ctx.s, ref), userId) !== undefined) continue;
    ctx.emit({ type: "FollowerAdded", record: { kind: ref.kind, id: ref.id }, userId, source: "manual", cause: "command" });
  }
}

/** A departed user follows nothing: every follow of theirs ends, `manual` ones too. @internal */
export function endFollowsOf(ctx: Context, userId: string, cause: Cause): void {
  // Read off the user index: the user's groups only, in the snapshot's order.
  for (const contact of ctx.s.groupsOf(userId, false)) {
    const follow = followOf(contact.followers, userId);
    if (follow) ctx.emit({ type: "FollowerRemoved", record: { kind: "contact", id: contact.id }, userId, source: follow.source, cause });
  }
  for (const opportunity of ctx.s.opportunitiesOf(userId)) {
    const follow = followOf(opportunity.followers, userId);
    if (follow) ctx.emit({ type: "FollowerRemoved", record: { kind: "opportunity", id: opportunity.id }, userId, source: follow.source, cause });
  }
}

// ---------------------------------------------------------------------------------------------
// Automatic follows follow ownership.

/**
 * A group as it was before the command's first change to it, kept as cheaply as the events
 * allow: the contact's owner then, and for each opportunity the command changed, its owner
 * then (`CREATED` for one the command created). An opportunity the command did not change had
 * the owner it has now.
 */
interface Before {
  readonly ownerId: string | null;
  readonly changed: Map<string, string | null | typeof CREATED>;
}

const CREATED = Symbol("created");
const CONTACT_RULE: Cause = "opportunity-owner-followers";
const OPPORTUNITY_RULE: Cause = "contact-owner-followers";

/** The owner an opportunity of the group had before the command (`CREATED`: it did not exist). */
function ownerBefore(was: Before, opportunity: Opportunity): string | null | typeof CREATED {
  const changed = was.changed.get(opportunity.id);
  return changed === undefined && !was.changed.has(opportunity.id) ? opportunity.ownerId : (changed as string | null | typeof CREATED);
}

/** Whether `userId` owns one of `deals` now and not the contact (`owner`): a reason to follow it. */
function followsContactNow(owner: string | null, deals: readonly Opportunity[], userId: string): boolean {
  return userId !== owner && deals.some((d) => d.ownerId === userId);
}

/**
 * Whether `userId` had a reason to follow the contact before the command: they owned one of its
 * opportunities then (one there now, as it was, or one the command deleted), not the contact.
 */
function followedContactBefore(was: Before, deals: readonly Opportunity[], userId: string): boolean {
  if (userId === was.ownerId) return false;
  if (deals.some((d) => ownerBefore(was, d) === userId)) return true;
  for (const [id, owner] of was.changed) {
    if (owner === userId && !deals.some((d) => d.id === id)) return true;
  }
  return false;
}

/** Who has a reason to follow an opportunity owned by `owner`: the contact's owner, when not its owner. */
function followsOpportunity(contactOwner: string | null, owner: string | null | typeof CREATED): string | undefined {
  return owner !== CREATED && contactOwner !== null && contactOwner !== owner ? contactOwner : undefined;
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
  /** Called with each event before it is applied: notes what the group was like before. */
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
  const before = new Map<string, Before | null>();
  return {
    see(body) {
      const contactId = groupOf(body);
      if (contactId === undefined || !reconciling(s)) return;
      let was = before.get(contactId);
      if (was === undefined) {
        if (before.has(contactId)) return;
        const contact = s.contacts.get(contactId);
        was = contact === undefined ? null : { ownerId: contact.ownerId, changed: new Map() };
        before.set(contactId, was);
      }
      if (was === null) return;
      // The first change of an opportunity tells what it was: its owner then, or that it was new.
      const { changed } = was;
      if (body.type === "OpportunityOwnerChanged" && !changed.has(body.opportunityId)) changed.set(body.opportunityId, body.from);
      else if (body.type === "OpportunityCreated" && !changed.has(body.opportunityId)) changed.set(body.opportunityId, CREATED);
      else if (body.type === "OpportunityDeleted" && !changed.has(body.opportunityId)) {
        changed.set(body.opportunityId, s.opportunities.get(body.opportunityId)?.ownerId ?? null);
      }
    },
    reconcile(ctx) {
      if (before.size === 0 || !reconciling(ctx.s)) return undefined;
      const groups: [Contact, Opportunity[], Before][] = [];
      for (const [contactId, was] of before) {
        const contact = ctx.s.contacts.get(contactId);
        if (was === null || contact === undefined) continue;
        // A reason depends on every opportunity's owner: a partial snapshot must not guess.
        const deals = completeGroup(ctx.s, contact, field);
        if (!deals.ok) return deals.error;
        groups.push([contact, deals.value, was]);
      }
      const plan: Plan = { removals: [], additions: [] };
      for (const [contact, deals, was] of groups) planGroup(ctx.s, contact, deals, was, plan);
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
function planGroup(s: Overlay, contact: Contact, deals: readonly Opportunity[], was: Before, plan: Plan): void {
  const owner = contact.ownerId;
  if (s.settings.updateContactFollowersOnOpportunityOwnerChange) {
    const id = contact.id;
    for (const follower of contact.followers) {
      if (follower.source === "automation" && !followsContactNow(owner, deals, follower.userId)) plan.removals.push({ kind: "contact", id, userId: follower.userId, cause: CONTACT_RULE });
    }
    for (let i = 0; i < deals.length; i++) {
      const userId = (deals[i] as Opportunity).ownerId;
      if (userId === null || userId === owner || ownedEarlier(deals, i, userId)) continue;
      if (!followedContactBefore(was, deals, userId)) plan.additions.push({ kind: "contact", id, userId, cause: CONTACT_RULE });
    }
  }
  if (s.settings.updateOpportunityFollowersOnContactOwnerChange) {
    for (const deal of deals) {
      const { id } = deal;
      const reason = followsOpportunity(owner, deal.ownerId);
      for (const follower of deal.followers) {
        if (follower.source === "automation" && follower.userId !== reason) plan.removals.push({ kind: "opportunity", id, userId: follower.userId, cause: OPPORTUNITY_RULE });
      }
      if (reason !== undefined && followsOpportunity(was.ownerId, ownerBefore(was, deal)) !== reason) {
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
  if (followOf(followersOf(ctx.s, record), userId) !== undefined) return;
  if (ctx.s.users.get(userId)?.active !== true) return;
  if (isFull(ctx.s, record)) ctx.emit({ type: "FollowerNotAdded", record, userId, reason: "limit", cause });
  else ctx.emit({ type: "FollowerAdded", record, userId, source: "automation", cause });
}

/**
 * Re-coupling: coupled owners give automatic follows no reason, so every `automation` follow of
 * a group (its contact's, then each opportunity's, in list order) ends. Pushes those
 * `FollowerRemoved` events onto `out` (re-coupling emits them after every owner change).
 * `manual` follows stay. @internal
 */
export function pushAutomationFollowEnds(contact: Contact, opportunities: readonly Opportunity[], out: EventBody[]): void {
  pushFollowEnds({ kind: "contact", id: contact.id }, contact.followers, out);
  for (const opportunity of opportunities) pushFollowEnds({ kind: "opportunity", id: opportunity.id }, opportunity.followers, out);
}

function pushFollowEnds(record: RecordRef, followers: readonly Follower[], out: EventBody[]): void {
  for (let i = 0; i < followers.length; i++) {
    const follower = followers[i] as Follower;
    if (follower.source === "automation") out.push({ type: "FollowerRemoved", record, userId: follower.userId, source: "automation", cause: "owners-recoupled" });
  }
}
