/**
 * Moving everything one user owns to another (a transfer, or offboarding). Each record goes
 * through the owner rules, so coupled groups stay whole and the follower subsettings apply.
 */
import type { Cause } from "../events.js";
import { isClosed, type Opportunity } from "../model/records.js";
import type { Context, Refusal } from "../commands/context.js";
import { changeContactOwner, changeOpportunityOwner } from "./owners.js";

/** Which records a bulk move takes. @internal */
export interface BulkMove {
  readonly from: string;
  readonly to: string | null;
  readonly records: "contacts" | "opportunities" | "all";
  readonly includeClosed: boolean;
  readonly cause: Extract<Cause, "transfer" | "user-deactivated">;
  readonly field: string;
}

/**
 * Moves every record of the snapshot owned by `from`, contact by contact in the snapshot's
 * order, each contact's opportunities in the contact's order. Closed opportunities stay unless
 * `includeClosed`; with coupled owners a selected group moves whole, closed ones included,
 * because a coupled group has one owner. @internal
 */
export function moveOwnedRecords(ctx: Context, move: BulkMove): Refusal {
  const takesContacts = move.records !== "opportunities";
  const takesOpportunities = move.records !== "contacts";
  const selected = (o: Opportunity | undefined) =>
    o !== undefined && o.ownerId === move.from && (move.includeClosed || !isClosed(o.status));
  const change = { cause: move.cause, field: move.field };

  for (const contact of ctx.s.contacts.all()) {
    const current = ctx.s.contacts.get(contact.id);
    if (current === undefined) continue;
    const ownedOpportunities = takesOpportunities
      ? current.opportunityIds.filter((id) => selected(ctx.s.opportunities.get(id)))
      : [];
    const ownsContact = takesContacts && current.ownerId === move.from;

    if (!ctx.s.settings.allowDifferentOwners) {
      if (ownsContact || ownedOpportunities.length > 0) {
        const refusal = changeContactOwner(ctx, current, move.to, change);
        if (refusal) return refusal;
      }
      continue;
    }
    if (ownsContact) {
      const refusal = changeContactOwner(ctx, current, move.to, change);
      if (refusal) return refusal;
    }
    for (const id of ownedOpportunities) {
      const opportunity = ctx.s.opportunities.get(id);
      if (opportunity === undefined) continue;
      const refusal = changeOpportunityOwner(ctx, opportunity, move.to, change);
      if (refusal) return refusal;
    }
  }
  return undefined;
}
