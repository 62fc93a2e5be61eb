/**
 * The edges of runCommand and the stores that the contract tests do not reach: how stored-data
 * problems are named, a created record the load could not see, driver errors (busy, serialisation
 * failure, a connection that cannot even roll back), the PGlite transaction path, outbox rows of
 * every unreadable kind, and a relay of more than one batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createState,
  execute,
  changedRecords,
  InvalidSnapshotError,
  invalidStoredData,
  runCommand,
  type CommandContext,
  type CommitResult,
  type CrmRecordsInit,
  type Store,
} from "../../src/index.js";
import { postgresStore, type PgPool, type PGliteLike } from "../../src/stores/postgres/index.js";
import { jitterDelay, sleep } from "../../src/stores/sql/sqlStore.js";
import { readEvent } from "../../src/stores/sql/steps.js";
import { sqliteStore } from "../../src/stores/sqlite/index.js";
import Database from "better-sqlite3";
import pg from "pg";
import { hasPostgres, openSqlite, postgresServer, type Opened } from "./databases.js";

const SYSTEM: CommandContext = { actor: { system: "test" } };
const RECORDS: CrmRecordsInit = {
  users: [{ id: "ana", role: "admin" }, { id: "ben" }],
  contacts: [{ id: "acme", ownerId: "ana" }],
  opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }],
};

describe("invalidStoredData: problems named by record id", () => {
  const refusal = (records: CrmRecordsInit): InvalidSnapshotError => {
    try {
      createState(records);
    } catch (error) {
      if (error instanceof InvalidSnapshotError) return error;
    }
    throw new Error("createState accepted it");
  };

  it("names each record by id and field, and counts the others", () => {
    const records: CrmRecordsInit = { users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "zed" }, { id: "globex", ownerId: "yan" }], opportunities: [] };
    const error = invalidStoredData("acct", refusal(records), records);
    expect(error).toMatchObject({ code: "INVALID_STORED_DATA", kind: "contact", id: "acme", field: "ownerId" });
    expect(error.problems.map((p) => [p.kind, p.id])).toEqual([
      ["contact", "acme"],
      ["contact", "globex"],
    ]);
    expect(error.message).toMatch(/"acme" of account "acct".*\(and 1 more\)/);
  });

  it("a problem that is not a record's is the account's; a record without an id is named by its place", () => {
    const bad = { users: "nobody", contacts: [{ ownerId: null }], opportunities: [] } as unknown as CrmRecordsInit;
    const error = invalidStoredData("acct", refusal(bad), bad);
    expect(error.problems).toEqual([
      { kind: "account", id: "acct", field: "users", message: "must be an array" },
      { kind: "contact", id: "#0", field: "id", message: expect.any(String) },
    ]);
    const none = invalidStoredData("acct", new InvalidSnapshotError([]), RECORDS);
    expect(none).toMatchObject({ kind: "account", id: "acct", problems: [] });
  });
});

describe("runCommand over stores that misbehave", () => {
  const records = async () => ({ found: "records" as const, records: RECORDS });

  it("a created record whose id a hidden row holds: ALREADY_EXISTS, remembered under its commandId (or the first copy's outcome)", async () => {
    const remembered: unknown[] = [];
    let answer: "exists" | "duplicate" = "exists";
    const store: Store = {
      load: records,
      async commit(_accountId, request) {
        if (request.kind === "change") return { status: "exists", kind: "contact", id: "initech" };
        remembered.push(request.outcome);
        return answer === "duplicate" ? { status: "duplicate", outcome: { ok: true, version: 4, events: [] }, fingerprint: request.fingerprint } : { status: "committed" };
      },
    };
    const body = { type: "createContact", contactId: "initech", ownerId: "ben" };
    expect(await runCommand(store, "acct", body, SYSTEM)).toMatchObject({ ok: false, error: { code: "ALREADY_EXISTS", id: "initech", field: "contactId" } });
    expect(remembered).toEqual([]);
    expect(await runCommand(store, "acct", { ...body, commandId: "c-1" }, SYSTEM)).toMatchObject({ ok: false, duplicate: false, error: { code: "ALREADY_EXISTS" } });
    expect(remembered).toHaveLength(1);
    answer = "duplicate";
    expect(await runCommand(store, "acct", { ...body, commandId: "c-1" }, SYSTEM)).toMatchObject({ ok: true, version: 4, duplicate: true });
  });

  it("INCOMPLETE_SNAPSHOT is the store's fault: returned, never remembered", async () => {
    const commits: unknown[] = [];
    const store: Store = {
      // A load that lost deal-2 of acme's two opportunities.
      load: async () => ({
        found: "records",
        records: { users: RECORDS.users, contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["deal-1", "deal-2"] }], opportunities: RECORDS.opportunities },
      }),
      commit: async (_a, request) => {
        commits.push(request);
        return { status: "committed" };
      },
    };
    const result = await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" }, SYSTEM);
    expect(result).toMatchObject({ ok: false, error: { code: "INCOMPLETE_SNAPSHOT" } });
    expect(commits).toEqual([]);
  });

  it("records that fail createState in any way (a throwing getter) are reported as stored data, not thrown", async () => {
    const store: Store = {
      load: async () => ({ found: "records", records: { get users(): never { throw new Error("connection reset"); } } as unknown as CrmRecordsInit }),
      commit: async () => ({ status: "committed" }),
    };
    expect(await runCommand(store, "acct", { type: "deleteContact", contactId: "acme" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "INVALID_STORED_DATA", kind: "account", id: "acct" },
    });
  });

  it("a malformed context is the host's mistake: INVALID_COMMAND naming it, not remembered for the commandId", async () => {
    const commits: unknown[] = [];
    const store: Store = {
      load: records,
      commit: async (_a, request) => {
        commits.push(request);
        return { status: "committed" };
      },
    };
    const body = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" };
    const bad = await runCommand(store, "acct", body, { actor: {} } as unknown as CommandContext);
    expect(bad).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: expect.stringMatching(/^context/) } });
    expect(commits).toEqual([]);
    expect(await runCommand(store, "acct", body, SYSTEM)).toMatchObject({ ok: true, duplicate: false });
  });

  it("a synchronous store (plain values, no promises) works as well", async () => {
    let pauses = 0;
    let conflicts = 1;
    const store: Store = {
      load: () => ({ found: "records", records: RECORDS }),
      commit: () => (conflicts-- > 0 ? { status: "conflict" } : { status: "committed" }),
      pause: () => {
        pauses++;
      },
    };
    expect(await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM)).toMatchObject({
      ok: true,
      version: 1,
      attempts: 2,
    });
    expect(pauses).toBe(1);
  });

  it("a commit result that is not a CommitResult is thrown as a TypeError, never retried as a conflict", async () => {
    let commits = 0;
    const store: Store = {
      load: () => ({ found: "records", records: RECORDS }),
      // A store that wrote, then misspelt its answer: retried as a conflict, the change could be written twice.
      commit: () => {
        commits++;
        return { status: "commited" } as unknown as CommitResult;
      },
    };
    await expect(runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM)).rejects.toThrow(
      new TypeError('runCommand: Store.commit returned status "commited", not a CommitResult (status "committed", "conflict", "duplicate" or "exists").'),
    );
    expect(commits).toBe(1);
    const numeric: Store = { load: () => ({ found: "records", records: RECORDS }), commit: () => ({ status: 7 }) as unknown as CommitResult };
    await expect(runCommand(numeric, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM)).rejects.toThrow(/returned status number,/);
    const nothing: Store = { load: () => ({ found: "records", records: RECORDS }), commit: () => undefined as unknown as CommitResult };
    await expect(runCommand(nothing, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM)).rejects.toThrow(/^runCommand: Store\.commit returned undefined, not a CommitResult/);
  });

  it("maxAttempts below 1 still runs once; one that is not a number is the default", async () => {
    let loads = 0;
    const store: Store = {
      load: async () => {
        loads++;
        return { found: "records", records: RECORDS };
      },
      commit: async () => ({ status: "conflict" }),
    };
    expect(await runCommand(store, "acct", { type: "deleteContact", contactId: "acme" }, SYSTEM, { maxAttempts: 0 })).toMatchObject({
      ok: false,
      attempts: 1,
      error: { code: "VERSION_CONFLICT" },
    });
    expect(loads).toBe(1);
    // Not a number: the default (10).
    loads = 0;
    expect(await runCommand(store, "acct", { type: "deleteContact", contactId: "acme" }, SYSTEM, { maxAttempts: Number.NaN })).toMatchObject({ attempts: 10 });
    expect(loads).toBe(10);
  });
});

describe("the jitter", () => {
  it("waits between 0 and min(100 ms, 2·2ⁿ ms), as the random number says", async () => {
    expect(jitterDelay(1, 0)).toBe(0);
    expect(jitterDelay(1, 0.5)).toBe(2);
    expect(jitterDelay(3, 1)).toBe(16);
    expect(jitterDelay(40, 1)).toBe(100);
    const started = performance.now();
    await sleep(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
    const store = sqliteStore(new Database(":memory:"), { random: () => 0 });
    await expect(store.pause?.(3)).resolves.toBeUndefined();
  });
});

describe("outbox rows that cannot be read", () => {
  it("names what is wrong: not JSON, not an object, no type, another version", () => {
    expect(readEvent({ version: 1, payload: "{" })).toMatchObject({ ok: false });
    expect(readEvent({ version: 1, payload: "null" })).toEqual({ ok: false, problem: "not a JSON object" });
    expect(readEvent({ version: 1, payload: '{"version":1}' })).toEqual({ ok: false, problem: 'no string "type"' });
    expect(readEvent({ version: 2, payload: '{"type":"ContactCreated","version":1}' })).toEqual({ ok: false, problem: '"version" is 1, the row\'s is 2' });
    expect(readEvent({ version: 1, payload: '{"type":"ContactCreated","version":1}' })).toMatchObject({ ok: true });
  });
});

describe("SQLite store edges", () => {
  let db: Opened;
  beforeAll(async () => {
    db = await openSqlite();
    await db.store.migrate();
  });
  afterAll(() => db.close());

  it("a duplicate whose first copy's event became unreadable still answers with the rest", async () => {
    await db.store.createAccount("dup", RECORDS);
    const body = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" };
    await runCommand(db.store, "dup", body, SYSTEM);
    await db.sql("UPDATE crm_events SET payload = 'oops' WHERE account_id = 'dup' AND seq = 0");
    const again = await runCommand(db.store, "dup", body, SYSTEM);
    expect(again).toMatchObject({ ok: true, version: 1, duplicate: true });
    expect(again.ok && again.events.map((e) => e.type)).toEqual(["OpportunityOwnerChanged"]);
  });

  it("a commit for an account that is gone, or of a contact a hidden row holds, writes nothing", async () => {
    const before = createState(RECORDS);
    const result = execute(before, { type: "createContact", contactId: "globex", ownerId: "ben" }, SYSTEM);
    if (!result.ok) throw new Error(result.error.message);
    const change = { kind: "change" as const, commandId: undefined, fingerprint: undefined, before, after: result.state, changes: changedRecords(before, result), events: result.events };
    expect(await db.store.commit("nobody", change)).toEqual({ status: "conflict" });
    await db.store.createAccount("hidden", RECORDS);
    await db.sql("INSERT INTO crm_contacts (account_id, id, owner_id) VALUES ('hidden', 'globex', NULL)");
    expect(await db.store.commit("hidden", change)).toEqual({ status: "exists", kind: "contact", id: "globex" });
    expect(await db.rows("SELECT version FROM crm_accounts WHERE id = 'hidden'")).toEqual([{ version: 0 }]);
  });

  it("a database busy past its timeout is a conflict; any other driver error is thrown, and nothing stays half-begun", async () => {
    const fake = (fail: (sql: string) => unknown) => ({
      prepare: () => ({ reader: true, all: () => [], run: () => undefined }),
      exec(sql: string) {
        const error = fail(sql);
        if (error !== undefined) throw error;
      },
    });
    const busy = sqliteStore(fake((sql) => (sql === "BEGIN IMMEDIATE" ? Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }) : undefined)));
    expect(await busy.commit("acct", { kind: "outcome", commandId: "c", fingerprint: "system:test#0", outcome: { ok: true, version: 0, events: [] } })).toEqual({ status: "conflict" });
    const full = Object.assign(new Error("disk full"), { code: "SQLITE_FULL" });
    const failing = sqliteStore(fake((sql) => (sql === "BEGIN IMMEDIATE" ? full : undefined)));
    await expect(failing.commit("acct", { kind: "outcome", commandId: "c", fingerprint: "system:test#0", outcome: { ok: true, version: 0, events: [] } })).rejects.toBe(full);
    // A statement fails and ROLLBACK fails too (SQLite already rolled back): the first error is reported.
    const statement = new Error("constraint");
    const both = sqliteStore({
      prepare: () => ({ reader: true, all: () => { throw statement; }, run: () => undefined }),
      exec(sql: string) {
        if (sql === "ROLLBACK") throw new Error("no transaction is active");
      },
    });
    await expect(both.loadAccount("acct")).rejects.toBe(statement);
    await expect(both.migrate()).rejects.toBe(statement);
  });

  it("loadAccount reports an account row the library refuses as StoredDataError naming the account", async () => {
    const store = sqliteStore({
      prepare: (sql: string) => ({
        reader: true,
        all: () => (sql.includes("FROM crm_accounts") ? [{ version: "not a number", allow_different_owners: 0, update_contact_followers: 0, update_opportunity_followers: 0, max_followers: 10 }] : []),
        run: () => undefined,
      }),
      exec: () => undefined,
    });
    await expect(store.loadAccount("acct")).rejects.toMatchObject({ name: "StoredDataError", error: { kind: "account", id: "acct", field: "version" } });
  });

  it("the relay goes through more than one batch, in order", async () => {
    const contacts = Array.from({ length: 130 }, (_, i) => ({ id: `c${i}`, ownerId: "ben" }));
    await db.store.createAccount("many", { users: RECORDS.users, contacts, opportunities: [] });
    const moved = await runCommand(db.store, "many", { type: "transferOwnership", fromUserId: "ben", toUserId: "ana" }, SYSTEM);
    expect(moved.ok && moved.events.length).toBe(130);
    const seen: string[] = [];
    expect(await db.store.relay("many", (e) => void seen.push(e.type === "ContactOwnerChanged" ? e.contactId : e.type))).toEqual({ delivered: 130, setAside: [] });
    expect(seen).toEqual(contacts.map((c) => c.id));
  });
});

describe("PostgreSQL store edges", () => {
  const server = postgresServer;

  it("serialisation failures and deadlocks are conflicts; a client that cannot roll back is discarded", async () => {
    const released: unknown[] = [];
    const pool = (error: unknown, rollbackFails = false): PgPool => ({
      connect: async () => ({
        query: async (text: string) => {
          if (text === "BEGIN") return { rows: [] };
          if (text === "ROLLBACK" && !rollbackFails) return { rows: [] };
          throw error;
        },
        release: (e?: unknown) => void released.push(e),
      }),
    });
    const outcome = { kind: "outcome" as const, commandId: "c", fingerprint: "system:test#0", outcome: { ok: true as const, version: 0, events: [] } };
    expect(await postgresStore(pool({ code: "40001" })).commit("acct", outcome)).toEqual({ status: "conflict" });
    expect(await postgresStore(pool({ code: "40P01" })).commit("acct", outcome)).toEqual({ status: "conflict" });
    await expect(postgresStore(pool("a string")).commit("acct", outcome)).rejects.toBe("a string");
    const lost = Object.assign(new Error("connection lost"), { code: "57P01" });
    await expect(postgresStore(pool(lost, true)).commit("acct", outcome)).rejects.toBe(lost);
    expect(released.at(-1)).toBe(lost);
    await expect(postgresStore(pool("gone", true)).commit("acct", outcome)).rejects.toBe("gone");
    expect(released.at(-1)).toEqual(new Error("gone"));
  });

  it.skipIf(!hasPostgres())("the PGlite path (one transaction at a time, rolled back by throwing) over a real server: ALREADY_EXISTS leaves nothing", async () => {
    const { host, port, user } = server();
    const admin = new pg.Client({ host, port, user, database: "postgres" });
    await admin.connect();
    await admin.query("CREATE DATABASE crm_pglite_path");
    await admin.end();
    const real = new pg.Pool({ host, port, user, database: "crm_pglite_path", max: 1 });
    // PGlite's shape: transaction(fn) on one connection, exec for several statements.
    const like: PGliteLike = {
      async transaction(fn) {
        const client = await real.connect();
        try {
          await client.query("BEGIN");
          const value = await fn({ query: (text, params) => client.query(text, params), exec: (text) => client.query(text) });
          await client.query("COMMIT");
          return value;
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        } finally {
          client.release();
        }
      },
    };
    try {
      const store = postgresStore(like);
      expect(await store.migrate()).toBe(3);
      await store.createAccount("acct", RECORDS);
      await real.query("INSERT INTO crm_opportunities (account_id, id, contact_id, owner_id, status, position) VALUES ('acct', 'deal-9', 'gone', NULL, 'open', 0)");
      const result = await runCommand(store, "acct", { type: "createOpportunity", opportunityId: "deal-9", contactId: "acme" }, SYSTEM);
      expect(result).toMatchObject({ ok: false, error: { code: "ALREADY_EXISTS", id: "deal-9" } });
      expect((await real.query("SELECT version FROM crm_accounts")).rows).toEqual([{ version: 0 }]);
      const failing = postgresStore({ transaction: async () => Promise.reject(new Error("wasm trap")) });
      await expect(failing.loadAccount("acct")).rejects.toThrow("wasm trap");
    } finally {
      await real.end();
      const cleanup = new pg.Client({ host, port, user, database: "postgres" });
      await cleanup.connect();
      await cleanup.query("DROP DATABASE crm_pglite_path");
      await cleanup.end();
    }
  });
});
