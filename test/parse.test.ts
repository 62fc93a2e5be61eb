/**
 * docs/rules.md §2 and §5a: parseCommand turns untrusted input into a command, or INVALID_COMMAND naming
 * the field at fault. Every command type, its required fields and its field types.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createState, execute, parseCommand, type CrmError } from "../src/index.js";

/** A valid example of each command, every optional field given. */
const VALID: Record<string, Record<string, unknown>> = {
  updateSettings: { type: "updateSettings", allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: false, updateOpportunityFollowersOnContactOwnerChange: true },
  createContact: { type: "createContact", contactId: "acme", ownerId: "ana", followerIds: ["ben", "cy"] },
  createOpportunity: { type: "createOpportunity", opportunityId: "d1", contactId: "acme", ownerId: null, followerIds: ["ben"], status: "won" },
  assignContactOwner: { type: "assignContactOwner", contactId: "acme", ownerId: null },
  assignOpportunityOwner: { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" },
  addFollower: { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" },
  removeFollower: { type: "removeFollower", record: { kind: "opportunity", id: "d1" }, userId: "ben" },
  setOpportunityStatus: { type: "setOpportunityStatus", opportunityId: "d1", status: "abandoned" },
  deleteContact: { type: "deleteContact", contactId: "acme" },
  deleteOpportunity: { type: "deleteOpportunity", opportunityId: "d1" },
};

/** The fields each command must have. */
const REQUIRED: Record<string, string[]> = {
  updateSettings: [],
  createContact: ["contactId"],
  createOpportunity: ["opportunityId", "contactId"],
  assignContactOwner: ["contactId", "ownerId"],
  assignOpportunityOwner: ["opportunityId", "ownerId"],
  addFollower: ["record", "userId"],
  removeFollower: ["record", "userId"],
  setOpportunityStatus: ["opportunityId", "status"],
  deleteContact: ["contactId"],
  deleteOpportunity: ["opportunityId"],
};

/** A wrong value for each field, and the field the error must name. */
const WRONG: [type: string, field: string, value: unknown, named?: string][] = [
  ["updateSettings", "allowDifferentOwners", "yes"],
  ["updateSettings", "updateContactFollowersOnOpportunityOwnerChange", 1],
  ["updateSettings", "updateOpportunityFollowersOnContactOwnerChange", null],
  ["createContact", "contactId", ""],
  ["createContact", "contactId", 7],
  ["createContact", "ownerId", 7],
  ["createContact", "ownerId", ""],
  ["createContact", "followerIds", "ben"],
  ["createContact", "followerIds", ["ben", 5], "followerIds[1]"],
  ["createContact", "followerIds", ["ben", ""], "followerIds[1]"],
  ["createOpportunity", "opportunityId", null],
  ["createOpportunity", "contactId", ["acme"]],
  ["createOpportunity", "ownerId", false],
  ["createOpportunity", "status", "closed"],
  ["createOpportunity", "followerIds", [null], "followerIds[0]"],
  ["assignContactOwner", "contactId", {}],
  ["assignContactOwner", "ownerId", 0],
  ["assignOpportunityOwner", "opportunityId", "x".repeat(257)],
  ["assignOpportunityOwner", "ownerId", { id: "ana" }],
  ["addFollower", "record", "acme"],
  ["addFollower", "record", { kind: "deal", id: "d1" }, "record.kind"],
  ["addFollower", "record", { kind: "contact" }, "record.id"],
  ["addFollower", "record", { kind: "contact", id: 3 }, "record.id"],
  ["addFollower", "record", { id: "acme" }, "record.kind"],
  ["addFollower", "userId", null],
  ["removeFollower", "record", null],
  ["removeFollower", "record", { kind: "opportunity", id: "" }, "record.id"],
  ["removeFollower", "userId", 1],
  ["setOpportunityStatus", "opportunityId", 1],
  ["setOpportunityStatus", "status", "OPEN"],
  ["deleteContact", "contactId", null],
  ["deleteOpportunity", "opportunityId", ""],
];

function invalid(input: unknown): CrmError {
  const parsed = parseCommand(input);
  if (parsed.ok) throw new Error(`expected INVALID_COMMAND, got ${JSON.stringify(parsed.command)}`);
  expect(parsed.error.code).toBe("INVALID_COMMAND");
  return parsed.error;
}

describe("valid commands (every command type)", () => {
  it.each(Object.keys(VALID))("%s: parsed into an equal copy, not the same object", (type) => {
    const input = { ...VALID[type], commandId: "c-1", expectedVersion: 3 };
    const parsed = parseCommand(input);
    expect(parsed).toEqual({ ok: true, command: input });
    if (!parsed.ok) return;
    expect(parsed.command).not.toBe(input);
    for (const key of Object.keys(input)) {
      const value = (input as Record<string, unknown>)[key];
      if (typeof value === "object" && value !== null) expect((parsed.command as unknown as Record<string, unknown>)[key]).not.toBe(value);
    }
  });

  it.each(Object.keys(VALID))("%s: only the required fields are enough", (type) => {
    const input: Record<string, unknown> = { type };
    for (const field of REQUIRED[type] ?? []) input[field] = VALID[type]?.[field];
    expect(parseCommand(input)).toEqual({ ok: true, command: input });
  });

  it("a field whose value is undefined counts as absent", () => {
    expect(parseCommand({ type: "createContact", contactId: "acme", ownerId: undefined })).toEqual({ ok: true, command: { type: "createContact", contactId: "acme" } });
  });

  it("hostile ids are ordinary strings", () => {
    const input = { type: "addFollower", record: { kind: "contact", id: "__proto__" }, userId: "constructor", commandId: "toString" };
    expect(parseCommand(input)).toEqual({ ok: true, command: input });
  });

  it("the context's at accepts an ISO date or date-time (and is copied onto the events)", () => {
    const state = createState({ users: [], contacts: [], opportunities: [] });
    for (const at of ["2026-04-01", "2026-04-01T12:00Z", "2026-04-01T12:00:00.5-05:00"]) {
      const result = execute(state, { type: "createContact", contactId: "acme" }, { actor: { system: "test" }, at });
      expect(result.ok && result.events[0]?.at).toBe(at);
    }
  });

  it("the context's at must be a real date and time: 29 February in a leap year only, no hour 24 or minute 60", () => {
    const state = createState({ users: [], contacts: [], opportunities: [] });
    const run = (at: string) => execute(state, { type: "createContact", contactId: "acme" }, { actor: { system: "test" }, at });
    for (const at of ["2024-02-29", "2000-02-29T00:00Z", "2026-12-31T23:59:60Z", "2026-01-31T00:00+23:59"]) expect(run(at).ok).toBe(true);
    for (const at of ["2026-02-30T00:00:00Z", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-04-00", "2026-04-01T24:00Z", "2026-04-01T12:60Z", "2026-04-01T12:00:61Z", "2026-04-01T12:00+24:00"]) {
      expect(run(at)).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "context.at" } });
    }
  });

  it("a date-time is taken exactly when the calendar has it (property)", () => {
    const two = (n: number) => String(n).padStart(2, "0");
    fc.assert(
      fc.property(fc.integer({ min: 1600, max: 2400 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), (year, month, day, hour) => {
        const at = `${year}-${two(month)}-${two(day)}T${two(hour)}:00Z`;
        const real = month >= 1 && month <= 12 && hour <= 23 && day >= 1 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
        const result = execute(createState({ users: [], contacts: [], opportunities: [] }), { type: "createContact", contactId: "a" }, { actor: { system: "t" }, at });
        expect(result.ok).toBe(real);
      }),
      { numRuns: 400 },
    );
  });
});

describe("INVALID_COMMAND names the field at fault", () => {
  const missing = Object.entries(REQUIRED).flatMap(([type, fields]) => fields.map((field) => [type, field] as const));
  it.each(missing)("%s without %s", (type, field) => {
    const input = { ...VALID[type] };
    delete input[field];
    const error = invalid(input);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it.each(WRONG)("%s with a wrong %s (%j)", (type, field, value, named = field) => {
    const error = invalid({ ...VALID[type], [field]: value });
    expect(error.field).toBe(named);
    expect(error.message).toMatch(/^Invalid command: .+\.$/);
    expect(error.message).toContain(named);
  });

  it.each([
    ["commandId", ""],
    ["actorId", 5],
    ["actorId", "ana"],
    ["at", "yesterday"],
    ["at", "2026-04-01T12:00:00Z"],
    ["expectedVersion", -1],
    ["expectedVersion", 1.5],
    ["expectedVersion", "3"],
    ["expectedVersion", 1e300],
    ["expectedVersion", 2 ** 53],
  ])("the meta field %s with %j", (field, value) => {
    expect(invalid({ ...VALID["deleteContact"], [field]: value }).field).toBe(field);
  });

  it("a version past 2⁵³ − 1 is refused with the range, not as 'not a whole number'; the largest exact one is taken", () => {
    expect(invalid({ ...VALID["deleteContact"], expectedVersion: 1e300 }).message).toContain("a whole number from 0 to 9007199254740991");
    expect(parseCommand({ ...VALID["deleteContact"], expectedVersion: 2 ** 53 - 1 }).ok).toBe(true);
  });

  it("an unknown field is refused by name, nested ones too", () => {
    const error = invalid({ type: "assignContactOwner", contactId: "acme", ownerID: "ana" });
    expect(error.field).toBe("ownerID");
    expect(error.message).toBe('Invalid command: unknown field "ownerID".');
    expect(invalid({ type: "addFollower", record: { kind: "contact", id: "acme", extra: 1 }, userId: "ben" }).field).toBe("record.extra");
    // A field of another command is unknown here too.
    expect(invalid({ type: "deleteContact", contactId: "acme", opportunityId: "d1" }).field).toBe("opportunityId");
  });

  it("a missing or unknown type names type and lists the known ones", () => {
    expect(invalid({ contactId: "acme" }).field).toBe("type");
    const error = invalid({ type: "assignOwner", contactId: "acme" });
    expect(error.field).toBe("type");
    expect(error.message).toContain('"assignContactOwner"');
    expect(invalid({ type: "__proto__" }).field).toBe("type");
    expect(invalid({ type: "toString" }).field).toBe("type");
  });

  it.each([[null], [undefined], [42], ["deleteContact"], [true], [[{ type: "deleteContact", contactId: "acme" }]]])("input that is not an object (%j)", (input) => {
    expect(invalid(input).field).toBe("(command)");
  });

  it("inherited properties are not read", () => {
    expect(invalid(Object.create({ type: "deleteContact", contactId: "acme" })).field).toBe("type");
    expect(invalid(Object.assign(Object.create({ contactId: "acme" }), { type: "deleteContact" })).field).toBe("contactId");
  });
});

describe("hostile input gives a typed error, never an exception", () => {
  it("a getter that throws", () => {
    const input = { type: "deleteContact" };
    Object.defineProperty(input, "contactId", { enumerable: true, get: () => { throw new Error("boom"); } });
    expect(() => parseCommand(input)).not.toThrow();
    expect(invalid(input).field).toBe("(command)");
  });

  it("a getter that throws on a nested object", () => {
    const record = { kind: "contact" };
    Object.defineProperty(record, "id", { enumerable: true, get: () => { throw new TypeError("nope"); } });
    expect(invalid({ type: "addFollower", record, userId: "ben" }).code).toBe("INVALID_COMMAND");
  });

  it("a proxy whose traps throw", () => {
    const trap = () => {
      throw new Error("trap");
    };
    const proxy = new Proxy({}, { ownKeys: trap, get: trap, getOwnPropertyDescriptor: trap, has: trap });
    expect(invalid(proxy).field).toBe("(command)");
  });

  it("a getter is read once: the command holds the value read, not the getter", () => {
    let reads = 0;
    const input = { type: "deleteContact" };
    Object.defineProperty(input, "contactId", { enumerable: true, get: () => `acme-${++reads}` });
    const parsed = parseCommand(input);
    expect(parsed.ok && parsed.command).toEqual({ type: "deleteContact", contactId: "acme-1" });
    expect(parsed.ok && Object.getOwnPropertyDescriptor(parsed.command, "contactId")?.get).toBeUndefined();
  });
});
