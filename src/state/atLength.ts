/**
 * New lists in arrays of exactly their length: a list with items appended, a list without one.
 *
 * Why: V8 grows an array made by `push`, or by a spread followed by more elements
 * (`[...list, item]`), by half its length plus 16 slots, and an item removed (`splice`, `pop`)
 * leaves its slot in the array; freezing it keeps that capacity for as long as the snapshot
 * holding it lives (a follower list of three took 238 bytes instead of 104, a bucket of 17
 * records 775 instead of 462: measured with `--expose-gc`). `slice()` of a plain array copies it
 * at its length, and costs less than the spread did (docs/performance.md). Not `slice()` of the
 * list itself: Node 20 copies a frozen array (every list of a snapshot) with `slice()` on a slow
 * path.
 */

/** `list`, then `items`, at its length. @internal */
export function appended<T>(list: readonly T[], ...items: readonly T[]): T[] {
  return [...list, ...items].slice();
}

/** `list` without its item at index `at`, at its length. @internal */
export function without<T>(list: readonly T[], at: number): T[] {
  // Shifted down in place, not `splice`: splice also returns an array of what it removed.
  const rest = [...list];
  for (let i = at; i < rest.length - 1; i++) rest[i] = rest[i + 1] as T;
  rest.pop();
  return rest.slice();
}
