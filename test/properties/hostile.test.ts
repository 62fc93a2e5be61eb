/**
 * Hostile input (issue 7, part 2): parseCommand, execute, executeAll and createState under
 * fuzzing with fc.anything() and crafted payloads — deep nesting, 100k-item arrays, 1 MB strings,
 * cycles, getters that throw, Proxies, frozen and sparse arrays, numbers where strings belong,
 * and prototype-pollution attempts through every id and record field.
 *
 * What must hold: nothing throws out of execute, executeAll or parseCommand; createState throws
 * only InvalidSnapshotError; Object.prototype (and friends) never change; every error is typed.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CommandRejectedError,
  evolve,
  InvalidEventError,
  InvalidSnapshotError,
  LIMITS,
  checkInvariants,
  createState,
  decide,
  execute,
  executeAll,
  getUser,
  parseCommand,
  toRecords,
  type Command,
  type CrmError,
  type CommandContext,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
} from "../../src/index.js";
import { arbCommand, arbInvalidCommand, arbRecords, arbState } from "../../src/testing/index.js";
import { ERROR_CODES, firstFrozen, runs } from "./helpers.js";
import { anyFrozen as anyFrozenIn, as, SYSTEM } from "../helpers.js";


/** Keys that mean something to JavaScript objects. */
const POLLUTERS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf"] as const;

/** Everything fc.anything can make, exotic objects included. */
const anything = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  key: fc.oneof(fc.string(), fc.constantFrom(...POLLUTERS, "type", "contactId", "ownerId", "users", "contacts", "opportunities")),
});

// ---------------------------------------------------------------------------------------------
// Prototype pollution watch: every test in this file checks the built-in prototypes after it.

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype] as const;
const shapeOf = () => PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(","));
let before: string[] = [];
beforeEach(() => {
  before = shapeOf();
});
afterEach(() => {
  expect(shapeOf()).toEqual(before);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  expect(({} as Record<string, unknown>)["ownerId"]).toBeUndefined();
  expect(({} as Record<string, unknown>)["role"]).toBeUndefined();
});

// ---------------------------------------------------------------------------------------------

/** A refusal is plain, typed data: a known code, a sentence of bounded size, JSON-safe. */
function expectTypedError(error: CrmError): void {
  expect(ERROR_CODES).toContain(error.code);
  expect(typeof error.message).toBe("string");
  // Every echoed value is escaped and cut: one line of at most 600 characters, nothing a log acts on.
  expectLogSafe(error.message);
  if (error.field !== undefined) expect(typeof error.field).toBe("string");
  expect(() => JSON.stringify(error)).not.toThrow();
}

/** createState either builds a snapshot or throws InvalidSnapshotError listing problems. */
function tryCreate(records: unknown): CrmState | InvalidSnapshotError {
  try {
    return createState(records as CrmRecordsInit);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect((error as InvalidSnapshotError).problems.length).toBeGreaterThan(0);
    return error as InvalidSnapshotError;
  }
}

const base = createState({
  users: [{ id: "ana", role: "admin" }, { id: "ben", scope: "assigned" }, { id: "__proto__" }, { id: "constructor", active: false }],
  contacts: [{ id: "acme", ownerId: "ana" }, { id: "toString", ownerId: "__proto__" }, { id: 'line\nbreak "quoted"', ownerId: "ana" }],
  opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }],
});
const baseJson = JSON.stringify(toRecords(base));

describe("parseCommand, execute and executeAll never throw", { timeout: 120_000 }, () => {
  it("on anything fc.anything() makes", () => {
    fc.assert(
      fc.property(anything, (payload) => {
        const parsed = parseCommand(payload);
        if (!parsed.ok) expect(parsed.error.code).toBe("INVALID_COMMAND");
        const result = execute(base, payload as Command, SYSTEM);
        if (!result.ok) expectTypedError(result.error);
        const batch = executeAll(base, payload as Command[], SYSTEM);
        if (!batch.ok) expectTypedError(batch.error);
        const listed = executeAll(base, [payload as Command, payload as Command], SYSTEM);
        if (!listed.ok) expectTypedError(listed.error);
        expect(JSON.stringify(toRecords(base))).toBe(baseJson);
      }),
      runs(400),
    );
  });

  it("on invalid and hostile payloads (getters that throw, Proxies, cycles, sparse arrays, 1 MB ids, 100k-item lists, 10k-deep objects): INVALID_COMMAND", () => {
    fc.assert(
      fc.property(arbInvalidCommand(toRecords(base), { hostile: true, huge: true }), (payload) => {
        const parsed = parseCommand(payload);
        expect(parsed.ok).toBe(false);
        const result = execute(base, payload as Command, SYSTEM);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe("INVALID_COMMAND");
          expectTypedError(result.error);
        }
        expect(() => decide(base, payload as Command, SYSTEM)).toThrow(CommandRejectedError);
      }),
      runs(200),
    );
  });

  it("on a state that is not a snapshot: a typed error, never a throw", () => {
    fc.assert(
      fc.property(anything, arbCommand(toRecords(base)), (state, command) => {
        const result = execute(state as CrmState, command, SYSTEM);
        if (!result.ok) expectTypedError(result.error);
      }),
      runs(200),
    );
  });

  it("huge batches, keys and strings are refused by their size, quickly", () => {
    const started = performance.now();
    const batch = executeAll(base, Array.from({ length: LIMITS.batch + 1 }, () => ({ type: "reactivateUser", userId: "ana" }) as Command), SYSTEM);
    expect(!batch.ok && batch.error).toMatchObject({ code: "INVALID_COMMAND", field: "commands" });
    const megabyte = "x".repeat(1 << 20);
    const cases: unknown[] = [
      { type: "createContact", contactId: megabyte },
      { type: "createContact", contactId: "c", followerIds: Array.from({ length: 100_000 }, () => "ana") },
      { type: "createContact", contactId: "c", [megabyte]: 1 },
      { type: megabyte },
      { type: "assignUser", contactId: "acme", rotationId: "r", users: Array.from({ length: 100_000 }, () => ({ userId: "ana" })) },
      { type: "addFollower", record: { kind: "contact", id: "acme", [megabyte]: true }, userId: "ben" },
    ];
    for (const payload of cases) {
      const result = execute(base, payload as Command, SYSTEM);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("INVALID_COMMAND");
        expectTypedError(result.error);
      }
    }
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("frozen commands and frozen, sparse or proxied arrays are read as plain data", () => {
    const frozen = Object.freeze({ type: "createContact", contactId: "frozen", ownerId: "ben", followerIds: Object.freeze(["ana"]) }) as Command;
    const result = execute(base, frozen, SYSTEM);
    expect(result.ok).toBe(true);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = execute(base, { type: "createContact", contactId: "s", followerIds: [, "ana"] as unknown as string[] }, SYSTEM);
    expect(!sparse.ok && sparse.error).toMatchObject({ code: "INVALID_COMMAND", field: "followerIds[0]" });
    const proxied = execute(base, { type: "createContact", contactId: "p", followerIds: new Proxy(["ana"], {}) }, SYSTEM);
    expect(proxied.ok).toBe(true);
  });
});

describe("prototype pollution through commands", () => {
  /** A valid command with one id (top-level, in `record`, or in `users`) replaced by a polluter. */
  const polluted = fc
    .tuple(arbCommand(toRecords(base)), fc.nat(), fc.constantFrom(...POLLUTERS, 'line\nbreak "quoted"', "\u0000"))
    .map(([command, n, id]) => {
      const out = structuredClone(command) as unknown as Record<string, unknown>;
      const slots: (() => void)[] = [];
      for (const [key, value] of Object.entries(out)) {
        if (key !== "type" && typeof value === "string") slots.push(() => (out[key] = id));
      }
      const record = out["record"] as { id: string } | undefined;
      if (record) slots.push(() => (record.id = id));
      const users = out["users"] as { userId: string }[] | undefined;
      if (users && users.length > 0) slots.push(() => ((users[n % users.length] as { userId: string }).userId = id));
      slots[n % slots.length]?.();
      return out as unknown as Command;
    });

  it("any id may be __proto__, constructor, prototype…: a command runs or is refused as for any id, and the snapshot stays sound", () => {
    fc.assert(
      fc.property(polluted, (command) => {
        const result = execute(base, command, SYSTEM);
        if (result.ok) expect(checkInvariants(result.state)).toEqual([]);
        else expectTypedError(result.error);
      }),
      runs(300),
    );
  });

  it("a refusal quotes the ids it names: a newline in an id cannot forge a log line", () => {
    const id = 'line\nbreak "quoted"';
    const refusals = [
      execute(base, { type: "assignContactOwner", contactId: id, ownerId: "ben" }, as("ben")),
      execute(base, { type: "addFollower", record: { kind: "contact", id }, userId: "ben" }, as("ben")),
      execute(base, { type: "deleteContact", contactId: id }, as("ben")),
      execute(base, { type: "createContact", contactId: id }, SYSTEM),
      execute(base, { type: "assignContactOwner", contactId: "acme", ownerId: id }, SYSTEM),
    ];
    for (const result of refusals) {
      expect(result.ok).toBe(false);
      if (!result.ok) expectTypedError(result.error);
    }
  });

  it("JSON.parse'd payloads with an own __proto__ key are refused by name; an inherited field is never read", () => {
    const attempts = [
      '{"type":"createContact","contactId":"x","__proto__":{"polluted":true}}',
      '{"type":"assignContactOwner","contactId":"acme","ownerId":"ben","__proto__":{"actorId":"ana"}}',
      '{"type":"addFollower","record":{"kind":"contact","id":"acme","__proto__":{"polluted":true}},"userId":"ben"}',
      '{"type":"assignUser","contactId":"acme","rotationId":"r","users":[{"userId":"ben","__proto__":{"weight":5}}]}',
      '{"__proto__":{"type":"createContact","contactId":"x"}}',
      '{"type":"createContact","contactId":"x","constructor":{"prototype":{"polluted":true}}}',
    ];
    for (const text of attempts) {
      const result = execute(base, JSON.parse(text) as Command, SYSTEM);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("INVALID_COMMAND");
    }
    // Fields on the prototype chain are not the command's: a missing own field is missing.
    const inherited = Object.assign(Object.create({ ownerId: "ben", actorId: "ana" }) as object, { type: "assignContactOwner", contactId: "acme" });
    expect(execute(base, inherited as Command, SYSTEM)).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "ownerId" } });
  });

  it("records with polluting ids are ordinary records: selectors, toRecords and JSON keep them, and nothing leaks onto objects", () => {
    fc.assert(
      fc.property(arbState(), (state) => {
        const json = JSON.stringify(toRecords(state));
        const again = createState(JSON.parse(json));
        expect(JSON.stringify(toRecords(again))).toBe(json);
      }),
      runs(100),
    );
  });
});

// Generous timeouts: a longer run (PROPERTY_RUNS_SCALE) builds many 100k-item and 1 MB inputs.
describe("createState under hostile records", { timeout: 120_000 }, () => {
  it("on anything fc.anything() makes: a snapshot, or InvalidSnapshotError and nothing else", () => {
    fc.assert(
      fc.property(anything, (records) => {
        tryCreate(records);
      }),
      runs(400),
    );
    fc.assert(
      fc.property(fc.record({ users: anything, contacts: anything, opportunities: anything, settings: anything, rotations: anything, version: anything }, { requiredKeys: [] }), (records) => {
        tryCreate(records);
      }),
      runs(300),
    );
  });

  /** Where a sound snapshot can be hit: every id and record field. */
  const FIELDS = [
    ["users", "id"],
    ["users", "active"],
    ["users", "role"],
    ["users", "scope"],
    ["contacts", "id"],
    ["contacts", "ownerId"],
    ["contacts", "followers"],
    ["contacts", "opportunityIds"],
    ["opportunities", "id"],
    ["opportunities", "contactId"],
    ["opportunities", "ownerId"],
    ["opportunities", "followers"],
    ["opportunities", "status"],
    ["rotations", "id"],
    ["rotations", "picks"],
  ] as const;

  /** Values that hurt: wrong types, polluters, huge, cyclic, throwing, proxied, sparse, frozen. */
  const HOSTILE_VALUES: readonly (() => unknown)[] = [
    () => 42,
    () => -1,
    () => Number.NaN,
    () => null,
    () => ({}),
    () => [42],
    () => "",
    () => "x".repeat(1 << 20),
    () => Array.from({ length: 100_000 }, () => 7),
    ...POLLUTERS.map((p) => () => p),
    () => JSON.parse('{"__proto__":{"polluted":true,"role":"admin"}}'),
    () => {
      const cycle: Record<string, unknown> = { userId: "ana", source: "manual" };
      cycle["self"] = cycle;
      return [cycle, cycle];
    },
    () => {
      // eslint-disable-next-line no-sparse-arrays
      return [, { userId: "ana", source: "manual" }];
    },
    () => Object.freeze([Object.freeze({ userId: "ana", source: "manual" })]),
    () =>
      Object.defineProperty({}, "userId", {
        enumerable: true,
        get() {
          throw new Error("hostile getter");
        },
      }),
    () =>
      new Proxy([], {
        get() {
          throw new Error("hostile proxy");
        },
      }),
  ];

  it("any field of any record set to a hostile value: InvalidSnapshotError, or a sound snapshot", () => {
    fc.assert(
      fc.property(arbRecords({ minUsers: 1 }), fc.constantFrom(...FIELDS), fc.nat(), fc.nat(HOSTILE_VALUES.length - 1), (records, [table, field], n, v) => {
        const copy = structuredClone(records) as unknown as Record<string, Record<string, unknown>[]>;
        const rows = copy[table] ?? [];
        const row = rows[n % Math.max(1, rows.length)];
        if (row === undefined) return;
        row[field] = (HOSTILE_VALUES[v] as () => unknown)();
        const built = tryCreate(copy);
        if (!(built instanceof InvalidSnapshotError)) {
          // Split coupled owners are accepted legacy data (docs/rules.md §1); nothing else may be unsound.
          expect(checkInvariants(built).filter((v) => v.rule !== "owners-coupled")).toEqual([]);
          expect(() => JSON.stringify(toRecords(built))).not.toThrow();
        }
      }),
      runs(400),
    );
  });

  it("an own __proto__ key (JSON.parse) or an inherited field never grants anything: role, scope, active and owner come from own fields only", () => {
    const viaJson = JSON.parse(
      '{"users":[{"id":"mallory","__proto__":{"role":"admin","active":false}}],"contacts":[{"id":"acme","__proto__":{"ownerId":"mallory"}}],"opportunities":[]}',
    ) as CrmRecordsInit;
    const built = tryCreate(viaJson);
    if (!(built instanceof InvalidSnapshotError)) {
      expect(getUser(built, "mallory")).toMatchObject({ role: "user", active: true });
      expect(toRecords(built).contacts[0]?.ownerId).toBeNull();
    }
    const inherited = createState({
      users: [Object.assign(Object.create({ role: "admin", scope: "assigned" }) as object, { id: "mallory" }) as { id: string }],
      contacts: [],
      opportunities: [],
    });
    expect(getUser(inherited, "mallory")).toMatchObject({ role: "user", scope: "all" });
    // Settings are read by name: an own __proto__ key is refused, not merged.
    expect(() => createState({ ...toRecords(base), settings: JSON.parse('{"__proto__":{"allowDifferentOwners":true}}') })).toThrow(InvalidSnapshotError);
  });

  it("100k-item record lists, 1 MB ids and 10k-deep objects are refused without a stack overflow", () => {
    const megabyte = "x".repeat(1 << 20);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { settings: deep };
    const cases: unknown[] = [
      { users: Array.from({ length: 100_000 }, () => 7), contacts: [], opportunities: [] },
      { users: [{ id: megabyte }], contacts: [], opportunities: [] },
      { users: [], contacts: [{ id: "c", ownerId: megabyte }], opportunities: [] },
      { users: [], contacts: [], opportunities: [], settings: deep },
      deep,
    ];
    for (const records of cases) {
      const built = tryCreate(records);
      expect(built).toBeInstanceOf(InvalidSnapshotError);
      // The message names the problems without echoing a 1 MB id.
      expect((built as InvalidSnapshotError).message.length).toBeLessThan(100_000 * 80);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Log-safe messages (docs/rules.md §14) and evolve's check (docs/rules.md §2) under hostile strings.

/** What no message may contain: controls (C0, DEL, C1), format characters, separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** The characters that forge or hide log lines, and the kinds around them. */
const NASTY = [
  ..."\u0000\u0007\u0008\t\n\u000b\u000c\r\u001b\u007f\u0080\u0085\u009b\u009f\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\ufff9",
  "\u{e0001}",
  "\u{e0041}",
  "\ud800",
  "\udfff",
  '"',
  "\\",
];
/** Strings made of those characters and any others, sometimes far over every limit. */
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY), minLength: 200, maxLength: 2_000 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY), fc.integer({ min: 1_000, max: 200_000 })).map(([ch, n]) => `a${ch.repeat(n)}`) },
);

/** A message is one line, bounded, with nothing a terminal or a log would act on. */
function expectLogSafe(message: string): void {
  expect(message).not.toMatch(UNSAFE);
  expect(message.length).toBeLessThanOrEqual(600);
}

/** A valid command with one string slot (an id, a nested id, or a new key) set to `value`. */
const withHostile = fc.tuple(arbCommand(toRecords(base)), fc.nat(), hostileString).map(([command, n, value]) => {
  const out = structuredClone(command) as unknown as Record<string, unknown>;
  const slots: (() => void)[] = [() => (out[value] = "x")];
  for (const [key, v] of Object.entries(out)) if (key !== "type" && typeof v === "string") slots.push(() => (out[key] = value));
  const record = out["record"] as Record<string, unknown> | undefined;
  if (record) slots.push(() => (record["id"] = value), () => (record[value] = 1));
  const users = out["users"] as { userId: string }[] | undefined;
  if (users && users.length > 0) slots.push(() => ((users[n % users.length] as { userId: string }).userId = value));
  const followers = out["followerIds"] as string[] | undefined;
  if (followers && followers.length > 0) slots.push(() => (followers[n % followers.length] = value));
  slots[n % slots.length]?.();
  return out as unknown as Command;
});

/** Who acts: the system, a user who sees everything, a scoped user, or a hostile user id, system label or time. */
const hostileContext: fc.Arbitrary<CommandContext> = fc.oneof(
  fc.constantFrom(SYSTEM, as("ana"), as("ben")),
  hostileString.map((id) => as(id)),
  hostileString.map((system) => ({ actor: { system } })),
  hostileString.map((at) => ({ actor: { userId: "ana" }, at })),
  fc.constantFrom({ actor: { userId: "ana", [`k\u001b\n`]: 1 } }, { actor: null }, {}) as fc.Arbitrary<CommandContext>,
);

describe("every message is safe to log (docs/rules.md §14)", { timeout: 120_000 }, () => {
  it("parseCommand, execute, executeAll and decide on commands with hostile ids and keys, by hostile actors", () => {
    fc.assert(
      fc.property(withHostile, hostileContext, (command, context) => {
        const parsed = parseCommand(command);
        if (!parsed.ok) {
          expectLogSafe(parsed.error.message);
          if (parsed.error.field !== undefined) expectLogSafe(parsed.error.field);
        }
        const result = execute(base, command, context);
        if (!result.ok) {
          expectTypedError(result.error);
          if (result.error.field !== undefined) expectLogSafe(result.error.field);
        }
        const batch = executeAll(base, [command], context);
        if (!batch.ok) expectTypedError(batch.error);
        try {
          decide(base, command, context);
        } catch (error) {
          expect(error).toBeInstanceOf(CommandRejectedError);
          expectLogSafe((error as Error).message);
        }
      }),
      runs(300),
    );
  });

  it("createState on records with hostile ids, owners, followers, list entries and settings keys", () => {
    const slot = fc.constantFrom("userId", "duplicateUser", "contactId", "ownerId", "follower", "listed", "contactOf", "setting", "rotation");
    fc.assert(
      fc.property(arbRecords({ minUsers: 1 }), slot, hostileString, (records, where, value) => {
        const copy = structuredClone(records) as unknown as Record<string, unknown> & { users: { id: string }[]; contacts: Record<string, unknown>[]; opportunities: Record<string, unknown>[] };
        const contact = copy.contacts[0] ?? (copy.contacts[0] = { id: "c0" });
        switch (where) {
          case "userId":
            copy.users.push({ id: value }, { id: value });
            break;
          case "duplicateUser":
            copy.users.push({ id: value }, { id: value }, { id: value });
            break;
          case "contactId":
            copy.contacts.push({ id: value }, { id: value });
            break;
          case "ownerId":
            contact["ownerId"] = value;
            break;
          case "follower":
            contact["followers"] = [{ userId: value, source: "manual" }];
            break;
          case "listed":
            contact["opportunityIds"] = [value, value];
            break;
          case "contactOf":
            copy.opportunities.push({ id: "o-x", contactId: value });
            break;
          case "setting":
            copy["settings"] = { [value]: true };
            break;
          case "rotation":
            copy["rotations"] = [{ id: value }, { id: value }];
            break;
        }
        const built = tryCreate(copy);
        if (built instanceof InvalidSnapshotError) {
          expectLogSafe(built.message);
          expect(built.problems.length).toBeLessThanOrEqual(100);
          for (const p of built.problems) {
            expectLogSafe(p.path);
            expectLogSafe(p.message);
          }
        } else {
          for (const v of checkInvariants(built)) expectLogSafe(v.message);
        }
      }),
      runs(300),
    );
  });

  it("execute on a hostile state: even an unexpected exception is reported log-safe", () => {
    fc.assert(
      fc.property(fc.dictionary(hostileString, fc.oneof(hostileString, fc.constant(null), fc.constant({}))), (state) => {
        const result = execute(state as unknown as CrmState, { type: "deleteContact", contactId: "acme" }, SYSTEM);
        if (!result.ok) expectTypedError(result.error);
      }),
      runs(100),
    );
  });
});

describe("an unexpected exception inside execute", () => {
  it("is reported escaped and cut, however long or multi-line its text (errors.internal)", () => {
    const state = new Proxy({}, {
      get() {
        throw new Error(`boom\n\u202E${"x".repeat(1_000_000)}`);
      },
    });
    const result = execute(state as unknown as CrmState, { type: "deleteContact", contactId: "acme" }, SYSTEM);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: "INVALID_COMMAND", field: "(command)" });
      expect(result.error.message.startsWith('Internal error: "Error: boom\\n\\u202Exxx')).toBe(true);
      expectLogSafe(result.error.message);
    }
  });
});

/** Events `execute` emits on the base snapshot, for mutating into malformed ones. */
const arbEvent = arbCommand(toRecords(base))
  .map((command) => {
    const result = execute(base, command, SYSTEM);
    return result.ok ? result.events : [];
  })
  .filter((events) => events.length > 0)
  .chain((events) => fc.constantFrom(...events));

describe("evolve: InvalidEventError or a snapshot, never anything else, and the input is never frozen (docs/rules.md §2)", { timeout: 120_000 }, () => {
  /** What evolve did with `event`: the snapshot, or the InvalidEventError (anything else fails the test). */
  function tryEvolve(event: unknown): CrmState | InvalidEventError {
    const wasFrozen = anyFrozenIn(event);
    let out: CrmState | InvalidEventError;
    try {
      out = evolve(base, event as CrmEvent);
      expect(Number.isSafeInteger(out.version)).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventError);
      const refusal = error as InvalidEventError;
      expect(typeof refusal.field).toBe("string");
      expectLogSafe(refusal.message);
      expectLogSafe(refusal.field);
      out = refusal;
    }
    if (!wasFrozen) expect(firstFrozen(event)).toBeUndefined();
    expect(JSON.stringify(toRecords(base))).toBe(baseJson);
    return out;
  }

  it("on any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (event) => void tryEvolve(event)), runs(300));
  });

  it("on anything fc.anything() makes, with a known event type", () => {
    fc.assert(
      fc.property(anything, fc.constantFrom("ContactOwnerChanged", "FollowerAdded", "SettingsChanged", "RotationAdvanced", "OpportunityCreated"), (body, type) => {
        const event = typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body, type } : { type, body };
        tryEvolve(event);
      }),
      runs(300),
    );
  });

  it("on real events with one field replaced by anything, a hostile string, or removed", () => {
    fc.assert(
      fc.property(arbEvent, fc.nat(), fc.oneof(anything, hostileString, fc.constant(undefined)), (event, n, value) => {
        const copy = structuredClone(event) as unknown as Record<string, unknown>;
        const keys = [...Object.keys(copy), "record.kind", "record.id", "actor", "schemaVersion", "extraField"];
        const key = keys[n % keys.length] as string;
        const target = key.startsWith("record.") ? (copy["record"] as Record<string, unknown> | undefined) : copy;
        const name = key.startsWith("record.") ? key.slice(7) : key;
        if (target === undefined) return;
        if (value === undefined) delete target[name];
        else target[name] = value;
        const out = tryEvolve(copy);
        if (out instanceof InvalidEventError) expect(key === "extraField").toBe(false);
      }),
      runs(400),
    );
  });

  it("on every event execute emits, unchanged: a snapshot", () => {
    fc.assert(
      fc.property(arbEvent, (event) => {
        expect(tryEvolve(event)).not.toBeInstanceOf(InvalidEventError);
      }),
      runs(200),
    );
  });
});
