/**
 * docs/rules.md §14: every error code of a rejected command, with its code, the field or id at fault, and
 * a message a developer understands without reading the source.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkInvariants,
  CommandRejectedError,
  decide,
  evolve,
  HTTP_STATUS,
  httpStatus,
  InvalidSnapshotError,
  LIMITS,
  parseCommand,
  type Command,
  type CrmError,
  type CrmEvent,
} from "../src/index.js";
import { errors, line, MAX_MESSAGE, MAX_PROBLEMS, pathKey, quote } from "../src/errors.js";
import { account, ERROR_CODES, reject, run, SEPARATE, snapshotError, SYSTEM } from "./helpers.js";
import { given } from "./spec.js";

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
    const error = given(state).when({ type: "assignContactOwner", contactId: 42, ownerId: "ben" } as unknown as Command).thenError({ code: "INVALID_COMMAND", field: "contactId" });
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
    const error = given(state).when(command).thenError({ code: "CONTACT_NOT_FOUND", field, id: "nobody-co" });
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
    const error = given(state).when(command).thenError({ code: "OPPORTUNITY_NOT_FOUND", field, id: "no-deal" });
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
    const error = given(state).when(command).thenError({ code: "USER_NOT_FOUND", field, id: "stranger" });
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
    const error = given(state).when(command).thenError({ code: "USER_INACTIVE", field, id: "gone" });
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
    const error = given(state).when(command).thenError({ code: "ALREADY_EXISTS", id, field: kind === "contact" ? "contactId" : "opportunityId" });
    expectReadable(error, kind, `"${id}"`);
  });
});

describe("VERSION_CONFLICT", () => {
  it("names expectedVersion and both versions", () => {
    const error = given(state).when({ type: "deleteContact", contactId: "acme", expectedVersion: 3 }).thenError({ code: "VERSION_CONFLICT", field: "expectedVersion", expectedVersion: 3, actualVersion: 0 });
    expectReadable(error, "3", "0");
  });
});

describe("INCOMPLETE_SNAPSHOT", () => {
  it("names the contact and every opportunity the snapshot lacks", () => {
    const error = given(state).when({ type: "deleteContact", contactId: "bolt" }).thenError({ code: "INCOMPLETE_SNAPSHOT", field: "contactId", id: "bolt", missingIds: ["b2"] });
    expectReadable(error, '"bolt"', '"b2"');
  });
});

describe("FOLLOWER_LIMIT", () => {
  it("names the record and the limit", () => {
    const error = given(state).when({ type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "cy" }).thenError({ code: "FOLLOWER_LIMIT", field: "userId", id: "acme" });
    expectReadable(error, "contact", '"acme"', "1");
  });
});

describe("messages stay readable with any id", () => {
  it("hostile ids are quoted, very long ones shortened", () => {
    const error = given(state).when({ type: "deleteContact", contactId: "__proto__" }).thenError({ code: "CONTACT_NOT_FOUND", id: "__proto__" });
    expectReadable(error, '"__proto__"');
    const long = "x".repeat(256);
    const longError = reject(state, { type: "deleteContact", contactId: long });
    expect(longError.id).toBe(long);
    expect(longError.message.length).toBeLessThan(200);
  });

  it("an id is shown whole up to 80 characters, and cut after, with its length", () => {
    for (const [length, shown] of [
      [80, `"${"y".repeat(80)}" is`],
      [81, `"${"y".repeat(80)}"… (81 characters) is`],
    ] as const) {
      expect(reject(state, { type: "deleteContact", contactId: "y".repeat(length) }).message).toContain(shown);
    }
  });

  it("an unknown field's name is shown whole up to 80 characters, and cut after", () => {
    const named = (key: string) => reject(state, { type: "deleteContact", contactId: "acme", [key]: 1 } as unknown as Command);
    expect(named("k".repeat(80))).toMatchObject({ code: "INVALID_COMMAND", field: "k".repeat(80) });
    expect(named("k".repeat(81)).field).toBe(`${"k".repeat(80)}…`);
  });

  it("a snapshot's message is one line: the count, the first problem, and how many more", () => {
    const one = snapshotError({ users: [{ id: "ana" }, { id: "ana" }], contacts: [], opportunities: [] });
    expect(one.message).toBe('Invalid snapshot (1 problem): users[1].id: duplicate user id "ana".');
    const two = snapshotError({ users: [{ id: "ana" }, { id: "ana" }, { id: "ana" }], contacts: [], opportunities: [] });
    expect(two.message).toBe('Invalid snapshot (2 problems): users[1].id: duplicate user id "ana"; and 1 more in problems.');
    expect(two.problems.map((p) => p.path)).toEqual(["users[1].id", "users[2].id"]);
  });

  it("decide throws a CommandRejectedError carrying the error", () => {
    let thrown: unknown;
    try {
      decide(state, { type: "deleteContact", contactId: "nobody" }, SYSTEM);
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

/** Characters a log line must never carry raw (docs/errors.md): controls, format characters, separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** One of each kind the spec names: C0, DEL, C1, line separators, bidi controls, other format characters. */
const HOSTILE_CHARS = ["\u0000", "\u001b", "\r", "\n", "\t", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u200b", "\u00ad", "\ufeff", "\u{e0001}", "\ud800"];

describe("quote: how a message shows a value", () => {
  it("escapes every control, format and separator character as JSON would, and keeps printable Unicode", () => {
    for (const ch of HOSTILE_CHARS) {
      const shown = quote(`a${ch}b`);
      expect(shown, JSON.stringify(ch)).not.toMatch(UNSAFE);
      expect(JSON.parse(shown)).toBe(`a${ch}b`);
    }
    expect(quote("evil\u202Eexe.txt")).toBe('"evil\\u202Eexe.txt"');
    expect(quote('line\nbreak "quoted" \\')).toBe('"line\\nbreak \\"quoted\\" \\\\"');
    expect(quote("\u{e0041}")).toBe('"\\uDB40\\uDC41"');
    expect(quote("Müller 北京 😀")).toBe('"Müller 北京 😀"');
  });

  it("cuts after 80 characters of escaped text, never inside an escape or a surrogate pair, and says the full length", () => {
    expect(quote("x".repeat(80))).toBe(`"${"x".repeat(80)}"`);
    expect(quote("x".repeat(10_000_000))).toBe(`"${"x".repeat(80)}"… (10000000 characters)`);
    const escapes = quote("\u0000".repeat(100));
    expect(escapes).toBe(`"${"\\u0000".repeat(13)}"… (100 characters)`);
    const emoji = quote("😀".repeat(100));
    expect(emoji).toBe(`"${"😀".repeat(40)}"… (200 characters)`);
  });

  it("pathKey escapes a key inside a path and cuts it with …", () => {
    expect(pathKey("a\u001b[2Jb")).toBe("a\\u001B[2Jb");
    expect(pathKey("k".repeat(81))).toBe(`${"k".repeat(80)}…`);
  });

  it("line bounds any text to one line of at most 600 characters", () => {
    expect(line("a\nb\u2028c")).toBe("a\\nb\\u2028c");
    const long = line("z".repeat(5_000));
    expect(long).toHaveLength(MAX_MESSAGE);
    expect(long.endsWith("…")).toBe(true);
    // A cut never leaves half a surrogate pair.
    expect(line(`${"z".repeat(598)}😀😀`)).not.toMatch(UNSAFE);
  });
});

describe("messages are safe to log (docs/rules.md §14)", () => {
  const hostileId = `evil\u202E\u0000\u001b[31m\r\nINFO forged\u2028\u0085\u{e0001}`;

  it("an id with control, bidi and separator characters is escaped in every refusal", () => {
    const refusals = [
      reject(state, { type: "deleteContact", contactId: hostileId }),
      reject(state, { type: "deleteOpportunity", opportunityId: hostileId }),
      reject(state, { type: "assignContactOwner", contactId: "acme", ownerId: hostileId }),
      reject(state, { type: "createContact", contactId: "new-co", ownerId: hostileId }),
    ];
    for (const error of refusals) {
      expect(error.message).not.toMatch(UNSAFE);
      expect(error.message).toContain("\\u202E\\u0000\\u001B[31m\\r\\nINFO forged\\u2028\\u0085\\uDB40\\uDC01");
      expect(error.id).toBe(hostileId); // the value itself is kept whole in `id`
    }
  });

  it("an unknown field with such characters is escaped in the message and in `field`, and cut", () => {
    const error = given(state).when({ type: "deleteContact", contactId: "acme", [`x\u001b]0;pwned\u0007\u2029`]: 1 } as unknown as Command).thenError({ code: "INVALID_COMMAND", field: "x\\u001B]0;pwned\\u0007\\u2029" });
    expect(error.message).not.toMatch(UNSAFE);
    const nested = reject(state, { type: "addFollower", record: { kind: "contact", id: "acme", ["\n".repeat(1_000)]: 1 }, userId: "ben" } as unknown as Command);
    expect(nested.field).toBe(`record.${"\\n".repeat(40)}…`);
    expect(nested.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  });

  it("an id over the length limit is refused for its length, by parseCommand and by createState", () => {
    const long = "x".repeat(LIMITS.idLength + 44);
    const parsed = parseCommand({ type: "deleteContact", contactId: long });
    expect(!parsed.ok && parsed.error).toMatchObject({ code: "INVALID_COMMAND", field: "contactId" });
    expect(!parsed.ok && parsed.error.message).toBe(`Invalid command: "contactId" must be at most ${LIMITS.idLength} characters (it has 300).`);
    const owner = parseCommand({ type: "assignContactOwner", contactId: "acme", ownerId: long });
    expect(!owner.ok && owner.error.message).toContain(`at most ${LIMITS.idLength} characters (it has 300)`);
    const follower = parseCommand({ type: "createContact", contactId: "c", followerIds: ["ana", long] });
    expect(!follower.ok && follower.error).toMatchObject({ field: "followerIds[1]", message: expect.stringContaining("at most 256 characters") });
    // Not "must be a non-empty string": that stays for what is not a string at all.
    expect(parseCommand({ type: "deleteContact", contactId: "" })).toMatchObject({ ok: false, error: { message: expect.stringContaining("non-empty string") } });

    const snapshot = snapshotError({
      users: [{ id: long }],
      contacts: [{ id: "acme", ownerId: long, opportunityIds: [long] }, { id: long }],
      opportunities: [{ id: long, contactId: "acme" }, { id: "d1", contactId: long }],
    });
    expect(snapshot.problems.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([
        ["users[0].id", `must be at most ${LIMITS.idLength} characters (it has 300)`],
        ["contacts[0].ownerId", `must be at most ${LIMITS.idLength} characters (it has 300)`],
        ["contacts[0].opportunityIds[0]", `must be at most ${LIMITS.idLength} characters (it has 300)`],
        ["contacts[1].id", `must be at most ${LIMITS.idLength} characters (it has 300)`],
        ["opportunities[0].id", `must be at most ${LIMITS.idLength} characters (it has 300)`],
        ["opportunities[1].contactId", `must be at most ${LIMITS.idLength} characters (it has 300)`],
      ]),
    );
    expect(snapshotError({ users: [{ id: 7 }], contacts: [], opportunities: [] }).problems[0]?.message).toBe("must be a non-empty string id");
  });

  it("createState escapes a settings key with ESC, CR, LF and NUL, in the path and the message", () => {
    const error = snapshotError({ users: [], contacts: [], opportunities: [], settings: { "a\u001b[2J\r\nb\u0000": true } });
    expect(error.problems).toEqual([{ path: "settings.a\\u001B[2J\\r\\nb\\u0000", message: "is not a setting" }]);
    expect(error.message).toBe("Invalid snapshot (1 problem): settings.a\\u001B[2J\\r\\nb\\u0000: is not a setting.");
    expect(error.message).not.toMatch(UNSAFE);
  });

  it("createState keeps the first 100 problems and counts the rest; its message stays one short line", () => {
    const users = Array.from({ length: 5_001 }, () => ({ id: "ana\u2028" }));
    const error = snapshotError({ users, contacts: [], opportunities: [] });
    expect(error.problems).toHaveLength(MAX_PROBLEMS);
    expect(error.moreProblems).toBe(4_900);
    expect(error.problems[99]?.path).toBe("users[100].id");
    expect(error.message).toBe('Invalid snapshot (5000 problems): users[1].id: duplicate user id "ana\\u2028"; and 4999 more in problems.');
    expect(Object.isFrozen(error.problems)).toBe(true);
    // Built directly, too: the list is cut and counted the same way.
    const direct = new InvalidSnapshotError(Array.from({ length: 150 }, (_, i) => ({ path: `p${i}`, message: "bad" })), 7);
    expect([direct.problems.length, direct.moreProblems]).toEqual([100, 57]);
  });

  it("an unexpected exception is shown escaped and cut, whatever it is: errors.internal", () => {
    const huge = new Error(`boom\n${"x".repeat(10 * 1024 * 1024)}`);
    const shown = errors.internal(huge);
    expect(shown).toMatchObject({ code: "INVALID_COMMAND", field: "(command)" });
    expect(shown.message.startsWith('Internal error: "Error: boom\\nxxx')).toBe(true);
    expect(shown.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    const hostile = [
      "text\u2028with\u202Eseparators",
      Symbol("s"),
      12n,
      undefined,
      { toString: () => "x".repeat(1e6) },
      Object.defineProperty(new Error("x"), "message", { get: () => { throw new Error("getter"); } }),
      new Proxy({}, { getPrototypeOf: () => { throw new Error("trap"); } }),
      Object.assign(new TypeError("a\u0085b"), { name: "Evil\nName" }),
    ];
    for (const cause of hostile) {
      const error = errors.internal(cause);
      expect(error.message).not.toMatch(UNSAFE);
      expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(error.message).toMatch(/^Internal error: ".*"(… \(\d+ characters\))?\.$/);
    }
  });

  it("INCOMPLETE_SNAPSHOT names at most five missing ids and counts the rest; missingIds has them all", () => {
    const many = account(SEPARATE, { contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d1", "d2", ...Array.from({ length: 1_000 }, (_, i) => `gone-${i}`)] }] });
    const error = reject(many, { type: "deleteContact", contactId: "acme" });
    expect(error.missingIds).toHaveLength(1_000);
    expect(error.message).toContain('"gone-4" and 995 more.');
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  });

  it("the longest fixed message (an unknown command type) fits without a cut", () => {
    const error = reject(state, { type: "nope" } as unknown as Command);
    expect(error.message.length).toBeLessThan(MAX_MESSAGE);
    expect(error.message.endsWith(".")).toBe(true);
  });

  it("checkInvariants quotes the ids it names", () => {
    const broken = evolve(account(), { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "gh\nost", cause: "command", version: 1 } as CrmEvent);
    const [violation] = checkInvariants(broken);
    expect(violation?.message).toBe('contact "acme" is owned by unknown user "gh\\nost"');
  });
});

describe("HTTP_STATUS: the status a JSON API answers for each code", () => {
  it("has a status for every error code, and nothing else", () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect([400, 403, 404, 409, 422, 500]).toContain(HTTP_STATUS[code]);
  });

  it("maps each code as the table of docs/errors.md says", () => {
    // The documented table is the specification: each row lists codes and their status.
    const rows = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8")
      .split("\n")
      .filter((row) => /^\| `[A-Z_]+`.*\| \d{3} \|/.test(row));
    const documented: Record<string, number> = {};
    for (const row of rows) {
      const [codes = "", status = ""] = row.split("|").slice(1, 3);
      for (const [, code] of codes.matchAll(/`([A-Z_]+)`/g)) documented[code as string] = Number(status.trim());
    }
    // Every code has a row (the library's, and hosting's own), and httpStatus answers as it says.
    expect(Object.keys(documented).sort()).toEqual([...ERROR_CODES, "ACCOUNT_NOT_FOUND", "COMMAND_ID_REUSED", "INVALID_STORED_DATA"].sort());
    for (const code of ERROR_CODES) expect(documented[code]).toBe(HTTP_STATUS[code]);
    for (const [code, status] of Object.entries(documented)) expect(httpStatus(code)).toBe(status);
    // The statuses the issue names, so that a table changed in both places still fails here.
    expect([HTTP_STATUS.INVALID_COMMAND, HTTP_STATUS.FORBIDDEN, HTTP_STATUS.CONTACT_NOT_FOUND, HTTP_STATUS.VERSION_CONFLICT, HTTP_STATUS.INCOMPLETE_SNAPSHOT]).toEqual([400, 403, 404, 409, 500]);
  });

  it("is frozen, and httpStatus answers 500 for anything that is not a code, inherited names included", () => {
    expect(Object.isFrozen(HTTP_STATUS)).toBe(true);
    expect(() => {
      (HTTP_STATUS as Record<string, number>)["FORBIDDEN"] = 200;
    }).toThrow(TypeError);
    expect(httpStatus("VERSION_CONFLICT")).toBe(409);
    expect(httpStatus(reject(state, { type: "deleteContact", contactId: "nobody" }).code)).toBe(404);
    for (const code of ["toString", "__proto__", "constructor", "FUTURE_CODE", ""]) expect(httpStatus(code)).toBe(500);
    // Hosting's codes, which runCommand and runBulk return beside the library's.
    expect([httpStatus("ACCOUNT_NOT_FOUND"), httpStatus("COMMAND_ID_REUSED"), httpStatus("INVALID_STORED_DATA")]).toEqual([404, 422, 500]);
  });
});
