/**
 * docs/rules.md §14: every error code of a rejected command, with its code, the field or id at fault, and
 * a message a developer understands without reading the source.
 */
import { describe, expect, it } from "vitest";
import { CommandRejectedError, decide, type Command, type CrmError } from "../src/index.js";
import { account, reject, run, SEPARATE, snapshotError } from "./helpers.js";

/** A sentence: starts with a capital, ends with a full stop, names what it must, no leaked internals. */
function expectReadable(error: CrmError, ...mentions: string[]): void {
  expect(error.message).toMatch(/^[A-Z].*\.$/s);
  for (const text of mentions) expect(error.message).toContain(text);
  expect(error.message).not.toMatch(/undefined|\[object Object\]|NaN/);
}

const state = account(SEPARATE, {
  contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" }] }, { id: "bolt", ownerId: "ana", opportunityIds: ["b1", "b2"] }],
  opportunities: [
    { id: "d1", contactId: "acme", ownerId: "ana" },
    { id: "b1", contactId: "bolt", ownerId: "ana" },
  ],
  settings: { ...SEPARATE, maxFollowers: 1 },
});

describe("INVALID_COMMAND", () => {
  it("names the field and what it must be", () => {
    const error = reject(state, { type: "assignContactOwner", contactId: 42, ownerId: "ben" } as unknown as Command);
    expect(error).toMatchObject({ code: "INVALID_COMMAND", field: "contactId" });
    expectReadable(error, '"contactId"', "must be");
  });
});

describe("CONTACT_NOT_FOUND", () => {
  it.each([
    ["contactId", { type: "assignContactOwner", contactId: "nobody-co", ownerId: "ben" }],
    ["contactId", { type: "createOpportunity", opportunityId: "d9", contactId: "nobody-co" }],
    ["contactId", { type: "deleteContact", contactId: "nobody-co" }],
    ["record.id", { type: "addFollower", record: { kind: "contact", id: "nobody-co" }, userId: "ben" }],
    ["record.id", { type: "removeFollower", record: { kind: "contact", id: "nobody-co" }, userId: "ben" }],
  ] as const)("names %s and the id", (field, command) => {
    const error = reject(state, command);
    expect(error).toMatchObject({ code: "CONTACT_NOT_FOUND", field, id: "nobody-co" });
    expectReadable(error, '"nobody-co"');
  });
});

describe("OPPORTUNITY_NOT_FOUND", () => {
  it.each([
    ["opportunityId", { type: "assignOpportunityOwner", opportunityId: "no-deal", ownerId: "ben" }],
    ["opportunityId", { type: "setOpportunityStatus", opportunityId: "no-deal", status: "won" }],
    ["opportunityId", { type: "deleteOpportunity", opportunityId: "no-deal" }],
    ["record.id", { type: "addFollower", record: { kind: "opportunity", id: "no-deal" }, userId: "ben" }],
  ] as const)("names %s and the id", (field, command) => {
    const error = reject(state, command);
    expect(error).toMatchObject({ code: "OPPORTUNITY_NOT_FOUND", field, id: "no-deal" });
    expectReadable(error, '"no-deal"');
  });

  it("a contact id is not an opportunity id", () => {
    expect(reject(state, { type: "deleteOpportunity", opportunityId: "acme" }).code).toBe("OPPORTUNITY_NOT_FOUND");
  });
});

describe("USER_NOT_FOUND", () => {
  it.each([
    ["ownerId", { type: "assignContactOwner", contactId: "acme", ownerId: "stranger" }],
    ["ownerId", { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "stranger" }],
    ["ownerId", { type: "createContact", contactId: "new", ownerId: "stranger" }],
    ["ownerId", { type: "createOpportunity", opportunityId: "d9", contactId: "acme", ownerId: "stranger" }],
    ["followerIds[1]", { type: "createContact", contactId: "new", followerIds: ["cy", "stranger"] }],
    ["userId", { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "stranger" }],
    ["userId", { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "stranger" }],
  ] as const)("names %s and the user", (field, command) => {
    const error = reject(state, command);
    expect(error).toMatchObject({ code: "USER_NOT_FOUND", field, id: "stranger" });
    expectReadable(error, '"stranger"');
  });
});

describe("USER_INACTIVE", () => {
  it.each([
    ["ownerId", { type: "assignContactOwner", contactId: "acme", ownerId: "gone" }],
    ["ownerId", { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "gone" }],
    ["ownerId", { type: "createOpportunity", opportunityId: "d9", contactId: "acme", ownerId: "gone" }],
    ["followerIds[0]", { type: "createOpportunity", opportunityId: "d9", contactId: "acme", followerIds: ["gone"] }],
    ["userId", { type: "addFollower", record: { kind: "opportunity", id: "d1" }, userId: "gone" }],
  ] as const)("names %s and the user: an inactive user can neither own nor follow", (field, command) => {
    const error = reject(state, command);
    expect(error).toMatchObject({ code: "USER_INACTIVE", field, id: "gone" });
    expectReadable(error, '"gone"', "inactive");
  });

  it("an inactive user may still be removed as a follower", () => {
    const withGone = account(SEPARATE, { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "gone", source: "manual" }] }] });
    const { events } = run(withGone, { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "gone" });
    expect(events).toMatchObject([{ type: "FollowerRemoved", userId: "gone" }]);
  });
});

describe("ALREADY_EXISTS", () => {
  it.each([
    ["contact", "acme", { type: "createContact", contactId: "acme" }],
    ["opportunity", "d1", { type: "createOpportunity", opportunityId: "d1", contactId: "acme" }],
    ["opportunity", "b1", { type: "createOpportunity", opportunityId: "b1", contactId: "acme" }],
    // Listed by its contact but not loaded: the id exists all the same.
    ["opportunity", "b2", { type: "createOpportunity", opportunityId: "b2", contactId: "bolt" }],
  ] as const)("a %s id that is taken (%s)", (kind, id, command) => {
    const error = reject(state, command);
    expect(error).toMatchObject({ code: "ALREADY_EXISTS", id, field: kind === "contact" ? "contactId" : "opportunityId" });
    expectReadable(error, kind, `"${id}"`);
  });
});

describe("VERSION_CONFLICT", () => {
  it("names expectedVersion and both versions", () => {
    const error = reject(state, { type: "deleteContact", contactId: "acme", expectedVersion: 3 });
    expect(error).toMatchObject({ code: "VERSION_CONFLICT", field: "expectedVersion", expectedVersion: 3, actualVersion: 0 });
    expectReadable(error, "3", "0");
  });
});

describe("INCOMPLETE_SNAPSHOT", () => {
  it("names the contact and every opportunity the snapshot lacks", () => {
    const error = reject(state, { type: "deleteContact", contactId: "bolt" });
    expect(error).toMatchObject({ code: "INCOMPLETE_SNAPSHOT", field: "contactId", id: "bolt", missingIds: ["b2"] });
    expectReadable(error, '"bolt"', '"b2"');
  });
});

describe("FOLLOWER_LIMIT", () => {
  it("names the record and the limit", () => {
    const error = reject(state, { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "cy" });
    expect(error).toMatchObject({ code: "FOLLOWER_LIMIT", field: "userId", id: "acme" });
    expectReadable(error, "contact", '"acme"', "1");
  });
});

describe("messages stay readable with any id", () => {
  it("hostile ids are quoted, very long ones shortened", () => {
    const error = reject(state, { type: "deleteContact", contactId: "__proto__" });
    expect(error).toMatchObject({ code: "CONTACT_NOT_FOUND", id: "__proto__" });
    expectReadable(error, '"__proto__"');
    const long = "x".repeat(256);
    const longError = reject(state, { type: "deleteContact", contactId: long });
    expect(longError.id).toBe(long);
    expect(longError.message.length).toBeLessThan(200);
  });

  it("an id is shown whole up to 80 characters, and cut with an ellipsis after", () => {
    for (const [length, shown] of [
      [80, `"${"y".repeat(80)}"`],
      [81, `"${"y".repeat(80)}…"`],
    ] as const) {
      expect(reject(state, { type: "deleteContact", contactId: "y".repeat(length) }).message).toContain(shown);
    }
  });

  it("an unknown field's name is shown whole up to 80 characters, and cut after", () => {
    const named = (key: string) => reject(state, { type: "deleteContact", contactId: "acme", [key]: 1 } as unknown as Command);
    expect(named("k".repeat(80))).toMatchObject({ code: "INVALID_COMMAND", field: "k".repeat(80) });
    expect(named("k".repeat(81)).field).toBe(`${"k".repeat(80)}…`);
  });

  it("a snapshot's problems are counted in words, then listed one per line", () => {
    const one = snapshotError({ users: [{ id: "ana" }, { id: "ana" }], contacts: [], opportunities: [] });
    expect(one.message.split("\n")[0]).toBe("Invalid snapshot (1 problem):");
    expect(one.message.split("\n")[1]).toMatch(/^- users\[1\]\.id: .*"ana"/);
    const two = snapshotError({ users: [{ id: "ana" }, { id: "ana" }, { id: "ana" }], contacts: [], opportunities: [] });
    expect(two.message.split("\n")).toHaveLength(3);
    expect(two.message.split("\n")[0]).toBe("Invalid snapshot (2 problems):");
  });

  it("decide throws a CommandRejectedError carrying the error", () => {
    let thrown: unknown;
    try {
      decide(state, { type: "deleteContact", contactId: "nobody" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CommandRejectedError);
    expect(thrown).toMatchObject({ name: "CommandRejectedError", error: { code: "CONTACT_NOT_FOUND", id: "nobody" } });
    expect((thrown as Error).message).toMatch(/^CONTACT_NOT_FOUND: /);
  });

  it("every error is plain JSON data", () => {
    const error = reject(state, { type: "deleteContact", contactId: "bolt" });
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual(error);
  });
});
