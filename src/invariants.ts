/** The rules a snapshot must keep (docs/rules.md §15), checked on demand. */
import { quote } from "./errors.js";
import type { Follower } from "./model/records.js";
import type { CrmState } from "./state/state.js";
import { getRow, rows } from "./state/table.js";

/**
 * One broken rule: which, where, and a sentence.
 *
 * @example
 * ```ts
 * const legacy = createState({
 *   users: [{ id: "ana" }, { id: "ben" }],
 *   contacts: [{ id: "acme", ownerId: "ana" }],
 *   opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ben" }], // split owners, but owners are coupled
 * });
 * const [violation]: InvariantViolation[] = checkInvariants(legacy);
 * violation?.rule; // "owners-coupled"
 * violation?.record; // { kind: "opportunity", id: "deal-1" }
 * ```
 */
export interface InvariantViolation {
  readonly rule: "owners-coupled" | "opportunity-contact" | "contact-lists-opportunity" | "known-user" | "unique-follower" | "follower-limit";
  /** The record at fault. */
  readonly record: { readonly kind: "contact" | "opportunity"; readonly id: string };
  readonly message: string;
}

/** An owner as a message shows it: quoted (log-safe), or `null`. */
const owner = (id: string | null): string => (id === null ? "null" : quote(id));

/**
 * The rules a snapshot breaks; empty when it is sound. `createState` accepts owners that break
 * the coupled rule (data from before the rule existed), so run this after loading old data.
 * Ids a contact lists but a partial snapshot did not load are not violations.
 *
 * @example
 * ```ts
 * const problems = checkInvariants(state);
 * if (problems.length > 0) console.warn(problems.map((p) => p.message).join("\n"));
 * ```
 */
export function checkInvariants(state: CrmState): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const coupled = !state.settings.allowDifferentOwners;
  const knownUser = (id: string | null) => id === null || getRow(state.users, id) !== undefined;
  const checkPeople = (kind: "contact" | "opportunity", id: string, ownerId: string | null, followers: readonly Follower[]) => {
    const record = { kind, id };
    if (!knownUser(ownerId)) out.push({ rule: "known-user", record, message: `${kind} ${quote(id)} is owned by unknown user ${owner(ownerId)}` });
    const seen = new Set<string>();
    for (const f of followers) {
      if (!knownUser(f.userId)) out.push({ rule: "known-user", record, message: `${kind} ${quote(id)} is followed by unknown user ${quote(f.userId)}` });
      if (seen.has(f.userId)) out.push({ rule: "unique-follower", record, message: `user ${quote(f.userId)} follows ${kind} ${quote(id)} twice` });
      seen.add(f.userId);
    }
    if (followers.length > state.settings.maxFollowers) {
      out.push({ rule: "follower-limit", record, message: `${kind} ${quote(id)} has ${followers.length} followers, more than ${state.settings.maxFollowers}` });
    }
  };

  for (const contact of rows(state.contacts)) {
    checkPeople("contact", contact.id, contact.ownerId, contact.followers);
    const seen = new Set<string>();
    for (const id of contact.opportunityIds) {
      const opportunity = getRow(state.opportunities, id);
      const record = { kind: "contact", id: contact.id } as const;
      if (seen.has(id)) out.push({ rule: "contact-lists-opportunity", record, message: `contact ${quote(contact.id)} lists opportunity ${quote(id)} twice` });
      seen.add(id);
      if (opportunity !== undefined && opportunity.contactId !== contact.id) {
        out.push({ rule: "contact-lists-opportunity", record, message: `contact ${quote(contact.id)} lists opportunity ${quote(id)} of contact ${quote(opportunity.contactId)}` });
      }
    }
  }
  for (const opportunity of rows(state.opportunities)) {
    const record = { kind: "opportunity", id: opportunity.id } as const;
    checkPeople("opportunity", opportunity.id, opportunity.ownerId, opportunity.followers);
    const contact = getRow(state.contacts, opportunity.contactId);
    if (contact === undefined) {
      out.push({ rule: "opportunity-contact", record, message: `opportunity ${quote(opportunity.id)} belongs to missing contact ${quote(opportunity.contactId)}` });
      continue;
    }
    if (!contact.opportunityIds.includes(opportunity.id)) {
      out.push({ rule: "contact-lists-opportunity", record, message: `contact ${quote(contact.id)} does not list its opportunity ${quote(opportunity.id)}` });
    }
    if (coupled && opportunity.ownerId !== contact.ownerId) {
      out.push({
        rule: "owners-coupled",
        record,
        message: `owners are coupled, but opportunity ${quote(opportunity.id)} is owned by ${owner(opportunity.ownerId)} and its contact by ${owner(contact.ownerId)}`,
      });
    }
  }
  return out;
}
