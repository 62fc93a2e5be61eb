/** The testing kit drives async hosts: runSequence awaits an onStep that returns a promise. */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { changedRecords, createState, toRecords, type Command, type CrmRecordsInit } from "../src/index.js";
import { arbScenario, assertSameRecords, runSequence, type SequenceRun, type Step } from "../src/testing/index.js";

const records: CrmRecordsInit = { users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] };
const commands: Command[] = [
  { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
  { type: "deleteContact", contactId: "nobody" },
  { type: "assignContactOwner", contactId: "acme", ownerId: "ana" },
];
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("runSequence with an async onStep", () => {
  it("awaits each step before the next command, and returns a promise of the run", async () => {
    const log: string[] = [];
    const pending = runSequence(createState(records), commands, {
      onStep: async ({ index }) => {
        log.push(`start ${index}`);
        await tick();
        log.push(`end ${index}`);
      },
    });
    expect(pending).toBeInstanceOf(Promise);
    expect(log).toEqual(["start 0"]); // the second command waits for the first step
    const run: SequenceRun = await pending;
    expect(log).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
    expect(run.steps.map((s) => s.result.ok)).toEqual([true, false, true]);
    expect(run.state.version).toBe(2);
  });

  it("a synchronous onStep keeps the run synchronous", () => {
    const seen: number[] = [];
    const run = runSequence(createState(records), commands, { onStep: ({ index }) => void seen.push(index) });
    expect(run).not.toBeInstanceOf(Promise);
    expect(seen).toEqual([0, 1, 2]);
  });

  it("a promise returned from a later step only makes the rest async", async () => {
    const log: number[] = [];
    const run = runSequence(createState(records), commands, {
      onStep: ({ index }: Step) => {
        log.push(index);
        return index === 1 ? tick() : undefined;
      },
    }) as SequenceRun | Promise<SequenceRun>;
    expect(run).toBeInstanceOf(Promise);
    expect((await run).steps).toHaveLength(3);
    expect(log).toEqual([0, 1, 2]);
  });

  it("an async onStep with no commands still returns a promise", async () => {
    const run = runSequence(createState(records), [], { onStep: async () => {} });
    expect(run).toBeInstanceOf(Promise);
    expect((await run).steps).toEqual([]);
  });

  it("a failing async step rejects the run and stops it", async () => {
    const seen: number[] = [];
    await expect(
      runSequence(createState(records), commands, {
        onStep: async ({ index }) => {
          seen.push(index);
          await tick();
          if (index === 0) throw new Error("the database is down");
        },
      }),
    ).rejects.toThrow("the database is down");
    expect(seen).toEqual([0]);
  });

  it("property: an async host that awaits its writes ends with the library's records", async () => {
    await fc.assert(
      fc.asyncProperty(arbScenario({}, { maxLength: 8 }), async ({ records: init, commands: list, contexts }) => {
        // A stand-in for PostgreSQL: rows change only through awaited writes of changedRecords.
        let stored = toRecords(createState(init));
        const db = {
          async write(changes: ReturnType<typeof changedRecords>, settings: ReturnType<typeof toRecords>["settings"]) {
            await Promise.resolve();
            const merge = <T extends { id: string }>(rows: readonly T[], table: { upserted: readonly T[]; deleted: readonly string[] }) => {
              const byId = new Map(rows.map((r) => [r.id, r]));
              for (const id of table.deleted) byId.delete(id);
              for (const row of table.upserted) byId.set(row.id, row);
              return [...byId.values()];
            };
            stored = {
              ...stored,
              version: changes.version,
              settings: changes.settingsChanged ? settings : stored.settings,
              users: merge(stored.users, changes.users),
              contacts: merge(stored.contacts, changes.contacts),
              opportunities: merge(stored.opportunities, changes.opportunities),
              rotations: merge(stored.rotations, changes.rotations),
            };
          },
        };
        const sync = runSequence(createState(init), list, { context: contexts });
        const run = await runSequence(createState(init), list, {
          context: contexts,
          onStep: async ({ before, result }) => {
            if (result.ok) await db.write(changedRecords(before, result), toRecords(result.state).settings);
          },
        });
        expect(toRecords(run.state)).toEqual(toRecords(sync.state));
        assertSameRecords(createState(stored), run.state, { ignoreOrder: true });
      }),
      { numRuns: 60 },
    );
  });
});

describe("the testing kit's modules", () => {
  it("import each other without a cycle", () => {
    const dir = new URL("../src/testing/", import.meta.url);
    const graph = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(new URL(file, dir), "utf8");
      graph.set(file, [...text.matchAll(/^import [^;]*? from "\.\/([\w-]+)\.js";/gm)].map((m) => `${m[1]}.ts`));
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (file: string, path: string[]): void => {
      if (done.has(file)) return;
      if (visiting.has(file)) throw new Error(`import cycle: ${[...path, file].join(" -> ")}`);
      visiting.add(file);
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      visiting.delete(file);
      done.add(file);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(graph.get("invalid.ts")).toContain("commands.ts");
    expect(graph.get("commands.ts")).not.toContain("invalid.ts");
  });
});
