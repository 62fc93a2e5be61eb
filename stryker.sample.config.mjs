// The mutation run CI affords (a few minutes): the rules at the heart of the spec — who owns a
// record when an owner changes, and who follows it — with the full run's test suite. It fails
// below a score of 85. `npm run mutation` runs every file of src/ (about an hour on two cores).
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ["src/rules/owners.ts", "src/rules/follows.ts"],
  reporters: ["clear-text", "progress"],
  thresholds: { ...base.thresholds, break: 85 },
};
