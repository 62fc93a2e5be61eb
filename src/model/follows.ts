/**
 * A user's follow in a record's follower list: one definition for the rules, the user index and
 * who may see a record.
 */
import type { Follower } from "./records.js";

/**
 * Where the follow of `userId` is in a follower list, or -1. An indexed loop: Node 20 runs
 * `find`, `findIndex` and `some` on a frozen array (every list of a snapshot) on a slow path,
 * about five times slower (docs/performance.md), and offboarding, re-coupling and visibility ask
 * this of every record they read. @internal
 */
export function followIndex(followers: readonly Follower[], userId: string): number {
  for (let i = 0; i < followers.length; i++) if ((followers[i] as Follower).userId === userId) return i;
  return -1;
}

/** The follow of `userId` in a follower list, if any. @internal */
export function followOf(followers: readonly Follower[], userId: string): Follower | undefined {
  const at = followIndex(followers, userId);
  // Not `followers[-1]`: a negative index is a named-property lookup, off the arrays' fast path.
  return at < 0 ? undefined : followers[at];
}

/**
 * Whether a user owns or follows a record: who an assigned-scope user sees (access.ts) and whose
 * groups the user index lists (userIndex.ts). @internal
 */
export function ownsOrFollows(record: { readonly ownerId: string | null; readonly followers: readonly Follower[] }, userId: string): boolean {
  return record.ownerId === userId || followIndex(record.followers, userId) >= 0;
}
