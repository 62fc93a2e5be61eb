/**
 * The reference host on a real SQLite file (examples/sqlite-host): optimistic concurrency,
 * atomic commits, partial loads, and equivalence with the library run in memory.
 *
 * HOST_COMMANDS sets how many random commands the equivalence test sends through the host
 * (default 10,000, about 4 s; `HOST_COMMANDS=1000 npm test` for a quicker run).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkInvariants,
  createState,
  evolve,
  execute,
  executeAll,
  getContact,
  getOpportunity,
  toRecords,
  type Command,
  type CrmRecordsInit,
} from "../src/index.js";
import {
  createAccount,
  handle,
  loadAccount,
  openDatabase,
  readEvents,
  relay,
  WRITE_STEPS,
  type Db,
} from "../examples/sqlite-host/index.js";
import { initialRecords, prng, randomCommand } from "./host-random.js";
import { SYSTEM } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "crm-sqlite-host-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `account-${++files}.db`);

const ACME: CrmRecordsInit = {
  users: [{ id: "ana", role: "admin" }, { id: "ben", role: "admin" }, { id: "cleo" }, { id: "dev" }],
  contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "dev", source: "manual" }] }],
  opportunities: [
    { id: "deal-1", contactId: "acme", ownerId: "ana" },
    { id: "deal-2", contactId: "acme", ownerId: "ana", followers: [{ userId: "cleo", source: "automation" }] },
  ],
};

function seeded(init: CrmRecordsInit = ACME, accountId = "acct"): { db: Db; file: string } {
  const file = newFile();
  const db = openDatabase(file);
  createAccount(db, accountId, init);
  return { db, file };
}

/** Every row of every table, to prove that nothing at all changed. */
function dump(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of ["accounts", "users", "contacts", "opportunities", "followers", "rotations", "events"]) {
    out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  }
  return out;
}

const records = (db: Db, accountId = "acct") => {
  const state = loadAccount(db, accountId);
  if (state === undefined) throw new Error(`no account ${accountId}`);
  return toRecords(state);
};

describe("SQLite host: optimistic concurrency", () => {
  it("two connections racing on one contact: one conflicts, reloads, retries, and both changes land", () => {
    const { db: first, file } = seeded();
    const second = openDatabase(file);
    let secondResult: ReturnType<typeof handle> | undefined;
    // The first writer loads at version 0; before it commits, the second writer commits version 1.
    const firstResult = handle(first, "acct", { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "cleo" }, SYSTEM, {
      hooks: {
        beforeCommit: ({ attempt }) => {
          if (attempt === 1) secondResult = handle(second, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
        },
      },
    });
    expect(secondResult).toMatchObject({ ok: true, version: 1, attempts: 1 });
    expect(firstResult).toMatchObject({ ok: true, version: 2, attempts: 2 });

    // A last-writer-wins host would have written acme back with owner "ana" here.
    const after = createState(records(openDatabase(file)));
    expect(getContact(after, "acme")).toMatchObject({ ownerId: "ben", followers: [{ userId: "dev" }, { userId: "cleo", source: "manual" }] });
    expect(getOpportunity(after, "deal-1")?.ownerId).toBe("ben");
    expect(readEvents(first, "acct").map((e) => [e.version, e.event.type])).toEqual([
      [1, "ContactOwnerChanged"],
      [1, "OpportunityOwnerChanged"],
      [1, "OpportunityOwnerChanged"],
      [2, "FollowerAdded"],
    ]);
    second.close();
  });

  it("gives up with VERSION_CONFLICT after its bounded attempts when the account keeps changing, writing nothing of its own", () => {
    const { db, file } = seeded();
    const other = openDatabase(file);
    let competing = 0;
    const result = handle(db, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "cleo" }, SYSTEM, {
      maxAttempts: 3,
      hooks: {
        beforeCommit: () => {
          competing++;
          const type = competing % 2 === 1 ? "addFollower" : "removeFollower";
          handle(other, "acct", { type, record: { kind: "contact", id: "acme" }, userId: "ben" }, SYSTEM);
        },
      },
    });
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { code: "VERSION_CONFLICT" } });
    expect(competing).toBe(3);
    expect(records(db).contacts[0]?.ownerId).toBe("ana");
    expect(readEvents(db, "acct").map((e) => e.event.type)).toEqual(["FollowerAdded", "FollowerRemoved", "FollowerAdded"]);
  });

  it("separate processes writing to one contact at once: every commit lands once, versions have no gap, and the outbox replays to the database", async () => {
    const { db, file } = seeded();
    const initial = createState(ACME);
    const run = promisify(execFile);
    const tsx = pathToFileURL(join(here, "..", "node_modules", "tsx", "dist", "loader.mjs")).href;
    const writer = (name: string, seed: number) =>
      run(process.execPath, ["--import", tsx, join(here, "sqlite-writer.ts"), file, "acct", name, "150", String(seed)]);
    const outputs = await Promise.all([writer("w1", 1), writer("w2", 2), writer("w3", 3)]);
    const reports = outputs.map((o) => JSON.parse(o.stdout) as { committed: number[]; retries: number; failures: string[] });
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    const versions = reports.flatMap((r) => r.committed).sort((a, b) => a - b);
    const final = records(db);
    expect(versions).toEqual(Array.from({ length: final.version }, (_, i) => i + 1));
    const replayed = readEvents(db, "acct").reduce((state, entry) => evolve(state, entry.event), initial);
    expect(toRecords(replayed)).toEqual(final);
    expect(checkInvariants(createState(final))).toEqual([]);
    // Not an assertion on timing, only that the race was real (it almost always is).
    console.info(`3 writers × 150 commands: ${final.version} commits, ${reports.reduce((n, r) => n + r.retries, 0)} retries after conflicts`);
  }, 60_000);
});

describe("SQLite host: one command, one transaction", () => {
  const offboard: Command = { type: "deactivateUser", userId: "ana", reassignTo: "ben" };

  it.each(WRITE_STEPS)("a fault injected before the %s step leaves nothing half-written, and the command then succeeds", (failAt) => {
    const { db } = seeded();
    const before = dump(db);
    expect(() =>
      handle(db, "acct", offboard, SYSTEM, {
        hooks: {
          beforeWrite: (step) => {
            if (step === failAt) throw new Error(`crash before ${step}`);
          },
        },
      }),
    ).toThrow(`crash before ${failAt}`);
    expect(dump(db)).toEqual(before);

    const result = handle(db, "acct", offboard, SYSTEM);
    expect(result).toMatchObject({ ok: true, version: 1, attempts: 1 });
    const expected = execute(createState(ACME), offboard, SYSTEM);
    if (!expected.ok) throw new Error(expected.error.message);
    expect(records(db)).toEqual(toRecords(expected.state));
  });

  it("writes only the rows a command changed: the account's version, the record, and the events", () => {
    const { db } = seeded({ ...ACME, settings: { allowDifferentOwners: true } });
    const totalChanges = () => (db.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
    const start = totalChanges();
    const result = handle(db, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
    expect(result).toMatchObject({ ok: true, events: [{ type: "ContactOwnerChanged" }] });
    // 1 account row + 1 contact row + 1 outbox row; the opportunities and followers are untouched.
    expect(totalChanges() - start).toBe(3);
  });

  it("keeps each contact's opportunity order (the given order, then creation order), renumbered after a delete", () => {
    const { db } = seeded({ ...ACME, contacts: [{ ...ACME.contacts[0]!, opportunityIds: ["deal-2", "deal-1"] }] });
    handle(db, "acct", { type: "createOpportunity", opportunityId: "deal-3", contactId: "acme" }, SYSTEM);
    handle(db, "acct", { type: "deleteOpportunity", opportunityId: "deal-2" }, SYSTEM);
    handle(db, "acct", { type: "createOpportunity", opportunityId: "deal-4", contactId: "acme" }, SYSTEM);
    expect(records(db).contacts[0]?.opportunityIds).toEqual(["deal-1", "deal-3", "deal-4"]);
    const positions = db.prepare("SELECT id, position FROM opportunities ORDER BY position").all();
    expect(positions).toEqual([
      { id: "deal-1", position: 0 },
      { id: "deal-3", position: 1 },
      { id: "deal-4", position: 2 },
    ]);
  });

  it("a command with no effect writes nothing and keeps the version", () => {
    const { db } = seeded();
    const before = dump(db);
    expect(handle(db, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ana" }, SYSTEM)).toMatchObject({ ok: true, version: 0, events: [] });
    expect(dump(db)).toEqual(before);
  });
});

describe("SQLite host: loading and refusing", () => {
  it("a snapshot that lacks one of the contact's opportunities is refused with INCOMPLETE_SNAPSHOT and nothing is written", () => {
    const { db } = seeded();
    const before = dump(db);
    const result = handle(db, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM, {
      hooks: { afterLoad: (loaded) => ({ ...loaded, opportunities: loaded.opportunities.filter((o) => o.id !== "deal-2") }) },
    });
    expect(result).toMatchObject({ ok: false, error: { code: "INCOMPLETE_SNAPSHOT", missingIds: ["deal-2"] } });
    expect(dump(db)).toEqual(before);
  });

  it("refuses what the library refuses, with the library's error, and an unknown account with ACCOUNT_NOT_FOUND", () => {
    const { db } = seeded();
    expect(handle(db, "acct", { type: "assignContactOwner", contactId: "acme" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "INVALID_COMMAND", field: "ownerId" },
    });
    expect(handle(db, "acct", { type: "assignContactOwner", contactId: "nobody", ownerId: "ben" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "CONTACT_NOT_FOUND" },
    });
    expect(handle(db, "elsewhere", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "ACCOUNT_NOT_FOUND", id: "elsewhere" },
    });
  });

  it("a command sent again with the same commandId is not applied twice", () => {
    const { db } = seeded({ ...ACME, settings: { allowDifferentOwners: true } });
    const command: Command = { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben", commandId: "req-42" };
    const first = handle(db, "acct", command, SYSTEM);
    handle(db, "acct", { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "cleo" }, SYSTEM);
    const again = handle(db, "acct", command, SYSTEM);
    expect(again).toMatchObject({ ok: true, duplicate: true, version: 1 });
    expect(again.ok && again.events).toEqual(first.ok && first.events);
    expect(records(db).opportunities.find((o) => o.id === "deal-1")?.ownerId).toBe("cleo");
  });

  it("the relay hands each outbox event over once; a failed publish marks nothing", () => {
    const { db } = seeded();
    handle(db, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
    expect(() => relay(db, "acct", () => { throw new Error("queue down"); }, "2025-03-03T09:00:00Z")).toThrow("queue down");
    const published: string[] = [];
    expect(relay(db, "acct", (entries) => published.push(...entries.map((e) => e.event.type)), "2025-03-03T09:01:00Z")).toBe(3);
    expect(published).toEqual(["ContactOwnerChanged", "OpportunityOwnerChanged", "OpportunityOwnerChanged"]);
    expect(relay(db, "acct", () => published.push("again"), "2025-03-03T09:02:00Z")).toBe(0);
  });
});

describe("SQLite host: same records as in memory", () => {
  const total = Number(process.env.HOST_COMMANDS ?? 10_000);

  it(`${total} random commands over 10 accounts through the host give the records executeAll gives in memory`, () => {
    const db = openDatabase(newFile());
    const accounts = Array.from({ length: 10 }, (_, i) => {
      const rng = prng(7_000 + i);
      const init = initialRecords(rng);
      createAccount(db, `account-${i}`, init);
      return { id: `account-${i}`, rng, init, memory: createState(init), accepted: [] as Command[], events: [] as unknown[] };
    });
    for (let n = 0; n < total; n++) {
      // Commands of different accounts interleave, as they would on a shared database.
      const account = accounts[n % accounts.length]!;
      const command = randomCommand(account.rng, account.memory.version);
      const onHost = handle(db, account.id, command, SYSTEM);
      const inMemory = execute(account.memory, command, SYSTEM);
      const context = `${account.id}, command ${n}: ${JSON.stringify(command)}`;
      if (!inMemory.ok) {
        expect(onHost, context).toMatchObject({ ok: false, error: inMemory.error });
        continue;
      }
      expect(onHost, context).toMatchObject({ ok: true, version: inMemory.state.version, events: inMemory.events });
      account.memory = inMemory.state;
      account.accepted.push(command);
      account.events.push(...inMemory.events);
    }
    let accepted = 0;
    for (const account of accounts) {
      const batch = executeAll(createState(account.init), account.accepted, SYSTEM);
      if (!batch.ok) throw new Error(`${account.id}: ${batch.error.message}`);
      expect(records(db, account.id), account.id).toEqual(toRecords(batch.state));
      expect(readEvents(db, account.id).map((e) => e.event), account.id).toEqual(account.events);
      accepted += account.accepted.length;
    }
    // The stream is meant to mix accepted and refused commands.
    expect(accepted).toBeGreaterThan(total * 0.3);
    expect(accepted).toBeLessThan(total * 0.95);
  }, 600_000);
});
