/**
 * What a host must write after a command: the records a result changed or deleted.
 *
 * Found from the events (every change to a snapshot is applied through an event, so the events
 * name every record that can have changed) and confirmed by reference identity (a record a
 * command did not change is the very same frozen object in the new snapshot). The cost is
 * proportional to the number of events, never to the size of the account.
 */
import type { CrmEvent } from "../events.js";
import { assertNever } from "../evolve.js";
import type { Contact, Opportunity, Rotation, Settings, User } from "../model/records.js";
import type { CrmState } from "../state/state.js";
import { getRow, type Table } from "../state/table.js";

/**
 * The rows of one kind of record to write: the records to insert or update, and the ids to delete.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "deleteOpportunity", opportunityId: "deal-1" }, context);
 * if (result.ok) {
 *   const opportunities: TableChanges<Opportunity> = changedRecords(state, result).opportunities;
 *   opportunities.deleted; // ["deal-1"]
 * }
 * ```
 */
export interface TableChanges<T> {
  /** New or changed records, as they are in the new snapshot, in the order of their first change. */
  readonly upserted: readonly T[];
  /** Ids of records that were in the old snapshot and are not in the new one. */
  readonly deleted: readonly string[];
}

/**
 * Everything a result changed, per kind of record: what a host writes, and nothing more.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) {
 *   const changes: RecordChanges = changedRecords(state, result);
 *   // UPDATE … WHERE version = state.version, then write these rows only:
 *   changes.version; // state.version + 1
 *   changes.contacts.upserted.map((c) => c.id); // ["acme"]
 * }
 * ```
 */
export interface RecordChanges {
  /** The new snapshot's version (the value to store, guarded by the old one). */
  readonly version: number;
  /** Whether the settings changed (then write the new snapshot's `settings`). */
  readonly settingsChanged: boolean;
  readonly contacts: TableChanges<Contact>;
  readonly opportunities: TableChanges<Opportunity>;
  readonly users: TableChanges<User>;
  readonly rotations: TableChanges<Rotation>;
}

/**
 * A successful result of `execute` or `executeAll` (or any snapshot with the events that made it).
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "removeAssignedUser", contactId: "acme" }, context);
 * const replayed: ResultLike = { state: events.reduce(evolve, state), events };
 * changedRecords(state, replayed);
 * ```
 */
export interface ResultLike {
  readonly state: CrmState;
  readonly events: readonly CrmEvent[];
}

/**
 * The records a result changed or deleted, compared with the snapshot it was computed from, so a
 * host writes only those rows. Works for `execute`, for a whole `executeAll` batch (a record
 * created and deleted within the batch appears in neither list), and for a fold of `evolve`.
 *
 * Why not diff two snapshots: that costs the size of the account. This costs the number of
 * events: each event names the records it touched, and each of those is confirmed by reference
 * (an unchanged record is the same frozen object in both snapshots). `before` must be the
 * snapshot the result was computed from.
 *
 * @example
 * ```ts
 * declare function saveContact(contact: Contact): void; // the host's storage
 * declare function deleteOpportunityRow(id: string): void;
 *
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) {
 *   const changes = changedRecords(state, result);
 *   for (const contact of changes.contacts.upserted) saveContact(contact);
 *   for (const id of changes.opportunities.deleted) deleteOpportunityRow(id);
 * }
 * ```
 */
export function changedRecords(before: CrmState, result: ResultLike): RecordChanges {
  const after = result.state;
  const contacts = new Set<string>();
  const opportunities = new Set<string>();
  const users = new Set<string>();
  const rotations = new Set<string>();
  if (after !== before) {
    for (const event of result.events) {
      switch (event.type) {
        case "ContactCreated":
        case "ContactOwnerChanged":
        case "ContactDeleted":
          contacts.add(event.contactId);
          break;
        case "OpportunityCreated":
        case "OpportunityDeleted":
          // The contact's `opportunityIds` changed too.
          opportunities.add(event.opportunityId);
          contacts.add(event.contactId);
          break;
        case "OpportunityOwnerChanged":
        case "OpportunityStatusChanged":
          opportunities.add(event.opportunityId);
          break;
        case "FollowerAdded":
        case "FollowerRemoved":
          (event.record.kind === "contact" ? contacts : opportunities).add(event.record.id);
          break;
        case "UserDeactivated":
        case "UserReactivated":
          users.add(event.userId);
          break;
        case "RotationAdvanced":
          rotations.add(event.rotationId);
          break;
        case "SettingsChanged":
        case "FollowerNotAdded":
          break;
        /* c8 ignore next 2: the switch is exhaustive (checked by the compiler) */
        default:
          return assertNever(event);
      }
    }
  }
  return {
    version: after.version,
    settingsChanged: after.settings !== before.settings && !sameSettings(before.settings, after.settings),
    contacts: compare(before.contacts, after.contacts, contacts),
    opportunities: compare(before.opportunities, after.opportunities, opportunities),
    users: compare(before.users, after.users, users),
    rotations: compare(before.rotations, after.rotations, rotations),
  };
}

const sameSettings = (a: Settings, b: Settings): boolean =>
  (Object.keys(a) as (keyof Settings)[]).every((key) => a[key] === b[key]);

/** Sorts the candidates into upserted and deleted; an unchanged record is the same object. */
function compare<T>(before: Table<T>, after: Table<T>, ids: ReadonlySet<string>): TableChanges<T> {
  const upserted: T[] = [];
  const deleted: string[] = [];
  for (const id of ids) {
    const now = getRow(after, id);
    const was = getRow(before, id);
    if (now !== undefined) {
      if (now !== was) upserted.push(now);
    } else if (was !== undefined) {
      deleted.push(id);
    }
  }
  return { upserted, deleted };
}
