import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { Table } from "./table.js";

/**
 * An immutable, deeply frozen snapshot of one account's ownership data.
 *
 * Read it with the selectors (`getContact`, `listContacts`, …) and turn it back into plain
 * records with `toRecords`. `version` and `settings` may be read directly; the tables are the
 * library's storage layout and may change in any release.
 *
 * @example
 * ```ts
 * const state: CrmState = createState({ users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
 * state.version; // 0
 * state.settings.allowDifferentOwners; // false
 * getContact(state, "acme")?.ownerId; // "ana": read records through the selectors
 * ```
 */
export interface CrmState {
  /** +1 for every command that changed anything. */
  readonly version: number;
  readonly settings: Settings;
  /** @internal storage layout; use the selectors. */
  readonly users: Table<User>;
  /** @internal storage layout; use the selectors. */
  readonly contacts: Table<Contact>;
  /** @internal storage layout; use the selectors. */
  readonly opportunities: Table<Opportunity>;
  /** @internal storage layout; use the selectors. */
  readonly rotations: Table<Rotation>;
}
