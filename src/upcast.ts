/**
 * Events live long in outboxes and event stores; the library's event shape changes between
 * releases. `upcastEvent` turns any stored event into the shape of this release, so `evolve`,
 * `ownershipHistory` and the other readers deal with one shape only (docs/history.md).
 */
import { InvalidEventError } from "./errors.js";
import { parseEvent } from "./eventShape.js";
import { EVENT_SCHEMA_VERSION, type CrmEvent } from "./events.js";
import { LIMITS } from "./limits.js";
import type { Actor } from "./model/actor.js";

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

/**
 * Turns a stored event (parsed JSON, of this release or an older one) into an event of this
 * release's shape, or throws an `InvalidEventError` naming the field at fault.
 *
 * - A 0.1 event (no `schemaVersion`, no `actor`) gets `schemaVersion: 2` and an actor: `{ userId }`
 *   when the stored object has an `actorId` string (0.1 commands had one, and hosts often copied
 *   it onto their events), else `UNKNOWN_ACTOR` (`{ system: "unknown" }`).
 * - A current event is checked (as `evolve` checks it) and copied.
 * - Fields no event of its type has (an outbox envelope's own, say) are left out.
 * - A `schemaVersion` other than 2 (a newer release's event) is refused: this release cannot know
 *   what it means; so is an event without a `version`, and one of `schemaVersion` 2 without its
 *   `actor`.
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
  // The event's own shape is checked by the parser `evolve` uses: InvalidEventError naming the field.
  const { version, actor, schemaVersion: stored, commandId, at, ...body } = parseEvent(json);
  if (!Number.isSafeInteger(version)) {
    throw new InvalidEventError("version", "Invalid stored event: version must be a whole number, 0 or more (every stored event has one).");
  }
  // Only a 0.1 event (no schemaVersion) may lack its actor: every event since has one.
  if (actor === undefined && stored !== undefined) {
    throw new InvalidEventError("actor", "Invalid stored event: an event of schemaVersion 2 has its actor (who acted).");
  }
  return {
    ...body,
    version,
    actor: actor ?? legacyActor(json),
    schemaVersion: EVENT_SCHEMA_VERSION,
    ...(commandId === undefined ? {} : { commandId }),
    ...(at === undefined ? {} : { at }),
  } as CrmEvent;
}

/** The actor of an event stored without one: its `actorId` if a host kept one, else unknown. */
function legacyActor(json: unknown): Actor {
  let actorId: unknown;
  try {
    actorId = Object.hasOwn(json as object, "actorId") ? (json as { actorId: unknown }).actorId : undefined;
  } catch {
    throw new InvalidEventError("actorId", "Invalid stored event: actorId could not be read.");
  }
  if (actorId === undefined) return UNKNOWN_ACTOR;
  if (typeof actorId === "string" && actorId !== "" && actorId.length <= LIMITS.idLength) return { userId: actorId };
  throw new InvalidEventError("actorId", `Invalid stored event: actorId must be a non-empty string of at most ${LIMITS.idLength} characters, when present.`);
}
