/**
 * The facts: what changed, past tense, one event per change, in the order the changes happened.
 * Plain JSON data, discriminated by `type`.
 */
import type { Actor } from "./model/actor.js";
import type { FollowerSource, OpportunityStatus, RecordRef } from "./model/records.js";

/**
 * Why a change happened: the command itself, or the rule that made it. A host shows this to
 * people ("moved because owners are coupled").
 *
 * @example
 * ```ts
 * const why: Record<Cause, string> = {
 *   command: "changed by hand",
 *   "owners-coupled": "moved with its contact (owners are coupled)",
 *   "owners-recoupled": "moved back to the contact's owner",
 *   "opportunity-owner-followers": "follows the contact as a deal owner",
 *   "contact-owner-followers": "follows the deal as the contact's owner",
 *   "contact-deleted": "deleted with its contact",
 *   transfer: "transferred",
 *   "user-deactivated": "its owner was deactivated",
 * };
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) result.events.map((e) => `${e.type}: ${why[e.cause]}`);
 * ```
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

/**
 * What every event carries: why it happened, the version it produced, who acted and, when the
 * host gave them, the command's id and time. An outbox, an audit log or a notification reads
 * them straight from the event.
 *
 * @example
 * ```ts
 * const context: CommandContext = { actor: { userId: "ana" }, at: "2026-11-28T10:00:00Z" };
 * const result = execute(state, { type: "removeAssignedUser", contactId: "acme", commandId: "req-9" }, context);
 * const meta: EventMeta | undefined = result.ok ? result.events[0] : undefined;
 * meta?.actor; // { userId: "ana" }
 * meta?.commandId; // "req-9": correlate events with the request that caused them
 * ```
 */
export interface EventMeta {
  readonly cause: Cause;
  /** The snapshot version this event's command produced; `evolve` sets it. */
  readonly version: number;
  /** Who acted, as the command's context gave it. */
  readonly actor: Actor;
  /** The shape of this event: 2 since 0.2.0 (0.1 events have neither this nor `actor`). */
  readonly schemaVersion: typeof EVENT_SCHEMA_VERSION;
  /** Copied from the command, when it had one. */
  readonly commandId?: string | undefined;
  /** Copied from the command's context, when it had one. */
  readonly at?: string | undefined;
}

/**
 * The shape version of the events this release produces (2, from 0.2.0); events stored by 0.1
 * carry none, and no release wrote another, so any other value is refused.
 *
 * @example
 * ```ts
 * declare const stored: CrmEvent;
 * if (stored.schemaVersion !== EVENT_SCHEMA_VERSION) throw new Error("upcast it first");
 * ```
 */
export const EVENT_SCHEMA_VERSION = 2;

/**
 * The three on/off settings that `updateSettings` changes.
 *
 * @example
 * ```ts
 * const setting: ToggleSetting = "updateOpportunityFollowersOnContactOwnerChange";
 * execute(state, { type: "updateSettings", [setting]: true }, context);
 * ```
 */
export type ToggleSetting =
  | "allowDifferentOwners"
  | "updateContactFollowersOnOpportunityOwnerChange"
  | "updateOpportunityFollowersOnContactOwnerChange";

/**
 * One setting changed.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "updateSettings", allowDifferentOwners: true }, context);
 * const changed = events.filter((e): e is SettingsChanged => e.type === "SettingsChanged");
 * changed.map((e) => `${e.setting}: ${e.from} -> ${e.to}`); // ["allowDifferentOwners: false -> true"]
 * ```
 */
export interface SettingsChanged extends EventMeta {
  readonly type: "SettingsChanged";
  readonly setting: ToggleSetting;
  readonly from: boolean;
  readonly to: boolean;
}

/**
 * A contact was created (its followers follow as `FollowerAdded` events).
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "createContact", contactId: "lead-1", ownerId: "ana" }, context);
 * const created = events.find((e): e is ContactCreated => e.type === "ContactCreated");
 * created?.ownerId; // "ana"
 * ```
 */
export interface ContactCreated extends EventMeta {
  readonly type: "ContactCreated";
  readonly contactId: string;
  readonly ownerId: string | null;
}

/**
 * An opportunity was created; `ownerDefaulted` tells whether it took its contact's owner.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "createOpportunity", opportunityId: "deal-9", contactId: "acme" }, context);
 * const created = events.find((e): e is OpportunityCreated => e.type === "OpportunityCreated");
 * created?.ownerDefaulted; // true: it took acme's owner
 * ```
 */
export interface OpportunityCreated extends EventMeta {
  readonly type: "OpportunityCreated";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly ownerId: string | null;
  readonly ownerDefaulted: boolean;
  readonly status: OpportunityStatus;
}

/**
 * A contact's owner changed. `rotationId` when a rotation picked the owner.
 *
 * @example
 * ```ts
 * const notify = (e: ContactOwnerChanged) => `${e.contactId} now belongs to ${e.to ?? "nobody"} (was ${e.from ?? "nobody"})`;
 * for (const event of decide(state, { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" }, context)) {
 *   if (event.type === "ContactOwnerChanged") notify(event); // cause "owners-coupled" while owners are coupled
 * }
 * ```
 */
export interface ContactOwnerChanged extends EventMeta {
  readonly type: "ContactOwnerChanged";
  readonly contactId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly rotationId?: string | undefined;
}

/**
 * An opportunity's owner changed. `rotationId` when a rotation picked the owner.
 *
 * @example
 * ```ts
 * const moved = decide(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context)
 *   .filter((e): e is OpportunityOwnerChanged => e.type === "OpportunityOwnerChanged")
 *   .map((e) => e.opportunityId); // every deal of acme, while owners are coupled
 * ```
 */
export interface OpportunityOwnerChanged extends EventMeta {
  readonly type: "OpportunityOwnerChanged";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly rotationId?: string | undefined;
}

/**
 * A user now follows a record, or an `automation` follow became `manual`.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }, context);
 * const added = events.find((e): e is FollowerAdded => e.type === "FollowerAdded");
 * added?.source; // "manual"
 * ```
 */
export interface FollowerAdded extends EventMeta {
  readonly type: "FollowerAdded";
  readonly record: RecordRef;
  readonly userId: string;
  readonly source: FollowerSource;
}

/**
 * A user no longer follows a record; `source` is where the removed follow came from.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "removeFollower", record: { kind: "opportunity", id: "deal-1" }, userId: "ben" }, context);
 * const removed = events.find((e): e is FollowerRemoved => e.type === "FollowerRemoved");
 * removed?.record; // { kind: "opportunity", id: "deal-1" }
 * ```
 */
export interface FollowerRemoved extends EventMeta {
  readonly type: "FollowerRemoved";
  readonly record: RecordRef;
  readonly userId: string;
  readonly source: FollowerSource;
}

/**
 * A rule would have added a follower but could not; nothing changed. Tell a person.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" }, context);
 * for (const event of result.ok ? result.events : []) {
 *   if (event.type === "FollowerNotAdded") {
 *     const skipped: FollowerNotAdded = event; // the record already has settings.maxFollowers followers
 *     console.info(`${skipped.userId} could not follow ${skipped.record.kind} ${skipped.record.id}: ${skipped.reason}`);
 *   }
 * }
 * ```
 */
export interface FollowerNotAdded extends EventMeta {
  readonly type: "FollowerNotAdded";
  readonly record: RecordRef;
  readonly userId: string;
  readonly reason: "limit";
}

/**
 * An opportunity was won, lost, abandoned or reopened.
 *
 * @example
 * ```ts
 * const [event] = decide(state, { type: "setOpportunityStatus", opportunityId: "deal-1", status: "lost" }, context);
 * if (event?.type === "OpportunityStatusChanged") {
 *   const e: OpportunityStatusChanged = event;
 *   e.from; // "open"
 * }
 * ```
 */
export interface OpportunityStatusChanged extends EventMeta {
  readonly type: "OpportunityStatusChanged";
  readonly opportunityId: string;
  readonly contactId: string;
  readonly from: OpportunityStatus;
  readonly to: OpportunityStatus;
}

/**
 * A contact was deleted; its opportunities follow as `OpportunityDeleted` events.
 *
 * @example
 * ```ts
 * const [first] = decide(state, { type: "deleteContact", contactId: "acme" }, context);
 * if (first?.type === "ContactDeleted") {
 *   const deleted: ContactDeleted = first; // OpportunityDeleted events follow, one per deal
 * }
 * ```
 */
export interface ContactDeleted extends EventMeta {
  readonly type: "ContactDeleted";
  readonly contactId: string;
}

/**
 * An opportunity was deleted.
 *
 * @example
 * ```ts
 * const deals = decide(state, { type: "deleteContact", contactId: "acme" }, context)
 *   .filter((e): e is OpportunityDeleted => e.type === "OpportunityDeleted")
 *   .map((e) => e.opportunityId); // cause "contact-deleted"
 * ```
 */
export interface OpportunityDeleted extends EventMeta {
  readonly type: "OpportunityDeleted";
  readonly opportunityId: string;
  readonly contactId: string;
}

/**
 * A user was deactivated: they can no longer own or follow records.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "deactivateUser", userId: "ana", reassignTo: "ben" }, context);
 * const offboarded = events.find((e): e is UserDeactivated => e.type === "UserDeactivated")?.userId; // "ana"
 * ```
 */
export interface UserDeactivated extends EventMeta {
  readonly type: "UserDeactivated";
  readonly userId: string;
}

/**
 * A deactivated user was made active again.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "reactivateUser", userId: "ana" }, context);
 * const back = events.find((e): e is UserReactivated => e.type === "UserReactivated")?.userId; // "ana"
 * ```
 */
export interface UserReactivated extends EventMeta {
  readonly type: "UserReactivated";
  readonly userId: string;
}

/**
 * A rotation picked a user; `picks` is the rotation's count of picks after this one.
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "assignUser", contactId: "lead-7", rotationId: "inbound", users: [{ userId: "ana" }, { userId: "ben" }] }, context);
 * const advanced = events.find((e): e is RotationAdvanced => e.type === "RotationAdvanced");
 * advanced?.picks; // the rotation's count of picks, stored with the rotation
 * ```
 */
export interface RotationAdvanced extends EventMeta {
  readonly type: "RotationAdvanced";
  readonly rotationId: string;
  readonly userId: string;
  readonly picks: number;
}

/**
 * Every event the library emits. `switch (event.type)` over it is exhaustive.
 *
 * @example
 * ```ts
 * function timeline(event: CrmEvent): string {
 *   switch (event.type) {
 *     case "ContactOwnerChanged":
 *     case "OpportunityOwnerChanged":
 *       return `owner ${event.from ?? "nobody"} -> ${event.to ?? "nobody"} (${event.cause})`;
 *     case "FollowerAdded":
 *       return `${event.userId} follows ${event.record.kind} ${event.record.id}`;
 *     default:
 *       return event.type;
 *   }
 * }
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) result.events.map(timeline);
 * ```
 */
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

/**
 * The `type` of every event.
 *
 * @example
 * ```ts
 * const audited: ReadonlySet<CrmEventType> = new Set(["ContactOwnerChanged", "OpportunityOwnerChanged", "UserDeactivated"]);
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * const toAudit = result.ok ? result.events.filter((e) => audited.has(e.type)) : [];
 * ```
 */
export type CrmEventType = CrmEvent["type"];

/** An event without the fields the command context adds (`version`, `actor`, `schemaVersion`, `commandId`, `at`). */
export type EventBody<E extends CrmEvent = CrmEvent> = E extends CrmEvent ? Omit<E, keyof EventMeta> & { readonly cause: Cause } : never;
