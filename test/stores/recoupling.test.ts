/**
 * The official stores answer `load: "recoupling"` from `crm_contacts.recouple` (migration 2),
 * one lookup on a partial index. These tests check the flag three ways: migration 2 computes it
 * for rows written under version 1, every commit keeps it current (random command streams
 * through `runCommand`), and re-coupling through `runCommand` gives the events of re-coupling
 * the whole account in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, runCommand, toRecords, type Command } from "../../src/index.js";
import { POSTGRES_MIGRATIONS } from "../../src/stores/postgres/index.js";
import { SQLITE_MIGRATIONS } from "../../src/stores/sqlite/index.js";
import { SYSTEM } from "../helpers.js";
import { initialRecords, prng, randomCommand, randomContext, recouplingGroups } from "../host-random.js";
import { engines, open, reload, type Engine, type Opened } from "./databases.js";

const OFF: Command = { type: "updateSettings", allowDifferentOwners: false };

describe.each<Engine>(engines())("%s store: the re-coupling load", (engine) => {
  let db: Opened;
  beforeAll(async () => {
    db = await open(engine);
    await db.store.migrate();
  });
  afterAll(() => db.close());

  const flagged = async (accountId: string) =>
    (await db.rows(`SELECT id FROM crm_contacts WHERE account_id = '${accountId}' AND recouple = 1`)).map((r) => String(r.id)).sort();

  it("migration 2 flags the split groups and those with automatic follows among rows written under version 1", async () => {
    const old = await open(engine);
    try {
      const v1 = (engine === "sqlite" ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS)[0];
      if (v1 === undefined) throw new Error("no migration 1");
      await old.sql("CREATE TABLE crm_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      await old.sql(v1.sql);
      await old.sql(`INSERT INTO crm_migrations (version, name) VALUES (1, 'v1')`);
      await old.sql(`INSERT INTO crm_accounts (id, allow_different_owners) VALUES ('a', 1)`);
      await old.sql(`INSERT INTO crm_users (account_id, id) VALUES ('a', 'ana'), ('a', 'ben')`);
      await old.sql(`INSERT INTO crm_contacts (account_id, id, owner_id) VALUES
        ('a', 'split', 'ana'), ('a', 'whole', 'ana'), ('a', 'autoDeal', 'ana'), ('a', 'auto', 'ana'), ('a', 'nullDeal', 'ana'), ('a', 'nobody', NULL), ('a', 'manual', 'ben')`);
      await old.sql(`INSERT INTO crm_opportunities (account_id, id, contact_id, owner_id, position) VALUES
        ('a', 'd1', 'split', 'ben', 0), ('a', 'd2', 'whole', 'ana', 0), ('a', 'd3', 'autoDeal', 'ana', 0), ('a', 'd4', 'nullDeal', NULL, 0), ('a', 'd5', 'nobody', NULL, 0)`);
      await old.sql(`INSERT INTO crm_followers (account_id, record_kind, record_id, user_id, source, position) VALUES
        ('a', 'opportunity', 'd3', 'ben', 'automation', 0), ('a', 'contact', 'auto', 'ben', 'automation', 0), ('a', 'contact', 'manual', 'ana', 'manual', 0)`);
      expect(await old.store.migrate()).toBe(2); // 2, and 3 after it
      const rows = await old.rows(`SELECT id FROM crm_contacts WHERE account_id = 'a' AND recouple = 1`);
      expect(rows.map((r) => String(r.id)).sort()).toEqual(["auto", "autoDeal", "nullDeal", "split"]);
      // And the store then re-couples those groups as the library does on the whole account.
      const whole = await reload(old, "a");
      const expected = execute(whole, OFF, SYSTEM);
      const result = await runCommand(old.store, "a", OFF, SYSTEM);
      expect(result.ok && expected.ok).toBe(true);
      if (result.ok && expected.ok) expect(result.events).toEqual(expected.events);
    } finally {
      await old.close();
    }
  });

  it("every commit keeps the flag current, and re-coupling through runCommand gives the events of the whole account (seeded streams)", async () => {
    const seeds = engine === "sqlite" ? 60 : 25;
    let recoupled = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = prng(seed * 7919);
      const init = initialRecords(rng);
      const accountId = `recouple-${seed}`;
      await db.store.createAccount(accountId, { ...init, settings: { ...init.settings, allowDifferentOwners: true } });
      for (let i = 0; i < 30; i++) {
        const command = randomCommand(rng, 0);
        // Keep separate owners on while the stream runs, so the groups split.
        if (command.type === "updateSettings" && command.allowDifferentOwners === false) continue;
        await runCommand(db.store, accountId, { ...command, expectedVersion: undefined }, randomContext(rng));
        const state = await reload(db, accountId);
        expect(await flagged(accountId)).toEqual([...recouplingGroups(toRecords(state))].sort());
      }
      const before = await reload(db, accountId);
      const expected = execute(before, OFF, SYSTEM);
      const result = await runCommand(db.store, accountId, OFF, SYSTEM);
      expect(result.ok).toBe(expected.ok);
      if (result.ok && expected.ok) {
        expect(result.events).toEqual(expected.events);
        if (result.events.length > 1) recoupled++;
      }
      const after = await reload(db, accountId);
      expect(await flagged(accountId)).toEqual([...recouplingGroups(toRecords(after))].sort());
    }
    expect(recoupled).toBeGreaterThan(seeds / 4);
  }, 120_000);
});
