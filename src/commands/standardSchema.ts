/**
 * The command parser as a Standard Schema v1 validator (https://standardschema.dev), so any
 * framework that accepts a Standard Schema (tRPC, Hono, TanStack Form, …) validates commands
 * with the library's own rules. The interface is declared here: no dependency.
 */
import type { Command } from "./command.js";
import { parseCommand } from "./command.js";

/**
 * The Standard Schema v1 interface (declared locally, as the spec invites): a validator is any
 * object with a `~standard` property of this shape.
 *
 * @example
 * ```ts
 * function validateWith<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): T {
 *   const result = schema["~standard"].validate(value);
 *   if (result instanceof Promise) throw new Error("this helper is synchronous");
 *   if (result.issues) throw new Error(result.issues.map((i) => i.message).join("; "));
 *   return result.value;
 * }
 * const command: Command = validateWith(commandSchema, { type: "deleteContact", contactId: "acme" });
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1Props<Input, Output>;
}

/**
 * The `~standard` property of a Standard Schema v1 validator.
 *
 * @example
 * ```ts
 * const props: StandardSchemaV1Props<unknown, Command> = commandSchema["~standard"];
 * props.vendor; // "crm-ownership"
 * ```
 */
export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  /** Validates a value: `{ value }` when it is valid, else `{ issues }`; may be async. */
  readonly validate: (value: unknown) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/**
 * What `validate` returns: the value, or the issues.
 *
 * @example
 * ```ts
 * const result: StandardSchemaV1Result<Command> = commandSchema["~standard"].validate({ type: "deleteContact" });
 * result.issues?.[0]?.path; // ["contactId"]
 * ```
 */
export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaV1Issue[] };

/**
 * One problem with a value: a message, and the path of the field at fault (keys, and indexes
 * of lists).
 *
 * @example
 * ```ts
 * const issue: StandardSchemaV1Issue = { message: "Invalid command: users[0].weight must be …", path: ["users", 0, "weight"] };
 * ```
 */
export interface StandardSchemaV1Issue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/**
 * The type of `commandSchema`: a `StandardSchemaV1<unknown, Command>` whose `validate` is
 * synchronous, so a caller that knows it is this schema need not await.
 *
 * @example
 * ```ts
 * const schema: CommandSchema = commandSchema;
 * const result = schema["~standard"].validate({ type: "deleteContact", contactId: "acme" });
 * if (!result.issues) result.value.type; // "deleteContact"
 * ```
 */
export interface CommandSchema {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: "crm-ownership";
    /** `parseCommand` behind the interface: `{ value }` (the parsed command) or `{ issues }`; synchronous. */
    readonly validate: (value: unknown) => StandardSchemaV1Result<Command>;
    readonly types?: { readonly input: unknown; readonly output: Command } | undefined;
  };
}

/**
 * `parseCommand` as a Standard Schema v1 validator: `validate` returns `{ value }` (the parsed
 * command, a fresh copy) or `{ issues: [{ message, path }] }` with the one problem
 * `parseCommand` reports (its `INVALID_COMMAND` message, and `field` split into a path; a
 * problem with the whole value has the empty path). It is synchronous and never throws.
 *
 * Why: frameworks and form libraries accept any Standard Schema; this lets them validate
 * commands exactly as the library does, with no adapter and no dependency.
 *
 * @example
 * ```ts
 * const result = commandSchema["~standard"].validate({ type: "assignContactOwner", contactId: "acme" });
 * if (result.issues) {
 *   result.issues[0]?.path; // ["ownerId"]
 *   result.issues[0]?.message; // "Invalid command: ownerId must be …"
 * } else {
 *   execute(state, result.value, context);
 * }
 * ```
 */
export const commandSchema: CommandSchema & StandardSchemaV1<unknown, Command> = {
  "~standard": {
    version: 1,
    vendor: "crm-ownership",
    validate(value: unknown): StandardSchemaV1Result<Command> {
      const parsed = parseCommand(value);
      if (parsed.ok) return { value: parsed.command };
      return { issues: [{ message: parsed.error.message, path: pathOf(parsed.error.field) }] };
    },
  },
};

/** `"users[0].weight"` → `["users", 0, "weight"]`; `"(command)"` (the whole value) → `[]`. */
function pathOf(field: string | undefined): readonly PropertyKey[] {
  if (field === undefined || field.startsWith("(")) return [];
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? (m[1] as string) : Number(m[2])));
}
