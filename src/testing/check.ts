/** Checks for property tests: invariants, running a sequence, comparing snapshots. */
import { checkInvariants, execute, toRecords, type Command, type CommandContext, type CrmState, type ExecuteResult, type InvariantViolation } from "crm-ownership";

/**
 * The error `assertInvariants` throws: the message lists every violation, and so does `violations`.
 *
 * @example
 * ```ts
 * import { createState } from "crm-ownership";
 * import { assertInvariants, InvariantsBrokenError } from "crm-ownership/testing";
 *
 * // Legacy data: owners are coupled but the group is split.
 * const legacy = createState({
 *   users: [{ id: "ana" }, { id: "ben" }],
 *   contacts: [{ id: "acme", ownerId: "ana" }],
 *   opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ben" }],
 * });
 * try {
 *   assertInvariants(legacy, "after import");
 * } catch (error) {
 *   if (error instanceof InvariantsBrokenError) error.violations.map((v) => v.rule); // ["owners-coupled"]
 * }
 * ```
 */
export class InvariantsBrokenError extends Error {
  override readonly name = "InvariantsBrokenError";
  /** What `checkInvariants` returned. */
  readonly violations: readonly InvariantViolation[];
  constructor(violations: readonly InvariantViolation[], context?: string) {
    super(
      `${context === undefined ? "" : `${context}: `}the snapshot breaks ${violations.length} invariant${violations.length === 1 ? "" : "s"}:\n` +
        violations.map((v) => `- [${v.rule}] ${v.message}`).join("\n"),
    );
    this.violations = violations;
  }
}

/**
 * Throws an `InvariantsBrokenError` listing every rule of docs/rules.md §15 the snapshot breaks (what
 * `checkInvariants` returns); returns nothing when it is sound.
 *
 * Why: inside `fc.property` a throw fails the run and fast-check shrinks to the smallest case,
 * with the broken rules in the message.
 *
 * @example
 * ```ts
 * import { createState } from "crm-ownership";
 * import { assertInvariants } from "crm-ownership/testing";
 *
 * assertInvariants(createState({ users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] }));
 * ```
 */
export function assertInvariants(state: CrmState, context?: string): void {
  const violations = checkInvariants(state);
  if (violations.length > 0) throw new InvariantsBrokenError(violations, context);
}

/**
 * One command of `runSequence`: the snapshot it ran on, the command, and its result.
 *
 * @example
 * ```ts
 * import { createState } from "crm-ownership";
 * import { runSequence, type Step } from "crm-ownership/testing";
 *
 * const state = createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
 * const { steps } = runSequence(state, [
 *   { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
 *   { type: "deleteContact", contactId: "nobody" },
 * ]);
 * steps.map((step: Step) => (step.result.ok ? "accepted" : step.result.error.code)); // ["accepted", "CONTACT_NOT_FOUND"]
 * ```
 */
export interface Step {
  readonly index: number;
  readonly before: CrmState;
  readonly command: Command;
  /** The context the command ran with. */
  readonly context: CommandContext;
  readonly result: ExecuteResult;
}

/**
 * Options of `runSequence`.
 *
 * @example
 * ```ts
 * import { createState } from "crm-ownership";
 * import { runSequence, type RunOptions } from "crm-ownership/testing";
 *
 * const rejected: string[] = [];
 * const options: RunOptions = {
 *   checkInvariants: true,
 *   onStep: (step) => {
 *     if (!step.result.ok) rejected.push(step.result.error.code);
 *   },
 * };
 * runSequence(createState({ users: [], contacts: [], opportunities: [] }), [{ type: "removeAssignedUser", contactId: "acme" }], options);
 * rejected; // ["CONTACT_NOT_FOUND"]
 * ```
 */
export interface RunOptions {
  /**
   * Who runs the commands: one context for all, or `context[i]` for `commands[i]` (as
   * `arbScenario` draws them). Default: the trusted system actor `TEST_CONTEXT`.
   */
  readonly context?: CommandContext | readonly CommandContext[] | undefined;
  /**
   * Called after each command, accepted or not: persist, compare, assert there (default:
   * nothing). It may be async: when it returns a promise, `runSequence` waits for it before the
   * next command and returns a promise itself.
   */
  readonly onStep?: ((step: Step) => void) | undefined;
  /** Assert the invariants after every accepted command (default `true`). */
  readonly checkInvariants?: boolean | undefined;
}

/**
 * `RunOptions` with an async `onStep`, for a host whose storage is async (PostgreSQL, an HTTP
 * service): `runSequence` then returns a promise.
 *
 * @example
 * ```ts
 * import { changedRecords, createState, type RecordChanges } from "crm-ownership";
 * import { runSequence, type AsyncRunOptions } from "crm-ownership/testing";
 *
 * declare const db: { write(changes: RecordChanges): Promise<void> };
 * const options: AsyncRunOptions = {
 *   onStep: async ({ before, result }) => {
 *     if (result.ok) await db.write(changedRecords(before, result));
 *   },
 * };
 * const state = createState({ users: [{ id: "ana" }], contacts: [], opportunities: [] });
 * const { steps } = await runSequence(state, [{ type: "createContact", contactId: "acme", ownerId: "ana" }], options);
 * ```
 */
export interface AsyncRunOptions extends RunOptions {
  readonly onStep: (step: Step) => PromiseLike<void>;
}

/**
 * What `runSequence` returns: the last snapshot and every step.
 *
 * @example
 * ```ts
 * import { createState } from "crm-ownership";
 * import { runSequence, type SequenceRun } from "crm-ownership/testing";
 *
 * const run: SequenceRun = runSequence(createState({ users: [], contacts: [], opportunities: [] }), [{ type: "createContact", contactId: "acme" }]);
 * run.state.version; // 1
 * run.steps.length; // 1
 * ```
 */
export interface SequenceRun {
  readonly state: CrmState;
  readonly steps: Step[];
}

/**
 * Runs commands one by one with `execute`, as a host does: a rejected command is skipped, an
 * accepted one becomes the next snapshot. After every accepted command it asserts the
 * invariants (docs/rules.md §15), and it hands each step to `onStep`, where a host checks its own code.
 *
 * `onStep` may be async (a host on PostgreSQL awaits its writes and reads): when it returns a
 * promise, the next command waits for it, and `runSequence` returns a promise of the run (an
 * `async` `onStep` types it so). A synchronous `onStep` keeps the whole run synchronous.
 *
 * Why: the loop every property over command sequences needs, written once; `onStep` is where
 * a host tests its persistence against the library's snapshots.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { changedRecords, createState, type CrmRecordsInit, type RecordChanges } from "crm-ownership";
 * import { arbScenario, assertSameRecords, runSequence } from "crm-ownership/testing";
 *
 * // The host's own persistence, under test: async, as a database driver is.
 * declare function openTestDatabase(records: CrmRecordsInit): Promise<{
 *   write(changes: RecordChanges): Promise<void>;
 *   load(): Promise<CrmRecordsInit>;
 * }>;
 *
 * await fc.assert(
 *   fc.asyncProperty(arbScenario(), async ({ records, commands, contexts }) => {
 *     const db = await openTestDatabase(records);
 *     await runSequence(createState(records), commands, {
 *       context: contexts,
 *       onStep: async ({ before, result }) => {
 *         if (!result.ok) return;
 *         await db.write(changedRecords(before, result));
 *         assertSameRecords(createState(await db.load()), result.state, { ignoreOrder: true });
 *       },
 *     });
 *   }),
 *   { numRuns: 50 },
 * );
 * ```
 */
export function runSequence(state: CrmState, commands: readonly Command[], options: AsyncRunOptions): Promise<SequenceRun>;
export function runSequence(state: CrmState, commands: readonly Command[], options?: RunOptions): SequenceRun;
export function runSequence(state: CrmState, commands: readonly Command[], options: RunOptions = {}): SequenceRun | Promise<SequenceRun> {
  const steps: Step[] = [];
  let current = state;
  // One command: execute, check, hand over; returns what onStep returned.
  const advance = (index: number): unknown => {
    const command = commands[index] as Command;
    const context = contextAt(options.context, index);
    const result = execute(current, command, context);
    const step: Step = { index, before: current, command, context, result };
    steps.push(step);
    if (result.ok) {
      if (options.checkInvariants !== false) assertInvariants(result.state, `after command ${index} (${describe(command)})`);
      current = result.state;
    }
    return options.onStep?.(step);
  };
  const finish = (): SequenceRun => ({ state: current, steps });
  // The rest of the run, once a step has returned a promise: every later step is awaited.
  const continueAsync = async (pending: PromiseLike<unknown>, from: number): Promise<SequenceRun> => {
    await pending;
    for (let index = from; index < commands.length; index++) await advance(index);
    return finish();
  };
  for (let index = 0; index < commands.length; index++) {
    const returned = advance(index);
    if (isThenable(returned)) return continueAsync(returned, index + 1);
  }
  // An async onStep that never ran (no commands) still gets the promise its type promises.
  return isAsyncFunction(options.onStep) ? Promise.resolve(finish()) : finish();
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";

const isAsyncFunction = (value: unknown): boolean => typeof value === "function" && value.constructor?.name === "AsyncFunction";

/**
 * The context `runSequence` gives commands when none is set: a trusted system actor.
 *
 * @example
 * ```ts
 * import { createState, execute } from "crm-ownership";
 * import { TEST_CONTEXT } from "crm-ownership/testing";
 *
 * execute(createState({ users: [], contacts: [], opportunities: [] }), { type: "createContact", contactId: "acme" }, TEST_CONTEXT);
 * ```
 */
export const TEST_CONTEXT: CommandContext = Object.freeze({ actor: Object.freeze({ system: "crm-ownership/testing" }) });

function contextAt(context: RunOptions["context"], index: number): CommandContext {
  if (context === undefined) return TEST_CONTEXT;
  if (isContextList(context)) return context[index] ?? TEST_CONTEXT;
  return context;
}

const isContextList = (value: CommandContext | readonly CommandContext[]): value is readonly CommandContext[] => Array.isArray(value);

function describe(command: unknown): string {
  try {
    return typeof command === "object" && command !== null && typeof (command as { type?: unknown }).type === "string"
      ? String((command as { type: string }).type)
      : typeof command;
  } catch {
    return "unreadable command";
  }
}

/**
 * Options of `assertSameRecords`.
 *
 * @example
 * ```ts
 * import { createState } from "crm-ownership";
 * import { assertSameRecords, type SameRecordsOptions } from "crm-ownership/testing";
 *
 * const a = createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [], opportunities: [] });
 * const b = createState({ users: [{ id: "ben" }, { id: "ana" }], contacts: [], opportunities: [] }); // rows in another order
 * const options: SameRecordsOptions = { ignoreOrder: true };
 * assertSameRecords(b, a, options); // passes; without ignoreOrder it throws
 * ```
 */
export interface SameRecordsOptions {
  /**
   * Compare users, contacts, opportunities and rotations as sets by id, not in order (a
   * database may return rows in any order). Each contact's `opportunityIds` keep their order
   * either way: the contact's order is part of the data. Default `false`.
   */
  readonly ignoreOrder?: boolean | undefined;
}

/**
 * Throws when two snapshots hold different records (`toRecords` of each, compared as JSON),
 * naming the first difference; returns nothing when they are the same.
 *
 * Why: a host that writes snapshots to its own storage and reads them back checks with this
 * that nothing was lost or changed on the way.
 *
 * @example
 * ```ts
 * import { createState, toRecords } from "crm-ownership";
 * import { assertSameRecords } from "crm-ownership/testing";
 *
 * const state = createState({ users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
 * assertSameRecords(createState(JSON.parse(JSON.stringify(toRecords(state)))), state);
 * ```
 */
export function assertSameRecords(actual: CrmState, expected: CrmState, options: SameRecordsOptions = {}): void {
  const a = canonical(actual, options.ignoreOrder === true);
  const b = canonical(expected, options.ignoreOrder === true);
  for (const key of Object.keys(b) as (keyof typeof b)[]) {
    const left = JSON.stringify(a[key]);
    const right = JSON.stringify(b[key]);
    if (left !== right) throw new Error(`The snapshots differ in ${key}:\n  actual:   ${left}\n  expected: ${right}`);
  }
}

function canonical(state: CrmState, ignoreOrder: boolean) {
  const records = toRecords(state);
  const byId = <T extends { readonly id: string }>(list: readonly T[]): readonly T[] =>
    ignoreOrder ? [...list].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)) : list;
  // Key order fixed, so two equal records print the same whatever built them.
  return {
    version: records.version,
    settings: sortKeys(records.settings),
    users: byId(records.users).map(sortKeys),
    contacts: byId(records.contacts).map((c) => sortKeys({ ...c, followers: c.followers.map(sortKeys) })),
    opportunities: byId(records.opportunities).map((o) => sortKeys({ ...o, followers: o.followers.map(sortKeys) })),
    rotations: byId(records.rotations).map(sortKeys),
  };
}

function sortKeys<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = (value as Record<string, unknown>)[key];
  return out as T;
}
