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
import { freezeState, type CrmState } from "./state.js";
import { getRow, getRows, rows, seqOf, TableEdit, forEachRow, type Table } from "./table.js";
import { forEachId } from "./idSet.js";
import { indexAfterCommit, indexOf } from "./userIndex.js";

/** A deleted record, as a marker in a change set. */
const DELETED = Symbol("deleted");

interface Changes<T> {
  /** Changed records by id, in the order of their first change (new ones in creation order). */
  readonly byId: Map<string, T | typeof DELETED>;
  /** Ids deleted and created again: their old place in the order must go. */
  readonly recreated: Set<string>;
}

/**
 * The change set of every view nothing was written to yet, shared and never written to: a
 * command writes to one or two of a snapshot's four tables, and a `Map` and a `Set` per table
 * and command were a measurable part of a small command's cost.
 */
const UNCHANGED: Changes<never> = { byId: new Map(), recreated: new Set() };

/** One table seen through its pending changes. */
export class TableView<T extends { readonly id: string }> {
  readonly #base: Table<T>;
  #changes: Changes<T> = UNCHANGED;
  constructor(base: Table<T>) {
    this.#base = base;
  }
  /** The change set to write to: its own, made at the first write. */
  #writable(): Changes<T> {
    if (this.#changes === UNCHANGED) this.#changes = { byId: new Map(), recreated: new Set() };
    return this.#changes;
  }
  get(id: string): T | undefined {
    const changed = this.#changes.byId.get(id);
    if (changed === DELETED) return undefined;
    return changed ?? getRow(this.#base, id);
  }
  /**
   * The records with these ids, in their order (`undefined` where there is none): `get` of each,
   * with the snapshot's records read side by side (`getRows`), so that their cache misses overlap.
   */
  getAll(ids: readonly string[]): (T | undefined)[] {
    const out: (T | undefined)[] = [];
    getRows(this.#base, ids, out);
    const { byId } = this.#changes;
    if (byId.size === 0) return out;
    for (let i = 0; i < ids.length; i++) {
      const changed = byId.get(ids[i] as string);
      if (changed !== undefined) out[i] = changed === DELETED ? undefined : changed;
    }
    return out;
  }
  put(value: T): void {
    const { byId, recreated } = this.#writable();
    const previous = byId.get(value.id);
    if (previous === DELETED) {
      // Re-created after a delete: it moves to the end of the order, as a new record does.
      byId.delete(value.id);
      recreated.add(value.id);
    }
    byId.set(value.id, value);
  }
  delete(id: string): void {
    this.#writable().byId.set(id, DELETED);
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
  /** The ids of the records changed, created or deleted in this working copy. */
  changedIds(): IterableIterator<string> {
    return this.#changes.byId.keys();
  }
  /**
   * The records with these ids (the ones there), in the order of `all()`: a sort on each
   * record's place, so the cost is that of the ids, not of the table.
   */
  inOrder(ids: Iterable<string>): T[] {
    const { recreated } = this.#changes;
    let ranks: Map<string, number> | undefined;
    const keyed: { at: number; value: T }[] = [];
    for (const id of ids) {
      const value = this.get(id);
      if (value === undefined) continue;
      let at = recreated.has(id) ? undefined : seqOf(this.#base, id);
      if (at === undefined) {
        ranks ??= this.#newRanks();
        at = this.#base.nextSeq + (ranks.get(id) as number);
      }
      keyed.push({ at, value });
    }
    keyed.sort((a, b) => a.at - b.at);
    return keyed.map((k) => k.value);
  }
  /** The places of the records new in this working copy, after the base's, as `all()` lists them. */
  #newRanks(): Map<string, number> {
    const { byId, recreated } = this.#changes;
    const ranks = new Map<string, number>();
    for (const [id, changed] of byId) {
      if (changed !== DELETED && (recreated.has(id) || getRow(this.#base, id) === undefined)) ranks.set(id, ranks.size);
    }
    return ranks;
  }
  /**
   * The base table with the changes: a new frozen table sharing every untouched node. `changes`
   * receives each changed record's before and after (`undefined`: not there), in pairs.
   */
  commit(changes?: (T | undefined)[]): Table<T> {
    const { byId, recreated } = this.#changes;
    if (byId.size === 0) return this.#base;
    const edit = new TableEdit(this.#base);
    for (const [id, changed] of byId) {
      // A re-created record is deleted first, so that it moves to the end of the order.
      let before = changed === DELETED || recreated.has(id) ? edit.delete(id) : undefined;
      if (changed !== DELETED) before = edit.put(id, changed) ?? before;
      changes?.push(before, changed === DELETED ? undefined : changed);
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
    const { base } = this;
    // The changed records, before and after, for the user index (when the snapshot has one),
    // which is brought up to date when it is read (userIndex.ts).
    const contactChanges: (Contact | undefined)[] | undefined = base.index && [];
    const opportunityChanges: (Opportunity | undefined)[] | undefined = base.index && [];
    const contacts = this.contacts.commit(contactChanges);
    const opportunities = this.opportunities.commit(opportunityChanges);
    const index =
      base.index === undefined || (contacts === base.contacts && opportunities === base.opportunities)
        ? base.index
        : indexAfterCommit(base.index, base, contactChanges ?? [], opportunityChanges ?? []);
    return freezeState(
      {
        version: this.version,
        settings: this.settings === base.settings ? base.settings : Object.freeze({ ...this.settings }),
        users: this.users.commit(),
        contacts,
        opportunities,
        rotations: this.rotations.commit(),
      },
      index,
    );
  }

  /**
   * The contacts of the groups (a contact and its opportunities) in which `userId` owns or
   * follows a record, in the working copy's order (`contacts.all()`'s): read off the snapshot's
   * user index, plus every group this working copy changed. A superset: the caller checks each
   * record. `incomplete`: also every group the snapshot did not load whole. On a snapshot
   * without an index, every contact.
   */
  groupsOf(userId: string, incomplete: boolean): Contact[] {
    const index = indexOf(this.base);
    if (index === undefined) return this.contacts.all();
    const ids = new Set<string>();
    const add = (id: string) => ids.add(id);
    const entry = getRow(index.users, userId);
    if (entry !== undefined) forEachId(entry.groups, add);
    if (incomplete) forEachRow(index.incomplete, add);
    this.#addChangedGroups(ids);
    return this.contacts.inOrder(ids);
  }

  /**
   * The contacts of the groups re-coupling may change, in the working copy's order: the split
   * groups and those with an `automation` follow, read off the snapshot's index, plus every
   * group the snapshot did not load whole and every group this working copy changed. A superset,
   * as `groupsOf` (re-coupling skips what it need not change); on a snapshot without an index,
   * every contact.
   */
  groupsToRecouple(): Contact[] {
    const index = indexOf(this.base);
    if (index === undefined) return this.contacts.all();
    const ids = new Set<string>();
    const add = (id: string) => ids.add(id);
    forEachId(index.recouple, add);
    forEachRow(index.incomplete, add);
    this.#addChangedGroups(ids);
    return this.contacts.inOrder(ids);
  }

  /**
   * The contact that lists this opportunity id though the snapshot did not load it, if any (a
   * partial snapshot loaded short): read off the index's incomplete groups and the contacts this
   * working copy changed; on a snapshot without an index, every contact. Only a refusal asks.
   */
  contactListingUnloaded(opportunityId: string): Contact | undefined {
    // (A refusal's cost: on a snapshot whose index a batch left behind, this brings it up to date.)
    if (this.opportunities.get(opportunityId) !== undefined) return undefined;
    const index = indexOf(this.base);
    const ids = new Set<string>(this.contacts.changedIds());
    if (index !== undefined) forEachRow(index.incomplete, (id) => ids.add(id));
    const contacts = index === undefined ? this.contacts.all() : this.contacts.inOrder(ids);
    return contacts.find((contact) => contact.opportunityIds.includes(opportunityId));
  }

  /** The contacts of every group this working copy changed, into `ids`. */
  #addChangedGroups(ids: Set<string>): void {
    for (const id of this.contacts.changedIds()) ids.add(id);
    for (const id of this.opportunities.changedIds()) {
      const opportunity = this.opportunities.get(id) ?? getRow(this.base.opportunities, id);
      if (opportunity !== undefined) ids.add(opportunity.contactId);
    }
  }

  /**
   * The opportunities `userId` may own or follow, in the working copy's order
   * (`opportunities.all()`'s): those of their groups in the snapshot, plus every opportunity
   * this working copy changed. A superset, as `groupsOf`; on a snapshot without an index, every
   * opportunity.
   */
  opportunitiesOf(userId: string): Opportunity[] {
    const index = indexOf(this.base);
    if (index === undefined) return this.opportunities.all();
    const ids = new Set<string>();
    const entry = getRow(index.users, userId);
    if (entry !== undefined) {
      forEachId(entry.groups, (contactId) => {
        const contact = getRow(this.base.contacts, contactId);
        if (contact !== undefined) for (const id of contact.opportunityIds) ids.add(id);
      });
    }
    for (const id of this.opportunities.changedIds()) ids.add(id);
    return this.opportunities.inOrder(ids);
  }
}
