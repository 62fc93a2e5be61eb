/**
 * The two follower subsettings of separate owners (SPEC §4.2.3–4.2.5). Rules add `automation`
 * follows and remove only `automation` follows: a `manual` follower is never removed by a rule.
 */
import type { Context, Refusal } from "../commands/context.js";
import { completeGroup } from "./group.js";
import { addFollowerByRule, followersOf, removeAutomationFollower } from "./followerLimit.js";

/**
 * Contact followers follow opportunity owners: the opportunity's new owner follows the contact
 * (unless already following or owning it); the previous owner's automatic follow ends once they
 * own no other opportunity of the contact. @internal
 */
export function syncContactFollowers(ctx: Context, contactId: string, from: string | null, to: string | null, field: string): Refusal {
  const cause = "opportunity-owner-followers";
  const record = { kind: "contact", id: contactId } as const;
  const contact = ctx.s.contacts.get(contactId);
  if (contact === undefined) return undefined;
  if (to !== null && to !== contact.ownerId) addFollowerByRule(ctx, record, to, cause);

  if (from === null) return undefined;
  const follow = followersOf(ctx.s, record).find((f) => f.userId === from);
  if (follow?.source !== "automation") return undefined;
  // "Owns no other opportunity" needs them all: a partial snapshot must not guess.
  const current = ctx.s.contacts.get(contactId) ?? contact;
  const group = completeGroup(ctx.s, current, field);
  if (group.refusal) return group.refusal;
  if (!group.opportunities.some((o) => o.ownerId === from)) removeAutomationFollower(ctx, record, from, cause);
  return undefined;
}

/**
 * Opportunity followers follow the contact owner: the contact's new owner follows each of its
 * opportunities (unless already following or owning it), and the previous contact owner's
 * automatic follows end. The caller has checked that every opportunity is loaded. @internal
 */
export function syncOpportunityFollowers(ctx: Context, contactId: string, from: string | null, to: string | null): void {
  const cause = "contact-owner-followers";
  const contact = ctx.s.contacts.get(contactId);
  if (contact === undefined) return;
  for (const id of contact.opportunityIds) {
    const opportunity = ctx.s.opportunities.get(id);
    if (opportunity === undefined) continue;
    const record = { kind: "opportunity", id } as const;
    if (to !== null && to !== opportunity.ownerId) addFollowerByRule(ctx, record, to, cause);
    if (from !== null) removeAutomationFollower(ctx, record, from, cause);
  }
}
