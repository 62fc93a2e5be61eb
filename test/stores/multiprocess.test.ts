/**
 * Exactly once, from many OS processes: N = 2, 4, 8 worker processes per store send random
 * commands to one account (and 8 workers to 4 accounts, for comparison), copies of one command from two processes at the same moment, late
 * copies, and random SIGKILLs (a killed worker is restarted and delivers its unacknowledged
 * command again). A relay runs beside them. Afterwards every check of checks.ts must hold.
 *
 * Then the checker is shown failing: on a store with the 0.1 example's bug (dedupe outside the
 * committing transaction), and, check by check, on a database damaged after a good run.
 * The figures of each run are printed, and recorded in docs/integration.md.
 *
 * MP_DELIVERIES sets the deliveries per run (default 320).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRun, CHECKS, type CheckName, type RunFacts } from "./checks.js";
import { engines, open, type Engine, type Opened } from "./databases.js";
import { multiProcessRun, workerBundle, type Figures } from "./harness.js";

const DELIVERIES = Number(process.env["MP_DELIVERIES"] ?? "320");
const figures: (Figures & { store: string })[] = [];

beforeAll(() => {
  workerBundle();
});
afterAll(() => {
  if (figures.length > 0) console.table(figures);
});

/** One run of `workers` processes over `accounts` accounts, every check on every account. */
async function runAndCheck(engine: Engine, workers: number, accounts: number, seed: number): Promise<void> {
  const db = await open(engine);
  try {
    const run = await multiProcessRun({
      kind: engine === "sqlite" ? "sqlite" : "postgres",
      connection: db.connection,
      store: db.store,
      workers,
      perWorker: Math.ceil(DELIVERIES / workers),
      kills: workers,
      seed,
      accounts,
    });
    figures.push({ store: engine, ...run.figures });
    expect(run.perAccount).toHaveLength(accounts);
    for (const facts of run.perAccount) expect(checkRun(facts)).toEqual({});
    expect(run.figures.acknowledged).toBe(run.figures.deliveries);
    expect(run.figures.duplicatesCaught).toBeGreaterThan(0);
    expect(run.figures.kills).toBeGreaterThan(0);
  } finally {
    await db.close();
  }
}

describe.each<Engine>(engines())("%s store, many processes", (engine) => {
  it.each([2, 4, 8])("N = %i workers on one account: every check holds", { timeout: 120_000 }, (workers) => runAndCheck(engine, workers, 1, 1000 + workers));
  it("N = 8 workers on 4 accounts (two each): every check holds on every account", { timeout: 120_000 }, () => runAndCheck(engine, 8, 4, 2008));
});

describe("the checker catches a broken store", () => {
  it("dedupe outside the committing transaction (the 0.1 example's bug): copies applied twice", { timeout: 120_000 }, async () => {
    // Rotation assignments as the copies: each run of one moves the rotation on, so a copy
    // applied twice always shows (most commands run twice in a row change nothing the second time).
    let caught: string[] = [];
    for (let attempt = 0; attempt < 3 && caught.length === 0; attempt++) {
      const db = await open("sqlite");
      try {
        const run = await multiProcessRun({
          kind: "sqlite",
          connection: db.connection,
          store: db.store,
          workers: 8,
          perWorker: 40,
          kills: 2,
          seed: 77 + attempt,
          broken: true,
          rotatingCopies: true,
        });
        caught = CHECKS.appliedOnce(run.facts);
      } finally {
        await db.close();
      }
    }
    expect(caught.length).toBeGreaterThan(0);
    expect(caught[0]).toMatch(/applied at versions \d+, \d+/);
  });

  describe("each check, on a database damaged after a good run", () => {
    let db: Opened;
    let good: RunFacts;
    beforeAll(async () => {
      db = await open("sqlite");
      good = (await multiProcessRun({ kind: "sqlite", connection: db.connection, store: db.store, workers: 2, perWorker: 60, kills: 1, seed: 5 })).facts;
    }, 120_000);
    afterAll(() => db.close());

    /** The facts again, read from the damaged database; the relay of the good run stands. */
    const reread = async (delivered = good.delivered): Promise<RunFacts> => {
      const final = await db.store.loadAccount("acct");
      if (final === undefined) throw new Error("no account");
      return { ...good, events: await db.store.readEvents("acct"), final, delivered };
    };
    const only = (facts: RunFacts, name: CheckName) => expect(CHECKS[name](facts).length).toBeGreaterThan(0);

    it("the good run passes every check", () => {
      expect(checkRun(good)).toEqual({});
    });
    it("acknowledgedOnce: a store that acknowledged a command it did not keep", async () => {
      const ack = good.acks.find((a) => a.ok && a.events > 0 && !a.duplicate);
      only({ ...good, acks: good.acks.map((a) => (a === ack ? { ...a, version: (a.version ?? 0) + 1 } : a)) }, "acknowledgedOnce");
    });
    it("sameAnswer: two copies answered differently", () => {
      const ack = good.acks.find((a) => a.ok);
      if (ack === undefined) throw new Error("no acknowledged command");
      only({ ...good, acks: [...good.acks, { ...ack, ok: false, code: "ALREADY_EXISTS" }] }, "sameAnswer");
    });
    it("appliedOnce: one command id's events at two versions", () => {
      const [a, b] = good.events.filter((e, i, all) => e.commandId !== undefined && all.findIndex((x) => x.version === e.version) === i);
      if (a === undefined || b === undefined) throw new Error("too few events");
      only({ ...good, events: good.events.map((e) => (e === b ? { ...e, commandId: a.commandId } : e)) }, "appliedOnce");
    });
    it("relay: an event the relay never handed out", async () => {
      only({ ...good, delivered: good.delivered.slice(1) }, "relay");
    });
    it("replay: a stored row that no event explains", async () => {
      await db.sql("UPDATE crm_followers SET source = CASE source WHEN 'manual' THEN 'automation' ELSE 'manual' END");
      await db.sql("UPDATE crm_rotations SET picks = picks + 1");
      only(await reread(), "replay");
    });
    it("invariants: coupled owners split", async () => {
      await db.sql("UPDATE crm_accounts SET allow_different_owners = 0");
      await db.sql("UPDATE crm_opportunities SET owner_id = NULL");
      await db.sql("UPDATE crm_contacts SET owner_id = 'ana'");
      only(await reread(), "invariants");
    });
    it("contiguous: a lost version in the outbox", async () => {
      await db.sql("DELETE FROM crm_events WHERE version = 2");
      only(await reread(), "contiguous");
    });
  });
});
