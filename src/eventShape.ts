/**
 * The shape of every event, declared once as data with the field readers commands use
 * (model/fields.ts), and `parseEvent`, which checks an event from outside the library before
 * `evolve` applies it. Only the public `evolve` pays for this: `decide` and `execute` apply the
 * events they make themselves, unchecked.
 */
import { errors, invalidEvent, InvalidEventError, type CrmError } from "./errors.js";
import { EVENT_SCHEMA_VERSION, type Cause, type CrmEvent, type CrmEventType, type EventMeta } from "./events.js";
import type { Actor } from "./model/actor.js";
import type { FollowerSource, OpportunityStatus, RecordKind } from "./model/records.js";
import { boolean, count, id, idOrNull, isoTime, object, oneOf, optional, readObject, type Field, type Shape, type ShapeOf } from "./model/fields.js";

const CAUSES = [
  "command",
  "owners-coupled",
  "owners-recoupled",
  "opportunity-owner-followers",
  "contact-owner-followers",
  "contact-deleted",
  "transfer",
  "user-deactivated",
] as const satisfies readonly Cause[];
// Every cause is listed (a new one is a compile error here until it is added).
const _everyCause: Record<Cause, true> = Object.fromEntries(CAUSES.map((c) => [c, true])) as { [C in (typeof CAUSES)[number]]: true };

const status = oneOf<OpportunityStatus>("open", "won", "lost", "abandoned");
const source = oneOf<FollowerSource>("manual", "automation");
const record = object({ kind: oneOf<RecordKind>("contact", "opportunity"), id }, { ignoreUnknown: true });

/** The acting user or system: `{ userId }` or `{ system }`, exactly one of them. */
const actor: Field<Actor> = {
  optional: false,
  schema: {
    oneOf: [
      { type: "object", properties: { userId: id.schema }, required: ["userId"] },
      { type: "object", properties: { system: id.schema }, required: ["system"] },
    ],
  },
  parse: (value, path) => {
    const has = (key: string) => typeof value === "object" && value !== null && Object.hasOwn(value, key);
    if (has("userId") && has("system")) return { ok: false, error: errors.invalid(path, "{ userId } or { system }, not both") };
    if (has("userId")) return readObject(value, { userId: id }, path, { ignoreUnknown: true });
    if (has("system")) return readObject(value, { system: id }, path, { ignoreUnknown: true });
    return { ok: false, error: errors.invalid(path, "{ userId } or { system }") };
  },
};

/** Events carry `schemaVersion: 2` from 0.2.0; events stored by 0.1 have none. */
const schemaVersion: Field<typeof EVENT_SCHEMA_VERSION> = {
  optional: false,
  schema: { const: EVENT_SCHEMA_VERSION },
  parse: (value, path) =>
    value === EVENT_SCHEMA_VERSION
      ? { ok: true, value: EVENT_SCHEMA_VERSION }
      : { ok: false, error: errors.invalid(path, `${EVENT_SCHEMA_VERSION}, or absent (events from 0.1; no release wrote another): a larger one is a newer release's, which needs a newer crm-ownership`) },
};

/** What every event carries besides its own fields. */
const meta = {
  cause: oneOf<Cause>(...CAUSES),
  version: optional(count),
  actor: optional(actor),
  schemaVersion: optional(schemaVersion),
  commandId: optional(id),
  at: optional(isoTime),
} as const satisfies Shape;

/** Each event's own fields (`type` and the meta fields aside). */
const SHAPES = {
  SettingsChanged: {
    setting: oneOf("allowDifferentOwners", "updateContactFollowersOnOpportunityOwnerChange", "updateOpportunityFollowersOnContactOwnerChange"),
    from: boolean,
    to: boolean,
  },
  ContactCreated: { contactId: id, ownerId: idOrNull },
  OpportunityCreated: { opportunityId: id, contactId: id, ownerId: idOrNull, ownerDefaulted: boolean, status },
  ContactOwnerChanged: { contactId: id, from: idOrNull, to: idOrNull, rotationId: optional(id) },
  OpportunityOwnerChanged: { opportunityId: id, contactId: id, from: idOrNull, to: idOrNull, rotationId: optional(id) },
  FollowerAdded: { record, userId: id, source },
  FollowerRemoved: { record, userId: id, source },
  FollowerNotAdded: { record, userId: id, reason: oneOf("limit") },
  OpportunityStatusChanged: { opportunityId: id, contactId: id, from: status, to: status },
  ContactDeleted: { contactId: id },
  OpportunityDeleted: { opportunityId: id, contactId: id },
  UserDeactivated: { userId: id },
  UserReactivated: { userId: id },
  RotationAdvanced: { rotationId: id, userId: id, picks: count },
} as const satisfies { readonly [T in CrmEventType]: Shape };

// Compile-time: each shape names exactly the fields of its event type, with the same types, so
// a field added to an event type and forgotten here (and so dropped by `parseEvent`) fails to build.
type Own<T extends CrmEventType> = Omit<Extract<CrmEvent, { type: T }>, "type" | keyof EventMeta>;
// Optional fields are compared as present: the readers type an optional field `T | undefined`.
type Norm<X> = { [K in keyof X]-?: Exclude<X[K], undefined> };
type Same<A, B> = [Norm<A>] extends [Norm<B>] ? ([Norm<B>] extends [Norm<A>] ? true : false) : false;
const _shapesMatchEvents: { readonly [T in CrmEventType]: Same<ShapeOf<(typeof SHAPES)[T]>, Own<T>> } = {
  SettingsChanged: true,
  ContactCreated: true,
  OpportunityCreated: true,
  ContactOwnerChanged: true,
  OpportunityOwnerChanged: true,
  FollowerAdded: true,
  FollowerRemoved: true,
  FollowerNotAdded: true,
  OpportunityStatusChanged: true,
  ContactDeleted: true,
  OpportunityDeleted: true,
  UserDeactivated: true,
  UserReactivated: true,
  RotationAdvanced: true,
};
const _metaMatchesEventMeta: Same<ShapeOf<typeof meta>, EventMeta> = true;
void _everyCause;
void _metaMatchesEventMeta;
void _shapesMatchEvents;

const EVENT_TYPES = Object.keys(SHAPES) as CrmEventType[];
const isEventType = (value: unknown): value is CrmEventType => typeof value === "string" && Object.hasOwn(SHAPES, value);

/** Each event type's full shape, meta fields included, built once. */
const FULL_SHAPES = Object.fromEntries(EVENT_TYPES.map((type) => [type, { ...SHAPES[type], ...meta }])) as unknown as {
  readonly [T in CrmEventType]: (typeof SHAPES)[T] & typeof meta;
};

const fail = (error: CrmError, type?: CrmEventType): never => {
  throw invalidEvent(error, type);
};

/**
 * Checks an event from outside the library and returns a fresh copy of it holding only the
 * fields the library knows: unknown fields are ignored (forward compatible) and never kept.
 * Throws `InvalidEventError` naming the field at fault. @internal
 */
export function parseEvent(input: unknown): CrmEvent {
  try {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return fail(errors.invalid("(event)", 'an object with a "type"'));
    }
    const type: unknown = Object.hasOwn(input, "type") ? (input as { type: unknown }).type : undefined;
    if (!isEventType(type)) return fail(errors.invalid("type", `one of ${EVENT_TYPES.map((t) => `"${t}"`).join(", ")}`));
    const parsed = readObject(input, FULL_SHAPES[type] as Shape, "", { ignoreUnknown: true, root: "(event)" });
    if (!parsed.ok) return fail(parsed.error, type);
    return { type, ...parsed.value } as unknown as CrmEvent;
  } catch (error) {
    if (error instanceof InvalidEventError) throw error;
    // A getter that throws, a revoked proxy: refused as an event, never rethrown as it is.
    return fail(errors.invalid("(event)", "plain JSON data (reading it threw)"));
  }
}
