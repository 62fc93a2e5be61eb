/**
 * Who owns and follows each deal as the events of a command or a batch go by, starting from the
 * snapshot before them: what a user with scope `assigned` could see at each event. `whoToNotifyAll`
 * reads it so that a contact's owner hears of a change to a deal only if they could see that deal
 * just before or just after the change, not merely at the batch's start (a batch that first
 * removes their follow and then closes the deal) or at its end.
 *
 * Why not fold `evolve`: a snapshot per event costs a commit per event, for a bulk move's
 * hundred thousand events; this keeps two facts per deal it meets, and only for those deals.
 */
import type { CrmEvent } from "../events.js";
import { getOpportunity } from "../state/selectors.js";
import type { CrmState } from "../state/state.js";

/** Who owns a deal and who follows it, at one moment; `undefined` for a deal that does not exist then. */
export type DealOwners = { readonly ownerId: string | null; readonly followerIds: readonly string[] } | undefined;

/** Whether a user who sees only what they own or follow sees the deal. */
export const ownsOrFollowsDeal = (deal: DealOwners, userId: string): boolean =>
  deal !== undefined && (deal.ownerId === userId || deal.followerIds.includes(userId));

/** The deals the events have met so far, as they are after the events applied so far. */
export class DealSight {
  private readonly deals = new Map<string, DealOwners>();
  constructor(private readonly before: CrmState) {}

  /** The deal as it is now: as the events left it, or as it was in `before`. */
  get(dealId: string): DealOwners {
    if (this.deals.has(dealId)) return this.deals.get(dealId);
    const found = getOpportunity(this.before, dealId);
    return found === undefined ? undefined : { ownerId: found.ownerId, followerIds: found.followers.map((f) => f.userId) };
  }

  /** Moves on past one event. */
  apply(event: CrmEvent): void {
    switch (event.type) {
      case "OpportunityCreated":
        this.deals.set(event.opportunityId, { ownerId: event.ownerId, followerIds: [] });
        return;
      case "OpportunityOwnerChanged":
        this.change(event.opportunityId, (deal) => ({ ...deal, ownerId: event.to }));
        return;
      case "FollowerAdded":
      case "FollowerRemoved": {
        if (event.record.kind !== "opportunity") return;
        const { userId } = event;
        const added = event.type === "FollowerAdded";
        this.change(event.record.id, (deal) => ({ ...deal, followerIds: added ? [...deal.followerIds, userId] : deal.followerIds.filter((id) => id !== userId) }));
        return;
      }
      case "OpportunityDeleted":
        this.deals.set(event.opportunityId, undefined);
        return;
      default:
        // No other event changes who owns or follows a deal.
        return;
    }
  }

  private change(dealId: string, next: (deal: NonNullable<DealOwners>) => DealOwners): void {
    const deal = this.get(dealId);
    if (deal !== undefined) this.deals.set(dealId, next(deal));
  }
}
