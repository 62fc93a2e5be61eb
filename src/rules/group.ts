import { errors } from "../errors.js";
import type { Contact, Opportunity } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Refusal } from "../commands/context.js";

/**
 * A contact's opportunities, all of them, or the refusal to go on without them. A rule that
 * must touch every opportunity of a contact (coupling, follower sync, deleting the contact)
 * never skips one a partial snapshot did not load. @internal
 */
export function completeGroup(s: Overlay, contact: Contact, field: string): { opportunities: Opportunity[]; refusal?: undefined } | { refusal: NonNullable<Refusal> } {
  const opportunities: Opportunity[] = [];
  const missing: string[] = [];
  for (const id of contact.opportunityIds) {
    const opportunity = s.opportunities.get(id);
    if (opportunity === undefined) missing.push(id);
    else opportunities.push(opportunity);
  }
  if (missing.length > 0) return { refusal: errors.incomplete(contact.id, missing, field) };
  return { opportunities };
}

/** Ids a contact lists that the snapshot did not load. @internal */
export function missingOpportunities(s: Overlay, contact: Contact): string[] {
  return contact.opportunityIds.filter((id) => s.opportunities.get(id) === undefined);
}
