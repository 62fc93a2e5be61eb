/**
 * A set of contact ids in the user index (userIndex.ts): a table, or, as `createState` leaves
 * it, a frozen list of distinct ids that becomes a table when a catch-up first looks an id up
 * in it.
 *
 * Why: `createState` gathers each user's groups as a list while it reads the records, and most
 * snapshots never bring their index up to date (a host loads the records a command needs,
 * executes it and stores the result). Making every list a hash trie up front hashed and bucketed
 * 600,000 ids on a 100k-contact account with owners separate: an eighth of `createState`, and a
 * fifth of what the snapshot retained. A bulk move or re-coupling only walks a set, which a list
 * does as well; only bringing the index up to date looks ids up and copies by path, and then the
 * table is built once: it is cached by the list (`tableOf`), so every snapshot made from the same
 * one shares it, and a set that changes is a table from then on.
 */
import { buildTable, forEachRow, type Table } from "./table.js";

/** A set of ids: a table (keys and values the ids), or a frozen list of distinct ids. @internal */
export type IdSet = Table<string> | readonly string[];

/** The tables of the lists made tables so far: a cache, gone with the lists. */
const tables = new WeakMap<readonly string[], Table<string>>();

const isList = (set: IdSet): set is readonly string[] => Array.isArray(set);

/** Calls `fn` on each id of a set (a list in its order, a table in the trie's). @internal */
export function forEachId(set: IdSet, fn: (id: string) => void): void {
  if (!isList(set)) return forEachRow(set, fn);
  for (let i = 0; i < set.length; i++) fn(set[i] as string);
}

/** A set as a table, to look ids up in and to change by path copy; a list is made one once. @internal */
export function tableOf(set: IdSet): Table<string> {
  if (!isList(set)) return set;
  let table = tables.get(set);
  // `dedupe`: the list's ids are distinct, but a repeat must never become two entries of one key.
  if (table === undefined) tables.set(set, (table = buildTable(set, set, true)));
  return table;
}
