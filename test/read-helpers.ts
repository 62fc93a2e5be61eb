/**
 * Runs commands for the tests of the event readers (whoToNotify, describeEvent, ownershipHistory),
 * as a given actor.
 */
import { execute, type Command, type CrmEvent, type CrmState } from "../src/index.js";
import type { Actor } from "../src/model/actor.js";

/** Runs a command that must succeed, as `actor`, and returns the new state and its events. */
export function act(state: CrmState, command: Command, actor: Actor = { system: "test" }, at?: string): { state: CrmState; events: readonly CrmEvent[] } {
  const result = execute(state, command);
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  // Until the actor context lands in execute: stamp the events as it will.
  const events = result.events.map((e) => ({ ...e, actor, schemaVersion: 2, ...(at === undefined ? {} : { at }) }) as CrmEvent);
  return { state: result.state, events };
}
