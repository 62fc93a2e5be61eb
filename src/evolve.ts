/**
 * `evolve` records facts and decides nothing: every rule and refusal lives in `decide`.
 */
import type { CrmEvent } from "./events.js";
import type { Follower, RecordRef } from "./model/records.js";
import { Overlay } from "./state/overlay.js";
import type { CrmState } from "./state/state.js";

/**
 * The snapshot after one event. Folding `evolve` over the events of `decide` gives exactly the
 * snapshot `execute` returns.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "assignContactOwner", contactId: "c1", ownerId: "u2" });
 * const next = events.reduce(evolve, state);
 * ```
 */
export function evolve(state: CrmState, event: CrmEvent): CrmState {
  const overlay = new Overlay(state);
  applyEvent(overlay, event);
  return overlay.commit();
}

/** Applies one event to a working copy. @internal */
export function applyEvent(s: Overlay, event: CrmEvent): void {
  s.version = event.version;
  switch (event.type) {
    case "SettingsChanged":
      s.settings = { ...s.settings, [event.setting]: event.to };
      return;
    case "ContactCreated":
      s.contacts.put({ id: event.contactId, ownerId: event.ownerId, followers: [], opportunityIds: [] });
      return;
    case "OpportunityCreated": {
      s.opportunities.put({
        id: event.opportunityId,
        contactId: event.contactId,
        ownerId: event.ownerId,
        followers: [],
        status: event.status,
      });
      const contact = s.contacts.get(event.contactId);
      if (contact) s.contacts.put({ ...contact, opportunityIds: [...contact.opportunityIds, event.opportunityId] });
      return;
    }
    case "ContactOwnerChanged": {
      const contact = s.contacts.get(event.contactId);
      if (contact) s.contacts.put({ ...contact, ownerId: event.to });
      return;
    }
    case "OpportunityOwnerChanged": {
      const opportunity = s.opportunities.get(event.opportunityId);
      if (opportunity) s.opportunities.put({ ...opportunity, ownerId: event.to });
      return;
    }
    case "OpportunityStatusChanged": {
      const opportunity = s.opportunities.get(event.opportunityId);
      if (opportunity) s.opportunities.put({ ...opportunity, status: event.to });
      return;
    }
    case "FollowerAdded":
      updateFollowers(s, event.record, (followers) => {
        const follow: Follower = { userId: event.userId, source: event.source };
        const at = followers.findIndex((f) => f.userId === event.userId);
        return at < 0 ? [...followers, follow] : followers.map((f, i) => (i === at ? follow : f));
      });
      return;
    case "FollowerRemoved":
      updateFollowers(s, event.record, (followers) => followers.filter((f) => f.userId !== event.userId));
      return;
    case "ContactDeleted":
      s.contacts.delete(event.contactId);
      return;
    case "OpportunityDeleted": {
      s.opportunities.delete(event.opportunityId);
      const contact = s.contacts.get(event.contactId);
      if (contact) {
        s.contacts.put({ ...contact, opportunityIds: contact.opportunityIds.filter((id) => id !== event.opportunityId) });
      }
      return;
    }
    case "UserDeactivated":
    case "UserReactivated": {
      const user = s.users.get(event.userId);
      if (user) s.users.put({ ...user, active: event.type === "UserReactivated" });
      return;
    }
    case "RotationAdvanced":
      s.rotations.put({ id: event.rotationId, picks: event.picks });
      return;
    case "FollowerNotAdded":
      return;
    default:
      return assertNever(event);
  }
}

function updateFollowers(s: Overlay, record: RecordRef, change: (followers: readonly Follower[]) => readonly Follower[]): void {
  if (record.kind === "contact") {
    const contact = s.contacts.get(record.id);
    if (contact) s.contacts.put({ ...contact, followers: change(contact.followers) });
  } else {
    const opportunity = s.opportunities.get(record.id);
    if (opportunity) s.opportunities.put({ ...opportunity, followers: change(opportunity.followers) });
  }
}

/** Compile-time exhaustiveness for `switch` over a union. @internal */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
