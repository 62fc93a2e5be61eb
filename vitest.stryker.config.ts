import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The suite Stryker runs once per mutant: every test of the library itself, without the
// store tests (test/stores: real SQLite, PostgreSQL and worker processes) and the demo (they take
// seconds per run). Property tests run a quarter of their usual cases
// (PROPERTY_RUNS_SCALE, overridable), which makes a whole run about three times faster; the
// score is then a lower bound for the full suite.
export default defineConfig({
  // src/testing imports the main entry by the package name (so the built testing entry shares the
  // installed main entry instead of a chunk); here that name is the source.
  resolve: { alias: [{ find: /^crm-ownership$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/stores/**", "test/demo.test.ts", "test/guide-persistence.test.ts"],
    env: { PROPERTY_RUNS_SCALE: process.env["PROPERTY_RUNS_SCALE"] ?? "0.25" },
  },
});
