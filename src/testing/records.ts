/** Arbitraries for snapshots: plain records (`arbRecords`) and built states (`arbState`). */
import fc from "fast-check";
import {
  createState,
  type ContactInit,
  type CrmRecordsInit,
  type CrmState,
  type Follower,
  type OpportunityInit,
  type OpportunityStatus,
  type RotationInit,
  type Settings,
  type UserInit,
} from "crm-ownership";
import { CONTACT_POOL, OPPORTUNITY_POOL, ROTATION_POOL, USER_POOL } from "./ids.js";

/**
 * Which settings a generated snapshot has.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { arbState, type SettingsMode } from "crm-ownership/testing";
 *
 * const mode: SettingsMode = "separate"; // every generated account allows different owners
 * fc.sample(arbState({ settings: mode }), 3);
 * ```
 */
export type SettingsMode =
  /** `allowDifferentOwners` off: owners coupled. */
  | "coupled"
  /** `allowDifferentOwners` on: owners separate. */
  | "separate"
  /** Either (the default). */
  | "any";

/**
 * Options of `arbRecords` and `arbState`. Every option has a default; pass only what matters.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { arbRecords, type RecordsOptions } from "crm-ownership/testing";
 *
 * // Partial snapshots of small coupled accounts, some with groups split by legacy data.
 * const options: RecordsOptions = { maxContacts: 3, settings: "coupled", partial: true, splitGroups: true };
 * fc.sample(arbRecords(options), 3);
 * ```
 */
export interface RecordsOptions {
  /** Fewest users (default 1). */
  readonly minUsers?: number | undefined;
  /** Most users (default 5, at most 8). */
  readonly maxUsers?: number | undefined;
  /** Most contacts (default 4, at most 9). */
  readonly maxContacts?: number | undefined;
  /** Most opportunities over all contacts, loaded or not (default 6, at most 12). */
  readonly maxOpportunities?: number | undefined;
  /**
   * A mode, or fixed settings: `"coupled"`, `"separate"`, `"any"` (default), or an object whose
   * given fields are fixed while the others stay random (`{ maxFollowers: 2 }`).
   */
  readonly settings?: SettingsMode | Partial<Settings> | undefined;
  /**
   * A partial snapshot, as a host loads it (docs/rules.md §1): some contacts list opportunity ids that
   * were not loaded. Default `false`: every contact's opportunities are all there.
   */
  readonly partial?: boolean | undefined;
  /**
   * Allow coupled groups whose owners differ (data from before the rule existed; `createState`
   * accepts them and `checkInvariants` reports them). Default `false`: sound snapshots only.
   */
  readonly splitGroups?: boolean | undefined;
}

const statusArb = fc.constantFrom<OpportunityStatus>("open", "open", "open", "won", "lost", "abandoned");
const sourceArb = fc.constantFrom<Follower["source"]>("manual", "automation");
/** Records are plain objects, as a host's JSON or database rows are (hostile shapes live in arbInvalidCommand and the hostile tests). */
const PLAIN = { noNullPrototype: true } as const;

const clamp = (value: number | undefined, fallback: number, max: number): number =>
  Math.max(0, Math.min(max, Math.floor(value ?? fallback)));

function settingsArb(option: RecordsOptions["settings"]): fc.Arbitrary<Settings> {
  const fixed: Partial<Settings> =
    option === "coupled" ? { allowDifferentOwners: false } : option === "separate" ? { allowDifferentOwners: true } : typeof option === "object" ? option : {};
  const flag = (key: Exclude<keyof Settings, "maxFollowers">) => (fixed[key] === undefined ? fc.boolean() : fc.constant(fixed[key]));
  return fc.record({
    allowDifferentOwners: flag("allowDifferentOwners"),
    updateContactFollowersOnOpportunityOwnerChange: flag("updateContactFollowersOnOpportunityOwnerChange"),
    updateOpportunityFollowersOnContactOwnerChange: flag("updateOpportunityFollowersOnContactOwnerChange"),
    // Small limits most of the time, so random commands run into them.
    maxFollowers: fixed.maxFollowers === undefined ? fc.constantFrom(1, 2, 3, 10) : fc.constant(fixed.maxFollowers),
  }, PLAIN);
}

function usersArb(options: RecordsOptions): fc.Arbitrary<UserInit[]> {
  const max = clamp(options.maxUsers, 5, USER_POOL.length);
  const min = Math.min(max, clamp(options.minUsers, 1, USER_POOL.length));
  return fc.uniqueArray(
    fc.record({
      id: fc.constantFrom(...USER_POOL),
      active: fc.constantFrom(true, true, true, false),
      role: fc.constantFrom("user" as const, "user" as const, "admin" as const),
      scope: fc.constantFrom("all" as const, "assigned" as const),
    }, PLAIN),
    { selector: (u) => u.id, minLength: min, maxLength: max },
  );
}

interface Draft {
  readonly contacts: { id: string; ownerId: string | null; followers: Follower[]; listIds: boolean }[];
  readonly opportunities: { id: string; contact: number; ownerId: string | null; followers: Follower[]; status: OpportunityStatus; loaded: boolean }[];
  readonly rotations: RotationInit[];
  readonly version: number;
}

/**
 * Sound snapshots as plain records, ready for `createState`: known users (some inactive, some
 * admins, some with scope `assigned`), contacts with their opportunities, followers within the
 * limit, rotations, random settings. Ids come from small pools that include `"__proto__"`,
 * `"constructor"` and `"toString"`. Unless `splitGroups` is set, `checkInvariants` of the built
 * snapshot is empty.
 *
 * Why records and not states: a failing property then prints plain JSON you can paste into a
 * regression test.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { checkInvariants, createState } from "crm-ownership";
 * import { arbRecords } from "crm-ownership/testing";
 *
 * fc.assert(
 *   fc.property(arbRecords({ settings: "separate", partial: true }), (records) => {
 *     return checkInvariants(createState(records)).length === 0;
 *   }),
 * );
 * ```
 */
export function arbRecords(options: RecordsOptions = {}): fc.Arbitrary<CrmRecordsInit> {
  const maxContacts = clamp(options.maxContacts, 4, CONTACT_POOL.length);
  const maxOpportunities = clamp(options.maxOpportunities, 6, OPPORTUNITY_POOL.length);
  const partial = options.partial === true;
  return fc.record({ settings: settingsArb(options.settings), users: usersArb(options) }).chain(({ settings, users }) => {
    const ids = users.map((u) => u.id);
    const owner: fc.Arbitrary<string | null> = ids.length > 0 ? fc.option(fc.constantFrom(...ids), { nil: null, freq: 4 }) : fc.constant(null);
    const most = Math.min(settings.maxFollowers, ids.length, 4);
    const followers: fc.Arbitrary<Follower[]> =
      most > 0 ? fc.uniqueArray(fc.record({ userId: fc.constantFrom(...ids), source: sourceArb }, PLAIN), { selector: (f) => f.userId, maxLength: most }) : fc.constant([]);
    const draft: fc.Arbitrary<Draft> = fc.record({
      contacts: fc.uniqueArray(fc.record({ id: fc.constantFrom(...CONTACT_POOL), ownerId: owner, followers, listIds: fc.boolean() }), {
        selector: (c) => c.id,
        maxLength: maxContacts,
      }),
      opportunities: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom(...OPPORTUNITY_POOL),
          contact: fc.nat(),
          ownerId: owner,
          followers,
          status: statusArb,
          loaded: partial ? fc.constantFrom(true, true, false) : fc.constant(true),
        }),
        { selector: (o) => o.id, maxLength: maxOpportunities },
      ),
      rotations: fc.uniqueArray(fc.record({ id: fc.constantFrom(...ROTATION_POOL), picks: fc.nat(20) }, PLAIN), { selector: (r) => r.id, maxLength: 2 }),
      version: fc.nat(1_000),
    });
    return draft.map((d) => assemble(d, settings, users, options.splitGroups === true, partial));
  });
}

function assemble(d: Draft, settings: Settings, users: UserInit[], splitGroups: boolean, partial: boolean): CrmRecordsInit {
  const coupled = !settings.allowDifferentOwners;
  const owned = d.contacts.length === 0 ? [] : d.opportunities.map((o) => ({ ...o, contactId: (d.contacts[o.contact % d.contacts.length] as Draft["contacts"][number]).id }));
  const contacts: ContactInit[] = d.contacts.map((c) => {
    const mine = owned.filter((o) => o.contactId === c.id).map((o) => o.id);
    // A partial snapshot gives every contact's full list; a whole one sometimes leaves it out.
    const list = partial || c.listIds ? { opportunityIds: mine } : {};
    return { id: c.id, ownerId: c.ownerId, followers: c.followers, ...list };
  });
  const ownerOf = new Map(d.contacts.map((c) => [c.id, c.ownerId]));
  const opportunities: OpportunityInit[] = owned
    .filter((o) => o.loaded)
    .map((o) => ({
      id: o.id,
      contactId: o.contactId,
      ownerId: coupled && !splitGroups ? (ownerOf.get(o.contactId) ?? null) : o.ownerId,
      followers: o.followers,
      status: o.status,
    }));
  return { version: d.version, settings, users, contacts, opportunities, rotations: d.rotations };
}

/**
 * Sound snapshots, built with `createState` from `arbRecords(options)`.
 *
 * Why: for properties that only need a state to run commands on.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { execute } from "crm-ownership";
 * import { arbState } from "crm-ownership/testing";
 *
 * fc.assert(
 *   fc.property(arbState({ settings: "coupled" }), (state) => {
 *     return execute(state, { type: "updateSettings" }, { actor: { system: "test" } }).ok;
 *   }),
 * );
 * ```
 */
export function arbState(options: RecordsOptions = {}): fc.Arbitrary<CrmState> {
  return arbRecords(options).map((records) => createState(records));
}
