/**
 * docs/testing.md shows the persistence test this repository runs: its code block is the part of
 * test/guide-persistence.test.ts between the guide markers, with the package's import names in
 * place of the repository's paths.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

it("the persistence example of docs/testing.md is the test that runs", () => {
  const test = read("./guide-persistence.test.ts");
  const guarded = /\/\/ guide:start\n([\s\S]*?)\/\/ guide:end/.exec(test)?.[1];
  expect(guarded).toBeDefined();
  const asPublished = (guarded ?? "")
    .replace('"../src/index.js"', '"crm-ownership"')
    .replace('"../src/testing/index.js"', '"crm-ownership/testing"')
    .replace('"../src/stores/sqlite/index.js"', '"crm-ownership/sqlite"');
  const section = read("../docs/testing.md").split("## Test your persistence")[1] ?? "";
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(asPublished);
});
