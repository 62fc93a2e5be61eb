/**
 * Opportunity status (docs/rules.md §12): open, won, lost or abandoned, moved between any two.
 * A status change is not an ownership change, so the follower rules do not run for it. A rule
 * that reacts to a status ("when a deal is won, its contact's owner follows it") starts here
 * and calls the rule file of what it changes (follows.ts).
 */
import type { Context } from "../kernel/context.js";
import type { Opportunity, OpportunityStatus } from "../model/records.js";

/** Sets an opportunity's status; the status it has already changes nothing. @internal */
export function setStatus(ctx: Context, opportunity: Opportunity, status: OpportunityStatus): void {
  if (opportunity.status === status) return;
  ctx.emit({
    type: "OpportunityStatusChanged",
    opportunityId: opportunity.id,
    contactId: opportunity.contactId,
    from: opportunity.status,
    to: status,
    cause: "command",
  });
}
