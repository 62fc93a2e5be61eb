/**
 * Moving everything one user owns to another (a transfer, or offboarding). Each record goes
 * through the owner rules, so coupled groups stay whole and the follower subsettings apply.
 */
import type { Cause } from "../events.js";
import { isClosed, type Opportunity } from "../model/records.js";
import type { Context, Refusal } from "../commands/context.js";
import { changeContactOwner, changeOpportunityOwner } from "./owners.js";
import { completeGroup } from "./group.js";

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
 * because a coupled group has one owner. With separate owners, a contact of the user's hands its
 * selected opportunities over with it (as `assignContactOwner`'s `transfer` does), so the
 * follower rules run once, on the final owners. @internal
 */
export function moveOwnedRecords(ctx: Context, move: BulkMove): Refusal {
  const takesContacts = move.records !== "opportunities";
  const takesOpportunities = move.records !== "contacts";
  const selected = (o: Opportunity) => o.ownerId === move.from && (move.includeClosed || !isClosed(o.status));
  const change = { cause: move.cause, field: move.field };

  // The user's groups (and, for their opportunities, every group not loaded whole), in the
  // snapshot's order: the index spares the walk over every other contact (state/userIndex.ts).
  for (const contact of ctx.s.groupsOf(move.from, takesOpportunities)) {
    const current = ctx.s.contacts.get(contact.id);
    if (current === undefined) continue;
    const ownsContact = takesContacts && current.ownerId === move.from;
    let owned: Opportunity[] = [];
    if (takesOpportunities) {
      // An opportunity the snapshot did not load could be the user's: refuse rather than skip it.
      const group = completeGroup(ctx.s, current, move.field);
      if (group.refusal) return group.refusal;
      owned = group.opportunities.filter(selected);
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
