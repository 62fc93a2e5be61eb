import { defineConfig } from "tsup";

export default defineConfig({
  // `testing` is the `crm-ownership/testing` subpath: fast-check arbitraries and the invariant
  // checker for property tests. fast-check is an optional peer dependency and stays external.
  entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  // CJS too: both entries share one copy of the engine (one InvalidSnapshotError class), as the
  // ESM build does.
  splitting: true,
  external: ["fast-check"],
  define: { "process.env.NODE_ENV": '"production"' },
});
