/**
 * `evolve` records facts and decides nothing: every rule and refusal lives in `decide`.
 */
import type { CrmEvent } from "./events.js";
import type { Draft } from "immer";
import type { Contact, Opportunity, RecordRef } from "./model/records.js";
import { line, quote } from "./errors.js";
import { parseEvent } from "./eventShape.js";
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
      s.settings = immer.produce(s.settings, (settings) => {
        settings[event.setting] = event.to;
      });
      return;
    case "ContactCreated":
      s.contacts.put({ id: event.contactId, ownerId: event.ownerId, followers: [], opportunityIds: [] });
      return;
    case "OpportunityCreated":
      s.opportunities.put({
        id: event.opportunityId,
        contactId: event.contactId,
        ownerId: event.ownerId,
        followers: [],
        status: event.status,
      });
      updateContact(s, event.contactId, (contact) => {
        contact.opportunityIds.push(event.opportunityId);
      });
      return;
    case "ContactOwnerChanged":
      updateContact(s, event.contactId, (contact) => {
        contact.ownerId = event.to;
      });
      return;
    case "OpportunityOwnerChanged":
      updateOpportunity(s, event.opportunityId, (opportunity) => {
        opportunity.ownerId = event.to;
      });
      return;
    case "OpportunityStatusChanged":
      updateOpportunity(s, event.opportunityId, (opportunity) => {
        opportunity.status = event.to;
      });
      return;
    case "FollowerAdded":
      updateRecord(s, event.record, ({ followers }) => {
        const follow = followers.find((f) => f.userId === event.userId);
        if (follow) follow.source = event.source;
        else followers.push({ userId: event.userId, source: event.source });
      });
      return;
    case "FollowerRemoved":
      updateRecord(s, event.record, ({ followers }) => {
        const at = followers.findIndex((f) => f.userId === event.userId);
        if (at >= 0) followers.splice(at, 1);
      });
      return;
    case "ContactDeleted":
      s.contacts.delete(event.contactId);
      return;
    case "OpportunityDeleted":
      s.opportunities.delete(event.opportunityId);
      updateContact(s, event.contactId, ({ opportunityIds }) => {
        const at = opportunityIds.indexOf(event.opportunityId);
        if (at >= 0) opportunityIds.splice(at, 1);
      });
      return;
    case "UserDeactivated":
    case "UserReactivated": {
      const user = s.users.get(event.userId);
      if (user) {
        s.users.put(
          immer.produce(user, (draft) => {
            draft.active = event.type === "UserReactivated";
          }),
        );
      }
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

// immer changes one record as a draft and returns it frozen, sharing what the recipe left alone.
// A record the working copy does not hold is left as it is: `decide` never emits such an event,
// and `evolve` records facts, it does not judge them.

function updateContact(s: Overlay, id: string, recipe: (draft: Draft<Contact>) => void): void {
  const contact = s.contacts.get(id);
  if (contact) s.contacts.put(immer.produce(contact, recipe));
}

function updateOpportunity(s: Overlay, id: string, recipe: (draft: Draft<Opportunity>) => void): void {
  const opportunity = s.opportunities.get(id);
  if (opportunity) s.opportunities.put(immer.produce(opportunity, recipe));
}

function updateRecord(s: Overlay, record: RecordRef, recipe: (draft: Draft<Contact | Opportunity>) => void): void {
  if (record.kind === "contact") updateContact(s, record.id, recipe);
  else updateOpportunity(s, record.id, recipe);
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
