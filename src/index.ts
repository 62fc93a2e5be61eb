/**
 * crm-ownership: the domain engine for contact and opportunity ownership.
 *
 * Pure functions take a snapshot and a command and return the new snapshot and the events that
 * say what changed and why. This file only re-exports the public API.
 * @packageDocumentation
 * @module crm-ownership
 */

// Snapshots
export { createState } from "./state/createState.js";
export { toRecords } from "./state/toRecords.js";
export {
  getContact,
  getOpportunity,
  getUser,
  getRotation,
  getSettings,
  listContacts,
  listOpportunities,
  listUsers,
  opportunitiesOfContact,
} from "./state/selectors.js";
export { canView, visibleContacts, visibleOpportunities } from "./state/visibility.js";
export type { CrmState } from "./state/state.js";

// Who acts
export type { Actor, CommandContext } from "./model/actor.js";

// Operations
export { execute, executeAll, decide, type ExecuteResult } from "./execute.js";
export { evolve } from "./evolve.js";
export { parseCommand, commandSchemas, COMMAND_TYPES, type ParseResult } from "./commands/command.js";
export { checkInvariants, type InvariantViolation } from "./invariants.js";
export {
  commandSchema,
  type CommandSchema,
  type StandardSchemaV1,
  type StandardSchemaV1Props,
  type StandardSchemaV1Result,
  type StandardSchemaV1Issue,
} from "./commands/standardSchema.js";

// Reading events: whom to notify, sentences, ownership history, stored events (docs/notifications.md, docs/describing-events.md, docs/history.md)
export { whoToNotify, whoToNotifyAll, type NotifyReason, type Recipient, type Notification, type NotifyOptions } from "./read/notify.js";
export { describeEvent, type DescribeOptions, type NameLookup } from "./read/describe.js";
export type { Catalogue } from "./read/catalogue.js";
export { localeEn } from "./read/locales/en.js";
export { localeDe } from "./read/locales/de.js";
export {
  ownershipHistory,
  applyToHistory,
  ownerAt,
  handovers,
  type OwnershipHistory,
  type RecordOwnership,
  type OwnershipInterval,
  type IntervalStart,
  type OwnershipChange,
  type HistoryPoint,
  type HistoryRange,
} from "./read/history.js";
export { upcastEvent, UNKNOWN_ACTOR } from "./upcast.js";

// Hosts: what to load before a command, what to write after it
export { recordsNeeded, type RecordsNeeded, type NeededIds } from "./host/recordsNeeded.js";
export { changedRecords, type RecordChanges, type TableChanges, type ResultLike } from "./host/changedRecords.js";

// Hosting: the load → execute → commit loop, exactly once per commandId, over a Store
export { runCommand, type RunCommandOptions, type RunCommandResult } from "./host/runCommand.js";
export type { Store, StoredOutcome, LoadResult, CommitRequest, CommitResult, GroupsToRecoupleQuery, OwnedGroups, OwnedGroupsQuery } from "./host/store.js";
export { runBulk, type BulkCommand, type BulkProgress, type RunBulkOptions, type RunBulkResult } from "./host/runBulk.js";
export {
  StoredDataError,
  invalidStoredData,
  type AccountNotFoundError,
  type CommandIdReusedError,
  type InvalidStoredDataError,
  type RunCommandError,
  type StoredDataProblem,
} from "./host/hostErrors.js";
// The official stores' shapes (their code is in crm-ownership/sqlite and crm-ownership/postgres)
export type { Migration, OutboxPlace, ReadEventsOptions, RelayReport, SqlStore, UnreadableEvent } from "./stores/types.js";

// Records
export {
  DEFAULT_SETTINGS,
  isClosed,
  type Contact,
  type ContactInit,
  type CrmRecords,
  type CrmRecordsInit,
  type Follower,
  type FollowerSource,
  type Opportunity,
  type OpportunityInit,
  type OpportunityStatus,
  type RecordKind,
  type RecordRef,
  type Rotation,
  type RotationInit,
  type RotationMember,
  type Settings,
  type User,
  type UserInit,
  type UserRole,
  type UserScope,
} from "./model/records.js";

// Commands
export type { Command, CommandType } from "./commands/command.js";
export type { CommandMeta } from "./commands/meta.js";
export type { RecoupleGroups, UpdateSettings } from "./commands/settings.js";
export type { CreateContact, AssignContactOwner, DeleteContact } from "./commands/contacts.js";
export type { CreateOpportunity, AssignOpportunityOwner, SetOpportunityStatus, DeleteOpportunity } from "./commands/opportunities.js";
export type { AddFollower, RemoveFollower } from "./commands/followers.js";
export type { AssignUser, AddOpportunityOwner, RemoveOpportunityOwner, RemoveAssignedUser } from "./commands/automation.js";
export type { TransferOwnership, DeactivateUser, ReactivateUser } from "./commands/users.js";
export type { Transfer } from "./rules/owners.js";
export type { JsonSchema } from "./model/fields.js";

// Events
export { EVENT_SCHEMA_VERSION } from "./events.js";
export type {
  Cause,
  CrmEvent,
  CrmEventType,
  EventMeta,
  ToggleSetting,
  SettingsChanged,
  ContactCreated,
  OpportunityCreated,
  ContactOwnerChanged,
  OpportunityOwnerChanged,
  FollowerAdded,
  FollowerRemoved,
  FollowerNotAdded,
  OpportunityStatusChanged,
  ContactDeleted,
  OpportunityDeleted,
  UserDeactivated,
  UserReactivated,
  RotationAdvanced,
} from "./events.js";

// Errors
export {
  InvalidSnapshotError,
  InvalidEventError,
  CommandRejectedError,
  type CrmError,
  type ErrorCode,
  type SnapshotProblem,
} from "./errors.js";
export { HTTP_STATUS, httpStatus, type HttpErrorStatus } from "./httpStatus.js";
export { LIMITS } from "./limits.js";
