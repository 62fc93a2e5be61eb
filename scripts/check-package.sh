#!/usr/bin/env bash
# The package as users get it: lint the manifest, check the types under every resolution, keep the
# bundle small, list what `npm publish` would upload, then install the tarball into fresh consumer
# projects (scripts/consumer-smoke.mjs). Run with `npm run check:package`; CI runs it after tests.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d "${TMPDIR:-/tmp}/crm-ownership-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "-- build"
npm run --silent build >/dev/null

echo "-- publint (strict: a warning fails)"
npx --no-install publint --strict

echo "-- npm pack"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "$tarball"

echo "-- arethetypeswrong: node10, node16 (CJS and ESM), bundler; any problem fails"
npx --no-install attw "$tarball" --format table-flipped

echo "-- size-limit (main entry, minified + gzipped)"
npx --no-install size-limit

echo "-- npm publish --dry-run: only dist/, docs, the custom store example and metadata"
npm publish --dry-run --json >"$work/publish.json" 2>"$work/publish.err"
# Without credentials npm always warns that a real publish needs a login; any other warning fails.
if grep -E "npm (warn|WARN|error|ERR)" "$work/publish.err" | grep -v "requires you to be logged in"; then
  echo "npm publish --dry-run warned (above)" >&2
  exit 1
fi
node - "$work/publish.json" <<'EOF'
const report = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
const { files, size } = Object.values(report)[0];
const allowed = /^(dist\/(index|testing|sqlite|postgres)\.(c?js|d\.c?ts|c?js\.map)|docs\/[\w-]+\.(md|svg)|docs\/schemas\/[\w.-]+\.json|examples\/custom-store\/(memoryStore\.ts|README\.md)|schemas\/(commands|events|records)\.json|README\.md|CHANGELOG\.md|SECURITY\.md|LICENSE|package\.json)$/;
const stray = files.map((f) => f.path).filter((p) => !allowed.test(p));
for (const required of ["LICENSE", "README.md", "examples/custom-store/memoryStore.ts", "CHANGELOG.md", "SECURITY.md", "schemas/commands.json", "schemas/events.json", "schemas/records.json", "dist/index.js", "dist/index.cjs", "dist/testing.js", "dist/testing.cjs", "dist/sqlite.js", "dist/sqlite.cjs", "dist/postgres.js", "dist/postgres.cjs"]) {
  if (!files.some((f) => f.path === required)) stray.push(`(missing) ${required}`);
}
// Every relative link of a shipped Markdown file points at a shipped file: the docs read the
// same on npm and in node_modules as in the repository.
const shipped = new Set(files.map((f) => f.path));
const path = require("node:path");
for (const doc of files.map((f) => f.path).filter((p) => p.endsWith(".md"))) {
  const text = require("node:fs").readFileSync(doc, "utf8");
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target.split("#")[0]));
    if (!shipped.has(resolved)) stray.push(`(broken link) ${doc} -> ${target}`);
  }
}
if (stray.length > 0) {
  console.error(`publish would upload unexpected files or miss required ones:\n  ${stray.join("\n  ")}`);
  process.exit(1);
}
console.log(`${files.length} files, ${(size / 1024).toFixed(1)} kB packed: only dist/, docs and metadata`);
EOF

echo "-- consumer smoke test"
node scripts/consumer-smoke.mjs "$tarball"

echo "check:package: all good"
