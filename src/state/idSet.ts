/**
 * A set of contact ids in the user index (userIndex.ts): a table, or, as `createState` leaves
 * it, a frozen list of distinct ids that becomes a table when a change first needs one.
 *
 * Why: `createState` gathers each user's groups as a list while it reads the records, and most
 * snapshots are never asked to change their index (a host loads the records a command needs,
 * executes it and stores the result). Making every list a hash trie up front was a third of
 * building a snapshot with owners separate (a million ids hashed and bucketed on 100k
 * contacts) and a tenth of what it retains. A bulk move or re-coupling only walks a set, which a
 * list does as well; only a change of the set needs the table, and then builds it once: the
 * table is cached by the list (`tableOf`), so every snapshot made from the same one shares it,
 * and the index after the change holds tables from then on.
 */
import { buildTable, forEachRow, type Table } from "./table.js";

/** A set of ids: a table (keys and values the ids), or a frozen list of distinct ids. @internal */
export type IdSet = Table<string> | readonly string[];

/** The tables of the lists made tables so far: a cache, gone with the lists. */
const tables = new WeakMap<readonly string[], Table<string>>();

/** Calls `fn` on each id of a set (a list in its order, a table in the trie's). @internal */
export function forEachId(set: IdSet, fn: (id: string) => void): void {
  if (!Array.isArray(set)) return forEachRow(set as Table<string>, fn);
  for (let i = 0; i < set.length; i++) fn(set[i] as string);
}

/** A set as a table, to look ids up in and to change by path copy; a list is made one once. @internal */
export function tableOf(set: IdSet): Table<string> {
  if (!Array.isArray(set)) return set as Table<string>;
  const list = set as readonly string[];
  let table = tables.get(list);
  // `dedupe`: the list's ids are distinct, but a repeat must never become two entries of one key.
  if (table === undefined) tables.set(list, (table = buildTable(list, list, true)));
  return table;
}
