/** Changing the account's ownership settings. */
import { errors } from "../errors.js";
import type { ToggleSetting } from "../events.js";
import type { Contact } from "../model/records.js";
import { endAutomationFollows } from "../rules/followerSync.js";
import { missingOpportunities } from "../rules/group.js";
import { boolean, optional } from "./fields.js";
import type { CommandMeta } from "./meta.js";
import type { Context, Refusal } from "./context.js";

/**
 * Turns settings on or off. Turning `allowDifferentOwners` off re-couples owners: every
 * opportunity whose owner differs from its contact's moves to the contact's owner, and every
 * `automation` follow in the account ends (coupled owners give them no reason); `manual` follows
 * stay.
 *
 * @example
 * ```ts
 * const separateOwners: UpdateSettings = {
 *   type: "updateSettings",
 *   allowDifferentOwners: true,
 *   updateContactFollowersOnOpportunityOwnerChange: true,
 * };
 * execute(state, separateOwners, context);
 * ```
 */
export interface UpdateSettings extends CommandMeta {
  readonly type: "updateSettings";
  readonly allowDifferentOwners?: boolean | undefined;
  readonly updateContactFollowersOnOpportunityOwnerChange?: boolean | undefined;
  readonly updateOpportunityFollowersOnContactOwnerChange?: boolean | undefined;
}

/** @internal */
export const updateSettingsShape = {
  allowDifferentOwners: optional(boolean),
  updateContactFollowersOnOpportunityOwnerChange: optional(boolean),
  updateOpportunityFollowersOnContactOwnerChange: optional(boolean),
} as const;

const TOGGLES: readonly ToggleSetting[] = [
  "allowDifferentOwners",
  "updateContactFollowersOnOpportunityOwnerChange",
  "updateOpportunityFollowersOnContactOwnerChange",
];

/** @internal */
export function decideUpdateSettings(ctx: Context, command: UpdateSettings): Refusal {
  const before = ctx.s.settings;
  // Re-coupling must see every opportunity of every contact before anything changes.
  const recouple = before.allowDifferentOwners && command.allowDifferentOwners === false;
  const contacts: readonly Contact[] = recouple ? ctx.s.contacts.all() : [];
  for (const contact of contacts) {
    const missing = missingOpportunities(ctx.s, contact);
    if (missing.length > 0) return errors.incomplete(contact.id, missing, "allowDifferentOwners");
  }
  for (const setting of TOGGLES) {
    const to = command[setting];
    if (to === undefined || to === before[setting]) continue;
    ctx.emit({ type: "SettingsChanged", setting, from: before[setting], to, cause: "command" });
  }
  for (const contact of contacts) {
    for (const id of contact.opportunityIds) {
      const opportunity = ctx.s.opportunities.get(id);
      if (opportunity === undefined || opportunity.ownerId === contact.ownerId) continue;
      ctx.emit({
        type: "OpportunityOwnerChanged",
        opportunityId: id,
        contactId: contact.id,
        from: opportunity.ownerId,
        to: contact.ownerId,
        cause: "owners-recoupled",
      });
    }
  }
  endAutomationFollows(ctx, contacts);
  return undefined;
}
