/**
 * The testing kit's persistence property (docs/testing.md) against both official stores: after
 * every command sent through `runCommand`, the store holds exactly the snapshot the library
 * computed in memory (`runSequence`, with async steps, as each command's context), and refuses
 * exactly what the library refuses. PROPERTY_RUNS_SCALE scales the runs as for the other property
 * tests.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createState, runCommand } from "../../src/index.js";
import { arbScenario, assertSameRecords, runSequence } from "../../src/testing/index.js";
import { engines, open, type Engine, type Opened } from "./databases.js";

const scale = Number(process.env["PROPERTY_RUNS_SCALE"] ?? "1");

const RUNS: Record<Engine, number> = { sqlite: 40, postgres: 15, pglite: 5 };

describe.each<Engine>(engines())("%s store", (engine) => {
  const runs = RUNS[engine];
  let db: Opened;
  beforeAll(async () => {
    db = await open(engine);
    await db.store.migrate();
  });
  afterAll(() => db.close());

  it("holds, after every command, the snapshot the library computed; refuses what it refuses", async () => {
    let accounts = 0;
    await fc.assert(
      fc.asyncProperty(arbScenario({}, { meta: false, maxLength: 10 }), async ({ records, commands, contexts }) => {
        const accountId = `prop-${++accounts}`;
        const store = db.store;
        await store.createAccount(accountId, records);
        const { state } = await runSequence(createState(records), commands, {
          context: contexts,
          onStep: async ({ before, command, context, result }) => {
            const stored = await runCommand(store, accountId, command, context);
            expect(stored.ok).toBe(result.ok);
            if (!result.ok && !stored.ok) expect(stored.error.code).toBe(result.error.code);
            const reloaded = await store.loadAccount(accountId);
            if (reloaded === undefined) throw new Error("the account is gone");
            assertSameRecords(reloaded, result.ok ? result.state : before, { ignoreOrder: true });
          },
        });
        expect((await store.loadAccount(accountId))?.version).toBe(state.version);
      }),
      { numRuns: Math.max(1, Math.round(runs * scale)) },
    );
  }, 120_000);
});
