/**
 * The official stores, each on a real engine (a SQLite file, the test PostgreSQL server, PGlite),
 * driven through `runCommand`: exactly once per commandId, refusals remembered, no-ops that write
 * nothing, conflicts retried, bad stored data reported by record id with the database unchanged,
 * a crash mid-commit leaving nothing, the outbox and its relay (docs/integration.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createState,
  execute,
  getContact,
  getOpportunity,
  InvalidSnapshotError,
  runCommand,
  StoredDataError,
  type CommandContext,
  type CrmRecordsInit,
  type LoadResult,
  type OutboxPlace,
  type Store,
} from "../../src/index.js";
import { assertSameRecords } from "../../src/testing/index.js";
import { engines, open, openPGlite, type Engine, type Opened } from "./databases.js";

const SYSTEM: CommandContext = { actor: { system: "test" } };
const AT: CommandContext = { actor: { userId: "ana" }, at: "2025-05-01T09:30:00Z" };

const ACME: CrmRecordsInit = {
  users: [{ id: "ana", role: "admin" }, { id: "ben" }, { id: "cleo" }, { id: "dev" }],
  contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "dev", source: "manual" }], opportunityIds: ["deal-2", "deal-1"] }],
  opportunities: [
    { id: "deal-1", contactId: "acme", ownerId: "ana" },
    { id: "deal-2", contactId: "acme", ownerId: "ana", followers: [{ userId: "cleo", source: "automation" }] },
  ],
};

const TABLES = ["crm_accounts", "crm_users", "crm_contacts", "crm_opportunities", "crm_followers", "crm_rotations", "crm_events", "crm_commands"];

describe.each<Engine>(engines())("%s store", (engine) => {
  // One database per engine, emptied before each test (a fresh PostgreSQL database costs ~0.3 s).
  let db: Opened;
  beforeAll(async () => {
    db = await open(engine);
    await db.store.migrate();
  });
  afterAll(() => db.close());
  async function seeded(records: CrmRecordsInit = ACME): Promise<Opened["store"]> {
    for (const table of TABLES) await db.sql(`DELETE FROM ${table}`);
    await db.store.createAccount("acct", records);
    return db.store;
  }
  /** Every row of every table, in a stable order: to prove that nothing at all changed. */
  const dump = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const rows = await db.rows(`SELECT * FROM ${table}`);
      out[table] = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => k !== "seq")))).sort();
    }
    return out;
  };

  it("migrate applies the shipped migrations once: running it again is harmless", async () => {
    const fresh = await open(engine);
    try {
      expect(await fresh.store.migrate()).toBe(3);
      expect(await fresh.store.migrate()).toBe(0);
      expect(await fresh.rows("SELECT version FROM crm_migrations ORDER BY version")).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    } finally {
      await fresh.close();
    }
  });

  it("createAccount stores the records as given (order of each contact's opportunities included), version 0 unless they say otherwise", async () => {
    const store = await seeded();
    const loaded = await store.loadAccount("acct");
    expect(loaded?.version).toBe(0);
    if (loaded === undefined) throw new Error("the account is missing");
    assertSameRecords(loaded, createState(ACME));
    await store.createAccount("later", { ...ACME, version: 41 });
    expect((await store.loadAccount("later"))?.version).toBe(41);
    await expect(store.createAccount("acct", ACME)).rejects.toThrow(/exists already/);
    await expect(store.createAccount("bad", { users: [], contacts: [{ id: "x", ownerId: "zed" }], opportunities: [] })).rejects.toBeInstanceOf(
      InvalidSnapshotError,
    );
    expect(await store.loadAccount("bad")).toBeUndefined();
  });

  it("commits rows and events together; events carry version, actor, commandId and at; readEvents reads after a version", async () => {
    const store = await seeded();
    const first = await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" }, AT);
    expect(first).toMatchObject({ ok: true, version: 1, duplicate: false, attempts: 1 });
    const second = await runCommand(store, "acct", { type: "addFollower", record: { kind: "opportunity", id: "deal-1" }, userId: "cleo" }, SYSTEM);
    expect(second).toMatchObject({ ok: true, version: 2 });
    const events = await store.readEvents("acct");
    expect(events.map((e) => [e.version, e.type, e.commandId, e.at])).toEqual([
      [1, "ContactOwnerChanged", "c-1", "2025-05-01T09:30:00Z"],
      [1, "OpportunityOwnerChanged", "c-1", "2025-05-01T09:30:00Z"],
      [1, "OpportunityOwnerChanged", "c-1", "2025-05-01T09:30:00Z"],
      [2, "FollowerAdded", undefined, undefined],
    ]);
    expect(events[0]?.actor).toEqual({ userId: "ana" });
    expect(events[3]?.actor).toEqual({ system: "test" });
    expect((await store.readEvents("acct", { afterVersion: 1 })).map((e) => e.type)).toEqual(["FollowerAdded"]);
    // Not a version: refused by name, not read as "no events after it".
    for (const afterVersion of [Number.NaN, 1.5, -1, "1" as unknown as number]) {
      await expect(store.readEvents("acct", { afterVersion })).rejects.toThrow(/^afterVersion must be a whole number/);
    }
    const after = await store.loadAccount("acct");
    expect(after?.version).toBe(2);
    expect(after && getOpportunity(after, "deal-1")).toMatchObject({ ownerId: "ben", followers: [{ userId: "cleo" }] });
  });

  it("a second copy of a command returns the first's outcome (same version and events) with duplicate: true, and writes nothing", async () => {
    const store = await seeded();
    const body = { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "cleo", commandId: "c-7" };
    const first = await runCommand(store, "acct", body, SYSTEM);
    await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "dev" }, SYSTEM);
    const before = await dump();
    const again = await runCommand(store, "acct", body, SYSTEM);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again).toMatchObject({ duplicate: true, version: first.version });
    expect(again.events).toEqual(first.events);
    expect(await dump()).toEqual(before);
  });

  it("copies delivered at the same moment: one commits, the others get its outcome, never ALREADY_EXISTS", async () => {
    const store = await seeded();
    const body = { type: "createContact", contactId: "initech", ownerId: "ben", commandId: "c-9" };
    const results = await Promise.all([1, 2, 3, 4].map(() => runCommand(store, "acct", body, SYSTEM)));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => (r.ok ? r.version : -1)))).toEqual(new Set([1]));
    expect((await store.readEvents("acct")).filter((e) => e.commandId === "c-9")).toHaveLength(1);
  });

  it("a commandId another request took: another actor, or the same actor with another command, is refused with COMMAND_ID_REUSED, learns nothing, writes nothing", async () => {
    const store = await seeded();
    const body = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "req-1" };
    const first = await runCommand(store, "acct", body, AT);
    expect(first).toMatchObject({ ok: true, version: 1, duplicate: false });
    const refusedBody = { type: "assignContactOwner", contactId: "nobody", ownerId: "ben", commandId: "req-2" };
    expect(await runCommand(store, "acct", refusedBody, AT)).toMatchObject({ ok: false, error: { code: "CONTACT_NOT_FOUND" } });
    const before = await dump();
    const others: [unknown, CommandContext][] = [
      [body, SYSTEM],
      [body, { actor: { userId: "ben" } }],
      [{ ...body, ownerId: "cleo" }, AT],
      [{ type: "deleteContact", contactId: "acme", commandId: "req-1" }, AT],
      [{ ...body, expectedVersion: 0 }, AT],
      [refusedBody, SYSTEM],
    ];
    for (const [other, context] of others) {
      const result = await runCommand(store, "acct", other, context);
      const id = (other as { commandId: string }).commandId;
      expect(result).toEqual({ ok: false, error: { code: "COMMAND_ID_REUSED", message: expect.any(String), field: "commandId", id }, duplicate: false, attempts: 1 });
      // Nothing of the first request: not its events, its contact's new owner, nor its actor.
      expect(JSON.stringify(result)).not.toMatch(/ana|ben|acme|nobody|NOT_FOUND/);
    }
    expect(await dump()).toEqual(before);
    // The same request (keys in another order, sent later) is a copy: the first's outcome.
    const copy = await runCommand(store, "acct", { commandId: "req-1", ownerId: "ben", contactId: "acme", type: "assignContactOwner" }, { ...AT, at: "2030-01-01T00:00:00Z" });
    expect(copy).toEqual({ ...first, duplicate: true });
    expect(await runCommand(store, "acct", refusedBody, AT)).toMatchObject({ ok: false, duplicate: true, error: { code: "CONTACT_NOT_FOUND" } });
    // An outcome stored before migration 3 has no fingerprint: nothing proves whose it is, so it is
    // answered to nobody, its own sender included, and its command does not run again.
    await db.sql(`UPDATE crm_commands SET fingerprint = NULL WHERE command_id = 'req-1'`);
    const legacy = await dump();
    expect(await runCommand(store, "acct", body, AT)).toMatchObject({ ok: false, error: { code: "COMMAND_ID_REUSED" } });
    expect(await dump()).toEqual(legacy);
  });

  it("two actors sending one commandId at the same moment: one commits, the other gets COMMAND_ID_REUSED, also when only the commit sees the id taken", async () => {
    for (const blind of [false, true]) {
      const store = await seeded();
      // A store whose load never finds an outcome: only the commit's check inside the transaction can.
      const used: Store = blind ? { ...store, load: (accountId, needed) => store.load(accountId, needed, undefined), commit: (a, r) => store.commit(a, r) } : store;
      const body = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "race-1" };
      const results = await Promise.all([runCommand(used, "acct", body, AT), runCommand(used, "acct", { ...body, ownerId: "cleo" }, SYSTEM)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.error.code === "COMMAND_ID_REUSED")).toHaveLength(1);
      expect((await store.readEvents("acct")).filter((e) => e.commandId === "race-1").length).toBeGreaterThan(0);
      expect(new Set((await store.readEvents("acct")).map((e) => e.version))).toEqual(new Set([1]));
    }
  });

  it("a refusal is final: remembered for its commandId, so a later copy gets the same refusal even after the state changed", async () => {
    const store = await seeded();
    const body = { type: "assignContactOwner", contactId: "globex", ownerId: "ben", commandId: "c-3" };
    const refused = await runCommand(store, "acct", body, SYSTEM);
    expect(refused).toMatchObject({ ok: false, duplicate: false, error: { code: "CONTACT_NOT_FOUND", id: "globex" } });
    await runCommand(store, "acct", { type: "createContact", contactId: "globex", ownerId: "ana" }, SYSTEM);
    const again = await runCommand(store, "acct", body, SYSTEM);
    expect(again).toMatchObject({ ok: false, duplicate: true, error: { code: "CONTACT_NOT_FOUND", id: "globex" } });
    expect((await store.loadAccount("acct"))?.version).toBe(1);
    // Without a commandId nothing is remembered: it runs on the current state.
    expect(await runCommand(store, "acct", { ...body, commandId: undefined }, SYSTEM)).toMatchObject({ ok: true, version: 2 });
  });

  it("a command that changes nothing writes no row, event or version; with a commandId its outcome is kept", async () => {
    const store = await seeded();
    const before = await dump();
    const noop = await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ana" }, SYSTEM);
    expect(noop).toMatchObject({ ok: true, version: 0, events: [], duplicate: false });
    expect(await dump()).toEqual(before);
    const kept = await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ana", commandId: "c-0" }, SYSTEM);
    expect(kept).toMatchObject({ ok: true, version: 0, events: [] });
    await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
    // A late copy does not undo the newer change.
    const late = await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ana", commandId: "c-0" }, SYSTEM);
    expect(late).toMatchObject({ ok: true, version: 0, duplicate: true });
    const after = await store.loadAccount("acct");
    expect(after && getContact(after, "acme")?.ownerId).toBe("ben");
    expect((await store.readEvents("acct")).map((e) => e.version).at(-1)).toBe(1);
  });

  it("refuses an unparsable body (nothing read) and an account that does not exist", async () => {
    const store = await seeded();
    expect(await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme" }, SYSTEM)).toMatchObject({
      ok: false,
      attempts: 0,
      error: { code: "INVALID_COMMAND", field: "ownerId" },
    });
    expect(await runCommand(store, "nope", { type: "deleteContact", contactId: "acme" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "ACCOUNT_NOT_FOUND", id: "nope" },
    });
    expect(await store.loadAccount("nope")).toBeUndefined();
  });

  it("on a version conflict it loads and runs again: both changes land", async () => {
    const store = await seeded();
    let raced = false;
    const racing: Store = {
      load: (a, n, c) => store.load(a, n, c),
      async commit(a, request) {
        if (!raced) {
          raced = true; // another writer commits between this load and this commit
          await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
        }
        return store.commit(a, request);
      },
      pause: (attempt) => store.pause?.(attempt) ?? Promise.resolve(),
    };
    const result = await runCommand(racing, "acct", { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "cleo" }, SYSTEM);
    expect(result).toMatchObject({ ok: true, version: 2, attempts: 2 });
    const after = await store.loadAccount("acct");
    expect(after && getContact(after, "acme")).toMatchObject({ ownerId: "ben", followers: [{ userId: "dev" }, { userId: "cleo", source: "manual" }] });
    expect((await store.readEvents("acct")).map((e) => [e.version, e.type])).toContainEqual([2, "FollowerAdded"]);
  });

  it("gives up with VERSION_CONFLICT after maxAttempts when the account keeps changing, writing nothing of its own", async () => {
    const store = await seeded();
    let other = 0;
    const busy: Store = {
      load: (a, n, c) => store.load(a, n, c),
      async commit(a, request) {
        other++;
        const type = other % 2 === 1 ? "addFollower" : "removeFollower";
        await runCommand(store, "acct", { type, record: { kind: "contact", id: "acme" }, userId: "ben" }, SYSTEM);
        return store.commit(a, request);
      },
    };
    const result = await runCommand(busy, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "cleo", commandId: "c-5" }, SYSTEM, {
      maxAttempts: 3,
    });
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { code: "VERSION_CONFLICT" } });
    expect((await store.readEvents("acct")).some((e) => e.commandId === "c-5")).toBe(false);
    // Not remembered: sent again when the account is quiet, it runs.
    expect(await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "cleo", commandId: "c-5" }, SYSTEM)).toMatchObject({
      ok: true,
      duplicate: false,
    });
  });

  it("a stored row with an unknown owner: INVALID_STORED_DATA naming the record's id, database unchanged; loadAccount throws StoredDataError", async () => {
    const store = await seeded();
    await db.sql("UPDATE crm_opportunities SET owner_id = 'zed' WHERE id = 'deal-1'");
    const before = await dump();
    const result = await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" }, SYSTEM);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "INVALID_STORED_DATA", kind: "opportunity", id: "deal-1", field: "ownerId" },
    });
    expect(!result.ok && result.error.message).toMatch(/"deal-1"/);
    expect(await dump()).toEqual(before);
    await expect(store.loadAccount("acct")).rejects.toBeInstanceOf(StoredDataError);
    await expect(store.loadAccount("acct")).rejects.toMatchObject({ error: { id: "deal-1" } });
    // Records the command does not need do not stop it.
    await runCommand(store, "acct", { type: "createContact", contactId: "initech", ownerId: "ben" }, SYSTEM);
    expect((await store.readEvents("acct")).map((e) => e.type)).toEqual(["ContactCreated"]);
  });

  it("createOpportunity over an orphaned opportunity row (its contact is gone): ALREADY_EXISTS, the row untouched", async () => {
    const store = await seeded();
    await db.sql(
      "INSERT INTO crm_opportunities (account_id, id, contact_id, owner_id, status, position) VALUES ('acct', 'deal-9', 'gone', NULL, 'won', 0)",
    );
    const before = await dump();
    const result = await runCommand(store, "acct", { type: "createOpportunity", opportunityId: "deal-9", contactId: "acme", commandId: "c-2" }, SYSTEM);
    expect(result).toMatchObject({ ok: false, error: { code: "ALREADY_EXISTS", id: "deal-9", field: "opportunityId" } });
    const after = await dump();
    expect(after.crm_opportunities).toEqual(before.crm_opportunities);
    expect(after.crm_events).toEqual([]);
  });

  it("a crash in the middle of a commit leaves nothing behind", async () => {
    const store = await seeded();
    await db.sql(
      engine === "sqlite"
        ? "CREATE TRIGGER crash BEFORE INSERT ON crm_events BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        : `CREATE FUNCTION crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
           CREATE TRIGGER crash BEFORE INSERT ON crm_events FOR EACH ROW EXECUTE FUNCTION crash();`,
    );
    try {
      const before = await dump();
      await expect(runCommand(store, "acct", { type: "deleteOpportunity", opportunityId: "deal-2", commandId: "c-4" }, SYSTEM)).rejects.toThrow(
        /disk on fire/,
      );
      expect(await dump()).toEqual(before);
    } finally {
      await db.sql(engine === "sqlite" ? "DROP TRIGGER crash" : "DROP TRIGGER crash ON crm_events; DROP FUNCTION crash()");
    }
  });

  it("the relay hands every event out once, in order, records progress, and sets an unreadable one aside without stopping", async () => {
    const store = await seeded();
    for (const ownerId of ["ben", "cleo", "dev"]) await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId }, SYSTEM);
    // A truncated payload (a disk or a hand edit): the second event of version 2.
    await db.sql("UPDATE crm_events SET payload = '{\"type\":\"Opport' WHERE version = 2 AND seq = 1");
    const unreadable: unknown[] = [];
    const events = await store.readEvents("acct", { onUnreadable: (p) => unreadable.push(p) });
    expect(events).toHaveLength(8);
    expect(unreadable).toEqual([{ accountId: "acct", version: 2, seq: 1, problem: expect.any(String) }]);

    const seen: string[] = [];
    const places: string[] = [];
    let failOnce = true;
    const handler = async (event: { version: number; type: string }, place: OutboxPlace) => {
      if (event.version === 3 && failOnce) {
        failOnce = false;
        throw new Error("queue down");
      }
      seen.push(`${event.version}:${event.type}`);
      places.push(`${place.accountId}/${place.version}/${place.seq}`);
    };
    await expect(store.relay("acct", handler)).rejects.toThrow("queue down");
    expect(seen).toEqual(["1:ContactOwnerChanged", "1:OpportunityOwnerChanged", "1:OpportunityOwnerChanged", "2:ContactOwnerChanged", "2:OpportunityOwnerChanged"]);
    const report = await store.relay("acct", handler);
    expect(report).toEqual({ delivered: 3, setAside: [] });
    expect(seen.slice(5)).toEqual(["3:ContactOwnerChanged", "3:OpportunityOwnerChanged", "3:OpportunityOwnerChanged"]);
    expect(await store.relay("acct", handler)).toEqual({ delivered: 0, setAside: [] });
    expect((await db.rows("SELECT relay, problem FROM crm_events WHERE version = 2 AND seq = 1"))[0]).toMatchObject({ relay: 2 });
    // Each event's place in the outbox, beside it: the key a consumer deduplicates on (2/1 was set aside).
    expect(places).toEqual(["acct/1/0", "acct/1/1", "acct/1/2", "acct/2/0", "acct/2/2", "acct/3/0", "acct/3/1", "acct/3/2"]);
  });

  it("the relay of the first call reports the unreadable row it set aside", async () => {
    const store = await seeded();
    await runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, SYSTEM);
    await db.sql("UPDATE crm_events SET payload = '[1,2]' WHERE seq = 0");
    const report = await store.relay("acct", () => undefined);
    expect(report.delivered).toBe(2);
    expect(report.setAside).toEqual([{ accountId: "acct", version: 1, seq: 0, problem: "not a JSON object" }]);
  });

  it("an offboarding that leaves closed deals does not load the groups where the user owns only those; one that takes them does", async () => {
    const records: CrmRecordsInit = {
      settings: { allowDifferentOwners: true },
      users: ACME.users,
      contacts: [{ id: "mine", ownerId: "ben" }, { id: "open", ownerId: "ana" }, { id: "closed", ownerId: "ana" }, { id: "followed", ownerId: "ana" }],
      opportunities: [
        { id: "m1", contactId: "mine", ownerId: "ben", status: "won" },
        { id: "o1", contactId: "open", ownerId: "ben" },
        { id: "c1", contactId: "closed", ownerId: "ben", status: "won" },
        { id: "c2", contactId: "closed", ownerId: "cleo" },
        { id: "f1", contactId: "followed", ownerId: "ana", status: "lost", followers: [{ userId: "ben", source: "manual" }] },
      ],
    };
    for (const includeClosed of [false, true]) {
      const store = await seeded(records);
      const loaded: string[][] = [];
      const spy: Store = {
        ...store,
        load: async (...args: Parameters<Store["load"]>): Promise<LoadResult> => {
          const result = await store.load(...args);
          if (result.found === "records") loaded.push(result.records.contacts.map((c) => c.id));
          return result;
        },
        commit: (...args) => store.commit(...args),
      };
      const command = { type: "deactivateUser", userId: "ben", reassignTo: "dev", includeClosed } as const;
      const result = await runCommand(spy, "acct", command, SYSTEM);
      // "closed" holds nothing of ben's but a won deal: only a move that takes closed deals needs it.
      expect(loaded, `includeClosed: ${includeClosed}`).toEqual([includeClosed ? ["mine", "open", "closed", "followed"] : ["mine", "open", "followed"]]);
      // The same events as on the whole account.
      const whole = execute(createState(records), command, SYSTEM);
      expect(result.ok && whole.ok && result.events).toEqual(whole.ok && whole.events);
      const after = await store.loadAccount("acct");
      expect(after && getOpportunity(after, "c1")?.ownerId).toBe(includeClosed ? "dev" : "ben");
    }
  });

  it("bulk moves load the records of their users (recordsOfUsers); turning separate owners off loads the whole account", async () => {
    const store = await seeded({
      settings: { allowDifferentOwners: true },
      users: ACME.users,
      contacts: [{ id: "acme", ownerId: "ana" }, { id: "globex", ownerId: "ben" }, { id: "initech", ownerId: "cleo", followers: [{ userId: "ben", source: "manual" }] }],
      opportunities: [
        { id: "deal-1", contactId: "acme", ownerId: "ben" },
        { id: "deal-2", contactId: "globex", ownerId: "ben" },
      ],
    });
    const moved = await runCommand(store, "acct", { type: "transferOwnership", fromUserId: "ben", toUserId: "dev" }, SYSTEM);
    expect(moved.ok).toBe(true);
    const after = await store.loadAccount("acct");
    const owners = after ? Object.fromEntries(["deal-1", "deal-2"].map((id) => [id, getOpportunity(after, id)?.ownerId])) : {};
    expect(owners).toEqual({ "deal-1": "dev", "deal-2": "dev" });
    const recoupled = await runCommand(store, "acct", { type: "updateSettings", allowDifferentOwners: false }, SYSTEM);
    expect(recoupled.ok).toBe(true);
    const coupled = await store.loadAccount("acct");
    expect(coupled && getOpportunity(coupled, "deal-1")?.ownerId).toBe("ana");
  });
});

it("the PostgreSQL store runs on PGlite too: migrate, create, commit, dedupe, refuse, relay, reload", { timeout: 60_000 }, async () => {
  const db = await openPGlite();
  try {
    const store = db.store;
    expect(await store.migrate()).toBe(3);
    expect(await store.migrate()).toBe(0);
    await store.createAccount("acct", ACME);
    const body = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" };
    const copies = await Promise.all([1, 2, 3].map(() => runCommand(store, "acct", body, AT)));
    expect(copies.map((r) => [r.ok, r.ok && r.version, r.duplicate])).toEqual([
      [true, 1, false],
      [true, 1, true],
      [true, 1, true],
    ]);
    expect(await runCommand(store, "acct", { type: "deleteContact", contactId: "nobody", commandId: "c-2" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "CONTACT_NOT_FOUND" },
    });
    const relayed: number[] = [];
    expect(await store.relay("acct", (e) => void relayed.push(e.version))).toEqual({ delivered: 3, setAside: [] });
    expect(await store.relay("acct", (e) => void relayed.push(e.version))).toEqual({ delivered: 0, setAside: [] });
    const after = await store.loadAccount("acct");
    expect(after && getContact(after, "acme")?.ownerId).toBe("ben");
    expect(after && getOpportunity(after, "deal-1")?.ownerId).toBe("ben");
  } finally {
    await db.close();
  }
});
