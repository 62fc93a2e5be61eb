/**
 * The decide kernel: what every command's decide and every rule works with. Below the rules
 * (docs/contributing.md): it knows the working copy, how to record an event, and how a
 * decision is refused, and nothing of any rule.
 */
import type { CrmError } from "../errors.js";
import { EVENT_SCHEMA_VERSION, type Cause, type CrmEvent, type EventBody } from "../events.js";
import { applyEvent } from "../evolve.js";
import type { Owned } from "../model/access.js";
import type { CommandContext } from "../model/actor.js";
import type { Contact, Opportunity } from "../model/records.js";
import type { Overlay } from "../state/overlay.js";


/**
 * What a command's `decide` works with: the working copy to read, the records the command names
 * as the actor may name them, and `emit`, which records an event and applies it at once, so every
 * later rule of the same command sees the change.
 * @internal
 */
export interface Context {
  readonly s: Overlay;
  /** Who acts and when, from the host. */
  readonly context: CommandContext;
  /** The contact a command names: undefined when it is missing, or hidden from the actor (no probing). */
  contact(id: string): Contact | undefined;
  /** The opportunity a command names: undefined when it is missing, or hidden from the actor. */
  opportunity(id: string): Opportunity | undefined;
  emit(body: EventBody): void;
  /**
   * Told of each event just before it is applied, while set: how an end-of-command rule (the
   * follower rules) learns what the command changes, without every rule reporting to it.
   */
  observer: ((body: EventBody) => void) | undefined;
}

/**
 * The outcome of a decision that has no value: nothing (accepted) or the reason it was refused.
 * A decision with a value returns `Result<T>` (errors.ts). @internal
 */
export type Refusal = CrmError | undefined;

/**
 * How a user's command is held to their rights as it runs (rules/permissions.ts): which records
 * they may name, and the check of each change before it is applied. @internal
 */
export interface Guard {
  sees(record: Owned): boolean;
  check(s: Overlay, event: EventBody): Refusal;
}

/** Thrown by `emit` when the guard refuses a change; `run` turns it back into the refusal. @internal */
export class ChangeRefused {
  constructor(readonly error: CrmError) {}
}

/** The fields `emit` adds to an event body. */
interface Stamp {
  version: number;
  actor: CommandContext["actor"];
  schemaVersion: typeof EVENT_SCHEMA_VERSION;
  commandId?: string;
  at?: string;
}

/** A context that stamps events with the command's version, actor, id and time. @internal */
export function createContext(s: Overlay, commandId: string | undefined, context: CommandContext, events: CrmEvent[], guard?: Guard): Context {
  const version = s.version + 1;
  const { actor, at } = context;
  const named = <T extends Owned>(found: T | undefined): T | undefined => (found === undefined || guard === undefined || guard.sees(found) ? found : undefined);
  const ctx: Context = {
    s,
    context,
    contact: (id) => named(s.contacts.get(id)),
    opportunity: (id) => named(s.opportunities.get(id)),
    observer: undefined,
    emit(body) {
      const refusal = guard?.check(s, body);
      // Stop the command where it stands: the working copy is thrown away with the refusal.
      if (refusal) throw new ChangeRefused(refusal);
      ctx.observer?.(body);
      // Every body is a fresh literal of the rule that emits it, so it is stamped in place: a
      // spread into a new object cost about a microsecond per event (re-coupling emits thousands).
      const event = body as EventBody & Stamp;
      event.version = version;
      event.actor = actor;
      event.schemaVersion = EVENT_SCHEMA_VERSION;
      if (commandId !== undefined) event.commandId = commandId;
      if (at !== undefined) event.at = at;
      events.push(event as CrmEvent);
      applyEvent(s, event as CrmEvent);
    },
  };
  return ctx;
}

/** The cause to give a change that a rule made while carrying out `cause`. @internal */
export function ruleCause(cause: Cause, rule: Cause): Cause {
  return cause === "command" ? rule : cause;
}
