import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { Table } from "./table.js";

/** Makes `CrmState` opaque: no value has this key at run time. */
declare const snapshotBrand: unique symbol;

/**
 * An immutable, deeply frozen snapshot of one account's ownership data.
 *
 * Read it with the selectors (`getContact`, `listContacts`, …) and turn it back into plain
 * records with `toRecords`. `version` and `settings` may be read directly; nothing else is
 * public: the storage layout is left out of the published types (and may change in any release),
 * and the type is branded, so only `createState`, `execute`, `executeAll` and `evolve` make one.
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
  /** The brand: a snapshot comes from the library, never from an object literal. Type only. */
  readonly [snapshotBrand]: true;
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
