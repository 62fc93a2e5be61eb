/**
 * The testing kit's persistence property (docs/testing.md) against both official stores: after
 * every command sent through `runCommand`, the store holds exactly the snapshot the library
 * computed in memory, and refuses exactly what the library refuses. The steps are async (the
 * stores are), so the loop is written here; the kit's arbitraries and `assertSameRecords` do the
 * rest. PROPERTY_RUNS_SCALE scales the runs as for the other property tests.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createState, execute, runCommand, type CommandContext } from "../../src/index.js";
import { arbScenario, assertInvariants, assertSameRecords } from "../../src/testing/index.js";
import { open, type Engine, type Opened } from "./databases.js";

const SYSTEM: CommandContext = { actor: { system: "property" } };
const scale = Number(process.env["PROPERTY_RUNS_SCALE"] ?? "1");

describe.each<[Engine, number]>([
  ["sqlite", 40],
  ["postgres", 15],
])("%s store", (engine, runs) => {
  let db: Opened;
  beforeAll(async () => {
    db = await open(engine);
    await db.store.migrate();
  });
  afterAll(() => db.close());

  it("holds, after every command, the snapshot the library computed; refuses what it refuses", async () => {
    let accounts = 0;
    await fc.assert(
      fc.asyncProperty(arbScenario({}, { meta: false, maxLength: 10 }), async ({ records, commands }) => {
        const accountId = `prop-${++accounts}`;
        const store = db.store;
        await store.createAccount(accountId, records);
        let expected = createState(records);
        for (const command of commands) {
          const result = execute(expected, command, SYSTEM);
          const stored = await runCommand(store, accountId, command, SYSTEM);
          expect(stored.ok).toBe(result.ok);
          if (!result.ok) {
            if (!stored.ok) expect(stored.error.code).toBe(result.error.code);
            continue;
          }
          assertInvariants(result.state);
          expected = result.state;
          const reloaded = await store.loadAccount(accountId);
          if (reloaded === undefined) throw new Error("the account is gone");
          assertSameRecords(reloaded, expected, { ignoreOrder: true });
        }
        expect((await store.loadAccount(accountId))?.version).toBe(expected.version);
      }),
      { numRuns: Math.max(1, Math.round(runs * scale)) },
    );
  }, 120_000);
});
