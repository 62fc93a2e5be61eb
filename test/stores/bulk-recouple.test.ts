/**
 * `runBulk` re-coupling on the official stores: turning separate owners off on an account with
 * many split groups, as chunks of `recoupleGroups` (the groups the store's `groupsToRecouple`
 * still lists), then the `updateSettings` itself, committed last under the bulk id. It ends as
 * one `updateSettings` would; progress is reported after each chunk; a worker process killed
 * with SIGKILL mid-run is rerun without applying a chunk twice; other writers splitting groups
 * again between the chunks are re-coupled by the final command.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listContacts,
  listOpportunities,
  runBulk,
  runCommand,
  type BulkCommand,
  type BulkProgress,
  type Command,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
  type Store,
} from "../../src/index.js";
import { as, auto, manual, SYSTEM } from "../helpers.js";
import type { BulkWorkerConfig } from "./bulk-worker.js";
import { CHECKS, type RunFacts } from "./checks.js";
import { engines, open, reload, type Engine, type Opened } from "./databases.js";
import { BULK_WORKER, killBulkWorker } from "./killBulkWorker.js";

const USERS = ["ana", "ben", "cy"];

/**
 * Separate owners, both follower subsettings on, `n` groups: of every five, one split, one
 * aligned with an automatic follow, one aligned and plain (nothing to re-couple), one split with
 * a manual follow, one split by a closed deal. So 4n/5 groups to re-couple.
 */
function records(n: number): CrmRecordsInit {
  const contacts: NonNullable<CrmRecordsInit["contacts"]>[number][] = [];
  const opportunities: NonNullable<CrmRecordsInit["opportunities"]>[number][] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    const owner = USERS[i % 3] as string;
    const other = USERS[(i + 1) % 3] as string;
    contacts.push({ id: `c${i}`, ownerId: owner, followers: kind === 1 ? [auto(other)] : kind === 3 ? [manual(other)] : [] });
    opportunities.push({ id: `d${i}a`, contactId: `c${i}`, ownerId: kind === 0 || kind === 3 ? other : owner, followers: kind === 0 ? [auto(owner)] : [] });
    opportunities.push({ id: `d${i}b`, contactId: `c${i}`, ownerId: kind === 4 ? null : owner, status: kind === 4 ? "lost" : "open" });
  }
  return {
    settings: { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true },
    users: [{ id: "root", role: "admin" }, ...USERS.map((id) => ({ id }))],
    contacts,
    opportunities,
  };
}
const toRecouple = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 2).length;

const OFF = { type: "updateSettings", allowDifferentOwners: false } as const;
const bulk = (commandId: string): BulkCommand => ({ ...OFF, commandId });

const ownership = (state: CrmState) => ({
  contacts: listContacts(state).map((c) => [c.id, c.ownerId, c.followers]),
  opportunities: listOpportunities(state).map((o) => [o.id, o.ownerId, o.followers]),
});
/** Owner changes and follower removals without what differs between one command and many. */
const changes = (events: readonly CrmEvent[]) =>
  events
    .filter((e) => e.type !== "SettingsChanged")
    .map(({ version: _v, commandId: _c, ...rest }) => JSON.stringify(rest))
    .sort();
/** Every group has one owner and no automatic follow is left. */
const allCoupled = (state: CrmState) =>
  listOpportunities(state).every((o) => o.ownerId === listContacts(state).find((c) => c.id === o.contactId)?.ownerId) &&
  [...listContacts(state), ...listOpportunities(state)].every((r) => r.followers.every((f) => f.source === "manual"));

describe.each<Engine>(engines())("%s store: runBulk re-coupling", (engine) => {
  let db: Opened;
  let accounts = 0;
  beforeAll(async () => {
    db = await open(engine);
    await db.store.migrate();
  });
  afterAll(() => db.close());

  const load = (accountId: string): Promise<CrmState> => reload(db, accountId);
  const flagged = async (accountId: string) => Number((await db.rows(`SELECT COUNT(*) AS n FROM crm_contacts WHERE account_id = '${accountId}' AND recouple = 1`))[0]?.n);

  /** The checks of the multi-process runs (checks.ts) that apply to one account's outbox, plus the bulk's own. */
  async function checkEnd(accountId: string, initial: CrmRecordsInit, bulkId: string) {
    const final = await load(accountId);
    const events = await db.store.readEvents(accountId);
    const facts: RunFacts = { initial, acks: [], events, final, delivered: events };
    for (const name of ["appliedOnce", "contiguous", "invariants", "replay"] as const) expect(CHECKS[name](facts), name).toEqual([]);
    expect(final.settings.allowDifferentOwners).toBe(false);
    expect(allCoupled(final)).toBe(true);
    expect(await flagged(accountId)).toBe(0);
    // Each chunk id made at most one version; the final command, under the bulk id, came last.
    const rows = await db.rows(`SELECT command_id, version, outcome FROM crm_commands WHERE account_id = '${accountId}' AND command_id LIKE '${bulkId}%'`);
    const chunkVersions = rows.filter((r) => String(r.command_id).startsWith(`${bulkId}:chunk:`) && r.outcome === "changed").map((r) => Number(r.version));
    expect(new Set(chunkVersions).size).toBe(chunkVersions.length);
    const finalRow = rows.find((r) => r.command_id === bulkId);
    expect(Number(finalRow?.version)).toBeGreaterThan(Math.max(0, ...chunkVersions));
    expect(events.find((e) => e.type === "SettingsChanged")?.commandId).toBe(bulkId);
    return { final, events, chunkVersions };
  }

  it("re-couples in chunks (progress after each), then commits updateSettings last: the end and the changes of one updateSettings; a rerun answers with its outcome", async () => {
    const accountId = `rc-${++accounts}`;
    const twin = `rc-${++accounts}`;
    const initial = records(40);
    await db.store.createAccount(accountId, initial);
    await db.store.createAccount(twin, initial);
    expect(await db.store.groupsToRecouple(accountId, { limit: 3 })).toEqual({ contactIds: ["c0", "c1", "c3"], total: toRecouple(40) });
    const progress: BulkProgress[] = [];
    const result = await runBulk(db.store, accountId, bulk("off"), SYSTEM, { chunkSize: 7, onProgress: (p) => void progress.push(p) });
    expect(result).toMatchObject({ ok: true, chunks: 5, skipped: 0, groups: 32, duplicate: false });
    expect(progress).toEqual([7, 14, 21, 28, 32].map((done, chunk) => ({ done, total: 32, chunk })));
    // The chunks re-coupled everything: the final command only flips the setting.
    if (result.ok) expect(result.events.map((e) => [e.type, e.commandId])).toEqual([["SettingsChanged", "off"]]);
    const { final, events } = await checkEnd(accountId, initial, "off");
    expect(events.filter((e) => e.commandId?.startsWith("off:chunk:")).every((e) => e.cause === "owners-recoupled")).toBe(true);
    const whole = await runCommand(db.store, twin, OFF, SYSTEM);
    expect(whole.ok).toBe(true);
    expect(ownership(final)).toEqual(ownership(await load(twin)));
    expect(changes(events)).toEqual(changes(await db.store.readEvents(twin)));
    expect(changes(events).length).toBeGreaterThan(32);
    const again = await runBulk(db.store, accountId, bulk("off"), SYSTEM, { chunkSize: 7 });
    expect(again).toMatchObject({ ok: true, duplicate: true, chunks: 0, version: final.version });
    expect((await load(accountId)).version).toBe(final.version);
  });

  it("owners coupled already: only the final command is committed (no chunk, even if a group is split from before the rule)", async () => {
    const accountId = `rc-${++accounts}`;
    await db.store.createAccount(accountId, { ...records(5), settings: { allowDifferentOwners: false } });
    expect((await db.store.groupsToRecouple(accountId, { limit: 10 })).total).toBe(4);
    const result = await runBulk(db.store, accountId, { type: "updateSettings", allowDifferentOwners: false, updateContactFollowersOnOpportunityOwnerChange: true, commandId: "noop" }, SYSTEM);
    expect(result).toMatchObject({ ok: true, chunks: 0, groups: 0, duplicate: false });
    if (result.ok) expect(result.events.map((e) => e.type)).toEqual(["SettingsChanged"]);
    expect((await db.rows(`SELECT command_id FROM crm_commands WHERE account_id = '${accountId}'`)).map((r) => r.command_id)).toEqual(["noop"]);
  });

  it("groupsToRecouple: creation order, limit (0 included) and total, read off the flag every commit keeps", async () => {
    const accountId = `rc-${++accounts}`;
    await db.store.createAccount(accountId, records(10));
    expect(await db.store.groupsToRecouple(accountId, { limit: 100 })).toEqual({ contactIds: ["c0", "c1", "c3", "c4", "c5", "c6", "c8", "c9"], total: 8 });
    expect(await db.store.groupsToRecouple(accountId, { limit: 0 })).toEqual({ contactIds: [], total: 8 });
    // A commit that splits c2 lists it; one that re-couples c0 and c1 drops them.
    await runCommand(db.store, accountId, { type: "assignOpportunityOwner", opportunityId: "d2b", ownerId: "ben" }, SYSTEM);
    await runCommand(db.store, accountId, { type: "recoupleGroups", contactIds: ["c1", "c0"] }, SYSTEM);
    expect(await db.store.groupsToRecouple(accountId, { limit: 3 })).toEqual({ contactIds: ["c2", "c3", "c4"], total: 7 });
    expect(await db.store.groupsToRecouple("nope", { limit: 3 })).toEqual({ contactIds: [], total: 0 });
  });

  it("a re-coupling that would be refused changes nothing: a non-admin actor, turning the setting on, a store without groupsToRecouple throws; a store that lists groups needing nothing throws after three idle chunks", async () => {
    const accountId = `rc-${++accounts}`;
    await db.store.createAccount(accountId, records(5));
    const version = (await load(accountId)).version;
    expect(await runBulk(db.store, accountId, bulk("b1"), as("ben"))).toMatchObject({ ok: false, error: { code: "FORBIDDEN", rule: "admin-only" }, commandId: undefined });
    const on = { type: "updateSettings", allowDifferentOwners: true, commandId: "b2" } as unknown as BulkCommand;
    expect(await runBulk(db.store, accountId, on, SYSTEM)).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "allowDifferentOwners" } });
    const plain: Store = { load: (...a) => db.store.load(...a), commit: (...a) => db.store.commit(...a), ownedGroups: (...a) => db.store.ownedGroups(...a) };
    // The store's fault, not the request's: thrown, as its own errors are (a server error, not a 400).
    await expect(runBulk(plain, accountId, bulk("b3"), SYSTEM)).rejects.toThrow(new TypeError("runBulk: the store has no groupsToRecouple, which a bulk re-coupling needs (the official stores have it)."));
    expect(await runBulk(db.store, "nope", bulk("b4"), SYSTEM)).toMatchObject({ ok: false, error: { code: "ACCOUNT_NOT_FOUND" } });
    expect((await load(accountId)).version).toBe(version);
    const lying: Store = { load: (...a) => db.store.load(...a), commit: (...a) => db.store.commit(...a), groupsToRecouple: () => ({ contactIds: ["c2"], total: 1 }) };
    await expect(runBulk(lying, accountId, bulk("lie"), SYSTEM)).rejects.toThrow(/^runBulk: store\.groupsToRecouple keeps naming groups .* the last lie:chunk:2\)/);
    expect((await load(accountId)).settings.allowDifferentOwners).toBe(true);
  });

  it("other writers split groups again and give them new owners between the chunks: the final command re-couples them; every group coupled, invariants, setting off", async () => {
    const accountId = `rc-${++accounts}`;
    const initial = records(50);
    await db.store.createAccount(accountId, initial);
    // A writer beside the run (a fixed number of rounds), and one between chunks for sure (the awaited progress callback).
    const writerVersions: number[] = [];
    const write = async (command: Command, id: string, into: number[]) => {
      const r = await runCommand(db.store, accountId, { ...command, commandId: id }, SYSTEM, { maxAttempts: 100 });
      if (r.ok && r.events.length > 0) into.push(r.version);
    };
    const writer = (async () => {
      for (let n = 0; n < 10; n++) {
        await write({ type: "assignOpportunityOwner", opportunityId: `d${(n * 7) % 50}b`, ownerId: USERS[n % 3] as string }, `w-opp-${n}`, writerVersions);
        await write({ type: "assignContactOwner", contactId: `c${(n * 11) % 50}`, ownerId: USERS[(n + 2) % 3] as string }, `w-contact-${n}`, writerVersions);
        await write({ type: "createContact", contactId: `new${n}`, ownerId: "ana" }, `w-new-${n}`, writerVersions);
        await write({ type: "createOpportunity", opportunityId: `newd${n}`, contactId: `new${n}`, ownerId: "ben" }, `w-newd-${n}`, writerVersions);
      }
    })();
    const between: number[] = [];
    const onProgress = async ({ chunk }: BulkProgress) => {
      if (chunk >= 6) return;
      // Split a group a chunk re-coupled already (c0 is in chunk 0), then move its contact.
      await write({ type: "assignOpportunityOwner", opportunityId: `d${chunk}a`, ownerId: "cy" }, `b-split-${chunk}`, between);
      await write({ type: "assignContactOwner", contactId: `c${chunk}`, ownerId: "ben" }, `b-move-${chunk}`, between);
    };
    // Groups split again after their chunk are listed again and re-coupled by a later chunk; one
    // split after the last count (a writer racing the end) is left to the final command.
    let raced = false;
    const racing: Store = {
      load: (...a) => db.store.load(...a),
      commit: (...a) => db.store.commit(...a),
      async groupsToRecouple(...a) {
        const found = await db.store.groupsToRecouple(...a);
        if (found.contactIds.length === 0 && !raced) {
          raced = true;
          await write({ type: "assignOpportunityOwner", opportunityId: "d7b", ownerId: "cy" }, "race-split", between);
        }
        return found;
      },
    };
    const result = await runBulk(racing, accountId, bulk("mix"), SYSTEM, { chunkSize: 4, onProgress, maxAttempts: 100 });
    await writer;
    expect(result).toMatchObject({ ok: true });
    const { chunkVersions } = await checkEnd(accountId, initial, "mix");
    const [first, last] = [Math.min(...chunkVersions), Math.max(...chunkVersions)];
    expect(between.filter((v) => v > first && v < last).length).toBeGreaterThan(4);
    expect(writerVersions.length).toBeGreaterThan(10);
    // The group split after the last count, the final command re-coupled.
    expect(raced).toBe(true);
    if (result.ok) expect(result.events.filter((e) => e.type === "OpportunityOwnerChanged").map((e) => "opportunityId" in e && e.opportunityId)).toContain("d7b");
  }, 60_000);

  it("a worker process killed with SIGKILL mid-run, then a rerun with the same bulk id: no chunk applied twice, versions contiguous, the outbox replays to the stored rows, the end of a run without a crash", async () => {
    const accountId = `rc-${++accounts}`;
    const twin = `rc-${++accounts}`;
    const initial = records(60);
    const groups = toRecouple(60);
    const size = 2;
    const allChunks = Math.ceil(groups / size);
    await db.store.createAccount(accountId, initial);
    await db.store.createAccount(twin, initial);
    const config: BulkWorkerConfig = { kind: engine === "sqlite" ? "sqlite" : "postgres", ...db.connection, accountId, bulk: bulk("killed"), chunkSize: size };
    const { signal, ended, stderr } = await killBulkWorker(config, 3);
    expect(signal, stderr).toBe("SIGKILL");
    expect(ended).toBe(false);
    const committed = (await db.rows(`SELECT command_id FROM crm_commands WHERE account_id = '${accountId}'`)).length;
    expect(committed).toBeGreaterThanOrEqual(3);
    expect(committed).toBeLessThan(allChunks);
    expect(await runBulk(db.store, accountId, bulk("killed"), SYSTEM, { chunkSize: size })).toMatchObject({ ok: false, error: { code: "COMMAND_ID_REUSED" } });
    const rerun = await runBulk(db.store, accountId, bulk("killed"), BULK_WORKER, { chunkSize: size });
    expect(rerun).toMatchObject({ ok: true, skipped: committed, chunks: allChunks - committed, groups: groups - committed * size, duplicate: false });
    await checkEnd(accountId, initial, "killed");
    const plain = await runBulk(db.store, twin, bulk("killed"), SYSTEM, { chunkSize: size });
    expect(plain).toMatchObject({ ok: true, skipped: 0, chunks: allChunks, groups });
    const [a, b] = [await load(accountId), await load(twin)];
    expect(ownership(a)).toEqual(ownership(b));
    expect(a.version).toBe(b.version);
    const strip = (events: readonly CrmEvent[]) => events.map(({ actor: _a, ...rest }) => rest);
    expect(strip(await db.store.readEvents(accountId))).toEqual(strip(await db.store.readEvents(twin)));
  }, 60_000);
});
