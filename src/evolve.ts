/**
 * `evolve` records facts and decides nothing: every rule and refusal lives in `decide`.
 */
import type { CrmEvent } from "./events.js";
import type { Contact, Follower, Opportunity, OpportunityStatus, RecordRef } from "./model/records.js";
import { Overlay } from "./state/overlay.js";
import type { CrmState } from "./state/state.js";

/**
 * The snapshot after one event. Folding `evolve` over the events of `decide` gives exactly the
 * snapshot `execute` returns.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "assignContactOwner", contactId: "c1", ownerId: "u2" }, context);
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
  // An event without a version (hand-written, or stored before versions) leaves it as it is:
  // the snapshot's version stays a whole number whatever is replayed.
  if (Number.isSafeInteger(event.version)) s.version = event.version;
  switch (event.type) {
    case "SettingsChanged":
      if (s.settings[event.setting] !== event.to) s.settings = { ...s.settings, [event.setting]: event.to };
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
      if (contact) s.contacts.put(contactWith(contact, contact.ownerId, contact.followers, [...contact.opportunityIds, event.opportunityId]));
      return;
    }
    case "ContactOwnerChanged": {
      const contact = s.contacts.get(event.contactId);
      if (contact && contact.ownerId !== event.to) s.contacts.put(contactWith(contact, event.to, contact.followers, contact.opportunityIds));
      return;
    }
    case "OpportunityOwnerChanged": {
      const opportunity = s.opportunities.get(event.opportunityId);
      if (opportunity && opportunity.ownerId !== event.to) s.opportunities.put(opportunityWith(opportunity, event.to, opportunity.followers, opportunity.status));
      return;
    }
    case "OpportunityStatusChanged": {
      const opportunity = s.opportunities.get(event.opportunityId);
      if (opportunity && opportunity.status !== event.to) s.opportunities.put(opportunityWith(opportunity, opportunity.ownerId, opportunity.followers, event.to));
      return;
    }
    case "FollowerAdded":
      updateFollowers(s, event.record, (followers) => {
        const at = indexOfUser(followers, event.userId);
        if (at < 0) return [...followers, { userId: event.userId, source: event.source }];
        if ((followers[at] as Follower).source === event.source) return followers;
        const out = [...followers];
        out[at] = { userId: event.userId, source: event.source };
        return out;
      });
      return;
    case "FollowerRemoved":
      updateFollowers(s, event.record, (followers) => {
        const at = indexOfUser(followers, event.userId);
        if (at < 0) return followers;
        const out = [...followers];
        out.splice(at, 1);
        return out;
      });
      return;
    case "ContactDeleted":
      s.contacts.delete(event.contactId);
      return;
    case "OpportunityDeleted": {
      s.opportunities.delete(event.opportunityId);
      const contact = s.contacts.get(event.contactId);
      const at = contact ? contact.opportunityIds.indexOf(event.opportunityId) : -1;
      if (contact && at >= 0) {
        const ids = [...contact.opportunityIds];
        ids.splice(at, 1);
        s.contacts.put(contactWith(contact, contact.ownerId, contact.followers, ids));
      }
      return;
    }
    case "UserDeactivated":
    case "UserReactivated": {
      const user = s.users.get(event.userId);
      const active = event.type === "UserReactivated";
      if (user && user.active !== active) s.users.put({ id: user.id, active, role: user.role, scope: user.scope });
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

// Records are changed by building the new one field by field (the commit freezes it), sharing
// the follower and opportunity lists it did not change; a change to nothing keeps the record
// itself. Why not immer, or a spread: both cost more than the copy of five fields (immer's draft
// and finalisation; a spread of a frozen object takes V8's slow path), and an event changes one
// record (docs/performance.md). A record the working copy does not hold is left as it is:
// `decide` never emits such an event, and `evolve` records facts, it does not judge them.

function contactWith(c: Contact, ownerId: string | null, followers: readonly Follower[], opportunityIds: readonly string[]): Contact {
  return { id: c.id, ownerId, followers, opportunityIds };
}

function opportunityWith(o: Opportunity, ownerId: string | null, followers: readonly Follower[], status: OpportunityStatus): Opportunity {
  return { id: o.id, contactId: o.contactId, ownerId, followers, status };
}

function indexOfUser(followers: readonly Follower[], userId: string): number {
  for (let i = 0; i < followers.length; i++) if ((followers[i] as Follower).userId === userId) return i;
  return -1;
}

/** Replaces a record's followers with `change(followers)`, unless that is the same list. */
function updateFollowers(s: Overlay, record: RecordRef, change: (followers: readonly Follower[]) => readonly Follower[]): void {
  if (record.kind === "contact") {
    const contact = s.contacts.get(record.id);
    const followers = contact && change(contact.followers);
    if (contact && followers !== contact.followers) s.contacts.put(contactWith(contact, contact.ownerId, followers as readonly Follower[], contact.opportunityIds));
  } else {
    const opportunity = s.opportunities.get(record.id);
    const followers = opportunity && change(opportunity.followers);
    if (opportunity && followers !== opportunity.followers) {
      s.opportunities.put(opportunityWith(opportunity, opportunity.ownerId, followers as readonly Follower[], opportunity.status));
    }
  }
}

/** Compile-time exhaustiveness for `switch` over a union. @internal */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
