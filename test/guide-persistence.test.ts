/**
 * The example of docs/testing.md, run: the property-testing kit checks a store's persistence (the
 * official SQLite store, driven by `runCommand`) against the library's snapshots.
 * docs-testing.test.ts keeps the page's code block equal to the part between the guide markers
 * (with the package's import names).
 */
// guide:start
import Database from "better-sqlite3";
import fc from "fast-check";
import { expect, it } from "vitest";
import { createState, execute, runCommand } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite/index.js";
import { arbScenario, assertSameRecords } from "../src/testing/index.js";

it("the database holds, after every command, the snapshot the library computed", async () => {
  await fc.assert(
    fc.asyncProperty(arbScenario({}, { meta: false, maxLength: 12 }), async ({ records, commands, contexts }) => {
      const db = new Database(":memory:");
      const store = sqliteStore(db); // or your own Store
      try {
        await store.migrate();
        await store.createAccount("acme-corp", records);
        let expected = createState(records);
        for (const [i, command] of commands.entries()) {
          const context = contexts[i] ?? { actor: { system: "test" } };
          const result = execute(expected, command, context);
          const stored = await runCommand(store, "acme-corp", command, context);
          expect(stored.ok).toBe(result.ok);
          if (result.ok) expected = result.state;
          const reloaded = await store.loadAccount("acme-corp");
          if (reloaded === undefined) throw new Error("the account is gone");
          // Accepted or refused, the database holds the library's latest snapshot.
          assertSameRecords(reloaded, expected, { ignoreOrder: true });
        }
      } finally {
        db.close();
      }
    }),
    { numRuns: 40 },
  );
});
// guide:end
