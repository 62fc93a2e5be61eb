import type { CrmRecords, Follower } from "../model/records.js";
import type { CrmState } from "./state.js";
import { mapRows, rows } from "./table.js";

/**
 * The snapshot as plain JSON records, in order, ready to persist or send.
 * `createState(toRecords(state))` is equivalent to `state`.
 *
 * @example
 * ```ts
 * const json = JSON.stringify(toRecords(state));
 * const again = createState(JSON.parse(json));
 * ```
 */
export function toRecords(state: CrmState): CrmRecords {
  return {
    version: state.version,
    settings: { ...state.settings },
    users: rows(state.users).map((u) => ({ ...u })),
    // Contacts and opportunities field by field: copying a frozen object with a spread takes
    // V8's slow path, and an account has many of them (TypeScript checks that no field is missed).
    contacts: mapRows(state.contacts, (c) => ({ id: c.id, ownerId: c.ownerId, followers: copyFollowers(c.followers), opportunityIds: [...c.opportunityIds] })),
    opportunities: mapRows(state.opportunities, (o) => ({
      id: o.id,
      contactId: o.contactId,
      ownerId: o.ownerId,
      followers: copyFollowers(o.followers),
      status: o.status,
    })),
    rotations: rows(state.rotations).map((r) => ({ ...r })),
  };
}

/** Copies of the follows: into an array of the right length (Node 20 maps frozen arrays slowly). */
function copyFollowers(followers: readonly Follower[]): Follower[] {
  const out = new Array<Follower>(followers.length);
  for (let i = 0; i < followers.length; i++) {
    const f = followers[i] as Follower;
    out[i] = { userId: f.userId, source: f.source };
  }
  return out;
}
