/**
 * The custom-store example (examples/custom-store) keeps the `Store` contract: driven through
 * `runCommand`, copies of one command sent at once commit once and share one outcome, and the
 * outbox replays to the stored state.
 */
import { expect, it } from "vitest";
import { createState, evolve, runCommand, type CrmRecordsInit } from "../../src/index.js";
import { assertSameRecords } from "../../src/testing/index.js";
import { memoryStore } from "../../examples/custom-store/memoryStore.js";

const RECORDS: CrmRecordsInit = {
  users: [{ id: "ana", role: "admin" }, { id: "ben" }],
  contacts: [{ id: "acme", ownerId: "ana" }],
  opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }],
};

it("a team's own store: exactly once per commandId, conflicts retried, outbox replays to the stored state", async () => {
  const store = memoryStore();
  store.createAccount("acct", RECORDS);
  const context = { actor: { system: "test" } };
  const copies = await Promise.all(
    [1, 2, 3].map(() => runCommand(store, "acct", { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" }, context)),
  );
  expect(copies.filter((r) => !r.duplicate)).toHaveLength(1);
  expect(new Set(copies.map((r) => (r.ok ? r.version : -1)))).toEqual(new Set([1]));
  const others = await Promise.all(
    ["c-2", "c-3", "c-4"].map((commandId, i) =>
      runCommand(store, "acct", { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: i % 2 ? "ana" : "ben", commandId }, context),
    ),
  );
  expect(others.every((r) => r.ok)).toBe(true);
  const outbox = store.outbox("acct");
  expect(new Set(outbox.filter((e) => e.commandId === "c-1").map((e) => e.version))).toEqual(new Set([1]));
  const loaded = await store.load("acct", { load: "wholeAccount", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: true }, undefined);
  if (loaded.found !== "records") throw new Error("no records");
  assertSameRecords(outbox.reduce(evolve, createState(RECORDS)), createState(loaded.records));
});
