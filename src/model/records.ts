/**
 * The plain records of an account, as `createState` takes them and `toRecords` returns them.
 * Everything here is readonly JSON data: no classes, no methods.
 */

/** Where a follow came from: a person or an explicit command (`manual`), or a rule (`automation`). */
export type FollowerSource = "manual" | "automation";

/** One follower of a contact or an opportunity. A user follows a record at most once. */
export interface Follower {
  readonly userId: string;
  readonly source: FollowerSource;
}

/** An opportunity is open until it is won, lost or abandoned; the last three are "closed". */
export type OpportunityStatus = "open" | "won" | "lost" | "abandoned";

/** What a user may do: admins change settings and users; see SPEC §9. */
export type UserRole = "admin" | "user";

/** What a user sees: everything (`all`), or only what they own or follow (`assigned`). */
export type UserScope = "all" | "assigned";

/** A user of the account. A departed user stays as an inactive one, so history still resolves. */
export interface User {
  readonly id: string;
  readonly active: boolean;
  readonly role: UserRole;
  readonly scope: UserScope;
}

/** A contact, with the ids of all of its opportunities in the contact's order. */
export interface Contact {
  readonly id: string;
  readonly ownerId: string | null;
  readonly followers: readonly Follower[];
  /** Every opportunity of the contact; in a partial snapshot some may not be loaded. */
  readonly opportunityIds: readonly string[];
}

/** An opportunity (deal) of a contact. */
export interface Opportunity {
  readonly id: string;
  readonly contactId: string;
  readonly ownerId: string | null;
  readonly followers: readonly Follower[];
  readonly status: OpportunityStatus;
}

/** One member of a weighted rotation: picked `weight` times in a row per cycle. */
export interface RotationMember {
  readonly userId: string;
  readonly weight?: number | undefined;
}

/**
 * Where a round-robin rotation stands: `picks` counts the picks made so far, so the next pick is
 * slot `picks mod cycleLength` of the cycle built from the command's users.
 */
export interface Rotation {
  readonly id: string;
  readonly picks: number;
}

/** The account's ownership settings; see SPEC §2. */
export interface Settings {
  /** "Allow different owners for contacts and its opportunities". Off: owners are coupled. */
  readonly allowDifferentOwners: boolean;
  /** With separate owners: an opportunity's new owner follows the contact. */
  readonly updateContactFollowersOnOpportunityOwnerChange: boolean;
  /** With separate owners: a contact's new owner follows each of its opportunities. */
  readonly updateOpportunityFollowersOnContactOwnerChange: boolean;
  /** The most followers one record may have (10, as in the original product). */
  readonly maxFollowers: number;
}

/** The kinds of record that can have followers. */
export type RecordKind = "contact" | "opportunity";

/** A reference to a contact or an opportunity. */
export interface RecordRef {
  readonly kind: RecordKind;
  readonly id: string;
}

/** A user as given to `createState`: `active`, `role` and `scope` have defaults. */
export interface UserInit {
  readonly id: string;
  readonly active?: boolean | undefined;
  readonly role?: UserRole | undefined;
  readonly scope?: UserScope | undefined;
}

/** A contact as given to `createState`. */
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

/** An opportunity as given to `createState`. */
export interface OpportunityInit {
  readonly id: string;
  readonly contactId: string;
  readonly ownerId?: string | null | undefined;
  readonly followers?: readonly Follower[] | undefined;
  readonly status?: OpportunityStatus | undefined;
}

/** A rotation as given to `createState`. */
export interface RotationInit {
  readonly id: string;
  readonly picks?: number | undefined;
}

/** Everything `createState` needs: the plain records of one account (or part of it). */
export interface CrmRecordsInit {
  readonly version?: number | undefined;
  readonly settings?: Partial<Settings> | undefined;
  readonly users: readonly UserInit[];
  readonly contacts: readonly ContactInit[];
  readonly opportunities: readonly OpportunityInit[];
  readonly rotations?: readonly RotationInit[] | undefined;
}

/** A snapshot as plain JSON records, as `toRecords` returns it. */
export interface CrmRecords {
  readonly version: number;
  readonly settings: Settings;
  readonly users: readonly User[];
  readonly contacts: readonly Contact[];
  readonly opportunities: readonly Opportunity[];
  readonly rotations: readonly Rotation[];
}

/** The settings of a new account: everything off, ten followers per record. */
export const DEFAULT_SETTINGS: Settings = Object.freeze({
  allowDifferentOwners: false,
  updateContactFollowersOnOpportunityOwnerChange: false,
  updateOpportunityFollowersOnContactOwnerChange: false,
  maxFollowers: 10,
});

/** True for `won`, `lost` and `abandoned`. */
export function isClosed(status: OpportunityStatus): boolean {
  return status !== "open";
}
