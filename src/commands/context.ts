import type { CrmError } from "../errors.js";
import type { Cause, CrmEvent, EventBody } from "../events.js";
import { applyEvent } from "../evolve.js";
import type { Overlay } from "../state/overlay.js";
import type { CommandMeta } from "./meta.js";

/**
 * What a command's `decide` works with: the working copy to read, and `emit`, which records an
 * event and applies it at once, so every later rule of the same command sees the change.
 * @internal
 */
export interface Context {
  readonly s: Overlay;
  readonly meta: CommandMeta;
  emit(body: EventBody): void;
}

/** The outcome of a command's decide: nothing (accepted) or the reason it was refused. @internal */
export type Refusal = CrmError | undefined;

/** A context that stamps events with the command's version, id and time. @internal */
export function createContext(s: Overlay, meta: CommandMeta, events: CrmEvent[]): Context {
  const version = s.version + 1;
  const stamp = {
    version,
    ...(meta.commandId !== undefined && { commandId: meta.commandId }),
    ...(meta.at !== undefined && { at: meta.at }),
  };
  return {
    s,
    meta,
    emit(body) {
      const event = { ...body, ...stamp } as CrmEvent;
      events.push(event);
      applyEvent(s, event);
    },
  };
}

/** The cause to give a change that a rule made while carrying out `cause`. @internal */
export function ruleCause(cause: Cause, rule: Cause): Cause {
  return cause === "command" ? rule : cause;
}
