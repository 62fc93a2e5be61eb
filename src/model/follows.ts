/**
 * A user's follow in a record's follower list: one definition for the rules, the user index and
 * who may see a record.
 */
import type { Follower } from "./records.js";

/**
 * The follow of `userId` in a follower list, if any. An indexed loop: Node 20 runs `find` and
 * `some` on a frozen array (every list of a snapshot) on a slow path, about five times slower
 * (docs/performance.md), and offboarding, re-coupling and visibility ask this of every record
 * they read. @internal
 */
export function followOf(followers: readonly Follower[], userId: string): Follower | undefined {
  for (let i = 0; i < followers.length; i++) {
    const follow = followers[i] as Follower;
    if (follow.userId === userId) return follow;
  }
  return undefined;
}
