import { defineConfig } from "vitest/config";

// The suite Stryker runs once per mutant: the library's example and property tests, without the
// slow integration, packaging and fuzzing tests, which kill no mutant the others miss.
// Property tests run a quarter of their usual cases (PROPERTY_RUNS_SCALE, overridable), which
// makes a whole run about three times faster; the score is then a lower bound for the full suite.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/sqlite-host*.test.ts", "test/schemas.test.ts", "test/**/hostile*.test.ts", "test/demo.test.ts"],
    env: { PROPERTY_RUNS_SCALE: process.env["PROPERTY_RUNS_SCALE"] ?? "0.25" },
  },
});
