/**
 * Every command, and `parseCommand`, which turns untrusted JSON into one of them.
 */
import { errors, type CrmError } from "../errors.js";
import { type JsonSchema, objectSchema, readObject, type Shape, type ShapeOf } from "../model/fields.js";
import { CONTEXT_FIELDS, metaShape } from "./meta.js";
import type { Context, Refusal } from "../kernel/context.js";
import { reconciling, watchOwnership } from "../rules/follows.js";
import type { WhoMayRun } from "../rules/permissions.js";
import {
  decideRecoupleGroups,
  decideUpdateSettings,
  recoupleGroupsShape,
  updateSettingsShape,
  type RecoupleGroups,
  type UpdateSettings,
} from "./settings.js";
import {
  assignContactOwnerShape,
  createContactShape,
  decideAssignContactOwner,
  decideCreateContact,
  decideDeleteContact,
  deleteContactShape,
  type AssignContactOwner,
  type CreateContact,
  type DeleteContact,
} from "./contacts.js";
import {
  assignOpportunityOwnerShape,
  createOpportunityShape,
  decideAssignOpportunityOwner,
  decideCreateOpportunity,
  decideDeleteOpportunity,
  decideSetOpportunityStatus,
  deleteOpportunityShape,
  setOpportunityStatusShape,
  type AssignOpportunityOwner,
  type CreateOpportunity,
  type DeleteOpportunity,
  type SetOpportunityStatus,
} from "./opportunities.js";
import { decideAddFollower, decideRemoveFollower, followerShape, type AddFollower, type RemoveFollower } from "./followers.js";
import {
  addOpportunityOwnerShape,
  assignUserShape,
  checkAddOpportunityOwner,
  decideAddOpportunityOwner,
  decideAssignUser,
  decideRemoveAssignedUser,
  decideRemoveOpportunityOwner,
  removeAssignedUserShape,
  removeOpportunityOwnerShape,
  type AddOpportunityOwner,
  type AssignUser,
  type RemoveAssignedUser,
  type RemoveOpportunityOwner,
} from "./automation.js";
import {
  deactivateUserShape,
  decideDeactivateUser,
  decideReactivateUser,
  decideTransferOwnership,
  reactivateUserShape,
  transferOwnershipShape,
  type DeactivateUser,
  type ReactivateUser,
  type TransferOwnership,
} from "./users.js";

/**
 * Every command the library takes. `switch (command.type)` over it is exhaustive.
 *
 * @example
 * ```ts
 * const commands: Command[] = [
 *   { type: "createContact", contactId: "acme", ownerId: "ana" },
 *   { type: "createOpportunity", opportunityId: "deal-1", contactId: "acme" },
 *   { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben", commandId: "cmd-7" },
 * ];
 * const describe = (command: Command): string => {
 *   switch (command.type) {
 *     case "createContact":
 *       return `new contact ${command.contactId}`;
 *     default:
 *       return command.type;
 *   }
 * };
 * commands.map(describe);
 * ```
 */
export type Command =
  | UpdateSettings
  | CreateContact
  | CreateOpportunity
  | AssignContactOwner
  | AssignOpportunityOwner
  | AddFollower
  | RemoveFollower
  | SetOpportunityStatus
  | DeleteContact
  | DeleteOpportunity
  | AssignUser
  | AddOpportunityOwner
  | RemoveOpportunityOwner
  | RemoveAssignedUser
  | TransferOwnership
  | DeactivateUser
  | ReactivateUser
  | RecoupleGroups;

/**
 * The `type` of every command.
 *
 * @example
 * ```ts
 * const allowedFromTheUi: readonly CommandType[] = ["assignContactOwner", "assignOpportunityOwner", "addFollower", "removeFollower"];
 * ```
 */
export type CommandType = Command["type"];

type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

interface Definition<T extends CommandType> {
  readonly shape: { readonly [key: string]: import("../model/fields.js").Field<unknown> };
  /** Who may run it at all (rules/permissions.ts); the records it changes are checked as it runs. */
  readonly who: WhoMayRun;
  readonly decide: (ctx: Context, command: CommandOf<T>) => Refusal;
  /** Rules across fields, after each field parsed. */
  readonly check?: (command: CommandOf<T>) => Refusal;
}

const define = <T extends CommandType, S extends Definition<T>["shape"]>(
  shape: S & (ShapeOf<S> extends Omit<CommandOf<T>, "type" | keyof typeof metaShape> ? unknown : never),
  who: WhoMayRun,
  decide: Definition<T>["decide"],
  check?: Definition<T>["check"],
): Definition<T> => (check ? { shape, who, decide, check } : { shape, who, decide });

/**
 * One definition per command: its fields, who may run it, and its decide. Adding a command
 * starts here; the mapped type makes a command without a definition (and so without `who`) a
 * compile error (docs/contributing.md).
 */
const DEFINITIONS: { readonly [T in CommandType]: Definition<T> } = {
  updateSettings: define(updateSettingsShape, "admin", decideUpdateSettings),
  createContact: define(createContactShape, "any user", decideCreateContact),
  createOpportunity: define(createOpportunityShape, "any user", decideCreateOpportunity),
  assignContactOwner: define(assignContactOwnerShape, "any user", decideAssignContactOwner),
  assignOpportunityOwner: define(assignOpportunityOwnerShape, "any user", decideAssignOpportunityOwner),
  addFollower: define(followerShape, "any user", decideAddFollower),
  removeFollower: define(followerShape, "any user", decideRemoveFollower),
  setOpportunityStatus: define(setOpportunityStatusShape, "any user", decideSetOpportunityStatus),
  deleteContact: define(deleteContactShape, "any user", decideDeleteContact),
  deleteOpportunity: define(deleteOpportunityShape, "any user", decideDeleteOpportunity),
  assignUser: define(assignUserShape, "any user", decideAssignUser),
  addOpportunityOwner: define(addOpportunityOwnerShape, "any user", decideAddOpportunityOwner, checkAddOpportunityOwner),
  removeOpportunityOwner: define(removeOpportunityOwnerShape, "any user", decideRemoveOpportunityOwner),
  removeAssignedUser: define(removeAssignedUserShape, "any user", decideRemoveAssignedUser),
  transferOwnership: define(transferOwnershipShape, "admin", decideTransferOwnership),
  deactivateUser: define(deactivateUserShape, "admin", decideDeactivateUser),
  reactivateUser: define(reactivateUserShape, "admin", decideReactivateUser),
  // Admin-only: it does what turning the setting off does, for some groups.
  recoupleGroups: define(recoupleGroupsShape, "admin", decideRecoupleGroups),
};

/** Who may run a command of this type at all. @internal */
export const whoMayRun = (type: CommandType): WhoMayRun => DEFINITIONS[type].who;

/**
 * Every command type, records commands first, then the workflow actions and bulk moves.
 *
 * @example
 * ```ts
 * COMMAND_TYPES.includes("assignUser"); // true
 * COMMAND_TYPES.length; // one entry per command
 * ```
 */
export const COMMAND_TYPES = Object.freeze(Object.keys(DEFINITIONS) as CommandType[]);

const isCommandType = (value: unknown): value is CommandType =>
  typeof value === "string" && Object.hasOwn(DEFINITIONS, value);

/**
 * The outcome of `parseCommand`.
 *
 * @example
 * ```ts
 * const parsed: ParseResult = parseCommand({ type: "deleteContact", contactId: 42 });
 * if (!parsed.ok) parsed.error.field; // "contactId"
 * ```
 */
export type ParseResult = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: CrmError };

const TYPE_FIELD = new Set(["type"]);

/** Each command type's full shape, meta fields included, built once (as eventShape.ts does for events). */
const FULL_SHAPES = Object.fromEntries(COMMAND_TYPES.map((type): [CommandType, Shape] => [type, { ...metaShape, ...DEFINITIONS[type].shape }])) as {
  readonly [T in CommandType]: Shape;
};

/**
 * Reads a command from untrusted input (parsed JSON, a queue message, a form). Never throws:
 * anything that is not a valid command gives `INVALID_COMMAND` with the field at fault. The
 * command returned is a fresh copy; the input is never kept or changed.
 *
 * @example
 * ```ts
 * declare const session: { userId: string };
 * function handle(body: string) {
 *   const parsed = parseCommand(JSON.parse(body));
 *   if (!parsed.ok) return { status: 400, error: parsed.error }; // { code: "INVALID_COMMAND", field: "ownerId", … }
 *   // The actor comes from your authenticated session, never from the body.
 *   return { status: 200, result: execute(state, parsed.command, { actor: { userId: session.userId } }) };
 * }
 * ```
 */
export function parseCommand(input: unknown): ParseResult {
  try {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return { ok: false, error: errors.invalid("(command)", "an object with a \"type\"") };
    }
    const type: unknown = Object.hasOwn(input, "type") ? (input as { type: unknown }).type : undefined;
    if (!isCommandType(type)) {
      return { ok: false, error: errors.invalid("type", `one of ${COMMAND_TYPES.map((t) => `"${t}"`).join(", ")}`) };
    }
    for (const field of CONTEXT_FIELDS) {
      if (Object.hasOwn(input, field)) {
        return { ok: false, error: errors.invalid(field, "absent: who acts and when come from the host's context (execute's third argument), never from the command body") };
      }
    }
    const definition = DEFINITIONS[type] as Definition<CommandType>;
    const parsed = readObject(input, FULL_SHAPES[type], "", { allowed: TYPE_FIELD });
    if (!parsed.ok) return parsed;
    const command = { type, ...parsed.value } as Command;
    const refusal = definition.check?.(command as never);
    return refusal ? { ok: false, error: refusal } : { ok: true, command };
  } catch {
    // A getter that throws, a revoked proxy: hostile input is refused, never rethrown.
    return { ok: false, error: errors.invalid("(command)", "plain JSON data (reading it threw)") };
  }
}

/**
 * Runs the decide of a parsed command, then the follower rules once over every group whose
 * ownership it changed (docs/rules.md §5): a command's decide only changes
 * owners, and the watch sees each change before it is applied. @internal
 */
export function decideCommand(ctx: Context, command: Command): Refusal {
  const decide = (DEFINITIONS[command.type] as Definition<CommandType>).decide;
  // No subsetting acts (coupled owners, or both off), or the command never changes who owns
  // what: nothing to watch. (updateSettings and recoupleGroups change owners only by
  // re-coupling, which ends the automatic follows of the groups it couples itself, and coupled
  // groups give no reason to add one.) A command missing from the list is watched: the safe default.
  if (!reconciling(ctx.s) || OWNERSHIP_UNCHANGED.has(command.type)) return decide(ctx, command as never);
  const watch = watchOwnership(ctx.s, groupField(command));
  ctx.observer = watch.see;
  const refusal = decide(ctx, command as never);
  ctx.observer = undefined;
  return refusal ?? watch.reconcile(ctx);
}

const OWNERSHIP_UNCHANGED: ReadonlySet<CommandType> = new Set<CommandType>(["addFollower", "removeFollower", "setOpportunityStatus", "createContact", "reactivateUser", "updateSettings", "recoupleGroups"]);

/** The field an INCOMPLETE_SNAPSHOT of a group the command changes names: the record or user it names. */
function groupField(command: Command): string {
  for (const field of ["contactId", "opportunityId", "fromUserId", "userId", "contactIds"] as const) {
    if (field in command) return field;
  }
  return "(command)";
}

/**
 * The JSON Schema of every command, generated from the same definitions `parseCommand` uses.
 *
 * @example
 * ```ts
 * const schemas = commandSchemas();
 * schemas.assignContactOwner["required"]; // ["type", "contactId", "ownerId"]
 * // One JSON Schema (draft 2020-12) per command, for an API gateway or a host in another language:
 * const anyCommand = { oneOf: COMMAND_TYPES.map((type) => schemas[type]) };
 * ```
 */
export function commandSchemas(): { readonly [T in CommandType]: JsonSchema } {
  const out = {} as Record<CommandType, JsonSchema>;
  for (const type of COMMAND_TYPES) {
    out[type] = objectSchema(FULL_SHAPES[type], { type: { const: type } });
    (out[type] as { required: string[] }).required.unshift("type");
  }
  return out;
}
