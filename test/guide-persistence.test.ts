/**
 * The example of docs/testing.md, run: the property-testing kit checks a host's persistence (the
 * reference SQLite host) against the library's snapshots. The page shows it for an async host
 * (PostgreSQL drivers are async); `await` on the SQLite host's synchronous functions is harmless,
 * so the same code runs here. docs-testing.test.ts keeps the page's
 * code block equal to the part between the guide markers (with the package's import names).
 */
// guide:start
import fc from "fast-check";
import { expect, it } from "vitest";
import { createState } from "../src/index.js";
import { arbScenario, assertSameRecords, runSequence } from "../src/testing/index.js";
import { createAccount, handle, loadAccount, openDatabase } from "../examples/sqlite-host/index.js";

it("the database holds, after every command, the snapshot the library computed", async () => {
  await fc.assert(
    fc.asyncProperty(arbScenario({}, { meta: false, maxLength: 12 }), async ({ records, commands, contexts }) => {
      const db = await openDatabase(":memory:");
      try {
        await createAccount(db, "acme-corp", records);
        await runSequence(createState(records), commands, {
          context: contexts,
          onStep: async ({ before, command, context, result }) => {
            const stored = await handle(db, "acme-corp", command, context);
            expect(stored.ok).toBe(result.ok);
            const reloaded = await loadAccount(db, "acme-corp");
            if (reloaded === undefined) throw new Error("the account is gone");
            // Accepted or refused, the database holds the library's latest snapshot.
            assertSameRecords(reloaded, result.ok ? result.state : before, { ignoreOrder: true });
          },
        });
      } finally {
        await db.close();
      }
    }),
    { numRuns: 40 },
  );
});
// guide:end
