import type { Cause } from "../events.js";
import type { Follower, RecordRef } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context } from "../commands/context.js";

/** The followers of a record in the working copy (empty when it is not there). @internal */
export function followersOf(s: Overlay, record: RecordRef): readonly Follower[] {
  const found = record.kind === "contact" ? s.contacts.get(record.id) : s.opportunities.get(record.id);
  return found?.followers ?? [];
}

/** Whether the record has no room for one more follower. @internal */
export function isFull(s: Overlay, record: RecordRef): boolean {
  return followersOf(s, record).length >= s.settings.maxFollowers;
}

/**
 * A rule adds `userId` as an `automation` follower: never over the limit (then it emits
 * `FollowerNotAdded`, so a host can tell a person), never twice. @internal
 */
export function addFollowerByRule(ctx: Context, record: RecordRef, userId: string, cause: Cause): void {
  if (followersOf(ctx.s, record).some((f) => f.userId === userId)) return;
  const ref = { kind: record.kind, id: record.id };
  if (isFull(ctx.s, record)) ctx.emit({ type: "FollowerNotAdded", record: ref, userId, reason: "limit", cause });
  else ctx.emit({ type: "FollowerAdded", record: ref, userId, source: "automation", cause });
}

/** A rule removes `userId`'s follow, only when it came from `automation`. @internal */
export function removeAutomationFollower(ctx: Context, record: RecordRef, userId: string, cause: Cause): void {
  const follow = followersOf(ctx.s, record).find((f) => f.userId === userId);
  if (follow?.source !== "automation") return;
  ctx.emit({ type: "FollowerRemoved", record: { kind: record.kind, id: record.id }, userId, source: "automation", cause });
}
