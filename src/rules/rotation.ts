/**
 * Weighted round-robin: the cycle lists each eligible user `weight` times in a row (3/3/1 gives
 * A, A, A, B, B, B, C), and the rotation's `picks` counter says where in the cycle the next pick
 * falls. Deterministic: the same snapshot and command always pick the same user.
 */
import { errors } from "../errors.js";
import type { RotationMember } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";
import type { Refusal } from "../commands/context.js";

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
export function nextPick(s: Overlay, rotationId: string, members: readonly RotationMember[]): Pick | NonNullable<Refusal> {
  const eligible = members.filter((m) => s.users.get(m.userId)?.active === true);
  const cycle = eligible.reduce((sum, m) => sum + (m.weight ?? 1), 0);
  if (cycle === 0) return errors.noEligibleUser(rotationId);
  const picks = s.rotations.get(rotationId)?.picks ?? 0;
  let slot = picks % cycle;
  for (const member of eligible) {
    const weight = member.weight ?? 1;
    if (slot < weight) return { userId: member.userId, picks: picks + 1 };
    slot -= weight;
  }
  /* c8 ignore next: slot < cycle, so the loop always returns */
  return errors.noEligibleUser(rotationId);
}
