/**
 * The example of docs/testing.md, run: the property-testing kit checks a store's persistence (the
 * official SQLite store, driven by `runCommand`) against the library's snapshots, with async steps.
 * docs-testing.test.ts keeps the page's code block equal to the part between the guide markers
 * (with the package's import names).
 */
// guide:start
import Database from "better-sqlite3";
import fc from "fast-check";
import { expect, it } from "vitest";
import { createState, runCommand } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite/index.js";
import { arbScenario, assertSameRecords, runSequence } from "../src/testing/index.js";

it("the database holds, after every command, the snapshot the library computed", async () => {
  await fc.assert(
    fc.asyncProperty(arbScenario({}, { meta: false, maxLength: 12 }), async ({ records, commands, contexts }) => {
      const db = new Database(":memory:");
      const store = sqliteStore(db); // or your own Store
      try {
        await store.migrate();
        await store.createAccount("acme-corp", records);
        await runSequence(createState(records), commands, {
          context: contexts,
          onStep: async ({ before, command, context, result }) => {
            const stored = await runCommand(store, "acme-corp", command, context);
            expect(stored.ok).toBe(result.ok);
            const reloaded = await store.loadAccount("acme-corp");
            if (reloaded === undefined) throw new Error("the account is gone");
            // Accepted or refused, the database holds the library's latest snapshot.
            assertSameRecords(reloaded, result.ok ? result.state : before, { ignoreOrder: true });
          },
        });
      } finally {
        db.close();
      }
    }),
    { numRuns: 40 },
  );
});
// guide:end
