/**
 * Field descriptors: each command's shape is declared once, as data, and that one declaration
 * both parses untrusted input (naming the field at fault) and yields the command's JSON Schema.
 */
import { errors, pathKey, type CrmError, type Result } from "../errors.js";
import { LIMITS } from "../limits.js";

/**
 * A JSON Schema fragment (draft 2020-12), as plain data.
 *
 * @example
 * ```ts
 * const schema: JsonSchema = commandSchemas().deleteContact;
 * JSON.stringify(schema); // {"type":"object","properties":{"commandId":…,"contactId":…,"type":{"const":"deleteContact"}},…}
 * ```
 */
export type JsonSchema = { readonly [key: string]: unknown };

/** How one field is read from untrusted input. */
export interface Field<T> {
  readonly optional: boolean;
  readonly schema: JsonSchema;
  /** The parsed, copied value, or the error naming `path`. */
  readonly parse: (value: unknown, path: string) => Result<T>;
}

const good = <T>(value: T): Result<T> => ({ ok: true, value });
const bad = (path: string, expected: string): Result<never> => ({ ok: false, error: errors.invalid(path, expected) });

const field = <T>(schema: JsonSchema, parse: Field<T>["parse"]): Field<T> => ({ optional: false, schema, parse });

/** Why `value` is not an id, or undefined when it is one. */
function idError(value: unknown, path: string): CrmError | undefined {
  if (typeof value !== "string" || value.length === 0) return errors.invalid(path, `a non-empty string of at most ${LIMITS.idLength} characters`);
  // Said so: a long id is refused for its length, not as "not an id".
  if (value.length > LIMITS.idLength) return errors.idTooLong(path, value.length, LIMITS.idLength);
  return undefined;
}

/** A non-empty id of at most `LIMITS.idLength` characters. */
export const id: Field<string> = field({ type: "string", minLength: 1, maxLength: LIMITS.idLength }, (value, path) => {
  const error = idError(value, path);
  return error ? { ok: false, error } : good(value as string);
});

/** An id, or `null` for "unassigned". */
export const idOrNull: Field<string | null> = field({ anyOf: [id.schema, { type: "null" }] }, (value, path) => {
  if (value === null) return good(null);
  if (typeof value === "string" && value.length > LIMITS.idLength) return { ok: false, error: errors.idTooLong(path, value.length, LIMITS.idLength) };
  return idError(value, path) ? bad(path, "a user id or null") : good(value as string);
});

/** `true` or `false`. */
export const boolean: Field<boolean> = field({ type: "boolean" }, (value, path) =>
  typeof value === "boolean" ? good(value) : bad(path, "true or false"),
);

/** A whole number ≥ 0, exact in a double (up to 2⁵³ − 1: a larger one, such as 1e300, is refused by name). */
export const count: Field<number> = field({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, (value, path) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? good(value) : bad(path, "a whole number from 0 to 9007199254740991"),
);

/** A whole number ≥ 1. */
export const positive: Field<number> = field({ type: "integer", minimum: 1, maximum: LIMITS.weight }, (value, path) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 1 && value <= LIMITS.weight
    ? good(value)
    : bad(path, `a whole number from 1 to ${LIMITS.weight}`),
);

/** An ISO 8601 date or date-time, each part captured (to read the instant; also the schema's pattern). */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:Z|([+-])(\d{2}):?(\d{2}))?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * The instant an ISO 8601 time names, in milliseconds since 1970 (UTC), or `undefined` when it is
 * not one of a real date and time: a month of 1 to 12, a day that month has (29 February in a
 * leap year only), an hour up to 23, minutes up to 59, seconds up to 60 (a leap second), an
 * offset of at most 23:59. A pattern alone takes 30 February.
 *
 * Why not `Date.parse`: it reads a time without an offset in the machine's time zone, and forms
 * such as a space for the `T` or `+0100` differently from one engine to another; this reads every
 * form the same everywhere, a time without an offset as UTC.
 */
export function instantOf(value: string): number | undefined {
  const m = ISO_TIME.exec(value);
  if (m === null) return undefined;
  // An absent part (a date without a time, a time without an offset) reads as 0.
  const number = (index: number): number => Number(m[index] ?? 0);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [9, 10].map(number) as [number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (!(day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 60 && offsetHours <= 23 && offsetMinutes <= 59)) return undefined;
  // Day first, then the time: a leap second on 31 December rolls into the next year, as it
  // should (setUTCFullYear also reads years 0 to 99 as they are, unlike Date.UTC).
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const offset = (m[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return date.getTime() + Number(m[7] ?? 0) * 1000 - offset;
}

/** An ISO 8601 date or date-time, as the host's clock gave it, of a real day and time. */
export const isoTime: Field<string> = field({ type: "string", maxLength: 64, pattern: ISO_TIME.source }, (value, path) =>
  typeof value === "string" && value.length <= 64 && instantOf(value) !== undefined ? good(value) : bad(path, "an ISO 8601 time string, of a real date and time"),
);

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(...options: readonly T[]): Field<T> {
  const text = options.map((o) => JSON.stringify(o)).join(" or ");
  return field({ enum: options }, (value, path) =>
    typeof value === "string" && (options as readonly string[]).includes(value) ? good(value as T) : bad(path, text),
  );
}

/** The same field, but it may be absent (an `undefined` value counts as absent). */
export function optional<T>(inner: Field<T>): Field<T | undefined> {
  return { ...inner, optional: true };
}

/** An array of at most `max` items (and at least `min`, default none), each read with `item`. */
export function list<T>(item: Field<T>, max: number, min = 0): Field<readonly T[]> {
  return field({ type: "array", items: item.schema, ...(min > 0 && { minItems: min }), maxItems: max }, (value, path) => {
    if (!Array.isArray(value)) return bad(path, "an array");
    if (value.length > max || value.length < min) return bad(path, min > 0 ? `an array of ${min} to ${max} items` : `an array of at most ${max} items`);
    const out: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const parsed = item.parse(value[i], `${path}[${i}]`);
      if (!parsed.ok) return parsed;
      out.push(parsed.value);
    }
    return good(out);
  });
}

/** Fields by name: the shape of an object, as data. */
export type Shape = { readonly [key: string]: Field<unknown> };
/** The value an object of fields parses to. */
export type ShapeOf<S extends Shape> = {
  readonly [K in keyof S as S[K]["optional"] extends true ? never : K]: S[K] extends Field<infer T> ? T : never;
} & {
  readonly [K in keyof S as S[K]["optional"] extends true ? K : never]?: S[K] extends Field<infer T> ? T : never;
};

/** Reads an own property only: inherited ones (and a polluted prototype) are never seen. */
function own(source: object, key: string): unknown {
  return Object.hasOwn(source, key) ? (source as Record<string, unknown>)[key] : undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * How `readObject` treats fields the shape does not name: `allowed` lists extra names to let
 * through unread; `ignoreUnknown` skips every unknown field (events: forward compatible) instead
 * of refusing it by name (commands); `root` names the whole value in errors.
 */
export interface ReadOptions {
  readonly allowed?: ReadonlySet<string> | undefined;
  readonly ignoreUnknown?: boolean | undefined;
  readonly root?: string | undefined;
}

/** Parses `value` as an object with exactly these fields; unknown fields are refused by name. */
export function readObject<S extends Shape>(value: unknown, shape: S, path: string, options: ReadOptions = {}): Result<ShapeOf<S>> {
  if (!isObject(value)) return bad(path || (options.root ?? "(command)"), "an object");
  if (options.ignoreUnknown !== true) {
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key) && options.allowed?.has(key) !== true) {
        // The key is the caller's: escaped and shortened, so a 1 MB or multi-line key is not echoed.
        return { ok: false, error: errors.unknownField(join(path, pathKey(key))) };
      }
    }
  }
  // A plain object (the result goes to the caller and into events): its keys are the shape's,
  // never the caller's, so no key can reach the prototype.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    const spec = shape[key] as Field<unknown>;
    const raw = own(value, key);
    if (raw === undefined) {
      if (spec.optional) continue;
      return bad(join(path, key), describe(spec));
    }
    const parsed = spec.parse(raw, join(path, key));
    if (!parsed.ok) return parsed;
    out[key] = parsed.value;
  }
  return good(out as ShapeOf<S>);
}

function describe(spec: Field<unknown>): string {
  return `present (${schemaText(spec.schema)})`;
}

function schemaText(schema: JsonSchema): string {
  if (Array.isArray(schema["enum"])) return (schema["enum"] as string[]).map((o) => JSON.stringify(o)).join(" or ");
  if (schema["anyOf"]) return "a user id or null";
  return String(schema["type"] ?? "a value");
}

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/** An object field with its own fields. */
export function object<S extends Shape>(shape: S, options: ReadOptions = {}): Field<ShapeOf<S>> {
  return field(objectSchema(shape), (value, path) => readObject(value, shape, path, options));
}

/** The JSON Schema of an object with these fields. */
export function objectSchema(shape: Shape, extra: JsonSchema = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, spec] of Object.entries(shape)) {
    properties[key] = spec.schema;
    if (!spec.optional) required.push(key);
  }
  return { type: "object", properties: { ...properties, ...extra }, required, additionalProperties: false };
}
