/** Arbitraries for payloads that are not commands: malformed, mistyped, or hostile. */
import fc from "fast-check";
import { COMMAND_TYPES, LIMITS, commandSchemas, type Command, type CommandType } from "crm-ownership";
import { arbCommand, type Source } from "./commands.js";

/**
 * Options of `arbInvalidCommand`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { parseCommand } from "crm-ownership";
 * import { arbInvalidCommand, type InvalidOptions } from "crm-ownership/testing";
 *
 * // What a gateway receives (the default), then JS-level hostile values too.
 * const gateway: InvalidOptions = { kind: "json" };
 * const inProcess: InvalidOptions = { kind: "js", huge: false };
 * fc.assert(fc.property(arbInvalidCommand(undefined, gateway), (body) => !parseCommand(JSON.parse(JSON.stringify(body))).ok));
 * fc.assert(fc.property(arbInvalidCommand(undefined, inProcess), (payload) => !parseCommand(payload).ok));
 * ```
 */
export interface InvalidOptions {
  /**
   * Which payloads:
   * - `"json"` (the default): JSON-safe bodies, what an HTTP gateway or a queue hands over. Each
   *   one is exactly its own JSON round trip (`JSON.parse(JSON.stringify(body))` equals it), so it
   *   stays invalid after one: no `undefined`, `NaN` or `Infinity` that JSON would turn into an
   *   absent field or a `null` a field accepts, no inherited fields JSON would drop.
   * - `"js"`: those, plus values only JavaScript can hand over: getters that throw, Proxies whose
   *   traps throw, revoked Proxies, cycles, sparse arrays, inherited fields, `undefined`, `NaN`,
   *   `Infinity`. For code that takes commands from other JavaScript in the same process.
   */
  readonly kind?: "json" | "js" | undefined;
  /** Same as `kind: "js"` when `true` (the option of 0.1, where it was the default). */
  readonly hostile?: boolean | undefined;
  /**
   * Include huge payloads: a 1 MB id, a 100,000-item list, an object nested 1,000 deep (default
   * `false`: they cost time in every run). They are JSON-safe; with `kind: "js"` the object is
   * nested 10,000 deep, past what `JSON.stringify` can write.
   */
  readonly huge?: boolean | undefined;
}

/**
 * Values no field of any command accepts (ids, booleans, counts, enums, lists, objects), and that
 * JSON carries as they are.
 */
const WRONG_JSON: readonly (() => unknown)[] = [
  () => ({}),
  () => -1,
  () => 1.5,
  () => "",
  () => "x".repeat(LIMITS.idLength + 1),
  () => [{}],
];

/** And those only JavaScript hands over: JSON would turn them into `null` or drop the field. */
const WRONG_JS: readonly (() => unknown)[] = [...WRONG_JSON, () => Number.NaN, () => Number.POSITIVE_INFINITY, () => Number.NEGATIVE_INFINITY];

/** Own keys that no command has, including the ones that mean something to JavaScript. */
const UNKNOWN_KEYS = ["owner", "contactid", "isAdmin", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty"] as const;

const EMPTY: Source = { users: [], contacts: [], opportunities: [] };

/** A shallow copy with `key` set as an own, enumerable property (even `"__proto__"`). */
function withKey(command: object, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...command };
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

function without(command: object, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...command };
  delete out[key];
  return out;
}

const schemaOf = (type: CommandType) => commandSchemas()[type] as { properties: Record<string, unknown>; required: string[] };

/** A valid command made invalid in one place: a missing, mistyped or unknown field. */
function corrupted(valid: fc.Arbitrary<Command>, WRONG: readonly (() => unknown)[]): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.nat(), fc.constantFrom("drop", "wrong", "unknown", "nested")).map(([command, a, b, how]) => {
    const schema = schemaOf(command.type);
    const required = schema.required.filter((key) => key !== "type");
    const fields = Object.keys(schema.properties).filter((key) => key !== "type");
    const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;
    if (how === "drop" && required.length > 0) return without(command, pick(required, a));
    if (how === "unknown") return withKey(command, pick(UNKNOWN_KEYS, a), pick(WRONG, b)());
    if (how === "nested") return nestedWrong(command, a) ?? withKey(command, pick(fields, a), pick(WRONG, b)());
    return withKey(command, pick(fields, a), pick(WRONG, b)());
  });
}

/** Wrong values inside nested fields: a record reference, rotation members, follower lists. */
function nestedWrong(command: Command, n: number): Record<string, unknown> | undefined {
  if ("record" in command) {
    const wrongs = [{ kind: "account", id: command.record.id }, { kind: command.record.kind, id: "" }, { ...command.record, extra: 1 }, { kind: "contact" }];
    return withKey(command, "record", wrongs[n % wrongs.length]);
  }
  if ("users" in command && command.users !== undefined) {
    const wrongs = [
      [{ userId: "ana", weight: 0 }],
      [{ userId: "ana", weight: LIMITS.weight + 1 }],
      [{ userId: "ana", weight: 1.5 }],
      [{ userId: 7 }],
      Array.from({ length: LIMITS.rotationUsers + 1 }, () => ({ userId: "ana" })),
    ];
    return withKey(command, "users", wrongs[n % wrongs.length]);
  }
  if (command.type === "createContact" || command.type === "createOpportunity") {
    const wrongs = [["ana", ""], [null], Array.from({ length: LIMITS.followerIds + 1 }, () => "ana")];
    return withKey(command, "followerIds", wrongs[n % wrongs.length]);
  }
  const meta = [
    ["at", "yesterday"],
    ["at", "2026-11-28T10:00:00Z; DROP TABLE"],
    ["expectedVersion", -1],
    ["expectedVersion", "3"],
    ["commandId", ""],
    ["actorId", 42],
  ] as const;
  const [key, value] = meta[n % meta.length] as (typeof meta)[number];
  return withKey(command, key, value);
}

/** JSON payloads that are not objects at all, or objects without a known own `type`. */
const notACommandJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, "", "assignContactOwner", true, false, [], [{ type: "createContact", contactId: "c" }]),
  fc.string({ maxLength: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.record({ type: fc.string({ maxLength: 20 }).filter((t) => !(COMMAND_TYPES as readonly string[]).includes(t)), contactId: fc.constant("acme") }),
  fc.constantFrom<unknown>("__proto__", "constructor", "toString", "hasOwnProperty", "AssignContactOwner", " createContact", 42, null).map((type) => ({ type, contactId: "acme" })),
);

/** And the ones only JavaScript hands over. */
const notACommandJs: fc.Arbitrary<unknown> = fc.oneof(
  notACommandJson,
  fc.constantFrom<unknown>(undefined, Number.NaN, Number.POSITIVE_INFINITY),
  fc.double(),
  // An inherited `type` is not the command's own: refused, as a polluted prototype would be.
  fc.constant(null).map(() => Object.assign(Object.create({ type: "createContact" }) as object, { contactId: "acme" })),
);

/** The value as a JSON gateway would hand it over: parsed from its own serialisation. */
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Payloads built to hurt the reader. */
function hostilePayloads(valid: fc.Arbitrary<Command>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom("getter", "proxy", "revoked", "cycle", "sparse", "prototype")).map(([command, n, how]) => {
    const keys = Object.keys(command);
    const key = keys[n % keys.length] ?? "type";
    switch (how) {
      case "getter": {
        const out: Record<string, unknown> = { ...command };
        Object.defineProperty(out, key, {
          enumerable: true,
          get() {
            throw new Error("hostile getter");
          },
        });
        return out;
      }
      case "proxy":
        // Throws on every read of a string key (fast-check itself only asks with `in`).
        return new Proxy(
          { ...command },
          {
            get(target, property, receiver) {
              if (typeof property === "string") throw new Error("hostile proxy");
              return Reflect.get(target, property, receiver);
            },
            ownKeys() {
              throw new Error("hostile proxy");
            },
          },
        );
      case "revoked": {
        const { proxy, revoke } = Proxy.revocable({ kind: "contact", id: "acme" }, {});
        revoke();
        const field = "record" in command ? "record" : key;
        return withKey(command, field, proxy);
      }
      case "cycle": {
        const out: Record<string, unknown> = { ...command };
        out["self"] = out;
        return out;
      }
      case "sparse": {
        const sparse: unknown[] = [];
        sparse[3] = "ana";
        const field = "users" in command ? "users" : command.type === "createContact" || command.type === "createOpportunity" ? "followerIds" : key;
        return withKey(command, field, sparse);
      }
      default:
        // Every field inherited, none own: a payload that only looks like a command.
        return Object.create(command) as object;
    }
  });
}

/**
 * Huge payloads: they must be refused by their size, quickly, without a stack overflow. Nested
 * `depth` deep: 1,000 for JSON (`JSON.stringify` overflows its stack near 10,000 on V8), 10,000
 * for in-process callers.
 */
function hugePayloads(valid: fc.Arbitrary<Command>, depth: number): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.constantFrom("string", "array", "deep")).map(([command, how]) => {
    const key = Object.keys(command).find((k) => k !== "type") ?? "contactId";
    if (how === "string") return withKey(command, key, "x".repeat(1 << 20));
    if (how === "array") return withKey(command, key, Array.from({ length: 100_000 }, () => "ana"));
    let deep: Record<string, unknown> = { kind: "contact", id: "acme" };
    for (let i = 0; i < depth; i++) deep = { kind: "contact", id: deep };
    return withKey(command, "record" in command ? "record" : key, deep);
  });
}

/**
 * Payloads that are not valid commands: not an object, an unknown `type`, a missing or
 * mistyped field (a number where an id belongs, an empty or over-long id, a bad time), an
 * unknown field (`"__proto__"`, `"constructor"` as own keys), bad nested fields (a record kind,
 * a rotation weight, a list over its limit). By default (`kind: "json"`) each is a JSON-safe
 * body that stays invalid after a JSON round trip, what a gateway receives; `kind: "js"` adds
 * getters that throw, Proxies, revoked Proxies, cycles, sparse arrays, inherited fields and
 * `undefined`/`NaN`/`Infinity` values. `huge: true` adds a 1 MB id, a 100,000-item list and an
 * object nested 1,000 deep (10,000 with `kind: "js"`). `parseCommand` refuses every one of them with `INVALID_COMMAND`, and
 * `execute` returns that error; neither throws.
 *
 * Why: a host passes whatever reached its API; the library must refuse it as a value. A gateway
 * only ever sees JSON, so that is the default; in-process callers can hand over worse.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { parseCommand } from "crm-ownership";
 * import { arbInvalidCommand } from "crm-ownership/testing";
 *
 * fc.assert(
 *   fc.property(arbInvalidCommand(), (body) => {
 *     const parsed = parseCommand(JSON.parse(JSON.stringify(body))); // as your HTTP layer hands it over
 *     return !parsed.ok && parsed.error.code === "INVALID_COMMAND";
 *   }),
 * );
 * ```
 */
export function arbInvalidCommand(source: Source = EMPTY, options: InvalidOptions = {}): fc.Arbitrary<unknown> {
  const valid = arbCommand(source);
  const js = options.kind === "js" || (options.kind === undefined && options.hostile === true);
  const kinds: fc.Arbitrary<unknown>[] = js
    ? [notACommandJs, corrupted(valid, WRONG_JS), corrupted(valid, WRONG_JS), hostilePayloads(valid)]
    : [notACommandJson, corrupted(valid, WRONG_JSON), corrupted(valid, WRONG_JSON)].map((arb) => arb.map(roundTrip));
  if (options.huge === true) kinds.push(hugePayloads(valid, js ? 10_000 : 1_000));
  return fc.oneof(...kinds);
}
