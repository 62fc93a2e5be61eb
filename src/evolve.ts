/**
 * `evolve` records facts and decides nothing: every rule and refusal lives in `decide`.
 */
import type { CrmEvent } from "./events.js";
import { followIndex } from "./model/follows.js";
import type { Contact, Follower, Opportunity, OpportunityStatus, RecordRef } from "./model/records.js";
import { line, quote } from "./errors.js";
import { parseEvent } from "./eventShape.js";
import type { Draft } from "immer";
import { appended, without } from "./state/atLength.js";
import { immer } from "./state/immer.js";
import { Overlay } from "./state/overlay.js";
import type { CrmState } from "./state/state.js";

/**
 * The snapshot after one event. Folding `evolve` over the events of `decide` gives exactly the
 * snapshot `execute` returns.
 *
 * The event is checked first, since it may come from storage or another service: one the
 * library could not have emitted (an unknown `type`, a missing or mistyped field, an over-long
 * id) throws `InvalidEventError` naming the field, and nothing is applied. Fields the library
 * does not know are ignored. Nothing of the event is kept or frozen: the snapshot holds copies.
 * The event is checked for its shape, not against the snapshot: fold `evolve` over the events of
 * the snapshot's own history (its outbox, `decide`'s result). An event it did not lead to, such as
 * an `OpportunityDeleted` naming another contact than the opportunity's, is applied as it says,
 * and the snapshot's user index may then miss that the group lists an id it no longer holds.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "assignContactOwner", contactId: "c1", ownerId: "u2" }, context);
 * const next = events.reduce(evolve, state);
 * ```
 */
export function evolve(state: CrmState, event: CrmEvent): CrmState {
  // Checked and copied here only: `decide` and `execute` apply their own events unchecked.
  const checked = parseEvent(event);
  const overlay = new Overlay(state);
  applyEvent(overlay, checked);
  return overlay.commit();
}

/** Applies one event, trusted (made by `decide`, or checked by `evolve`), to a working copy. @internal */
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
      if (contact) s.contacts.put(contactWith(contact, contact.ownerId, contact.followers, appended(contact.opportunityIds, event.opportunityId)));
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
      updateFollowers(s, event.record, (followers) => withFollow(followers, event.userId, event.source));
      return;
    case "FollowerRemoved":
      updateFollowers(s, event.record, (followers) => withoutFollow(followers, event.userId));
      return;
    case "ContactDeleted":
      s.contacts.delete(event.contactId);
      return;
    case "OpportunityDeleted": {
      s.opportunities.delete(event.opportunityId);
      const contact = s.contacts.get(event.contactId);
      const at = contact ? contact.opportunityIds.indexOf(event.opportunityId) : -1;
      if (contact && at >= 0) s.contacts.put(contactWith(contact, contact.ownerId, contact.followers, without(contact.opportunityIds, at)));
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

// An owner or a status is a field: the record is rebuilt field by field (the commit freezes it),
// sharing its lists; a spread of a frozen object takes V8's slow path, and immer's draft costs
// more than five fields (docs/performance.md). A follower list is copied at its length with the
// follow added or removed, sharing every follow it kept; a follow whose source changes is edited
// through an immer draft of the list. A list a change leaves as it was stays the very same
// list, and so does its record. A record the working copy does not hold is
// left as it is: `decide` never emits such an event, and `evolve` records facts, it does not
// judge them.

function contactWith(c: Contact, ownerId: string | null, followers: readonly Follower[], opportunityIds: readonly string[]): Contact {
  return { id: c.id, ownerId, followers, opportunityIds };
}

function opportunityWith(o: Opportunity, ownerId: string | null, followers: readonly Follower[], status: OpportunityStatus): Opportunity {
  return { id: o.id, contactId: o.contactId, ownerId, followers, status };
}

/** Gives a record the follower list `edit` makes of its own; an edit that returns the same list keeps the record. */
function updateFollowers(s: Overlay, record: RecordRef, edit: (followers: readonly Follower[]) => readonly Follower[]): void {
  if (record.kind === "contact") {
    const contact = s.contacts.get(record.id);
    if (contact === undefined) return;
    const followers = edit(contact.followers);
    if (followers !== contact.followers) s.contacts.put(contactWith(contact, contact.ownerId, followers, contact.opportunityIds));
  } else {
    const opportunity = s.opportunities.get(record.id);
    if (opportunity === undefined) return;
    const followers = edit(opportunity.followers);
    if (followers !== opportunity.followers) s.opportunities.put(opportunityWith(opportunity, opportunity.ownerId, followers, opportunity.status));
  }
}

/**
 * A follower list edited through an immer draft, copied at its length when it changed: immer's
 * copy of a list keeps spare capacity (measured: 10,000 commands on 100k contacts retained 13.2
 * MiB without the copy, 11.7 with it), which the snapshot would keep for good.
 */
function edited(followers: readonly Follower[], recipe: (draft: Draft<Follower[]>) => void): readonly Follower[] {
  const next = immer.produce(followers as Follower[], recipe);
  return next === followers ? followers : Object.freeze([...next]);
}

/**
 * The list with `userId`'s follow from `source`: a new follow appended, at its length
 * (atLength.ts); a follow there already, its source (the same list when it is that source).
 */
function withFollow(followers: readonly Follower[], userId: string, source: Follower["source"]): readonly Follower[] {
  const at = followIndex(followers, userId);
  if (at < 0) return Object.freeze(appended(followers, Object.freeze({ userId, source })));
  return edited(followers, (draft) => {
    (draft[at] as Draft<Follower>).source = source;
  });
}

/**
 * The list without `userId`'s follow, or the same list when they do not follow. A copy, not an
 * immer draft: re-coupling removes thousands of follows, and a draft allocated about 2 KB each,
 * the copy about 120 bytes (docs/performance.md).
 */
function withoutFollow(followers: readonly Follower[], userId: string): readonly Follower[] {
  const at = followIndex(followers, userId);
  return at < 0 ? followers : Object.freeze(without(followers, at));
}

/** Compile-time exhaustiveness for `switch` over a union. @internal */
export function assertNever(value: never): never {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = "(unreadable)";
  }
  throw new Error(line(`Unexpected value: ${quote(text)}`));
}
