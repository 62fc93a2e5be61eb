/**
 * The working copy of one command (or one `executeAll` batch): the changes so far, kept in
 * `Map`s over the untouched frozen snapshot.
 *
 * Why not a draft of the snapshot: rules read many records while they decide; reads here are a
 * `Map` lookup and then the frozen record itself. The changes reach a new snapshot once, at the
 * end (`commit`): each table copies only the trie paths to its changed records (see table.ts),
 * so the cost of a command does not grow with the size of the account.
 */
import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { CrmState } from "./state.js";
import { getRow, rows, TableEdit, type Table } from "./table.js";

/** A deleted record, as a marker in a change set. */
const DELETED = Symbol("deleted");

interface Changes<T> {
  /** Changed records by id, in the order of their first change (new ones in creation order). */
  readonly byId: Map<string, T | typeof DELETED>;
  /** Ids deleted and created again: their old place in the order must go. */
  readonly recreated: Set<string>;
}

const changes = <T>(): Changes<T> => ({ byId: new Map(), recreated: new Set() });

/** One table seen through its pending changes. */
export class TableView<T extends { readonly id: string }> {
  readonly #base: Table<T>;
  readonly #changes = changes<T>();
  constructor(base: Table<T>) {
    this.#base = base;
  }
  get(id: string): T | undefined {
    const changed = this.#changes.byId.get(id);
    if (changed === DELETED) return undefined;
    return changed ?? getRow(this.#base, id);
  }
  put(value: T): void {
    const { byId, recreated } = this.#changes;
    const previous = byId.get(value.id);
    if (previous === DELETED) {
      // Re-created after a delete: it moves to the end of the order, as a new record does.
      byId.delete(value.id);
      recreated.add(value.id);
    }
    byId.set(value.id, value);
  }
  delete(id: string): void {
    this.#changes.byId.set(id, DELETED);
  }
  /** Every record, in the table's order (records new in this working copy last). */
  all(): T[] {
    const { byId } = this.#changes;
    const out: T[] = [];
    for (const row of rows(this.#base)) {
      const changed = byId.get(row.id);
      if (changed === undefined) out.push(row);
      else if (changed !== DELETED && !this.#changes.recreated.has(row.id)) out.push(changed);
    }
    for (const [id, changed] of byId) {
      if (changed !== DELETED && (getRow(this.#base, id) === undefined || this.#changes.recreated.has(id))) out.push(changed);
    }
    return out;
  }
  get changed(): boolean {
    return this.#changes.byId.size > 0;
  }
  /** The base table with the changes: a new frozen table sharing every untouched node. */
  commit(): Table<T> {
    const { byId, recreated } = this.#changes;
    if (byId.size === 0) return this.#base;
    const edit = new TableEdit(this.#base);
    for (const [id, changed] of byId) {
      // A re-created record is deleted first, so that it moves to the end of the order.
      if (changed === DELETED || recreated.has(id)) edit.delete(id);
      if (changed !== DELETED) edit.put(id, changed);
    }
    return edit.finish();
  }
}

/** A snapshot and the changes made to it so far; what rules read and events are applied to. */
export class Overlay {
  readonly base: CrmState;
  version: number;
  settings: Settings;
  readonly users: TableView<User>;
  readonly contacts: TableView<Contact>;
  readonly opportunities: TableView<Opportunity>;
  readonly rotations: TableView<Rotation>;

  constructor(base: CrmState) {
    this.base = base;
    this.version = base.version;
    this.settings = base.settings;
    this.users = new TableView(base.users);
    this.contacts = new TableView(base.contacts);
    this.opportunities = new TableView(base.opportunities);
    this.rotations = new TableView(base.rotations);
  }

  /** The new snapshot: the base with every change, frozen, sharing everything unchanged. */
  commit(): CrmState {
    const unchanged =
      this.version === this.base.version &&
      this.settings === this.base.settings &&
      !this.users.changed &&
      !this.contacts.changed &&
      !this.opportunities.changed &&
      !this.rotations.changed;
    if (unchanged) return this.base;
    return Object.freeze({
      version: this.version,
      settings: this.settings === this.base.settings ? this.base.settings : Object.freeze({ ...this.settings }),
      users: this.users.commit(),
      contacts: this.contacts.commit(),
      opportunities: this.opportunities.commit(),
      rotations: this.rotations.commit(),
    }) as CrmState;
  }
}
