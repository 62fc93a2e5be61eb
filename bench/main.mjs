/**
 * The entry of `npm run bench`: bundles bench/run.ts, with the library's src/, the way tsup
 * builds the package (esbuild, ES2022, no `keepNames`), into node_modules/.cache, then runs it.
 *
 * Why not tsx: tsx compiles with esbuild's `keepNames`, which wraps every function created at
 * run time in a `__name(…)` call (an `Object.defineProperty`); that slows both the library's and
 * the floor's closures, and no user runs that code. Why not dist/: `npm run build` cleans dist/,
 * which other tools may be reading; `--dist` measures dist/index.js as it is, after a build.
 */
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
// `bench/main.mjs immer …` runs bench/immer.ts instead of bench/run.ts.
const entry = process.argv[2] === "immer" ? "immer" : "run";
const outfile = join(root, "node_modules", ".cache", "crm-ownership-bench", `${entry}.mjs`);
await build({
  entryPoints: [join(root, "bench", `${entry}.ts`)],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  sourcemap: "linked",
  external: ["tinybench", "esbuild"],
  // As in dist/: immer bundled as its production build.
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});
process.env["CRM_BENCH_ROOT"] = root;
await import(pathToFileURL(outfile).href);
