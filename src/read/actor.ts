/** Reading the actor of an event that may come from storage. @internal */
import type { CrmEvent } from "../events.js";
import type { Actor } from "../model/actor.js";

/**
 * The event's actor, or undefined when it has none (a 0.1 event not passed through
 * `upcastEvent`, a hand-written one): readers of stored events must not crash on those. @internal
 */
export function actorOf(event: CrmEvent): Actor | undefined {
  const actor: unknown = (event as { readonly actor?: unknown }).actor;
  if (typeof actor !== "object" || actor === null) return undefined;
  if (typeof (actor as { userId?: unknown }).userId === "string") return actor as Actor;
  if (typeof (actor as { system?: unknown }).system === "string") return actor as Actor;
  return undefined;
}
