import type { CrmRecords, Follower } from "../model/records.js";
import type { CrmState } from "./state.js";
import { rows } from "./table.js";

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
    contacts: rows(state.contacts).map((c) => ({
      ...c,
      followers: copyFollowers(c.followers),
      opportunityIds: [...c.opportunityIds],
    })),
    opportunities: rows(state.opportunities).map((o) => ({ ...o, followers: copyFollowers(o.followers) })),
    rotations: rows(state.rotations).map((r) => ({ ...r })),
  };
}

/** Copies of the follows. A loop, not `map`: Node 20 maps frozen arrays on a slow path. */
function copyFollowers(followers: readonly Follower[]): Follower[] {
  const out: Follower[] = [];
  for (let i = 0; i < followers.length; i++) out.push({ ...(followers[i] as Follower) });
  return out;
}
