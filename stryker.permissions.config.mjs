// Authorisation alone: who may run a command, which records a scoped user may name, and the
// check of every change as it is made. Issue 10 asks for a score of at least 90 here; CI does
// not run it (`npm run mutation:permissions`, a few minutes).
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ["src/rules/permissions.ts", "src/model/access.ts", "src/commands/commandContext.ts"],
  reporters: ["clear-text", "progress"],
  thresholds: { ...base.thresholds, break: 90 },
};
