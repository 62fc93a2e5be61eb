/**
 * Who may do what (docs/permissions.md). The actor comes from the host's context: a system
 * actor is trusted, a user is checked, and nothing is trusted by omission.
 *
 * A user's command is checked in two places, so that every record it changes is authorised,
 * not only the one it names:
 * - before it runs (`authorize`): the actor is a known, active user, and admin-only commands
 *   come from an admin;
 * - as it runs (`Guard`): a scoped user names only records they see (any other reads as missing,
 *   so ids cannot be probed), and each change is checked on the record it changes, as it was just
 *   before — the opportunities coupling moves with a contact and those deleted with it included.
 *   Follows that a rule adds or ends need no right of the actor.
 */
import { errors, type CrmError, type Result } from "../errors.js";
import type { EventBody } from "../events.js";
import { canSee } from "../model/access.js";
import type { Actor } from "../model/actor.js";
import type { RecordRef, User } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Guard } from "../kernel/context.js";

/**
 * Who may run a command at all: every command's definition says it (commands/command.ts), so a
 * new command that nobody placed is a compile error, never allowed by default.
 *
 * @internal
 */
export type WhoMayRun = "admin" | "any user";

/**
 * Whether the actor may run a command (`type`, run by `who`), and how its changes are checked as
 * it runs: the guard, `undefined` when the actor may change every record (a system actor, an
 * admin, a user with scope `all`), or the refusal. @internal
 */
export function authorize(s: Overlay, type: string, who: WhoMayRun, actor: Actor): Result<Guard | undefined> {
  if (!("userId" in actor)) return { ok: true, value: undefined };
  const user = s.users.get(actor.userId);
  if (user === undefined) return { ok: false, error: errors.forbidden(actor, "unknown-actor", "they are not a user of this account") };
  if (!user.active) return { ok: false, error: errors.forbidden(actor, "inactive-actor", "they are deactivated") };
  if (user.role === "admin") return { ok: true, value: undefined };
  if (who === "admin") return { ok: false, error: errors.forbidden(actor, "admin-only", `only an admin may ${type}`) };
  return { ok: true, value: user.scope === "all" ? undefined : scopedGuard(user, actor) };
}

/**
 * A scoped user's guard: they name only what they see, and change an owner of, or delete, only
 * a record they own (just before the change).
 */
function scopedGuard(user: User, actor: Actor): Guard {
  const change = (s: Overlay, ref: RecordRef, verb: string): CrmError | undefined => {
    const found = ref.kind === "contact" ? s.contacts.get(ref.id) : s.opportunities.get(ref.id);
    if (found?.ownerId === user.id) return undefined;
    return errors.forbidden(actor, "owner-only", `only the owner (or a user with scope "all") may ${verb} ${ref.kind} ${errors.quote(ref.id)}`);
  };
  return {
    sees: (found) => canSee(user, found),
    check(s, event: EventBody) {
      switch (event.type) {
        case "ContactOwnerChanged":
          return change(s, { kind: "contact", id: event.contactId }, "change the owner of");
        case "OpportunityOwnerChanged":
          return change(s, { kind: "opportunity", id: event.opportunityId }, "change the owner of");
        case "ContactDeleted":
          return change(s, { kind: "contact", id: event.contactId }, "delete");
        case "OpportunityDeleted":
          return change(s, { kind: "opportunity", id: event.opportunityId }, "delete");
        default:
          // Follows and status: the command names its record, which the actor sees (`sees`);
          // follows that a rule adds or ends need no right of the actor.
          return undefined;
      }
    },
  };
}
