/**
 * docs/rules.md §15 over random command sequences, from sound random snapshots (whole and partial, coupled
 * and separate): the invariants hold after every accepted command, snapshots are deeply frozen,
 * nothing the caller passed in is changed or frozen, and toRecords/createState round-trips.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkInvariants, createState, execute, executeAll, toRecords } from "../../src/index.js";
import { arbRecords, arbScenario, runSequence } from "../../src/testing/index.js";
import { createsUnloadedListedId, firstFrozen, firstUnfrozen, runs } from "./helpers.js";
import { SYSTEM } from "../helpers.js";

describe("docs/rules.md §15 invariants over random command sequences", () => {
  it("the snapshots the kit generates are sound: checkInvariants is empty", () => {
    fc.assert(
      fc.property(arbRecords({ partial: true }), arbRecords(), (partial, whole) => {
        expect(checkInvariants(createState(partial))).toEqual([]);
        expect(checkInvariants(createState(whole))).toEqual([]);
      }),
      runs(200),
    );
  });

  it("checkInvariants stays empty after every accepted command (whole snapshots)", () => {
    fc.assert(
      fc.property(arbScenario({}, { maxLength: 12, invalidRate: 0.05 }), ({ records, commands, contexts }) => {
        const { steps } = runSequence(createState(records), commands, { context: contexts });
        for (const step of steps) if (step.result.ok) expect(checkInvariants(step.result.state)).toEqual([]);
      }),
      runs(150),
    );
  });

  it("checkInvariants stays empty after every accepted command (partial snapshots)", () => {
    fc.assert(
      fc.property(arbScenario({ partial: true }, { maxLength: 12 }), ({ records, commands, contexts }) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        runSequence(createState(records), commands, { context: contexts });
      }),
      runs(150),
    );
  });

  it("checkInvariants stays empty after a whole batch run with executeAll", () => {
    fc.assert(
      fc.property(arbScenario({ partial: true }, { maxLength: 10, actorRate: 0 }), ({ records, commands }) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        const result = executeAll(createState(records), commands, SYSTEM);
        if (result.ok) expect(checkInvariants(result.state)).toEqual([]);
      }),
      runs(150),
    );
  });

  it("every snapshot after any sequence is deeply frozen", () => {
    fc.assert(
      fc.property(arbScenario({ partial: true }, { maxLength: 10 }), ({ records, commands }) => {
        const initial = createState(records);
        expect(firstUnfrozen(initial)).toBeUndefined();
        runSequence(initial, commands, {
          checkInvariants: false,
          onStep: ({ result }) => {
            if (result.ok) expect(firstUnfrozen(result.state)).toBeUndefined();
          },
        });
      }),
      runs(100),
    );
  });

  it("no operation changes or freezes the records and commands passed in", () => {
    fc.assert(
      fc.property(arbScenario({ partial: true }, { maxLength: 10 }), ({ records, commands }) => {
        const recordsBefore = structuredClone(records);
        const commandsBefore = structuredClone(commands);
        const state = createState(records);
        runSequence(state, commands, { checkInvariants: false });
        executeAll(state, commands, SYSTEM);
        for (const command of commands) execute(state, command, SYSTEM);
        expect(records).toEqual(recordsBefore);
        expect(commands).toEqual(commandsBefore);
        expect(firstFrozen(records, "records")).toBeUndefined();
        expect(firstFrozen(commands, "commands")).toBeUndefined();
      }),
      runs(100),
    );
  });

  it("toRecords → JSON.stringify → JSON.parse → createState gives the same records, after any sequence", () => {
    fc.assert(
      fc.property(arbScenario({ partial: true }, { maxLength: 10 }), ({ records, commands }) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        const { state } = runSequence(createState(records), commands, { checkInvariants: false });
        const again = createState(JSON.parse(JSON.stringify(toRecords(state))));
        expect(toRecords(again)).toEqual(toRecords(state));
        // And the round trip is a fixed point: the records of the copy round-trip too.
        expect(JSON.stringify(toRecords(createState(toRecords(again))))).toBe(JSON.stringify(toRecords(state)));
      }),
      runs(100),
    );
  });
});
