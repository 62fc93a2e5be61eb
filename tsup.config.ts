import { defineConfig } from "tsup";

export default defineConfig({
  // `testing` is the `crm-ownership/testing` subpath: fast-check arbitraries and the invariant
  // checker for property tests. fast-check is an optional peer dependency and stays external.
  // `sqlite` and `postgres` are the official stores; they take the application's driver object
  // and import none.
  entry: { index: "src/index.ts", testing: "src/testing/index.ts", sqlite: "src/stores/sqlite/index.ts", postgres: "src/stores/postgres/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  // CJS too: both entries share one copy of the engine (one InvalidSnapshotError class, one
  // immer instance), as the ESM build does.
  splitting: true,
  // immer is bundled, as its production build: its ES module reads `process.env.NODE_ENV` when
  // it loads, which crashes a browser or edge runtime that loads ES modules without a bundler.
  // The library uses its own immer instance anyway, so sharing the host's copy buys nothing.
  noExternal: ["immer"],
  external: ["fast-check"],
  define: { "process.env.NODE_ENV": '"production"' },
});
