/** Read-side permissions: the same rules as commands run by a user actor (docs/rules.md §13, docs/permissions.md). */
import type { Contact, Opportunity, RecordRef } from "../model/records.js";
import { canSee } from "../model/access.js";
import type { CrmState } from "./state.js";
import { getRow, rows } from "./table.js";

/**
 * Whether a user may see a record: admins and scope `all` see everything; scope `assigned`
 * sees what they own or follow. Unknown or inactive users, a user id that is not a string (a
 * missing session), and missing records, see nothing.
 * @example
 * ```ts
 * canView(state, "ben", { kind: "contact", id: "acme" }); // false: ben only owns a deal of acme
 * ```
 */
export function canView(state: CrmState, userId: string, record: RecordRef): boolean {
  // A read path may pass a reference straight from a request, or a session's user id that is not
  // there: what is not one is not visible.
  if (typeof userId !== "string" || typeof record !== "object" || record === null || typeof record.id !== "string") return false;
  const found = record.kind === "contact" ? getRow(state.contacts, record.id) : getRow(state.opportunities, record.id);
  return canSee(getRow(state.users, userId), found);
}

/**
 * The contacts a user may see, in the snapshot's order.
 * @example
 * ```ts
 * visibleContacts(state, "ben").map((c) => c.id);
 * ```
 */
export function visibleContacts(state: CrmState, userId: string): readonly Contact[] {
  if (typeof userId !== "string") return [];
  const user = getRow(state.users, userId);
  return rows(state.contacts).filter((c) => canSee(user, c));
}

/**
 * The opportunities a user may see, in the snapshot's order.
 * @example
 * ```ts
 * visibleOpportunities(state, "ben").map((o) => o.id);
 * ```
 */
export function visibleOpportunities(state: CrmState, userId: string): readonly Opportunity[] {
  if (typeof userId !== "string") return [];
  const user = getRow(state.users, userId);
  return rows(state.opportunities).filter((o) => canSee(user, o));
}
