/**
 * The property-testing kit (crm-ownership/testing) keeps its own promises: sound snapshots,
 * well-formed commands of every type, invalid payloads that are always refused, and checks that
 * do fail on a broken snapshot.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COMMAND_TYPES,
  checkInvariants,
  createState,
  execute,
  getSettings,
  listOpportunities,
  parseCommand,
  toRecords,
  type CommandContext,
  type CrmRecordsInit,
} from "../../src/index.js";
import {
  HOSTILE_IDS,
  InvariantsBrokenError,
  arbCommand,
  arbCommandSequence,
  arbContext,
  arbInvalidCommand,
  arbRecords,
  arbScenario,
  arbState,
  assertInvariants,
  assertSameRecords,
  runSequence,
} from "../../src/testing/index.js";
import { runs } from "./helpers.js";
import { SYSTEM } from "../helpers.js";

const split: CrmRecordsInit = {
  users: [{ id: "ana" }, { id: "ben" }],
  contacts: [{ id: "acme", ownerId: "ana" }],
  opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ben" }],
};

/** Whether execute accepts the context (a refusal, if any, is not about the context). */
function parseContextOk(context: CommandContext): boolean {
  const result = execute(createState({ users: [], contacts: [], opportunities: [] }), { type: "createContact", contactId: "x" }, context);
  return result.ok || result.error.code !== "INVALID_COMMAND";
}

describe("arbRecords and arbState", () => {
  it("settings modes fix allowDifferentOwners; an object fixes the fields it gives", () => {
    fc.assert(
      fc.property(arbState({ settings: "coupled" }), arbState({ settings: "separate" }), arbState({ settings: { maxFollowers: 2, updateContactFollowersOnOpportunityOwnerChange: true } }), (coupled, separate, fixed) => {
        expect(getSettings(coupled).allowDifferentOwners).toBe(false);
        expect(getSettings(separate).allowDifferentOwners).toBe(true);
        expect(getSettings(fixed).maxFollowers).toBe(2);
        expect(getSettings(fixed).updateContactFollowersOnOpportunityOwnerChange).toBe(true);
      }),
      runs(50),
    );
  });

  it("sizes stay within the options", () => {
    fc.assert(
      fc.property(arbRecords({ minUsers: 2, maxUsers: 3, maxContacts: 2, maxOpportunities: 3 }), (records) => {
        expect(records.users.length).toBeGreaterThanOrEqual(2);
        expect(records.users.length).toBeLessThanOrEqual(3);
        expect(records.contacts.length).toBeLessThanOrEqual(2);
        expect(records.opportunities.length).toBeLessThanOrEqual(3);
      }),
      runs(50),
    );
  });

  it("partial snapshots list opportunities they did not load, and nothing else is unsound", () => {
    const samples = fc.sample(arbRecords({ partial: true }), { numRuns: 300, seed: 7 });
    const unloaded = samples.filter((r) => r.contacts.some((c) => (c.opportunityIds ?? []).some((id) => !r.opportunities.some((o) => o.id === id))));
    expect(unloaded.length).toBeGreaterThan(30);
    for (const records of samples) expect(checkInvariants(createState(records))).toEqual([]);
  });

  it("splitGroups gives coupled groups with differing owners, which createState accepts and checkInvariants reports", () => {
    const samples = fc.sample(arbRecords({ settings: "coupled", splitGroups: true }), { numRuns: 300, seed: 8 });
    const reported = samples.filter((r) => checkInvariants(createState(r)).some((v) => v.rule === "owners-coupled"));
    expect(reported.length).toBeGreaterThan(30);
    for (const records of samples) expect(checkInvariants(createState(records)).every((v) => v.rule === "owners-coupled")).toBe(true);
  });

  it("records are plain JSON data, as a host's rows are: no null-prototype objects, no undefined", () => {
    const plain = (v: unknown): boolean =>
      v === null || typeof v !== "object" ? v !== undefined : (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype) && Object.values(v).every(plain);
    for (const records of fc.sample(arbRecords({ partial: true }), { numRuns: 300, seed: 10 })) expect(plain(records)).toBe(true);
  });

  it("ids include the hostile ones", () => {
    const samples = fc.sample(arbRecords(), { numRuns: 300, seed: 9 });
    const ids = new Set(samples.flatMap((r) => [...r.users, ...r.contacts, ...r.opportunities].map((x) => x.id)));
    for (const id of ["__proto__", "constructor", "toString"]) expect(ids).toContain(id);
  });
});

describe("arbCommand and arbCommandSequence", () => {
  it("every command is well-formed: parseCommand accepts it and returns an equal copy", () => {
    fc.assert(
      fc.property(
        arbRecords({ partial: true }).chain((records) => arbCommand(records)),
        (command) => {
          const parsed = parseCommand(command);
          expect(parsed).toEqual({ ok: true, command });
        },
      ),
      runs(300),
    );
  });

  it("covers every command type, the workflow options, and hostile ids", () => {
    const records = fc.sample(arbRecords({ minUsers: 3 }), { numRuns: 1, seed: 3 })[0] as CrmRecordsInit;
    const commands = fc.sample(arbCommand(records), { numRuns: 3000, seed: 11 });
    expect(new Set(commands.map((c) => c.type))).toEqual(new Set(COMMAND_TYPES));
    const some = (predicate: (c: (typeof commands)[number]) => boolean) => expect(commands.some(predicate)).toBe(true);
    some((c) => c.type === "assignContactOwner" && c.transfer === "ownedByPreviousOwner");
    some((c) => c.type === "assignContactOwner" && c.transfer === "all");
    some((c) => c.type === "addOpportunityOwner" && c.userId !== undefined);
    some((c) => c.type === "addOpportunityOwner" && c.rotationId !== undefined);
    some((c) => c.type === "transferOwnership" && c.includeClosed === true);
    some((c) => c.type === "deactivateUser" && c.reassignTo === null);
    const text = JSON.stringify(commands);
    for (const id of HOSTILE_IDS) expect(text).toContain(JSON.stringify(id));
  });

  it("options.types restricts the types, and no command carries actorId or at (they come from the context)", () => {
    fc.assert(
      fc.property(arbState().chain((state) => arbCommand(state, { types: ["assignUser", "deactivateUser"] })), (command) => {
        expect(["assignUser", "deactivateUser"]).toContain(command.type);
        expect(command).not.toHaveProperty("actorId");
        expect(command).not.toHaveProperty("at");
      }),
      runs(100),
    );
  });

  it("arbContext draws system actors and users of the snapshot; actorRate 0 gives system actors only, 1 users only", () => {
    const records = fc.sample(arbRecords({ minUsers: 3 }), { numRuns: 1, seed: 3 })[0] as CrmRecordsInit;
    const contexts = fc.sample(arbContext(records), { numRuns: 500, seed: 7 });
    expect(contexts.some((c) => "system" in c.actor)).toBe(true);
    expect(contexts.some((c) => "userId" in c.actor && records.users.some((u) => u.id === (c.actor as { userId: string }).userId))).toBe(true);
    expect(contexts.some((c) => c.at !== undefined)).toBe(true);
    for (const c of contexts) expect(parseContextOk(c)).toBe(true);
    expect(fc.sample(arbContext(records, { actorRate: 0 }), 100).every((c) => "system" in c.actor)).toBe(true);
    expect(fc.sample(arbContext(records, { actorRate: 1, at: false }), 100).every((c) => "userId" in c.actor && c.at === undefined)).toBe(true);
  });

  it("arbScenario gives one context per command", () => {
    fc.assert(
      fc.property(arbScenario(), ({ commands, contexts }) => {
        expect(contexts).toHaveLength(commands.length);
      }),
      runs(50),
    );
  });

  it("sequences respect their length and mix in invalid payloads when asked", () => {
    const records = fc.sample(arbRecords(), { numRuns: 1, seed: 5 })[0] as CrmRecordsInit;
    const sequences = fc.sample(arbCommandSequence(records, { minLength: 2, maxLength: 4, invalidRate: 0.5 }), { numRuns: 200, seed: 5 });
    for (const s of sequences) expect(s.length).toBeGreaterThanOrEqual(2);
    for (const s of sequences) expect(s.length).toBeLessThanOrEqual(4);
    const items = sequences.flat();
    expect(items.some((c) => !parseCommand(c).ok)).toBe(true);
    expect(items.some((c) => parseCommand(c).ok)).toBe(true);
  });

  it("a scenario's commands act on the scenario's records: some are accepted with events", () => {
    const scenarios = fc.sample(arbScenario({ minUsers: 2 }, { minLength: 4, actorRate: 0 }), { numRuns: 100, seed: 12 });
    const accepted = scenarios.flatMap(({ records, commands, contexts }) => runSequence(createState(records), commands, { context: contexts }).steps.filter((s) => s.result.ok && s.result.events.length > 0));
    expect(accepted.length).toBeGreaterThan(100);
  });
});

describe("arbInvalidCommand", () => {
  it("parseCommand and execute refuse every payload with INVALID_COMMAND, and never throw", () => {
    const state = createState({ users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
    fc.assert(
      fc.property(arbInvalidCommand(toRecords(state)), (payload) => {
        const parsed = parseCommand(payload);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.error.code).toBe("INVALID_COMMAND");
        const result = execute(state, payload as never, SYSTEM);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe("INVALID_COMMAND");
      }),
      runs(500),
    );
  });

  it("with huge: true, every payload is still its own JSON round trip, as the JSON kind promises", () => {
    // The deep object is nested 1,000 deep for JSON: 10,000 made JSON.stringify overflow its stack.
    const samples = fc.sample(arbInvalidCommand(undefined, { huge: true }), { numRuns: 300, seed: 5 });
    for (const body of samples) expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});

describe("assertInvariants, runSequence, assertSameRecords", () => {
  it("assertInvariants passes a sound snapshot and throws with every violation for a broken one", () => {
    expect(() => assertInvariants(createState({ ...split, opportunities: [] }))).not.toThrow();
    let thrown: unknown;
    try {
      assertInvariants(createState(split), "legacy data");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvariantsBrokenError);
    expect((thrown as InvariantsBrokenError).violations).toEqual(checkInvariants(createState(split)));
    expect((thrown as Error).message).toMatch(/^legacy data: .*owners-coupled.*deal-1/s);
  });

  it("runSequence skips refused commands, hands every step to onStep, and returns the last snapshot", () => {
    const state = createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
    const seen: number[] = [];
    const { state: last, steps } = runSequence(
      state,
      [
        { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
        { type: "assignContactOwner", contactId: "nope", ownerId: "ben" },
        { type: "createOpportunity", opportunityId: "deal-1", contactId: "acme" },
      ],
      { onStep: (step) => seen.push(step.index) },
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(steps[1]?.result.ok).toBe(false);
    expect(steps[2]?.before).toBe(steps[0]?.result.ok && steps[0].result.state);
    expect(listOpportunities(last).map((o) => o.ownerId)).toEqual(["ben"]);
  });

  it("assertSameRecords accepts a JSON round trip, with ignoreOrder a reordering, and names a difference", () => {
    fc.assert(
      fc.property(arbState(), (state) => {
        const records = toRecords(state);
        assertSameRecords(createState(JSON.parse(JSON.stringify(records))), state);
        const reversed = createState({ ...records, contacts: [...records.contacts].reverse(), users: [...records.users].reverse() });
        assertSameRecords(reversed, state, { ignoreOrder: true });
        const later = createState({ ...records, version: records.version + 1 });
        expect(() => assertSameRecords(later, state)).toThrow(/differ in version/);
      }),
      runs(100),
    );
  });
});
