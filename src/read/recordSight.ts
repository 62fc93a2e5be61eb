/**
 * Who owns and follows each record as the events of a command or a batch go by, starting from the
 * snapshot before them. `whoToNotifyAll` reads it so that each event is told to the people it
 * concerned when it happened: the contact's owner and the deal's owner of that moment, a
 * contact's owner with scope `assigned` only if they could see the deal just before or just after
 * the change, and a record deleted in the batch to who owned and followed it then — not to those
 * of the batch's start (a batch that first ends a follow, or moves the contact, then closes the
 * deal) or of its end.
 *
 * Why not fold `evolve`: a snapshot per event costs a commit per event, for a bulk move's
 * hundred thousand events; this keeps two facts per record it meets, and only for those records.
 * It reads the event types of this release: one of a newer release that moved ownership would
 * leave it stale for the events after it (this release notifies nobody of such an event).
 */
import type { CrmEvent } from "../events.js";
import type { RecordKind } from "../model/records.js";
import { getContact, getOpportunity } from "../state/selectors.js";
import type { CrmState } from "../state/state.js";

/** Who owns a record and who follows it, at one moment; `undefined` for a record that does not exist then. */
export type RecordOwners = { readonly ownerId: string | null; readonly followerIds: readonly string[] } | undefined;

/** Whether a user who sees only what they own or follow sees the record. */
export const ownsOrFollows = (record: RecordOwners, userId: string): boolean =>
  record !== undefined && (record.ownerId === userId || record.followerIds.includes(userId));

/** Who owns and follows a record in a snapshot. */
export function ownersIn(state: CrmState, kind: RecordKind, id: string): RecordOwners {
  const found = kind === "contact" ? getContact(state, id) : getOpportunity(state, id);
  return found === undefined ? undefined : { ownerId: found.ownerId, followerIds: found.followers.map((f) => f.userId) };
}

/** The records the events have met so far, as they are after the events applied so far. */
export class RecordSight {
  private readonly records = new Map<string, RecordOwners>();
  constructor(private readonly before: CrmState) {}

  /** The record as it is now: as the events left it, or as it was in `before` (read once). */
  get(kind: RecordKind, id: string): RecordOwners {
    const key = `${kind}:${id}`;
    if (this.records.has(key)) return this.records.get(key);
    const record = ownersIn(this.before, kind, id);
    this.records.set(key, record);
    return record;
  }

  /** Moves on past one event. */
  apply(event: CrmEvent): void {
    switch (event.type) {
      case "ContactCreated":
        this.set("contact", event.contactId, { ownerId: event.ownerId, followerIds: [] });
        return;
      case "OpportunityCreated":
        this.set("opportunity", event.opportunityId, { ownerId: event.ownerId, followerIds: [] });
        return;
      case "ContactOwnerChanged":
        this.change("contact", event.contactId, (record) => ({ ...record, ownerId: event.to }));
        return;
      case "OpportunityOwnerChanged":
        this.change("opportunity", event.opportunityId, (record) => ({ ...record, ownerId: event.to }));
        return;
      case "FollowerAdded":
      case "FollowerRemoved": {
        const { userId } = event;
        const added = event.type === "FollowerAdded";
        // A follow that changes its source (automation to manual) is added again: once is enough.
        this.change(event.record.kind, event.record.id, (record) => ({
          ...record,
          followerIds: added ? (record.followerIds.includes(userId) ? record.followerIds : [...record.followerIds, userId]) : record.followerIds.filter((id) => id !== userId),
        }));
        return;
      }
      case "ContactDeleted":
        this.set("contact", event.contactId, undefined);
        return;
      case "OpportunityDeleted":
        this.set("opportunity", event.opportunityId, undefined);
        return;
      default:
        // No other event changes who owns or follows a record.
        return;
    }
  }

  private set(kind: RecordKind, id: string, record: RecordOwners): void {
    this.records.set(`${kind}:${id}`, record);
  }

  private change(kind: RecordKind, id: string, next: (record: NonNullable<RecordOwners>) => RecordOwners): void {
    const record = this.get(kind, id);
    if (record !== undefined) this.set(kind, id, next(record));
  }
}
