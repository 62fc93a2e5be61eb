/**
 * Running commands: parse, authorise, check the version, decide (which applies each event to a
 * working copy as it goes), then commit the working copy into a new snapshot (state/overlay.ts).
 */
import { CommandRejectedError, errors, type CrmError } from "./errors.js";
import type { CrmEvent } from "./events.js";
import { LIMITS } from "./limits.js";
import { decideCommand, parseCommand, whoMayRun, type Command } from "./commands/command.js";
import { ChangeRefused, createContext } from "./kernel/context.js";
import { parseContext } from "./commands/commandContext.js";
import type { CommandContext } from "./model/actor.js";
import { authorize } from "./rules/permissions.js";
import { Overlay } from "./state/overlay.js";
import type { CrmState } from "./state/state.js";

/**
 * The outcome of `execute` and `executeAll`. A rejected command returns no state at all.
 *
 * @example
 * ```ts
 * const result: ExecuteResult = execute(state, { type: "removeAssignedUser", contactId: "acme" }, context);
 * const next = result.ok ? result.state : state; // a rejected command returns no state at all
 * ```
 */
export type ExecuteResult =
  | { readonly ok: true; readonly state: CrmState; readonly events: readonly CrmEvent[] }
  | { readonly ok: false; readonly error: CrmError };

/** Runs one command on a working copy; the refusal, or nothing when its events were applied. */
function run(overlay: Overlay, input: Command | unknown, context: CommandContext, events: CrmEvent[]): CrmError | undefined {
  // Typed commands are parsed too: the parse copies them, so nothing of the caller's is kept,
  // and a command built from unchecked data still gets a typed error instead of a crash.
  const parsed = parseCommand(input);
  if (!parsed.ok) return parsed.error;
  const command = parsed.command;
  const { expectedVersion } = command;
  if (expectedVersion !== undefined && expectedVersion !== overlay.version) {
    return errors.versionConflict(expectedVersion, overlay.version);
  }
  const access = authorize(overlay, command.type, whoMayRun(command.type), context.actor);
  if (!access.ok) return access.error;
  const mark = events.length;
  try {
    // Every event carries the new version, so applying them moves the working copy's version on.
    return decideCommand(createContext(overlay, command.commandId, context, events, access.value), command);
  } catch (refused) {
    if (!(refused instanceof ChangeRefused)) throw refused;
    events.length = mark;
    return refused.error;
  }
}

/**
 * Runs one command as the context's actor: the new snapshot and the events that say what changed and why, or the
 * error. Never throws and never changes `state`; a rejected command returns no state, and a
 * command with no effect returns the very same `state` with no events.
 *
 * @example
 * ```ts
 * declare function save(state: CrmState): void; // the host's storage
 * declare function publish(event: CrmEvent): void; // the host's messaging
 *
 * const context: CommandContext = { actor: { userId: "ana" }, at: new Date().toISOString() }; // from the session
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) {
 *   save(result.state);
 *   for (const event of result.events) publish(event); // ContactOwnerChanged, OpportunityOwnerChanged…
 * } else {
 *   console.error(result.error.code, result.error.message);
 * }
 * ```
 */
export function execute(state: CrmState, command: Command, context: CommandContext): ExecuteResult {
  return runAll(state, [command], context, false);
}

/**
 * Runs a list of commands atomically: all apply, in order, each seeing the ones before, or none
 * does (the error names the failing command's `index`). One working copy and one commit for the
 * whole list, so a batch costs far less than the same commands one by one.
 *
 * @example
 * ```ts
 * const result = executeAll(state, [
 *   { type: "createContact", contactId: "acme", ownerId: "ana" },
 *   { type: "createOpportunity", opportunityId: "deal-1", contactId: "acme" },
 * ], { actor: { system: "import:hubspot" } });
 * ```
 */
export function executeAll(state: CrmState, commands: readonly Command[], context: CommandContext): ExecuteResult {
  return runAll(state, commands, context, true);
}

/** executeAll's body; `indexed`: name the failing command's position (a batch, even of one). */
function runAll(state: CrmState, commands: readonly Command[], input: CommandContext, indexed: boolean): ExecuteResult {
  try {
    const parsed = parseContext(input);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const context = parsed.value;
    if (!Array.isArray(commands)) return { ok: false, error: errors.invalid("commands", "an array of commands") };
    if (commands.length > LIMITS.batch) return { ok: false, error: errors.invalid("commands", `an array of at most ${LIMITS.batch} commands`) };
    const overlay = new Overlay(state);
    const events: CrmEvent[] = [];
    for (let index = 0; index < commands.length; index++) {
      const error = run(overlay, commands[index], context, events);
      if (error) return { ok: false, error: indexed ? { ...error, index } : error };
    }
    return { ok: true, state: overlay.commit(), events };
  } catch (cause) {
    // Only a bug of the library can land here; still a value, never a half-changed snapshot.
    return { ok: false, error: errors.internal(cause) };
  }
}

/**
 * The events a command would produce, without producing the state: the decision half of
 * `execute`. Fold `evolve` over them to get the state `execute` returns. Throws
 * `CommandRejectedError` for a rejected command (use `execute` for untrusted commands).
 *
 * @example
 * ```ts
 * const events = decide(state, { type: "updateSettings", allowDifferentOwners: false }, { actor: { userId: "ana" } });
 * // preview: which opportunities would move back to their contact's owner?
 * events.filter((e) => e.cause === "owners-recoupled");
 * ```
 */
export function decide(state: CrmState, command: Command, context: CommandContext): readonly CrmEvent[] {
  const parsed = parseContext(context);
  if (!parsed.ok) throw new CommandRejectedError(parsed.error);
  const events: CrmEvent[] = [];
  const error = run(new Overlay(state), command, parsed.value, events);
  if (error) throw new CommandRejectedError(error);
  return events;
}
