import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The suite Stryker runs once per mutant: every test of the library itself, without the
// SQLite host's integration tests and the demo (they test examples/ through a real database,
// and take seconds per run). Property tests run a quarter of their usual cases
// (PROPERTY_RUNS_SCALE, overridable), which makes a whole run about three times faster; the
// score is then a lower bound for the full suite.
export default defineConfig({
  // src/testing imports the main entry by the package name (so the built testing entry shares the
  // installed main entry instead of a chunk); here that name is the source.
  resolve: { alias: [{ find: /^crm-ownership$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/sqlite-host*.test.ts", "test/demo.test.ts", "test/guide-persistence.test.ts"],
    env: { PROPERTY_RUNS_SCALE: process.env["PROPERTY_RUNS_SCALE"] ?? "0.25" },
  },
});
