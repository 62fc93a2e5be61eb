/**
 * crm-ownership/testing: a property-testing kit for hosts of crm-ownership, built on fast-check
 * (an optional peer dependency: install it to use this entry).
 *
 * Arbitraries for snapshots (`arbRecords`, `arbState`), commands (`arbCommand`,
 * `arbCommandSequence`, `arbScenario`) and payloads that are not commands
 * (`arbInvalidCommand`); checks for invariants (`assertInvariants`), for running sequences as a
 * host does (`runSequence`) and for comparing snapshots (`assertSameRecords`). The library's own
 * property tests use these same arbitraries. Everything here uses the public API only.
 * @packageDocumentation
 * @module crm-ownership/testing
 */
export { HOSTILE_IDS } from "./ids.js";
export { arbRecords, arbState, type RecordsOptions, type SettingsMode } from "./records.js";
export { arbCommand, arbContext, type CommandOptions, type ContextOptions, type Source } from "./commands.js";
export { arbCommandSequence, arbScenario, type Scenario, type SequenceOptions } from "./sequences.js";
export { arbInvalidCommand, type InvalidOptions } from "./invalid.js";
export {
  assertInvariants,
  assertSameRecords,
  InvariantsBrokenError,
  runSequence,
  TEST_CONTEXT,
  type RunOptions,
  type AsyncRunOptions,
  type SequenceRun,
  type SameRecordsOptions,
  type Step,
} from "./check.js";
