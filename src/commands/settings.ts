/** Changing the account's ownership settings. */
import type { Context, Refusal } from "../kernel/context.js";
import { changeSettings } from "../rules/owners.js";
import { boolean, optional } from "../model/fields.js";
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
