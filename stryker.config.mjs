// Mutation testing: how many deliberate bugs in src/ the test suite catches.
// `npm run mutation` runs all of src/ (see docs/quality.md for the latest score);
// `npm run mutation -- --mutate "src/rules/**/*.ts"` narrows it to some files.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts" },
  mutate: ["src/**/*.ts", "!src/index.ts", "!src/testing/**", "!src/**/*.d.ts"],
  coverageAnalysis: "perTest",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 85, break: null },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
