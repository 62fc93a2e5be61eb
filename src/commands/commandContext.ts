/**
 * Reading the host's `CommandContext` at run time. The types already demand one; this is for
 * JavaScript callers and `any`-typed plumbing, so a missing actor is an error, never a
 * skipped permission check.
 */
import { errors, type Result } from "../errors.js";
import type { Actor, CommandContext } from "../model/actor.js";
import { id, isoTime, readObject } from "../model/fields.js";

const actorShapes = {
  user: { userId: id },
  system: { system: id },
} as const;

/** The context, copied, or `INVALID_COMMAND` naming `context`, `context.actor` or `context.at`. @internal */
export function parseContext(value: unknown): Result<CommandContext> {
  try {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, error: errors.invalid("context", "an object { actor, at? } from the host: who acts comes from the host, never from the command") };
    }
    const raw = value as { actor?: unknown; at?: unknown };
    const actor = parseActor(Object.hasOwn(raw, "actor") ? raw.actor : undefined);
    if (!actor.ok) return actor;
    const at = Object.hasOwn(raw, "at") ? raw.at : undefined;
    if (at === undefined) return { ok: true, value: { actor: actor.value } };
    const parsedAt = isoTime.parse(at, "context.at");
    if (!parsedAt.ok) return parsedAt;
    return { ok: true, value: { actor: actor.value, at: parsedAt.value } };
  } catch {
    // A getter that throws, a revoked proxy: refused, never rethrown.
    return { ok: false, error: errors.invalid("context", "plain data (reading it threw)") };
  }
}

/** Exactly one of `{ userId }` or `{ system }`, copied; the error names the field at fault. */
function parseActor(value: unknown): Result<Actor> {
  const expected = "{ userId } (a user, checked) or { system } (a named system actor, trusted)";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: errors.invalid("context.actor", expected) };
  if (Object.hasOwn(value, "userId")) {
    const user = readObject(value, actorShapes.user, "context.actor");
    return user.ok ? { ok: true, value: Object.freeze({ userId: user.value.userId }) } : user;
  }
  if (Object.hasOwn(value, "system")) {
    const system = readObject(value, actorShapes.system, "context.actor");
    return system.ok ? { ok: true, value: Object.freeze({ system: system.value.system }) } : system;
  }
  return { ok: false, error: errors.invalid("context.actor", expected) };
}
