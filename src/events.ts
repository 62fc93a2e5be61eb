/**
 * The facts: what changed, past tense, one event per change, in the order the changes happened.
 * Plain JSON data, discriminated by `type`.
 */
import type { FollowerSource, OpportunityStatus, RecordRef } from "./model/records.js";

/**
 * Why a change happened: the command itself, or the rule that made it. A host shows this to
 * people ("moved because owners are coupled").
 */
export type Cause =
  /** The change the command asked for. */
  | "command"
  /** Owners are coupled (setting off): the rest of the group followed the change. */
  | "owners-coupled"
  /** The setting was turned off: the opportunity moved back to its contact's owner. */
  | "owners-recoupled"
  /** Subsetting: contact followers follow opportunity owners. */
  | "opportunity-owner-followers"
  /** Subsetting: opportunity followers follow the contact owner. */
  | "contact-owner-followers"
  /** The opportunity went with its deleted contact. */
  | "contact-deleted"
  /** A bulk move by `transferOwnership`, or a handover by `assignContactOwner`'s `transfer`. */
  | "transfer"
  /** Moved or removed because `deactivateUser` offboarded the user. */
  | "user-deactivated";

/** What every event carries. */
export interface EventMeta {
  readonly cause: Cause;
  /** The snapshot version this event's command produced; `evolve` sets it. */
  readonly version: number;
  /** Copied from the command, when it had one. */
  readonly commandId?: string | undefined;
  /** Copied from the command, when it had one. */
  readonly at?: string | undefined;
}

/** The three on/off settings that `updateSettings` changes. */
export type ToggleSetting =
  | "allowDifferentOwners"
  | "updateContactFollowersOnOpportunityOwnerChange"
  | "updateOpportunityFollowersOnContactOwnerChange";

/** One setting changed. */
export interface SettingsChanged extends EventMeta {
  readonly type: "SettingsChanged";
  readonly setting: ToggleSetting;
  readonly from: boolean;
  readonly to: boolean;
}

/** A contact was created (its followers follow as `FollowerAdded` events). */
export interface ContactCreated extends EventMeta {
  readonly type: "ContactCreated";
  readonly contactId: string;
  readonly ownerId: string | null;
}

/** An opportunity was created; `ownerDefaulted` tells whether it took its contact's owner. */
export interface OpportunityCreated extends EventMeta {
  readonly type: "OpportunityCreated";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly ownerId: string | null;
  readonly ownerDefaulted: boolean;
  readonly status: OpportunityStatus;
}

/** A contact's owner changed. `rotationId` when a rotation picked the owner. */
export interface ContactOwnerChanged extends EventMeta {
  readonly type: "ContactOwnerChanged";
  readonly contactId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly rotationId?: string | undefined;
}

/** An opportunity's owner changed. `rotationId` when a rotation picked the owner. */
export interface OpportunityOwnerChanged extends EventMeta {
  readonly type: "OpportunityOwnerChanged";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly rotationId?: string | undefined;
}

/** A user now follows a record, or an `automation` follow became `manual`. */
export interface FollowerAdded extends EventMeta {
  readonly type: "FollowerAdded";
  readonly record: RecordRef;
  readonly userId: string;
  readonly source: FollowerSource;
}

/** A user no longer follows a record; `source` is where the removed follow came from. */
export interface FollowerRemoved extends EventMeta {
  readonly type: "FollowerRemoved";
  readonly record: RecordRef;
  readonly userId: string;
  readonly source: FollowerSource;
}

/** A rule would have added a follower but could not; nothing changed. Tell a person. */
export interface FollowerNotAdded extends EventMeta {
  readonly type: "FollowerNotAdded";
  readonly record: RecordRef;
  readonly userId: string;
  readonly reason: "limit";
}

/** An opportunity was won, lost, abandoned or reopened. */
export interface OpportunityStatusChanged extends EventMeta {
  readonly type: "OpportunityStatusChanged";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly from: OpportunityStatus;
  readonly to: OpportunityStatus;
}

/** A contact was deleted; its opportunities follow as `OpportunityDeleted` events. */
export interface ContactDeleted extends EventMeta {
  readonly type: "ContactDeleted";
  readonly contactId: string;
}

/** An opportunity was deleted. */
export interface OpportunityDeleted extends EventMeta {
  readonly type: "OpportunityDeleted";
  readonly opportunityId: string;
  readonly contactId: string;
}

/** A user was deactivated: they can no longer own or follow records. */
export interface UserDeactivated extends EventMeta {
  readonly type: "UserDeactivated";
  readonly userId: string;
}

/** A deactivated user was made active again. */
export interface UserReactivated extends EventMeta {
  readonly type: "UserReactivated";
  readonly userId: string;
}

/** A rotation picked a user; `picks` is the rotation's count of picks after this one. */
export interface RotationAdvanced extends EventMeta {
  readonly type: "RotationAdvanced";
  readonly rotationId: string;
  readonly userId: string;
  readonly picks: number;
}

/** Every event the library emits. `switch (event.type)` over it is exhaustive. */
export type CrmEvent =
  | SettingsChanged
  | ContactCreated
  | OpportunityCreated
  | ContactOwnerChanged
  | OpportunityOwnerChanged
  | FollowerAdded
  | FollowerRemoved
  | FollowerNotAdded
  | OpportunityStatusChanged
  | ContactDeleted
  | OpportunityDeleted
  | UserDeactivated
  | UserReactivated
  | RotationAdvanced;

/** The `type` of every event. */
export type CrmEventType = CrmEvent["type"];

/** An event without the fields the command context adds (`version`, `commandId`, `at`). */
export type EventBody<E extends CrmEvent = CrmEvent> = E extends CrmEvent ? Omit<E, keyof EventMeta> & { readonly cause: Cause } : never;
