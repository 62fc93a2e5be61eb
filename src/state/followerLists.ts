/**
 * Follower lists shared between the records of a snapshot `createState` builds.
 *
 * Why: an account has few users, so its records repeat a few follower lists (the same manager
 * on every deal of a team, the same two followers on every contact of a region). One frozen
 * array per distinct list is one array allocated, frozen, copied by the collector and retained
 * instead of thousands: `createState` of the benchmark's accounts retains about 185 bytes per
 * record less (docs/performance.md). Sharing is safe because lists are frozen: a change gives
 * the changed record a new list and leaves the others' alone.
 *
 * How: each follow (a user and a source) is one shared object already, so equal lists are the
 * same sequence of objects, found by walking a trie keyed by them. Where lists mostly differ the
 * trie only costs, so sharing is given up for the rest of the snapshot after a window of
 * lists in which more than half were new.
 */
import type { Follower } from "../model/records.js";

/** The list every record without followers shares. */
export const NO_FOLLOWERS: readonly Follower[] = Object.freeze([]);

/** A node of the trie: the list that ends here, and the lists that go on, by their next follow. */
interface ListNode {
  list?: readonly Follower[];
  next?: Map<Follower, ListNode>;
}

/** Lists read per window; sharing is given up after a window in which more than half were new. */
const WINDOW = 4096;

/**
 * A function that freezes a follower list (of shared follow objects) and returns the one frozen
 * array of that list, the first one it was given, while sharing lasts. @internal
 */
export function followerLists(): (list: Follower[]) => readonly Follower[] {
  /** `undefined` once sharing is given up. */
  let trie: ListNode | undefined = {};
  let seen = 0;
  let distinct = 0;
  return (list) => {
    if (list.length === 0) return NO_FOLLOWERS;
    // Copied at its length: a list grown by `push` keeps spare capacity (16 slots for one follow).
    if (trie === undefined) return Object.freeze([...list]);
    let node = trie;
    for (let i = 0; i < list.length; i++) {
      const follow = list[i] as Follower;
      const next = (node.next ??= new Map());
      let child = next.get(follow);
      if (child === undefined) next.set(follow, (child = {}));
      node = child;
    }
    if (node.list === undefined) {
      node.list = Object.freeze([...list]);
      distinct++;
    }
    if (++seen === WINDOW) {
      if (distinct > WINDOW / 2) trie = undefined;
      seen = distinct = 0;
    }
    return node.list;
  };
}
