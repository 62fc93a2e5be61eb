/**
 * Runs commands for the tests of the event readers (whoToNotify, describeEvent, ownershipHistory),
 * as a given actor.
 */
import { execute, type Actor, type Command, type CrmEvent, type CrmState } from "../src/index.js";

/** Runs a command that must succeed, as `actor` (at `at`), and returns the new state and its events. */
export function act(state: CrmState, command: Command, actor: Actor = { system: "test" }, at?: string): { state: CrmState; events: readonly CrmEvent[] } {
  const result = execute(state, command, { actor, ...(at === undefined ? {} : { at }) });
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}
