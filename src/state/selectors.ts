/**
 * Reading a snapshot. Selectors return the snapshot's own frozen records (no copies), in the
 * shapes of `toRecords`, or `undefined` when the record is not there.
 */
import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { CrmState } from "./state.js";
import { getRow, rows } from "./table.js";

/**
 * The contact with this id, with all of its `opportunityIds`.
 * @example
 * ```ts
 * getContact(state, "acme")?.ownerId; // "ana"
 * ```
 */
export function getContact(state: CrmState, contactId: string): Contact | undefined {
  return getRow(state.contacts, contactId);
}

/**
 * The opportunity with this id.
 * @example
 * ```ts
 * getOpportunity(state, "deal-1")?.status; // "open"
 * ```
 */
export function getOpportunity(state: CrmState, opportunityId: string): Opportunity | undefined {
  return getRow(state.opportunities, opportunityId);
}

/**
 * The user with this id, active or not.
 * @example
 * ```ts
 * getUser(state, "ana")?.active; // true
 * ```
 */
export function getUser(state: CrmState, userId: string): User | undefined {
  return getRow(state.users, userId);
}

/**
 * Where a rotation stands (how many picks it made), or `undefined` before its first pick.
 * @example
 * ```ts
 * getRotation(state, "inbound-leads")?.picks; // 7
 * ```
 */
export function getRotation(state: CrmState, rotationId: string): Rotation | undefined {
  return getRow(state.rotations, rotationId);
}

/**
 * The account's settings.
 * @example
 * ```ts
 * getSettings(state).allowDifferentOwners; // false
 * ```
 */
export function getSettings(state: CrmState): Settings {
  return state.settings;
}

/**
 * Every contact of the snapshot, in the order they were given and created.
 * @example
 * ```ts
 * listContacts(state).filter((c) => c.ownerId === null); // the unassigned ones
 * ```
 */
export function listContacts(state: CrmState): readonly Contact[] {
  return rows(state.contacts);
}

/**
 * Every opportunity of the snapshot, in the order they were given and created.
 * @example
 * ```ts
 * listOpportunities(state).filter((o) => o.status === "open");
 * ```
 */
export function listOpportunities(state: CrmState): readonly Opportunity[] {
  return rows(state.opportunities);
}

/**
 * Every user of the snapshot, active or not, in the order they were given.
 * @example
 * ```ts
 * listUsers(state).filter((u) => u.active).map((u) => u.id);
 * ```
 */
export function listUsers(state: CrmState): readonly User[] {
  return rows(state.users);
}

/**
 * A contact's opportunities in the contact's order (the loaded ones, in a partial snapshot).
 * @example
 * ```ts
 * opportunitiesOfContact(state, "acme").map((o) => o.ownerId);
 * ```
 */
export function opportunitiesOfContact(state: CrmState, contactId: string): readonly Opportunity[] {
  const contact = getRow(state.contacts, contactId);
  if (contact === undefined) return [];
  const out: Opportunity[] = [];
  for (const id of contact.opportunityIds) {
    const opportunity = getRow(state.opportunities, id);
    if (opportunity !== undefined) out.push(opportunity);
  }
  return out;
}
