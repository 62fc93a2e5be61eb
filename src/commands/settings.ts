/** Changing the account's ownership settings. */
import type { Context, Refusal } from "../kernel/context.js";
import { changeSettings, recoupleGroups } from "../rules/owners.js";
import { boolean, id, list, optional } from "../model/fields.js";
import { LIMITS } from "../limits.js";
import type { CommandMeta } from "./meta.js";

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

/** @internal */
export function decideUpdateSettings(ctx: Context, command: UpdateSettings): Refusal {
  return changeSettings(ctx, command, "allowDifferentOwners");
}

/**
 * Re-couples the groups of these contacts only, whatever `allowDifferentOwners` says: each
 * opportunity whose owner differs from its contact's moves to the contact's owner, and every
 * `automation` follow on the contact and its opportunities ends (cause `owners-recoupled`):
 * exactly the events turning the setting off gives for those groups, contacts in the snapshot's
 * order, without a `SettingsChanged`. A contact that does not exist is skipped. 1 to
 * `LIMITS.transferContactIds` ids; admin-only, as turning the setting off is. `runBulk` re-couples
 * a large account chunk by chunk with it (docs/integration.md).
 *
 * @example
 * ```ts
 * const command: RecoupleGroups = { type: "recoupleGroups", contactIds: ["acme", "globex"] };
 * execute(state, command, context); // OpportunityOwnerChanged and FollowerRemoved, cause "owners-recoupled"
 * ```
 */
export interface RecoupleGroups extends CommandMeta {
  readonly type: "recoupleGroups";
  readonly contactIds: readonly string[];
}

/** @internal */
export const recoupleGroupsShape = { contactIds: list(id, LIMITS.transferContactIds, 1) } as const;

/** @internal */
export function decideRecoupleGroups(ctx: Context, command: RecoupleGroups): Refusal {
  return recoupleGroups(ctx, command.contactIds, "contactIds");
}
