/**
 * Rule tests that read as specifications, in the spirit of emmett's `DeciderSpecification`:
 *
 * ```ts
 * given(account(SEPARATE))                       // records, a snapshot, or both plus history
 *   .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })   // as SYSTEM
 *   .then(["OpportunityOwnerChanged d1 ana→ben command"]);   // the events, one line each (`brief`)
 * given(account()).when(command, as("ben")).thenError({ code: "FORBIDDEN", rule: "owner-only" });
 * ```
 *
 * `given` takes a snapshot or plain records, then optionally the commands or events that happened
 * before (events are folded with `evolve`, commands run with `execute` as the system actor). The
 * command under test runs as `SYSTEM` unless `when` is given another context. `then` returns the
 * outcome (state and events) for the checks a line of events cannot say, such as `follows`.
 */
import { expect } from "vitest";
import {
  createState,
  evolve,
  execute,
  listContacts,
  opportunitiesOfContact,
  type Command,
  type CommandContext,
  type CrmError,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
} from "../src/index.js";
import { brief, SYSTEM } from "./helpers.js";

/** What a command did: the state after it and its events. */
export interface Outcome {
  readonly before: CrmState;
  readonly state: CrmState;
  readonly events: readonly CrmEvent[];
}

/** The command under test, ready for its expected outcome. */
export interface When {
  /** The events, each as `brief` writes it (type, record, change, cause), in order. */
  then(expected: readonly string[]): Outcome;
  /** The refusal: its code and any other fields given; the state must stay as it was. */
  thenError(expected: Partial<CrmError> & { readonly code: CrmError["code"] }): CrmError;
}

/** The situation before the command. */
export interface Given {
  readonly state: CrmState;
  when(command: Command, context?: CommandContext): When;
}

type History = Command | CrmEvent;
const isEvent = (item: History): item is CrmEvent => /^[A-Z]/.test(item.type);

/** Starts a specification from a snapshot or records, and what happened since (commands or events). */
export function given(start: CrmState | CrmRecordsInit, ...history: readonly History[]): Given {
  let state = "contacts" in start && Array.isArray(start.contacts) ? createState(start as CrmRecordsInit) : (start as CrmState);
  for (const item of history) {
    if (isEvent(item)) {
      state = evolve(state, item);
      continue;
    }
    const result = execute(state, item, SYSTEM);
    if (!result.ok) throw new Error(`given: ${item.type} was refused: ${result.error.code} ${result.error.message}`);
    state = result.state;
  }
  const before = state;
  return {
    state: before,
    when(command, context = SYSTEM) {
      const result = execute(before, command, context);
      return {
        then(expected) {
          if (!result.ok) throw new Error(`expected events, got ${result.error.code}: ${result.error.message}`);
          expect(brief(result.events)).toEqual(expected);
          return { before, state: result.state, events: result.events };
        },
        thenError(expected) {
          if (result.ok) throw new Error(`expected ${expected.code}, got ${brief(result.events).join("; ") || "no events"}`);
          expect(result.error).toMatchObject(expected);
          return result.error;
        },
      };
    },
  };
}

/**
 * Every follow of the snapshot, one line each: `record user source` (contacts in order, each
 * followed by its opportunities), so a test states the followers a rule leaves in one list.
 */
export function follows(state: CrmState): string[] {
  const out: string[] = [];
  for (const contact of listContacts(state)) {
    for (const f of contact.followers) out.push(`contact:${contact.id} ${f.userId} ${f.source}`);
    for (const opportunity of opportunitiesOfContact(state, contact.id)) {
      for (const f of opportunity.followers) out.push(`opportunity:${opportunity.id} ${f.userId} ${f.source}`);
    }
  }
  return out;
}

