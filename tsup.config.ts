import { copyFile, mkdir } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  // `testing` is the `crm-ownership/testing` subpath: fast-check arbitraries and the invariant
  // checker for property tests. fast-check is an optional peer dependency and stays external.
  // `sqlite` and `postgres` are the official stores; they take the application's driver object
  // and import none.
  entry: { index: "src/index.ts", testing: "src/testing/index.ts", sqlite: "src/stores/sqlite/index.ts", postgres: "src/stores/postgres/index.ts" },
  format: ["esm", "cjs"],
  // stripInternal: what is tagged @internal (CrmState's tables, helpers) is not in the published
  // types, so editors do not offer it; typedoc leaves it out too.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  // No shared chunks: src/testing imports the engine by the package name, which stays external
  // (below), so dist/testing.* import "crm-ownership" and both entries share the installed main
  // entry (one InvalidSnapshotError class, one immer instance) in ESM and CJS alike. Every file
  // in dist/ is then named after its entry, and go-to-definition lands on index.d.ts, never on a
  // hashed chunk.
  splitting: false,
  // immer is bundled, as its production build: its ES module reads `process.env.NODE_ENV` when
  // it loads, which crashes a browser or edge runtime that loads ES modules without a bundler.
  // The library uses its own immer instance anyway, so sharing the host's copy buys nothing.
  noExternal: ["immer"],
  external: ["fast-check", "crm-ownership"],
  define: { "process.env.NODE_ENV": '"production"' },
  // The JSON Schemas as `crm-ownership/schemas/<name>.json`: real files at that path (not only an
  // exports entry), so that node10 resolution (no exports map) finds them too. Copied from
  // docs/schemas/, which `npm run schemas` writes.
  async onSuccess() {
    await mkdir("schemas", { recursive: true });
    for (const name of ["commands", "events", "records"]) await copyFile(`docs/schemas/${name}.schema.json`, `schemas/${name}.json`);
  },
});
