/**
 * docs/rules.md §2: execute, executeAll (atomic), decide + evolve, no-ops, expectedVersion, and that
 * nothing passed in is changed or frozen.
 */
import { describe, expect, it } from "vitest";
import {
  CommandRejectedError,
  decide,
  evolve,
  execute,
  executeAll,
  getContact,
  getOpportunity,
  toRecords,
  type Command,
  type CrmEvent,
  type CrmState,
} from "../src/index.js";
import { account, anyFrozen, COUPLED, reject, run, SEPARATE, SYSTEM } from "./helpers.js";
import { given } from "./spec.js";

describe("execute", () => {
  it("returns ok, the new state and the events", () => {
    const state = account();
    const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state).not.toBe(state);
    expect(getContact(result.state, "acme")?.ownerId).toBe("ben");
    expect(result.events.length).toBeGreaterThan(0);
  });

  it("a rejected command returns the error and no state, and leaves the state as it was", () => {
    const state = account();
    const before = toRecords(state);
    const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "nobody" }, SYSTEM);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "USER_NOT_FOUND" }) });
    expect(result).not.toHaveProperty("state");
    expect(result).not.toHaveProperty("events");
    expect(toRecords(state)).toEqual(before);
  });

  it("never throws, whatever it is given", () => {
    const state = account();
    for (const junk of [null, undefined, 42, "assignContactOwner", [], { type: "nope" }, { type: "deleteContact" }]) {
      const result = execute(state, junk as unknown as Command, SYSTEM);
      expect(result.ok ? "accepted" : result.error.code).toBe("INVALID_COMMAND");
    }
  });

  it("a command's error carries no batch index", () => {
    expect(reject(account(), { type: "deleteContact", contactId: "nope" })).not.toHaveProperty("index");
  });
});

describe("executeAll", () => {
  it("applies every command in order, each seeing the ones before", () => {
    const { state, events } = run(
      account(SEPARATE),
      { type: "createContact", contactId: "new", ownerId: "ben" },
      { type: "createOpportunity", opportunityId: "n1", contactId: "new" },
      { type: "assignOpportunityOwner", opportunityId: "n1", ownerId: "cy" },
    );
    expect(getOpportunity(state, "n1")).toMatchObject({ contactId: "new", ownerId: "cy" });
    expect(events.map((e) => e.type)).toEqual(["ContactCreated", "OpportunityCreated", "OpportunityOwnerChanged"]);
  });

  it("is atomic: a failing later command applies nothing, and the error names its index", () => {
    const state = account();
    const before = toRecords(state);
    const result = executeAll(state, [
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
      { type: "createContact", contactId: "new" },
      { type: "assignOpportunityOwner", opportunityId: "missing", ownerId: "ben" },
    ], SYSTEM);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "OPPORTUNITY_NOT_FOUND", index: 2 }) });
    expect(toRecords(state)).toEqual(before);
  });

  it("the index is given for a batch of one too", () => {
    const result = executeAll(account(), [{ type: "deleteContact", contactId: "nope" }], SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "CONTACT_NOT_FOUND", index: 0 });
  });

  it("an invalid command in the batch fails the batch with its index", () => {
    const result = executeAll(account(), [{ type: "createContact", contactId: "new" }, { type: "createContact" } as unknown as Command], SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "INVALID_COMMAND", field: "contactId", index: 1 });
  });

  it("an empty list succeeds with the same state and no events", () => {
    const state = account();
    expect(executeAll(state, [], SYSTEM)).toEqual({ ok: true, state, events: [] });
    expect(run(state).state).toBe(state);
  });

  it("a list that is not an array is INVALID_COMMAND", () => {
    const result = executeAll(account(), { type: "createContact", contactId: "x" } as unknown as Command[], SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "INVALID_COMMAND", field: "commands" });
  });

  it("gives the same state as the commands one by one", () => {
    const commands: Command[] = [
      { type: "updateSettings", allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true },
      { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" },
      { type: "assignContactOwner", contactId: "acme", ownerId: "cy" },
      { type: "updateSettings", allowDifferentOwners: false },
    ];
    const batch = run(account(), ...commands);
    const oneByOne = commands.reduce((s, c) => run(s, c).state, account());
    expect(toRecords(batch.state)).toEqual(toRecords(oneByOne));
    expect(batch.state.version).toBe(4);
  });
});

describe("decide and evolve", () => {
  const scenarios: [string, CrmState, Command][] = [
    ["coupled contact owner change", account(COUPLED), { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }],
    ["coupled new opportunity with another owner", account(COUPLED), { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "cy", followerIds: ["dee"] }],
    [
      "separate owners with both follower rules",
      account({ ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true }),
      { type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "ben", commandId: "x" },
    ],
    [
      "re-coupling",
      account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "cy" }] }),
      { type: "updateSettings", allowDifferentOwners: false },
    ],
    ["deleting a contact", account(), { type: "deleteContact", contactId: "acme" }],
    ["a status change", account(), { type: "setOpportunityStatus", opportunityId: "d2", status: "won" }],
    ["a follower by hand", account(), { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "dee" }],
  ];

  it.each(scenarios)("%s: folding evolve over decide's events gives execute's state and version", (_, state, command) => {
    const events = decide(state, command, SYSTEM);
    const folded = events.reduce<CrmState>(evolve, state);
    const executed = run(state, command);
    expect(events).toEqual(executed.events);
    expect(toRecords(folded)).toEqual(toRecords(executed.state));
    expect(folded.version).toBe(state.version + 1);
    expect(executed.state.version).toBe(state.version + 1);
  });

  it("decide changes nothing: the state is the same afterwards", () => {
    const state = account();
    const before = toRecords(state);
    decide(state, { type: "deleteContact", contactId: "acme" }, SYSTEM);
    expect(toRecords(state)).toEqual(before);
  });

  it("decide throws CommandRejectedError carrying the error for a rejected command", () => {
    const state = account();
    expect(() => decide(state, { type: "deleteContact", contactId: "nope" }, SYSTEM)).toThrow(CommandRejectedError);
    try {
      decide(state, { type: "deleteContact", contactId: "nope" }, SYSTEM);
    } catch (error) {
      expect((error as CommandRejectedError).error).toMatchObject({ code: "CONTACT_NOT_FOUND", id: "nope" });
      expect((error as Error).message).toContain("CONTACT_NOT_FOUND");
    }
  });

  it("decide of a no-op returns no events", () => {
    expect(decide(account(), { type: "assignContactOwner", contactId: "acme", ownerId: "ana" }, SYSTEM)).toEqual([]);
  });
});

describe("a command with no effect returns the very same state, no events, same version", () => {
  const extra = { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" as const }] }] };
  it.each([
    ["assigning a contact the owner it has", { type: "assignContactOwner", contactId: "acme", ownerId: "ana" }],
    ["assigning an opportunity the owner it has", { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" }],
    ["setting the status it has", { type: "setOpportunityStatus", opportunityId: "d1", status: "open" }],
    ["setting settings to the values they have", { type: "updateSettings", allowDifferentOwners: true, updateOpportunityFollowersOnContactOwnerChange: false }],
    ["an empty updateSettings", { type: "updateSettings" }],
    ["adding a follower who follows", { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }],
    ["removing a user who does not follow", { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "cy" }],
  ] as const)("%s", (_, command) => {
    const state = account(SEPARATE, extra);
    const result = run(state, command);
    expect(result.state).toBe(state);
    expect(result.events).toEqual([]);
    expect(result.state.version).toBe(state.version);
  });
});

describe("expectedVersion", () => {
  const state = account(COUPLED, { version: 5 });

  it("matching the snapshot's version, the command runs", () => {
    expect(run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", expectedVersion: 5 }).state.version).toBe(6);
  });

  it("not matching, it fails with VERSION_CONFLICT naming both versions", () => {
    const error = reject(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", expectedVersion: 4 });
    expect(error).toMatchObject({ code: "VERSION_CONFLICT", field: "expectedVersion", expectedVersion: 4, actualVersion: 5 });
  });

  it("even a command that would change nothing is checked", () => {
    expect(reject(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ana", expectedVersion: 9 }).code).toBe("VERSION_CONFLICT");
  });

  it("in a batch each command is checked against the version the commands before it produced", () => {
    expect(
      run(
        state,
        { type: "assignContactOwner", contactId: "acme", ownerId: "ben", expectedVersion: 5 },
        { type: "assignContactOwner", contactId: "acme", ownerId: "cy", expectedVersion: 6 },
      ).state.version,
    ).toBe(7);
    const result = executeAll(state, [
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben", expectedVersion: 5 },
      { type: "assignContactOwner", contactId: "acme", ownerId: "cy", expectedVersion: 5 },
    ], SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "VERSION_CONFLICT", expectedVersion: 5, actualVersion: 6, index: 1 });
  });
});

describe("versions", () => {
  it("+1 for every command that changed anything, whatever the number of events", () => {
    const state = account(COUPLED);
    const { state: next, events } = run(
      state,
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, // 3 events
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, // no-op
      { type: "createContact", contactId: "new" },
    );
    expect(next.version).toBe(2);
    expect(events.map((e) => e.version)).toEqual([1, 1, 1, 2]);
  });
});

describe("nothing passed in is changed or frozen (§2)", () => {
  it("execute, executeAll and decide leave the commands and the list as they were", () => {
    const commands: Command[] = [
      { type: "createContact", contactId: "new", ownerId: "ana", followerIds: ["ben", "cy"], commandId: "c1" },
      { type: "createOpportunity", opportunityId: "n1", contactId: "new", followerIds: ["dee"] },
      { type: "addFollower", record: { kind: "opportunity", id: "n1" }, userId: "ben" },
    ];
    const copy = structuredClone(commands);
    const state = account();
    const { state: next, events } = run(state, ...commands);
    execute(state, commands[0] as Command, SYSTEM);
    decide(state, commands[0] as Command, SYSTEM);
    expect(commands).toEqual(copy);
    expect(anyFrozen(commands)).toBe(false);
    expect(Object.isFrozen(commands)).toBe(false);

    // The snapshot holds copies: changing the commands afterwards changes nothing in it.
    (commands[0] as unknown as { followerIds: string[] }).followerIds.push("dee");
    (commands[2] as unknown as { record: { id: string } }).record.id = "changed";
    expect(getContact(next, "new")?.followers.map((f) => f.userId)).toEqual(["ben", "cy"]);
    expect(events.find((e) => e.type === "FollowerAdded" && e.userId === "ben" && e.record.kind === "opportunity")).toMatchObject({ record: { id: "n1" } });
  });

  it("evolve leaves the event it is given as it was", () => {
    const state = account();
    const event: CrmEvent = { type: "FollowerAdded", record: { kind: "contact", id: "acme" }, userId: "ben", source: "manual", cause: "command", version: 1, actor: { userId: "ana" }, schemaVersion: 2 };
    const copy = structuredClone(event);
    const next = evolve(state, event);
    expect(event).toEqual(copy);
    expect(anyFrozen(event)).toBe(false);
    expect(getContact(next, "acme")?.followers).toEqual([{ userId: "ben", source: "manual" }]);
  });

  it("evolve takes the version from the event, and keeps the snapshot's when the event has none", () => {
    const state = account();
    const event = { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", cause: "command", version: 7, actor: { userId: "ana" }, schemaVersion: 2 } as const;
    expect(evolve(state, event).version).toBe(7);
    const { version: _, ...unversioned } = event;
    const next = evolve(state, unversioned as unknown as CrmEvent);
    expect(next.version).toBe(state.version);
    expect(getContact(next, "acme")?.ownerId).toBe("ben");
  });
});

describe("running commands as specifications (docs/rules.md §2)", () => {
  it("a command with no effect: no events, and the very same snapshot", () => {
    const state = account(COUPLED);
    const { state: next } = given(state).when({ type: "assignContactOwner", contactId: "acme", ownerId: "ana" }).then([]);
    expect(next).toBe(state);
  });

  it("a command that changes something moves the version on by one, whatever the number of events", () => {
    const { before, state } = given(account(COUPLED))
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then(["ContactOwnerChanged acme ana→ben command", "OpportunityOwnerChanged d1 ana→ben owners-coupled", "OpportunityOwnerChanged d2 ana→ben owners-coupled"]);
    expect(state.version).toBe(before.version + 1);
  });

  it("expectedVersion guards against a snapshot that moved on", () => {
    given(account(COUPLED), { type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "cy", expectedVersion: 0 })
      .thenError({ code: "VERSION_CONFLICT" });
  });
});
