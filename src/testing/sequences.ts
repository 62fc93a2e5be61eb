/**
 * Arbitraries for command sequences and scenarios: valid commands (commands.ts) with, on request,
 * invalid payloads (invalid.ts) among them. Kept apart from commands.ts so that the two files do
 * not import each other.
 */
import fc from "fast-check";
import type { Command, CommandContext, CrmRecordsInit } from "crm-ownership";
import { arbCommand, arbContext, type CommandOptions, type ContextOptions, type Source } from "./commands.js";
import { arbInvalidCommand } from "./invalid.js";
import { arbRecords, type RecordsOptions } from "./records.js";

/**
 * Options of `arbCommandSequence`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { arbCommandSequence, type SequenceOptions } from "crm-ownership/testing";
 *
 * // Up to 20 commands, one in ten an invalid payload a host might pass unchecked.
 * const options: SequenceOptions = { maxLength: 20, invalidRate: 0.1 };
 * const records = { users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] };
 * fc.sample(arbCommandSequence(records, options), 2);
 * ```
 */
export interface SequenceOptions extends CommandOptions, ContextOptions {
  /** Fewest commands (default 0). */
  readonly minLength?: number | undefined;
  /** Most commands (default 8). */
  readonly maxLength?: number | undefined;
  /**
   * How often an item is an invalid payload from `arbInvalidCommand` instead, from 0 to 1
   * (default 0). They are typed `Command`, as a host passing unchecked data would pass them.
   */
  readonly invalidRate?: number | undefined;
}

/**
 * A list of commands for one snapshot (see `arbCommand`), each drawing ids from the snapshot and
 * the same pools, so later commands act on records that earlier ones created. With
 * `invalidRate`, some items are invalid payloads (`arbInvalidCommand`) typed as `Command`.
 *
 * Why: most bugs need several commands in a row (create, reassign, turn a setting off…).
 * The contexts to run them with come from `arbContext` (or `arbScenario`, which draws both).
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { createState, executeAll } from "crm-ownership";
 * import { arbCommandSequence, arbRecords } from "crm-ownership/testing";
 *
 * fc.assert(
 *   fc.property(
 *     arbRecords().chain((records) => fc.tuple(fc.constant(records), arbCommandSequence(records, { maxLength: 5 }))),
 *     ([records, commands]) => {
 *       executeAll(createState(records), commands, { actor: { system: "test" } }); // never throws
 *     },
 *   ),
 * );
 * ```
 */
export function arbCommandSequence(source: Source, options: SequenceOptions = {}): fc.Arbitrary<Command[]> {
  const invalidRate = Math.max(0, Math.min(1, options.invalidRate ?? 0));
  const valid = arbCommand(source, options);
  const item: fc.Arbitrary<Command> =
    invalidRate === 0
      ? valid
      : fc.oneof(
          { weight: Math.round((1 - invalidRate) * 100), arbitrary: valid },
          { weight: Math.round(invalidRate * 100), arbitrary: arbInvalidCommand(source) as fc.Arbitrary<unknown> as fc.Arbitrary<Command> },
        );
  return fc.array(item, { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 8 });
}

/**
 * A snapshot and commands for it: what most properties need.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { checkInvariants, createState, executeAll } from "crm-ownership";
 * import { arbScenario, type Scenario } from "crm-ownership/testing";
 *
 * fc.assert(
 *   fc.property(arbScenario(), (scenario: Scenario) => {
 *     const result = executeAll(createState(scenario.records), scenario.commands, { actor: { system: "test" } });
 *     return !result.ok || checkInvariants(result.state).length === 0; // all or none, and sound
 *   }),
 * );
 * ```
 */
export interface Scenario {
  readonly records: CrmRecordsInit;
  readonly commands: Command[];
  /** Who runs each command: `contexts[i]` for `commands[i]`. */
  readonly contexts: CommandContext[];
}

/**
 * A sound snapshot (`arbRecords`) together with a command sequence for it
 * (`arbCommandSequence`), in one arbitrary.
 *
 * Why: a host's own property test needs both, and the commands must know the snapshot's ids.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { createState } from "crm-ownership";
 * import { arbScenario, runSequence } from "crm-ownership/testing";
 *
 * fc.assert(
 *   fc.property(arbScenario({ settings: "separate" }, { maxLength: 6 }), ({ records, commands, contexts }) => {
 *     runSequence(createState(records), commands, { context: contexts }); // throws if an invariant breaks
 *   }),
 * );
 * ```
 */
export function arbScenario(records: RecordsOptions = {}, commands: SequenceOptions = {}): fc.Arbitrary<Scenario> {
  return arbRecords(records).chain((init) =>
    arbCommandSequence(init, commands).chain((list) =>
      fc.array(arbContext(init, commands), { minLength: list.length, maxLength: list.length }).map((contexts) => ({ records: init, commands: list, contexts })),
    ),
  );
}
