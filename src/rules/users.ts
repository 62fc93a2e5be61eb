import { errors } from "../errors.js";
import type { Overlay } from "../state/overlay.js";
import type { Refusal } from "../commands/context.js";

/** An owner or follower must be a known, active user; `null` (unassigned) always may. @internal */
export function checkAssignable(s: Overlay, userId: string | null, field: string): Refusal {
  if (userId === null) return undefined;
  const user = s.users.get(userId);
  if (user === undefined) return errors.userNotFound(userId, field);
  if (!user.active) return errors.userInactive(userId, field);
  return undefined;
}

/** A user that must exist, active or not (removing a departed user's follow is fine). @internal */
export function checkKnown(s: Overlay, userId: string, field: string): Refusal {
  return s.users.get(userId) === undefined ? errors.userNotFound(userId, field) : undefined;
}
