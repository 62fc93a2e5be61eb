/**
 * Events live long in outboxes and event stores; the library's event shape changes between
 * releases. `upcastEvent` turns any stored event into the shape of this release, so `evolve`,
 * `ownershipHistory` and the other readers deal with one shape only (docs/history.md).
 */
import { InvalidEventError } from "./errors.js";
import { EVENT_SCHEMA_VERSION, type Cause, type CrmEvent, type CrmEventType } from "./events.js";
import type { Actor } from "./model/actor.js";

const CURRENT = EVENT_SCHEMA_VERSION;

/**
 * The actor given to a stored event that does not say who acted: 0.1 events (0.1 had no actor
 * context) that carry no `actorId` of their own.
 *
 * @example
 * ```ts
 * const event = upcastEvent({ type: "ContactDeleted", contactId: "acme", cause: "command", version: 4 });
 * event.actor; // { system: "unknown" }, the same as UNKNOWN_ACTOR
 * ```
 */
export const UNKNOWN_ACTOR: Actor = Object.freeze({ system: "unknown" });

const CAUSES: readonly Cause[] = [
  "command",
  "owners-coupled",
  "owners-recoupled",
  "opportunity-owner-followers",
  "contact-owner-followers",
  "contact-deleted",
  "transfer",
  "user-deactivated",
];

type FieldKind = "id" | "owner" | "bool" | "nat" | "status" | "record" | "source" | "setting" | "limit" | "rotation?";
const id = "id", owner = "owner", bool = "bool", nat = "nat", status = "status", record = "record", source = "source";

/** Each event type's own fields, in the order the library writes them. */
const FIELDS: { readonly [T in CrmEventType]: readonly (readonly [string, FieldKind])[] } = {
  SettingsChanged: [["setting", "setting"], ["from", bool], ["to", bool]],
  ContactCreated: [["contactId", id], ["ownerId", owner]],
  OpportunityCreated: [["opportunityId", id], ["contactId", id], ["ownerId", owner], ["ownerDefaulted", bool], ["status", status]],
  ContactOwnerChanged: [["contactId", id], ["from", owner], ["to", owner], ["rotationId", "rotation?"]],
  OpportunityOwnerChanged: [["opportunityId", id], ["contactId", id], ["from", owner], ["to", owner], ["rotationId", "rotation?"]],
  FollowerAdded: [["record", record], ["userId", id], ["source", source]],
  FollowerRemoved: [["record", record], ["userId", id], ["source", source]],
  FollowerNotAdded: [["record", record], ["userId", id], ["reason", "limit"]],
  OpportunityStatusChanged: [["opportunityId", id], ["contactId", id], ["from", status], ["to", status]],
  ContactDeleted: [["contactId", id]],
  OpportunityDeleted: [["opportunityId", id], ["contactId", id]],
  UserDeactivated: [["userId", id]],
  UserReactivated: [["userId", id]],
  RotationAdvanced: [["rotationId", id], ["userId", id], ["picks", nat]],
};

const EXPECTED: { readonly [K in FieldKind]: string } = {
  id: "a non-empty string",
  owner: "a user id or null",
  bool: "true or false",
  nat: "a whole number, 0 or more",
  status: '"open", "won", "lost" or "abandoned"',
  record: '{ kind: "contact" | "opportunity", id }',
  source: '"manual" or "automation"',
  setting: "one of the three toggle settings",
  limit: '"limit"',
  "rotation?": "a non-empty string, when present",
};

/**
 * Turns a stored event (parsed JSON, of this release or an older one) into an event of this
 * release's shape, or throws an `InvalidEventError` naming the field at fault.
 *
 * - A 0.1 event (no `schemaVersion`, no `actor`) gets `schemaVersion: 2` and an actor: `{ userId }`
 *   when the stored object has an `actorId` string (0.1 commands had one, and hosts often copied
 *   it onto their events), else `UNKNOWN_ACTOR` (`{ system: "unknown" }`).
 * - A current event is checked and copied.
 * - Fields no event of its type has (an outbox envelope's own, say) are left out.
 * - A `schemaVersion` above 2 (a newer release's event) is refused: this release cannot know
 *   what it means.
 *
 * Why: events outlive releases; reading them through one function keeps every consumer on the
 * current shape.
 *
 * @example
 * ```ts
 * const stored: unknown = JSON.parse('{"type":"ContactOwnerChanged","contactId":"acme","from":"ana","to":"ben","cause":"command","version":3}');
 * const event = upcastEvent(stored);
 * event.schemaVersion; // 2
 * event.actor; // { system: "unknown" }
 * const next = evolve(state, event);
 * ```
 */
export function upcastEvent(json: unknown): CrmEvent {
  try {
    return upcast(json);
  } catch (error) {
    if (error instanceof InvalidEventError) throw error;
    // A getter that throws, a revoked proxy: reported as a bad event, never rethrown as is.
    throw new InvalidEventError("(event)", "plain JSON data (reading it threw)");
  }
}

function upcast(json: unknown): CrmEvent {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InvalidEventError("(event)", 'an object with a "type"');
  const input = json as Record<string, unknown>;
  const read = (key: string): unknown => (Object.hasOwn(input, key) ? input[key] : undefined);
  const type = read("type");
  if (typeof type !== "string" || !Object.hasOwn(FIELDS, type)) throw new InvalidEventError("type", "the type of a crm-ownership event");
  const schemaVersion = read("schemaVersion");
  if (schemaVersion !== undefined && schemaVersion !== CURRENT) {
    throw new InvalidEventError("schemaVersion", `absent (0.1) or ${CURRENT}: a newer release's event needs a newer library`);
  }
  const out: Record<string, unknown> = { type };
  for (const [key, kind] of FIELDS[type as CrmEventType]) {
    const value = read(key);
    if (kind === "rotation?" && value === undefined) continue;
    if (!valid(kind, value)) throw new InvalidEventError(key === "record" ? recordField(value) : key, EXPECTED[kind]);
    out[key] = kind === "record" ? { kind: (value as { kind: string }).kind, id: (value as { id: string }).id } : value;
  }
  const cause = read("cause");
  if (typeof cause !== "string" || !(CAUSES as readonly string[]).includes(cause)) throw new InvalidEventError("cause", "a known cause");
  out["cause"] = cause;
  const version = read("version");
  if (!isNat(version)) throw new InvalidEventError("version", "a whole number, 0 or more");
  out["version"] = version;
  out["actor"] = actorFrom(read("actor"), read("actorId"));
  out["schemaVersion"] = CURRENT;
  // The order the library writes them in: own fields, cause, version, actor, schemaVersion, commandId, at.
  const commandId = read("commandId");
  if (commandId !== undefined) {
    if (!isId(commandId)) throw new InvalidEventError("commandId", "a non-empty string, when present");
    out["commandId"] = commandId;
  }
  const at = read("at");
  if (at !== undefined) {
    if (typeof at !== "string" || at === "") throw new InvalidEventError("at", "an ISO 8601 time, when present");
    out["at"] = at;
  }
  return out as unknown as CrmEvent;
}

function actorFrom(actor: unknown, actorId: unknown): Actor {
  if (actor !== undefined) {
    if (typeof actor === "object" && actor !== null) {
      const userId: unknown = Object.hasOwn(actor, "userId") ? (actor as { userId: unknown }).userId : undefined;
      const system: unknown = Object.hasOwn(actor, "system") ? (actor as { system: unknown }).system : undefined;
      if (isId(userId) && system === undefined) return { userId };
      if (isId(system) && userId === undefined) return { system };
    }
    throw new InvalidEventError("actor", '{ userId } or { system }, when present');
  }
  if (actorId !== undefined) {
    if (!isId(actorId)) throw new InvalidEventError("actorId", "a non-empty string, when present");
    return { userId: actorId };
  }
  return UNKNOWN_ACTOR;
}

const isId = (value: unknown): value is string => typeof value === "string" && value !== "";
const isNat = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const STATUSES: readonly unknown[] = ["open", "won", "lost", "abandoned"];
const SETTINGS: readonly unknown[] = ["allowDifferentOwners", "updateContactFollowersOnOpportunityOwnerChange", "updateOpportunityFollowersOnContactOwnerChange"];

function valid(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case "id":
    case "rotation?":
      return isId(value);
    case "owner":
      return value === null || isId(value);
    case "bool":
      return typeof value === "boolean";
    case "nat":
      return isNat(value);
    case "status":
      return STATUSES.includes(value);
    case "source":
      return value === "manual" || value === "automation";
    case "setting":
      return SETTINGS.includes(value);
    case "limit":
      return value === "limit";
    case "record":
      return (
        typeof value === "object" &&
        value !== null &&
        Object.hasOwn(value, "kind") &&
        ((value as { kind: unknown }).kind === "contact" || (value as { kind: unknown }).kind === "opportunity") &&
        Object.hasOwn(value, "id") &&
        isId((value as { id: unknown }).id)
      );
  }
}

function recordField(value: unknown): string {
  if (typeof value !== "object" || value === null) return "record";
  return Object.hasOwn(value, "kind") && ((value as { kind: unknown }).kind === "contact" || (value as { kind: unknown }).kind === "opportunity")
    ? "record.id"
    : "record.kind";
}
