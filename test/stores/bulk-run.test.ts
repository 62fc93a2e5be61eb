/**
 * `runBulk` on the official stores: a transfer or an offboarding of a user owning many groups,
 * run as chunk commands each committed on its own. While other commands run in between (they
 * give the user new records, move others), the end state is right: the user owns nothing, the
 * invariants hold, the versions are contiguous, every chunk id is committed once. After a crash
 * between chunks, a rerun with the same bulk id applies no chunk twice and ends in the same state;
 * so does a rerun after a worker process running an offboarding is killed with SIGKILL mid-run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkInvariants,
  getUser,
  listContacts,
  listOpportunities,
  runBulk,
  runCommand,
  type BulkProgress,
  type CommandContext,
  type CrmRecordsInit,
  type CrmState,
  type Store,
} from "../../src/index.js";
import { SYSTEM } from "../helpers.js";
import type { BulkWorkerConfig } from "./bulk-worker.js";
import { CHECKS, type RunFacts } from "./checks.js";
import { engines, open, reload, type Engine, type Opened } from "./databases.js";
import { BULK_WORKER, killBulkWorker } from "./killBulkWorker.js";

/** An account where "u" owns `n` groups (some contacts, some only deals, some closed deals), and follows some. */
function records(n: number, allowDifferentOwners: boolean): CrmRecordsInit {
  const contacts: NonNullable<CrmRecordsInit["contacts"]>[number][] = [];
  const opportunities: NonNullable<CrmRecordsInit["opportunities"]>[number][] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    contacts.push({ id: `c${i}`, ownerId: kind === 3 && allowDifferentOwners ? "ben" : "u", followers: i % 5 === 0 ? [{ userId: "u", source: "manual" }] : [] });
    opportunities.push({ id: `d${i}a`, contactId: `c${i}`, ownerId: "u", status: kind === 2 ? "won" : "open" });
    opportunities.push({ id: `d${i}b`, contactId: `c${i}`, ownerId: kind === 1 && allowDifferentOwners ? "cy" : "u" });
  }
  contacts.push({ id: "other", ownerId: "ben", followers: [{ userId: "u", source: "automation" }] });
  return {
    settings: { allowDifferentOwners, maxFollowers: 10 },
    users: [{ id: "root", role: "admin" }, { id: "u" }, { id: "ben" }, { id: "cy" }],
    contacts,
    opportunities,
  };
}

const ownedBy = (state: CrmState, user: string, includeClosed: boolean) => [
  ...listContacts(state).filter((c) => c.ownerId === user).map((c) => c.id),
  ...listOpportunities(state).filter((o) => o.ownerId === user && (includeClosed || o.status === "open")).map((o) => o.id),
];

const ownership = (state: CrmState) => ({
  contacts: listContacts(state).map((c) => [c.id, c.ownerId, c.followers]),
  opportunities: listOpportunities(state).map((o) => [o.id, o.ownerId, o.followers]),
});

describe.each<Engine>(engines())("%s store: runBulk", (engine) => {
  let db: Opened;
  let accounts = 0;
  beforeAll(async () => {
    db = await open(engine);
    await db.store.migrate();
  });
  afterAll(() => db.close());

  const load = (accountId: string): Promise<CrmState> => reload(db, accountId);

  /** The checks every bulk run must pass, whatever ran beside it. */
  async function checkEnd(accountId: string, bulkId: string, user: string, includeClosed: boolean) {
    const state = await load(accountId);
    expect(ownedBy(state, user, includeClosed)).toEqual([]);
    expect(checkInvariants(state)).toEqual([]);
    const events = await db.store.readEvents(accountId);
    const versions = [...new Set(events.map((e) => e.version))];
    expect(versions).toEqual(Array.from({ length: state.version }, (_, i) => i + 1)); // contiguous, from 1
    // Each chunk id made at most one version, and every event of that version carries it.
    const rows = await db.rows(`SELECT command_id, version, outcome FROM crm_commands WHERE account_id = '${accountId}' AND command_id LIKE '${bulkId}:chunk:%'`);
    const chunkVersions = rows.filter((r) => r.outcome === "changed").map((r) => Number(r.version));
    expect(new Set(chunkVersions).size).toBe(chunkVersions.length);
    for (const version of chunkVersions) {
      const ids = new Set(events.filter((e) => e.version === version).map((e) => e.commandId));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(new RegExp(`^${bulkId}:chunk:\\d+$`));
    }
    return { state, events, chunkRows: rows };
  }

  it.each([true, false])("a transfer in chunks ends as one whole transfer would, with progress after each chunk (separate owners: %s)", async (separate) => {
    const accountId = `bulk-${++accounts}`;
    const twin = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(40, separate));
    await db.store.createAccount(twin, records(40, separate));
    const progress: BulkProgress[] = [];
    const result = await runBulk(db.store, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "move-u" }, SYSTEM, {
      chunkSize: 7,
      onProgress: (p) => void progress.push(p),
    });
    expect(result).toMatchObject({ ok: true, skipped: 0, groups: 40, chunks: 6 });
    expect(progress.map((p) => p.done)).toEqual([7, 14, 21, 28, 35, 40]);
    expect(progress.every((p) => p.total === 40)).toBe(true);
    const { state } = await checkEnd(accountId, "move-u", "u", false);
    // The same end as one transfer of everything (on a twin account).
    const whole = await runCommand(db.store, twin, { type: "transferOwnership", fromUserId: "u", toUserId: "ben" }, SYSTEM);
    expect(whole.ok).toBe(true);
    expect(ownership(state)).toEqual(ownership(await load(twin)));
    // Run again: nothing left, nothing done.
    const again = await runBulk(db.store, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "move-u" }, SYSTEM, { chunkSize: 7 });
    expect(again).toMatchObject({ ok: true, chunks: 0, groups: 0 });
    expect((await load(accountId)).version).toBe(state.version);
  });

  it("a bulk id another request took first (a harmless command, or the same offboarding by another actor) is refused with COMMAND_ID_REUSED: nothing moved, nothing told", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(12, true));
    const root: CommandContext = { actor: { userId: "root" } };
    const bulk = { type: "deactivateUser", userId: "u", reassignTo: "cy", includeClosed: false, commandId: "offboard-u-taken" } as const;
    // A user sends the admin's (guessable) bulk id first, with a harmless command.
    const taken = await runCommand(db.store, accountId, { type: "addFollower", record: { kind: "contact", id: "other" }, userId: "ben", commandId: bulk.commandId }, { actor: { userId: "ben" } });
    expect(taken).toMatchObject({ ok: true, duplicate: false });
    const before = await load(accountId);
    const refused = await runBulk(db.store, accountId, bulk, root, { chunkSize: 5 });
    expect(refused).toEqual({ ok: false, error: { code: "COMMAND_ID_REUSED", message: expect.any(String), field: "commandId", id: bulk.commandId }, commandId: bulk.commandId });
    expect(JSON.stringify(refused)).not.toContain("FollowerAdded");
    const after = await load(accountId);
    expect(after.version).toBe(before.version);
    expect(getUser(after, "u")?.active).toBe(true);
    // A finished run is answered only to its own actor.
    const done = await runBulk(db.store, accountId, { ...bulk, commandId: "offboard-u-2" }, root, { chunkSize: 5 });
    expect(done).toMatchObject({ ok: true, duplicate: false });
    expect(await runBulk(db.store, accountId, { ...bulk, commandId: "offboard-u-2" }, root, { chunkSize: 5 })).toMatchObject({ ok: true, duplicate: true });
    expect(await runBulk(db.store, accountId, { ...bulk, commandId: "offboard-u-2" }, SYSTEM, { chunkSize: 5 })).toMatchObject({ ok: false, error: { code: "COMMAND_ID_REUSED" } });
  });

  it("a run that stopped after its last chunk, before its final command, is finished by its own actor only; a finished transfer is answered to its own actor only", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(9, true));
    const root: CommandContext = { actor: { userId: "root" } };
    const bulk = { type: "deactivateUser", userId: "u", reassignTo: "cy", includeClosed: true, commandId: "offboard-u-last" } as const;
    // The final command's commit fails (the process dies there): every chunk is committed, nothing else.
    const dying: Store = {
      ...db.store,
      load: (a, n, id) => db.store.load(a, n, id),
      commit: (a, request) => (request.commandId === bulk.commandId ? Promise.reject(new Error("killed")) : db.store.commit(a, request)),
    };
    await expect(runBulk(dying, accountId, bulk, root, { chunkSize: 4 })).rejects.toThrow("killed");
    const stopped = await load(accountId);
    expect(getUser(stopped, "u")?.active).toBe(true);
    // Nothing is left to cut into chunks, but the run is root's: SYSTEM may not end it.
    expect(await runBulk(db.store, accountId, bulk, SYSTEM, { chunkSize: 4 })).toMatchObject({ ok: false, error: { code: "COMMAND_ID_REUSED", id: bulk.commandId } });
    expect((await load(accountId)).version).toBe(stopped.version);
    const finished = await runBulk(db.store, accountId, bulk, root, { chunkSize: 4 });
    expect(finished).toMatchObject({ ok: true, chunks: 0, skipped: 0, duplicate: false });
    expect(getUser(await load(accountId), "u")?.active).toBe(false);
    // A transfer has no final command: its first chunk says whose run it is.
    const other = `bulk-${++accounts}`;
    await db.store.createAccount(other, records(9, true));
    const move = { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "move-u-once" } as const;
    expect(await runBulk(db.store, other, move, root, { chunkSize: 4 })).toMatchObject({ ok: true, chunks: 3 });
    expect(await runBulk(db.store, other, move, root, { chunkSize: 4 })).toMatchObject({ ok: true, chunks: 0 });
    expect(await runBulk(db.store, other, move, SYSTEM, { chunkSize: 4 })).toMatchObject({ ok: false, error: { code: "COMMAND_ID_REUSED" } });
  });

  it("an offboarding moves in chunks, then commits deactivateUser last (follows removed); a rerun answers with its outcome", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(25, true));
    const bulk = { type: "deactivateUser", userId: "u", reassignTo: "cy", includeClosed: true, commandId: "offboard-u" } as const;
    const result = await runBulk(db.store, accountId, bulk, SYSTEM, { chunkSize: 10 });
    expect(result).toMatchObject({ ok: true, chunks: 3, groups: 25, duplicate: false });
    if (!result.ok) return;
    expect(result.events[0]).toMatchObject({ type: "UserDeactivated", userId: "u", commandId: "offboard-u" });
    // The chunks moved everything: the final command only removes follows.
    expect(result.events.filter((e) => e.type.endsWith("OwnerChanged"))).toEqual([]);
    expect(result.events.filter((e) => e.type === "FollowerRemoved").length).toBeGreaterThan(0);
    const { state } = await checkEnd(accountId, "offboard-u", "u", true);
    expect(getUser(state, "u")?.active).toBe(false);
    expect([...listContacts(state), ...listOpportunities(state)].some((r) => r.followers.some((f) => f.userId === "u"))).toBe(false);
    expect(await runBulk(db.store, accountId, bulk, SYSTEM, { chunkSize: 10 })).toMatchObject({ ok: true, duplicate: true, chunks: 0 });
  });

  it("a bulk that would be refused moves nothing: an unknown target, the last admin, a non-admin actor", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(5, true));
    const version = (await load(accountId)).version;
    expect(await runBulk(db.store, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "ghost", commandId: "b1" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "USER_NOT_FOUND", field: "toUserId" },
      commandId: undefined,
    });
    expect(await runBulk(db.store, accountId, { type: "deactivateUser", userId: "root", reassignTo: "ben", commandId: "b2" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await runBulk(db.store, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "b3" }, { actor: { userId: "ben" } })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await runBulk(db.store, "nope", { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "b4" }, SYSTEM)).toMatchObject({
      ok: false,
      error: { code: "ACCOUNT_NOT_FOUND" },
    });
    const bad = { type: "transferOwnership", fromUserId: "u", toUserId: "ben", contactIds: ["c1"], commandId: "b5" } as const;
    expect(await runBulk(db.store, accountId, bad, SYSTEM)).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "contactIds" } });
    const noId = { type: "transferOwnership", fromUserId: "u", toUserId: "ben" } as unknown as Parameters<typeof runBulk>[2];
    expect(await runBulk(db.store, accountId, noId, SYSTEM)).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "commandId" } });
    const plain: Store = { load: (...a) => db.store.load(...a), commit: (...a) => db.store.commit(...a) };
    await expect(runBulk(plain, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "b6" }, SYSTEM)).rejects.toThrow(/^runBulk: the store has no ownedGroups/);
    expect((await load(accountId)).version).toBe(version);
  });

  it("ownedGroups follows the transfer's selection: records, includeClosed, creation order, limit and total", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(8, true));
    const q = (records: "contacts" | "opportunities" | "all", includeClosed: boolean, limit = 100) =>
      db.store.ownedGroups(accountId, { userId: "u", records, includeClosed, limit });
    // c3 and c7 have contact owner ben; c2 and c6 have a won deal d·a, and d·b still u's.
    expect(await q("contacts", false)).toEqual({ contactIds: ["c0", "c1", "c2", "c4", "c5", "c6"], total: 6 });
    expect((await q("opportunities", false)).total).toBe(8);
    expect(await q("all", true, 3)).toEqual({ contactIds: ["c0", "c1", "c2"], total: 8 });
    expect(await db.store.ownedGroups(accountId, { userId: "nobody", records: "all", includeClosed: true, limit: 5 })).toEqual({ contactIds: [], total: 0 });
  });

  it("a store whose ownedGroups names groups the transfer does not change: the run throws after three idle chunks; a command that is no bulk is refused", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(3, true));
    const lying: Store = { ...db.store, load: (...a) => db.store.load(...a), commit: (...a) => db.store.commit(...a), ownedGroups: () => ({ contactIds: ["other"], total: 1 }) };
    await expect(runBulk(lying, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "ben", commandId: "lie" }, SYSTEM)).rejects.toThrow(/^runBulk: store\.ownedGroups keeps naming groups .* the last lie:chunk:2\)/);
    const notBulk = { type: "createContact", contactId: "x", commandId: "nb" } as unknown as Parameters<typeof runBulk>[2];
    expect(await runBulk(db.store, accountId, notBulk, SYSTEM)).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "type" } });
    expect(await runBulk(db.store, accountId, { type: "transferOwnership", fromUserId: "u", toUserId: "u", commandId: "self" }, SYSTEM)).toMatchObject({ ok: true, chunks: 0 });
  });

  it("commands of other writers between the chunks (new records for the user, moves, deletes) leave a right end state", async () => {
    const accountId = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(60, true));
    let extra = 0;
    const writerVersions: number[] = [];
    // Another writer, as an async task: it gives "u" new groups and records while the chunks commit
    // (a fixed number of rounds: a writer that never stops could outpace any bulk run).
    const writer = (async () => {
      for (let n = 0; n < 12; n++) {
        const commands = [
          { type: "createContact", contactId: `new${n}`, ownerId: "u" },
          { type: "createOpportunity", opportunityId: `newd${n}`, contactId: `c${(n * 7) % 60}`, ownerId: "u" },
          { type: "assignContactOwner", contactId: `c${(n * 13) % 60}`, ownerId: "u" },
          { type: "deleteContact", contactId: `c${(n * 11 + 3) % 60}` },
        ];
        for (const command of commands) {
          const r = await runCommand(db.store, accountId, { ...command, commandId: `w-${n}-${command.type}` }, SYSTEM);
          if (r.ok && r.events.length > 0) {
            extra++;
            writerVersions.push(r.version);
          }
        }
      }
    })();
    // And between chunks, for sure: the progress callback (awaited) gives "u" a new group each time.
    const between: number[] = [];
    const onProgress = async ({ chunk }: BulkProgress) => {
      if (chunk >= 8) return; // not forever: each would make one more chunk
      const r = await runCommand(db.store, accountId, { type: "createContact", contactId: `between${chunk}`, ownerId: "u", commandId: `b-${chunk}` }, SYSTEM);
      if (r.ok && r.events.length > 0) between.push(r.version);
    };
    const result = await runBulk(db.store, accountId, { type: "deactivateUser", userId: "u", reassignTo: "ben", commandId: "off-u" }, SYSTEM, {
      chunkSize: 4,
      onProgress,
      maxAttempts: 100,
    });
    await writer;
    expect(result).toMatchObject({ ok: true });
    expect(extra).toBeGreaterThan(4);
    // They did interleave: some of the writer's commits came between two chunks.
    const chunkVersionsSeen = (await db.rows(`SELECT version FROM crm_commands WHERE account_id = '${accountId}' AND command_id LIKE 'off-u:chunk:%' AND outcome = 'changed'`)).map((r) => Number(r.version));
    const [first, last] = [Math.min(...chunkVersionsSeen), Math.max(...chunkVersionsSeen)];
    expect(between.filter((v) => v > first && v < last).length).toBeGreaterThan(5);
    expect(writerVersions.length).toBe(extra);
    const { state, chunkRows } = await checkEnd(accountId, "off-u", "u", false);
    expect(getUser(state, "u")?.active).toBe(false);
    expect(chunkRows.length).toBeGreaterThan(10);
    // After the deactivation the writer's assignments to "u" were refused: "u" still owns nothing.
    expect(ownedBy(await load(accountId), "u", false)).toEqual([]);
  }, 60_000);

  it("a crash between chunks, then a rerun with the same bulk id: no chunk applied twice, the same end as a run without a crash", async () => {
    const accountId = `bulk-${++accounts}`;
    const twin = `bulk-${++accounts}`;
    await db.store.createAccount(accountId, records(30, false));
    await db.store.createAccount(twin, records(30, false));
    let commits = 0;
    // The process dies right after the third chunk's commit, before it learns the result.
    const crashing: Store = {
      load: (...a) => db.store.load(...a),
      ownedGroups: (...a) => db.store.ownedGroups(...a),
      async commit(id, request) {
        const result = await db.store.commit(id, request);
        if (++commits === 3) throw new Error("killed");
        return result;
      },
    };
    const bulk = { type: "deactivateUser", userId: "u", reassignTo: "cy", commandId: "crash-u" } as const;
    await expect(runBulk(crashing, accountId, bulk, SYSTEM, { chunkSize: 4 })).rejects.toThrow("killed");
    expect((await load(accountId)).version).toBe(3);
    const rerun = await runBulk(db.store, accountId, bulk, SYSTEM, { chunkSize: 4 });
    expect(rerun).toMatchObject({ ok: true, skipped: 3, chunks: 5, groups: 18 });
    await checkEnd(accountId, "crash-u", "u", false);
    const plain = await runBulk(db.store, twin, bulk, SYSTEM, { chunkSize: 4 });
    expect(plain).toMatchObject({ ok: true, skipped: 0, chunks: 8, groups: 30 });
    const [a, b] = [await load(accountId), await load(twin)];
    expect(ownership(a)).toEqual(ownership(b));
    expect(a.version).toBe(b.version);
    const events = await db.store.readEvents(accountId);
    const twinEvents = await db.store.readEvents(twin);
    expect(events.map((e) => [e.type, e.version, e.commandId])).toEqual(twinEvents.map((e) => [e.type, e.version, e.commandId]));
  });

  it("an offboarding worker process killed with SIGKILL mid-run, then a rerun with the same bulk id: no chunk applied twice, versions contiguous, the outbox replays to the stored rows, the end of a run without a crash", async () => {
    const accountId = `bulk-${++accounts}`;
    const twin = `bulk-${++accounts}`;
    const initial = records(30, true);
    await db.store.createAccount(accountId, initial);
    await db.store.createAccount(twin, initial);
    const bulk = { type: "deactivateUser", userId: "u", reassignTo: "cy", commandId: "killed-u" } as const;
    const config: BulkWorkerConfig = { kind: engine === "sqlite" ? "sqlite" : "postgres", ...db.connection, accountId, bulk, chunkSize: 3 };
    const { signal, ended, stderr } = await killBulkWorker(config, 3);
    expect(signal, stderr).toBe("SIGKILL");
    expect(ended).toBe(false);
    const committed = (await db.rows(`SELECT command_id FROM crm_commands WHERE account_id = '${accountId}'`)).length;
    expect(committed).toBeGreaterThanOrEqual(3);
    expect(committed).toBeLessThan(10);
    // Another actor cannot take the run over: its bulk id is the worker's, and nothing is written.
    const versionAfterCrash = (await load(accountId)).version;
    expect(await runBulk(db.store, accountId, bulk, SYSTEM, { chunkSize: 3 })).toMatchObject({ ok: false, error: { code: "COMMAND_ID_REUSED", field: "commandId", id: "killed-u" }, commandId: "killed-u" });
    expect((await load(accountId)).version).toBe(versionAfterCrash);
    // The same actor resumes it.
    const rerun = await runBulk(db.store, accountId, bulk, BULK_WORKER, { chunkSize: 3 });
    expect(rerun).toMatchObject({ ok: true, skipped: committed, chunks: 10 - committed, duplicate: false });
    const { state } = await checkEnd(accountId, "killed-u", "u", false);
    expect(getUser(state, "u")?.active).toBe(false);
    const events = await db.store.readEvents(accountId);
    const facts: RunFacts = { initial, acks: [], events, final: state, delivered: events };
    for (const name of ["appliedOnce", "contiguous", "invariants", "replay"] as const) expect(CHECKS[name](facts), name).toEqual([]);
    const plain = await runBulk(db.store, twin, bulk, SYSTEM, { chunkSize: 3 });
    expect(plain).toMatchObject({ ok: true, skipped: 0, chunks: 10 });
    const twinState = await load(twin);
    expect(ownership(state)).toEqual(ownership(twinState));
    expect(state.version).toBe(twinState.version);
  }, 60_000);
});
