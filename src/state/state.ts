import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { Table } from "./table.js";
import type { UserIndex } from "./userIndex.js";

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
  /**
   * @internal derived data, not part of the snapshot's value: who owns or follows what
   * (userIndex.ts). Not enumerable; absent from a snapshot copied without it, which still works
   * (bulk moves then walk every contact).
   */
  readonly index?: UserIndex | undefined;
}

/** The fields of a snapshot; `freezeState` adds the index. @internal */
export type StateFields = Omit<CrmState, "index">;

/**
 * A frozen snapshot of `fields`, carrying `index` as a property that is not enumerable: the
 * index is derived from the records, so a snapshot's value (what `toEqual`, a spread or JSON see)
 * is its records alone, whatever path of commits led to it. @internal
 */
export function freezeState(fields: StateFields, index: UserIndex | undefined): CrmState {
  if (index !== undefined) Object.defineProperty(fields, "index", { value: index });
  return Object.freeze(fields);
}
