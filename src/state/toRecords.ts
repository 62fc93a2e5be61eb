import type { CrmRecords } from "../model/records.js";
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
      followers: c.followers.map((f) => ({ ...f })),
      opportunityIds: [...c.opportunityIds],
    })),
    opportunities: rows(state.opportunities).map((o) => ({ ...o, followers: o.followers.map((f) => ({ ...f })) })),
    rotations: rows(state.rotations).map((r) => ({ ...r })),
  };
}
