import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { Table } from "./table.js";
import type { IndexCell } from "./userIndex.js";

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
  /**
   * @internal derived data, not part of the snapshot's value: who owns or follows what
   * (userIndex.ts; read it with `indexOf`, which computes it when it was deferred). Not
   * enumerable; absent from a snapshot copied without it, which still works (bulk moves then walk
   * every contact).
   */
  readonly index?: IndexCell | undefined;
}

/** The fields of a snapshot; `freezeState` adds the index. @internal */
export type StateFields = Omit<CrmState, "index" | typeof snapshotBrand>;

/**
 * A frozen snapshot of `fields`, carrying `index` as a property that is not enumerable: the
 * index is derived from the records, so a snapshot's value (what `toEqual`, a spread or JSON see)
 * is its records alone, whatever path of commits led to it. @internal
 */
export function freezeState(fields: StateFields, index: IndexCell | undefined): CrmState {
  if (index !== undefined) Object.defineProperty(fields, "index", { value: index });
  // The brand is a type only: the one place a snapshot is made is here.
  return Object.freeze(fields) as CrmState;
}
