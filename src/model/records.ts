/**
 * The plain records of an account, as `createState` takes them and `toRecords` returns them.
 * Everything here is readonly JSON data: no classes, no methods.
 */

/**
 * Where a follow came from: a person or an explicit command (`manual`), or a rule (`automation`).
 *
 * @example
 * ```ts
 * const source: FollowerSource = "manual"; // rules never remove a manual follow
 * ```
 */
export type FollowerSource = "manual" | "automation";

/**
 * One follower of a contact or an opportunity. A user follows a record at most once.
 *
 * @example
 * ```ts
 * const followers: readonly Follower[] = getContact(state, "acme")?.followers ?? [];
 * followers.filter((f) => f.source === "automation").map((f) => f.userId); // the ones a rule added
 * ```
 */
export interface Follower {
  readonly userId: string;
  readonly source: FollowerSource;
}

/**
 * An opportunity is open until it is won, lost or abandoned; the last three are "closed".
 *
 * @example
 * ```ts
 * const status: OpportunityStatus = getOpportunity(state, "deal-1")?.status ?? "open";
 * isClosed(status); // true for "won", "lost" and "abandoned"
 * ```
 */
export type OpportunityStatus = "open" | "won" | "lost" | "abandoned";

/**
 * What a user may do: admins change settings and users; see docs/rules.md §13.
 *
 * @example
 * ```ts
 * const role: UserRole = "admin"; // admins change settings and (de)activate users
 * createState({ users: [{ id: "ana", role }], contacts: [], opportunities: [] });
 * ```
 */
export type UserRole = "admin" | "user";

/**
 * What a user sees: everything (`all`), or only what they own or follow (`assigned`).
 *
 * @example
 * ```ts
 * const scope: UserScope = "assigned"; // sees only what they own or follow
 * createState({ users: [{ id: "ben", scope }], contacts: [], opportunities: [] });
 * ```
 */
export type UserScope = "all" | "assigned";

/**
 * A user of the account. A departed user stays as an inactive one, so history still resolves.
 *
 * @example
 * ```ts
 * const user: User | undefined = getUser(state, "ana");
 * user?.active; // false once deactivateUser ran; inactive users stay for history
 * ```
 */
export interface User {
  readonly id: string;
  readonly active: boolean;
  readonly role: UserRole;
  readonly scope: UserScope;
}

/**
 * A contact, with the ids of all of its opportunities in the contact's order.
 *
 * @example
 * ```ts
 * const contact: Contact | undefined = getContact(state, "acme");
 * contact?.opportunityIds; // ["deal-1", "deal-2"]: the contact's order
 * ```
 */
export interface Contact {
  readonly id: string;
  readonly ownerId: string | null;
  readonly followers: readonly Follower[];
  /** Every opportunity of the contact; in a partial snapshot some may not be loaded. */
  readonly opportunityIds: readonly string[];
}

/**
 * An opportunity (deal) of a contact.
 *
 * @example
 * ```ts
 * const deal: Opportunity | undefined = getOpportunity(state, "deal-1");
 * deal?.ownerId === getContact(state, deal?.contactId ?? "")?.ownerId; // always true while owners are coupled
 * ```
 */
export interface Opportunity {
  readonly id: string;
  readonly contactId: string;
  readonly ownerId: string | null;
  readonly followers: readonly Follower[];
  readonly status: OpportunityStatus;
}

/**
 * One member of a weighted rotation: picked `weight` times in a row per cycle.
 *
 * @example
 * ```ts
 * const members: RotationMember[] = [{ userId: "ana", weight: 2 }, { userId: "ben" }]; // ana, ana, ben, then again
 * execute(state, { type: "assignUser", contactId: "lead-7", rotationId: "inbound", users: members }, context);
 * ```
 */
export interface RotationMember {
  readonly userId: string;
  readonly weight?: number | undefined;
}

/**
 * Where a round-robin rotation stands: `picks` counts the picks made so far, so the next pick is
 * slot `picks mod cycleLength` of the cycle built from the command's users.
 *
 * @example
 * ```ts
 * const rotation: Rotation | undefined = getRotation(state, "inbound");
 * rotation?.picks; // how many picks the rotation made; the next pick follows from it
 * ```
 */
export interface Rotation {
  readonly id: string;
  readonly picks: number;
}

/**
 * The account's ownership settings; see docs/rules.md §1.
 *
 * @example
 * ```ts
 * const settings: Settings = getSettings(state);
 * if (settings.allowDifferentOwners && settings.updateContactFollowersOnOpportunityOwnerChange) {
 *   // a deal's owner who does not own its contact will follow the contact
 * }
 * ```
 */
export interface Settings {
  /** "Allow different owners for contacts and its opportunities". Off: owners are coupled. */
  readonly allowDifferentOwners: boolean;
  /**
   * With separate owners: owning one of a contact's opportunities, but not the contact, is a
   * reason to follow the contact by `automation` (docs/rules.md §5).
   */
  readonly updateContactFollowersOnOpportunityOwnerChange: boolean;
  /**
   * With separate owners: owning a contact, but not one of its opportunities, is a reason to
   * follow that opportunity by `automation` (docs/rules.md §5).
   */
  readonly updateOpportunityFollowersOnContactOwnerChange: boolean;
  /** The most followers one record may have (10, as in the original product). */
  readonly maxFollowers: number;
}

/**
 * The kinds of record that can have followers.
 *
 * @example
 * ```ts
 * const kind: RecordKind = "opportunity";
 * canView(state, "ben", { kind, id: "deal-1" });
 * ```
 */
export type RecordKind = "contact" | "opportunity";

/**
 * A reference to a contact or an opportunity.
 *
 * @example
 * ```ts
 * const record: RecordRef = { kind: "contact", id: "acme" };
 * execute(state, { type: "addFollower", record, userId: "ben" }, context);
 * ```
 */
export interface RecordRef {
  readonly kind: RecordKind;
  readonly id: string;
}

/**
 * A user as given to `createState`: `active`, `role` and `scope` have defaults.
 *
 * @example
 * ```ts
 * const users: UserInit[] = [{ id: "ana", role: "admin" }, { id: "ben", scope: "assigned" }, { id: "old-rep", active: false }];
 * createState({ users, contacts: [], opportunities: [] });
 * ```
 */
export interface UserInit {
  readonly id: string;
  readonly active?: boolean | undefined;
  readonly role?: UserRole | undefined;
  readonly scope?: UserScope | undefined;
}

/**
 * A contact as given to `createState`.
 *
 * @example
 * ```ts
 * // A partial snapshot: acme has three deals, only deal-1 is loaded.
 * const acme: ContactInit = { id: "acme", ownerId: "ana", opportunityIds: ["deal-1", "deal-2", "deal-3"] };
 * createState({ users: [{ id: "ana" }], contacts: [acme], opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }] });
 * ```
 */
export interface ContactInit {
  readonly id: string;
  readonly ownerId?: string | null | undefined;
  readonly followers?: readonly Follower[] | undefined;
  /**
   * The contact's full list of opportunity ids. Optional: without it the list is derived from
   * `opportunities`. A host that loads a partial snapshot passes it so that the library can
   * refuse a command that would need an opportunity that was not loaded.
   */
  readonly opportunityIds?: readonly string[] | undefined;
}

/**
 * An opportunity as given to `createState`.
 *
 * @example
 * ```ts
 * const deal: OpportunityInit = { id: "deal-1", contactId: "acme", ownerId: "ana", status: "won", followers: [{ userId: "ben", source: "manual" }] };
 * createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [deal] });
 * ```
 */
export interface OpportunityInit {
  readonly id: string;
  readonly contactId: string;
  readonly ownerId?: string | null | undefined;
  readonly followers?: readonly Follower[] | undefined;
  readonly status?: OpportunityStatus | undefined;
}

/**
 * A rotation as given to `createState`.
 *
 * @example
 * ```ts
 * const rotations: RotationInit[] = [{ id: "inbound", picks: 41 }]; // where the host's stored rotation stood
 * createState({ users: [], contacts: [], opportunities: [], rotations });
 * ```
 */
export interface RotationInit {
  readonly id: string;
  readonly picks?: number | undefined;
}

/**
 * Everything `createState` needs: the plain records of one account (or part of it).
 *
 * @example
 * ```ts
 * const init: CrmRecordsInit = {
 *   version: 7,
 *   settings: { allowDifferentOwners: true },
 *   users: [{ id: "ana" }, { id: "ben" }],
 *   contacts: [{ id: "acme", ownerId: "ana" }],
 *   opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ben" }],
 * };
 * const state = createState(init);
 * ```
 */
export interface CrmRecordsInit {
  readonly version?: number | undefined;
  readonly settings?: Partial<Settings> | undefined;
  readonly users: readonly UserInit[];
  readonly contacts: readonly ContactInit[];
  readonly opportunities: readonly OpportunityInit[];
  readonly rotations?: readonly RotationInit[] | undefined;
}

/**
 * A snapshot as plain JSON records, as `toRecords` returns it.
 *
 * @example
 * ```ts
 * const records: CrmRecords = toRecords(state);
 * const json = JSON.stringify(records); // store it; createState(JSON.parse(json)) gives the same snapshot back
 * ```
 */
export interface CrmRecords {
  readonly version: number;
  readonly settings: Settings;
  readonly users: readonly User[];
  readonly contacts: readonly Contact[];
  readonly opportunities: readonly Opportunity[];
  readonly rotations: readonly Rotation[];
}

/**
 * The settings of a new account: everything off, ten followers per record.
 *
 * @example
 * ```ts
 * DEFAULT_SETTINGS.maxFollowers; // 10
 * const settings = { ...DEFAULT_SETTINGS, allowDifferentOwners: true };
 * ```
 */
export const DEFAULT_SETTINGS: Settings = Object.freeze({
  allowDifferentOwners: false,
  updateContactFollowersOnOpportunityOwnerChange: false,
  updateOpportunityFollowersOnContactOwnerChange: false,
  maxFollowers: 10,
});

/**
 * True for `won`, `lost` and `abandoned`.
 *
 * @example
 * ```ts
 * listOpportunities(state).filter((o) => !isClosed(o.status)); // the open deals
 * ```
 */
export function isClosed(status: OpportunityStatus): boolean {
  return status !== "open";
}
