import type { Follower, RecordRef } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";

/** The followers of a record in the working copy (empty when it is not there). @internal */
export function followersOf(s: Overlay, record: RecordRef): readonly Follower[] {
  const found = record.kind === "contact" ? s.contacts.get(record.id) : s.opportunities.get(record.id);
  return found?.followers ?? [];
}

/** Whether the record has no room for one more follower. @internal */
export function isFull(s: Overlay, record: RecordRef): boolean {
  return followersOf(s, record).length >= s.settings.maxFollowers;
}
