/**
 * Small builders for the example tests: a standard account, running commands that must
 * succeed or must fail, and a one-line summary of events that reads like the spec.
 */
import {
  createState,
  execute,
  InvalidSnapshotError,
  executeAll,
  getContact,
  getOpportunity,
  type Command,
  type CommandContext,
  type CrmError,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
  type ErrorCode,
  type Follower,
  type Settings,
} from "../src/index.js";

/** ana, ben, cy, dee are active users; `gone` is a departed (inactive) user. */
export const USERS = [{ id: "ana" }, { id: "ben" }, { id: "cy" }, { id: "dee" }, { id: "gone", active: false }];

/** A follow a rule made, and one a person made, for records in test snapshots. */
export const auto = (userId: string): Follower => ({ userId, source: "automation" });
export const manual = (userId: string): Follower => ({ userId, source: "manual" });

/** Owners coupled (the default): `allowDifferentOwners` off. */
export const COUPLED: Partial<Settings> = { allowDifferentOwners: false };
/** Owners separate, both follower subsettings off. */
export const SEPARATE: Partial<Settings> = { allowDifferentOwners: true };

/**
 * Contact `acme` owned by ana with opportunities d1 and d2 (owned by ana), under `settings`;
 * `extra` replaces any part of the records.
 */
export function account(settings: Partial<Settings> = {}, extra: Partial<CrmRecordsInit> = {}): CrmState {
  return createState({
    settings,
    users: USERS,
    contacts: [{ id: "acme", ownerId: "ana" }],
    opportunities: [
      { id: "d1", contactId: "acme", ownerId: "ana" },
      { id: "d2", contactId: "acme", ownerId: "ana" },
    ],
    ...extra,
  });
}

/** The trusted system actor the tests run commands as, unless a test is about permissions. */
export const SYSTEM: CommandContext = { actor: { system: "test" } };

/** The context of a command run by user `userId` (checked against the permissions). */
export const as = (userId: string, at?: string): CommandContext => (at === undefined ? { actor: { userId } } : { actor: { userId }, at });

/** Runs commands that must succeed (atomically), and returns the new state and the events. */
export function run(state: CrmState, ...commands: Command[]): { state: CrmState; events: readonly CrmEvent[] } {
  return runAs(SYSTEM, state, ...commands);
}

/** `run`, as the given actor. */
export function runAs(context: CommandContext, state: CrmState, ...commands: Command[]): { state: CrmState; events: readonly CrmEvent[] } {
  const result = commands.length === 1 ? execute(state, commands[0] as Command, context) : executeAll(state, commands, context);
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}

/** Runs a command that must be rejected, and returns its error. */
export function reject(state: CrmState, command: Command, context: CommandContext = SYSTEM): CrmError {
  const result = execute(state, command, context);
  if (result.ok) throw new Error(`expected a rejection, got ${result.events.length} events`);
  return result.error;
}

/** The owner of each named record (contacts and opportunities share the id space here). */
export function owners(state: CrmState, ...ids: string[]): Record<string, string | null | undefined> {
  return Object.fromEntries(ids.map((id) => [id, (getContact(state, id) ?? getOpportunity(state, id))?.ownerId]));
}

/** One line per event: type, the record, what changed, and the cause. */
export function brief(events: readonly CrmEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case "ContactOwnerChanged":
        return `${e.type} ${e.contactId} ${e.from}→${e.to} ${e.cause}`;
      case "OpportunityOwnerChanged":
        return `${e.type} ${e.opportunityId} ${e.from}→${e.to} ${e.cause}`;
      case "FollowerAdded":
        return `${e.type} ${e.record.kind}:${e.record.id} ${e.userId} ${e.source} ${e.cause}`;
      case "FollowerRemoved":
        return `${e.type} ${e.record.kind}:${e.record.id} ${e.userId} ${e.cause}`;
      case "FollowerNotAdded":
        return `${e.type} ${e.record.kind}:${e.record.id} ${e.userId} ${e.reason} ${e.cause}`;
      case "SettingsChanged":
        return `${e.type} ${e.setting} ${e.from}→${e.to} ${e.cause}`;
      default:
        return `${e.type} ${e.cause}`;
    }
  });
}

/** Every error code of docs/rules.md §14: what any refusal's `code` must be one of. */
export const ERROR_CODES: readonly ErrorCode[] = [
  "INVALID_COMMAND",
  "CONTACT_NOT_FOUND",
  "OPPORTUNITY_NOT_FOUND",
  "USER_NOT_FOUND",
  "USER_INACTIVE",
  "ALREADY_EXISTS",
  "VERSION_CONFLICT",
  "INCOMPLETE_SNAPSHOT",
  "FOLLOWER_LIMIT",
  "NO_ELIGIBLE_USER",
  "FORBIDDEN",
];

/** The path of the first object reachable from `value` that is not frozen, or undefined. */
export function firstUnfrozen(value: unknown, path = "state", seen = new Set<unknown>()): string | undefined {
  if (typeof value !== "object" || value === null || seen.has(value)) return undefined;
  seen.add(value);
  if (!Object.isFrozen(value)) return path;
  for (const key of Reflect.ownKeys(value)) {
    const found = firstUnfrozen((value as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether anything reachable from `value` is frozen. */
export function anyFrozen(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  return Object.isFrozen(value) || Reflect.ownKeys(value).some((k) => anyFrozen((value as Record<PropertyKey, unknown>)[k], seen));
}

/** The error `createState` throws for an unsound snapshot (fails the test if it accepts it). */
export function snapshotError(init: unknown): InvalidSnapshotError {
  try {
    createState(init as CrmRecordsInit);
  } catch (error) {
    if (error instanceof InvalidSnapshotError) return error;
    throw error;
  }
  throw new Error("createState accepted the snapshot");
}
