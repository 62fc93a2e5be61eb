/**
 * Groups: a contact and all of its opportunities. A rule that must see every opportunity of a
 * contact (coupling, the follower rules, deleting the contact) never skips one a partial
 * snapshot did not load.
 */
import { errors, type CrmError, type Result } from "../errors.js";
import type { Contact, Opportunity } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";

/** A contact's opportunities, all of them, or `INCOMPLETE_SNAPSHOT` naming `field`. @internal */
export function completeGroup(s: Overlay, contact: Contact, field: string): Result<Opportunity[]> {
  const opportunities = loadedOpportunities(s, contact);
  if (opportunities.length === contact.opportunityIds.length) return { ok: true, value: opportunities };
  return { ok: false, error: errors.incomplete(contact.id, missingOpportunities(s, contact), field) };
}

/**
 * The refusal of a command naming an opportunity it cannot have: `INCOMPLETE_SNAPSHOT` when a
 * loaded contact lists it (the host loaded too little: a store bug, which a fixed load must not
 * find remembered as a not-found), naming only that opportunity, whoever acts; else
 * `OPPORTUNITY_NOT_FOUND` (missing, or hidden from the actor: the same answer). @internal
 */
export function opportunityMissing(s: Overlay, opportunityId: string, field: string): CrmError {
  return s.contactListingUnloaded(opportunityId) === undefined ? errors.opportunityNotFound(opportunityId, field) : errors.notLoaded(opportunityId, field);
}

/**
 * The opportunities of a contact the snapshot holds, in the contact's order. Read together
 * (`getAll`): on a large account each is a cache miss, and together they overlap.
 */
function loadedOpportunities(s: Overlay, contact: Contact): Opportunity[] {
  const found = s.opportunities.getAll(contact.opportunityIds);
  // Drop the ones not loaded in place (indexed: no `filter` on the hot path).
  let kept = 0;
  for (let i = 0; i < found.length; i++) {
    const opportunity = found[i];
    if (opportunity !== undefined) found[kept++] = opportunity;
  }
  found.length = kept;
  return found as Opportunity[];
}

/** Ids a contact lists that the snapshot did not load (for the refusal). */
function missingOpportunities(s: Overlay, contact: Contact): string[] {
  // An indexed loop, not `filter`: Node 20 runs `filter` on a frozen array on a slow path
  // (docs/performance.md).
  const missing: string[] = [];
  const ids = contact.opportunityIds;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    if (s.opportunities.get(id) === undefined) missing.push(id);
  }
  return missing;
}
