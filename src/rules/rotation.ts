/**
 * Rotations (docs/rules.md §10): weighted round-robin. The cycle lists each eligible user
 * `weight` times in a row (3/3/1 gives A, A, A, B, B, B, C), and the rotation's `picks` counter
 * says where in the cycle the next pick falls. Deterministic: the same snapshot and command
 * always pick the same user.
 */
import { errors, type Result } from "../errors.js";
import type { Contact, Opportunity, RotationMember } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Context, Refusal } from "../kernel/context.js";
import { changeContactOwner, changeOpportunityOwner } from "./owners.js";

/** A rotation's next pick. @internal */
export interface Pick {
  readonly userId: string;
  /** The rotation's count of picks after this one. */
  readonly picks: number;
}

/**
 * Every member of a rotation must be a user of the snapshot: a host loads them all
 * (`recordsNeeded` names them), so an unknown one is a mistake to report, not to skip. Checked
 * before `onlyIfUnassigned`, so a broken workflow fails the first time it runs. @internal
 */
export function checkMembers(s: Overlay, members: readonly RotationMember[]): Refusal {
  for (const [i, member] of members.entries()) {
    if (s.users.get(member.userId) === undefined) return errors.userNotFound(member.userId, `users[${i}].userId`);
  }
  return undefined;
}

/** The next user of a rotation (its members checked by `checkMembers`); inactive users are skipped. @internal */
export function nextPick(s: Overlay, rotationId: string, members: readonly RotationMember[]): Result<Pick> {
  const eligible = members.filter((m) => s.users.get(m.userId)?.active === true);
  const cycle = eligible.reduce((sum, m) => sum + (m.weight ?? 1), 0);
  if (cycle === 0) return { ok: false, error: errors.noEligibleUser(rotationId) };
  const picks = s.rotations.get(rotationId)?.picks ?? 0;
  let slot = picks % cycle;
  for (const member of eligible) {
    const weight = member.weight ?? 1;
    if (slot < weight) return { ok: true, value: { userId: member.userId, picks: picks + 1 } };
    slot -= weight;
  }
  /* c8 ignore next: slot < cycle, so the loop always returns */
  return { ok: false, error: errors.noEligibleUser(rotationId) };
}

/** The record a rotation assigns: a contact (`assignUser`) or an opportunity (`addOpportunityOwner`). @internal */
export type Assigned = { readonly kind: "contact"; readonly record: Contact } | { readonly kind: "opportunity"; readonly record: Opportunity };

/**
 * Gives the record to the rotation's next user (the owner change says `rotationId`), then moves
 * the rotation on (`RotationAdvanced`). A refused command never moves it. @internal
 */
export function assignByRotation(ctx: Context, assigned: Assigned, rotationId: string, members: readonly RotationMember[]): Refusal {
  const pick = nextPick(ctx.s, rotationId, members);
  if (!pick.ok) return pick.error;
  const { userId, picks } = pick.value;
  const change = { cause: "command", field: "users", rotationId } as const;
  const refusal =
    assigned.kind === "contact" ? changeContactOwner(ctx, assigned.record, userId, change) : changeOpportunityOwner(ctx, assigned.record, userId, change);
  if (refusal) return refusal;
  ctx.emit({ type: "RotationAdvanced", rotationId, userId, picks, cause: "command" });
  return undefined;
}
