/**
 * docs/rules.md §2 and §7 on the decider: decide + evolve gives execute's state; a rejected command changes
 * nothing and returns no state; a no-op returns the very same state; versions move by one per
 * changing command; executeAll is the fold of execute, atomically.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CommandRejectedError,
  createState,
  decide,
  evolve,
  execute,
  executeAll,
  toRecords,
  type CrmState,
} from "../../src/index.js";
import { arbScenario, runSequence } from "../../src/testing/index.js";
import { createsUnloadedListedId, ERROR_CODES, runs } from "./helpers.js";
import { SYSTEM } from "../helpers.js";


/** Sequences over whole and partial snapshots, with some invalid payloads among the commands. */
const scenario = fc.oneof(arbScenario({}, { maxLength: 10, invalidRate: 0.05 }), arbScenario({ partial: true }, { maxLength: 10 }));

describe("decide + evolve reproduces execute", () => {
  it("folding evolve over decide's events gives execute's records, version and state object", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands, contexts }) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        runSequence(createState(records), commands, {
          context: contexts,
          checkInvariants: false,
          onStep: ({ before, command, context, result }) => {
            if (!result.ok) {
              expect(() => decide(before, command, context)).toThrow(CommandRejectedError);
              return;
            }
            const events = decide(before, command, context);
            expect(events).toEqual(result.events);
            const folded = events.reduce<CrmState>(evolve, before);
            expect(folded.version).toBe(result.state.version);
            expect(toRecords(folded)).toEqual(toRecords(result.state));
            expect(folded).toEqual(result.state);
          },
        });
      }),
      runs(150),
    );
  });

  it("decide refuses with the very error execute returns", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands, contexts }) => {
        runSequence(createState(records), commands, {
          context: contexts,
          checkInvariants: false,
          onStep: ({ before, command, context, result }) => {
            if (result.ok) return;
            let thrown: unknown;
            try {
              decide(before, command, context);
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(CommandRejectedError);
            expect((thrown as CommandRejectedError).error).toEqual(result.error);
          },
        });
      }),
      runs(100),
    );
  });
});

describe("rejections, no-ops and versions", () => {
  it("a rejected command returns no state, a typed error, and leaves the state as it was", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands, contexts }) => {
        runSequence(createState(records), commands, {
          context: contexts,
          checkInvariants: false,
          onStep: ({ before, command, context, result }) => {
            if (result.ok) return;
            const json = JSON.stringify(toRecords(before));
            expect(Object.keys(result).sort()).toEqual(["error", "ok"]);
            expect(ERROR_CODES).toContain(result.error.code);
            expect(typeof result.error.message).toBe("string");
            // Again, on the same snapshot: the same refusal, and the snapshot is unchanged.
            expect(execute(before, command, context)).toEqual(result);
            expect(JSON.stringify(toRecords(before))).toBe(json);
          },
        });
      }),
      runs(150),
    );
  });

  it("an accepted command with no events returns the very same state object, version unchanged", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands, contexts }) => {
        runSequence(createState(records), commands, {
          context: contexts,
          checkInvariants: false,
          onStep: ({ before, result }) => {
            if (!result.ok || result.events.length > 0) return;
            expect(result.state).toBe(before);
            expect(result.state.version).toBe(before.version);
          },
        });
      }),
      runs(150),
    );
  });

  it("a command that changes anything moves the version on by exactly one, and every event carries it", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands, contexts }) => {
        runSequence(createState(records), commands, {
          context: contexts,
          checkInvariants: false,
          onStep: ({ before, result }) => {
            if (!result.ok) return;
            // Events mean a change: a new snapshot, one version on. No events: the same one.
            expect(result.state !== before).toBe(result.events.length > 0);
            if (result.state !== before) expect(result.state.version).toBe(before.version + 1);
            for (const event of result.events) expect(event.version).toBe(before.version + 1);
          },
        });
      }),
      runs(150),
    );
  });

  it("the same snapshot and command always give the same result (no clock, no randomness)", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands }) => {
        const a = executeAll(createState(records), commands, SYSTEM);
        const b = executeAll(createState(records), commands, SYSTEM);
        expect(a.ok).toBe(b.ok);
        if (a.ok && b.ok) {
          expect(b.events).toEqual(a.events);
          expect(toRecords(b.state)).toEqual(toRecords(a.state));
        } else {
          expect(b).toEqual(a);
        }
      }),
      runs(75),
    );
  });
});

describe("executeAll", () => {
  it("equals folding execute when every command is accepted, and leaves nothing when one is refused", () => {
    fc.assert(
      fc.property(scenario, ({ records, commands }) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        const initial = createState(records);
        const batch = executeAll(initial, commands, SYSTEM);
        // The fold: stop at the first refusal.
        let state = initial;
        const events = [];
        let failed: { index: number; code: string } | undefined;
        for (const [index, command] of commands.entries()) {
          const result = execute(state, command, SYSTEM);
          if (!result.ok) {
            failed = { index, code: result.error.code };
            break;
          }
          state = result.state;
          events.push(...result.events);
        }
        if (failed === undefined) {
          expect(batch.ok).toBe(true);
          if (!batch.ok) return;
          expect(batch.events).toEqual(events);
          expect(batch.state.version).toBe(state.version);
          expect(toRecords(batch.state)).toEqual(toRecords(state));
          if (state === initial) expect(batch.state).toBe(initial);
        } else {
          expect(batch).not.toHaveProperty("state");
          expect(batch.ok).toBe(false);
          if (batch.ok) return;
          expect(batch.error.code).toBe(failed.code);
          if (commands.length > 1) expect(batch.error.index).toBe(failed.index);
        }
      }),
      runs(150),
    );
  });
});
