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

/** Who has a reason to follow which record of one group (both kinds, whatever is on). */
interface Reasons {
  /** Users with a reason to follow the contact: owners of its opportunities who do not own it. */
  readonly contact: ReadonlySet<string>;
  /** By opportunity id: the contact's owner, where they do not own the opportunity. */
  readonly opportunities: ReadonlyMap<string, string>;
}

const CONTACT_RULE: Cause = "opportunity-owner-followers";
const OPPORTUNITY_RULE: Cause = "contact-owner-followers";

/** The reasons of a group as it stands: `opportunities` are all of the contact's, in its order. */
function reasonsOf(contact: Contact, opportunities: readonly Opportunity[]): Reasons {
  const contactReasons = new Set<string>();
  const opportunityReasons = new Map<string, string>();
  for (const opportunity of opportunities) {
    if (opportunity.ownerId !== null && opportunity.ownerId !== contact.ownerId) contactReasons.add(opportunity.ownerId);
    if (contact.ownerId !== null && contact.ownerId !== opportunity.ownerId) opportunityReasons.set(opportunity.id, contact.ownerId);
  }
  return { contact: contactReasons, opportunities: opportunityReasons };
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

/** Whether any follower subsetting acts: owners separate and at least one subsetting on. */
function reconciling(s: Overlay): boolean {
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
  /** Called with each event before it is applied: notes a group's reasons at its first change. */
  see(body: EventBody): void;
  /**
   * At the end of the command: every watched group's automatic follows brought in line with its
   * reasons, removals first, then additions, each in record order.
   */
  reconcile(ctx: Context): Refusal;
}

/**
 * Watches the groups one command changes the ownership of, each with its reasons from before
 * the command's first change to it. `field`: the command field to name when a watched group is
 * not wholly loaded. @internal
 */
export function watchOwnership(s: Overlay, field: string): OwnershipWatch {
  /** By contact id, in the order the command first changed each group; `null`: contact gone. */
  const before = new Map<string, Reasons | null>();
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
      // A reason depends on every opportunity's owner: a partial snapshot must not guess.
      const missing = missingOpportunities(s, contact);
      if (missing.length > 0) refusal ??= errors.incomplete(contactId, missing, field);
      before.set(contactId, reasonsOf(contact, loaded(s, contact)));
    },
    reconcile(ctx) {
      if (refusal) return refusal;
      if (before.size === 0 || !reconciling(ctx.s)) return undefined;
      const settings = ctx.s.settings;
      const removals: Change[] = [];
      const additions: Change[] = [];
      for (const [contactId, had] of before) {
        const contact = ctx.s.contacts.get(contactId);
        if (had === null || contact === undefined) continue;
        const group = loaded(ctx.s, contact);
        const now = reasonsOf(contact, group);
        if (settings.updateContactFollowersOnOpportunityOwnerChange) {
          const record = { kind: "contact", id: contact.id } as const;
          plan(record, contact.followers, now.contact, had.contact, CONTACT_RULE, removals, additions);
        }
        if (settings.updateOpportunityFollowersOnContactOwnerChange) {
          for (const opportunity of group) {
            const record = { kind: "opportunity", id: opportunity.id } as const;
            plan(record, opportunity.followers, one(now.opportunities.get(opportunity.id)), one(had.opportunities.get(opportunity.id)), OPPORTUNITY_RULE, removals, additions);
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

const one = (userId: string | undefined): ReadonlySet<string> => new Set(userId === undefined ? [] : [userId]);

interface Change {
  readonly record: RecordRef;
  readonly userId: string;
  readonly cause: Cause;
}

/** One record's removals (automation follows without a reason) and additions (reasons that began). */
function plan(
  record: RecordRef,
  followers: readonly Follower[],
  now: ReadonlySet<string>,
  had: ReadonlySet<string>,
  cause: Cause,
  removals: Change[],
  additions: Change[],
): void {
  for (const follower of followers) {
    if (follower.source === "automation" && !now.has(follower.userId)) removals.push({ record, userId: follower.userId, cause });
  }
  for (const userId of now) {
    if (!had.has(userId)) additions.push({ record, userId, cause });
  }
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
