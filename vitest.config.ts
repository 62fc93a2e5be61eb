import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // src/testing imports the main entry by the package name (so the built testing entry shares the
  // installed main entry instead of a chunk); here that name is the source.
  resolve: { alias: [{ find: /^crm-ownership$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    // A throwaway PostgreSQL server for the store tests (scripts/pg-server.ts).
    globalSetup: ["test/stores/globalSetup.ts"],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
