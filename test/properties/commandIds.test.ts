/**
 * Property of hosting's exactly-once rule with untrusted command ids (docs/integration.md,
 * "Exactly once per commandId"): a second request under a command id gets the first's outcome
 * exactly when it is the same request (the same actor, the same command whatever its key order,
 * sent at any time), and otherwise `COMMAND_ID_REUSED`, with nothing written and nothing of the
 * first request told. Run on the custom-store example, which keeps the `Store` contract as the
 * official stores do (their example test is test/stores/contract.test.ts).
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { runCommand, type CommandContext, type CrmRecordsInit, type RecordsNeeded } from "../../src/index.js";
import { memoryStore } from "../../examples/custom-store/memoryStore.js";

const RECORDS: CrmRecordsInit = {
  users: [{ id: "ana", role: "admin" }, { id: "ben" }, { id: "cleo" }],
  contacts: [{ id: "acme", ownerId: "ben" }],
  opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ben" }],
};

const WHOLE_ACCOUNT: RecordsNeeded = { load: "wholeAccount", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: true };

const actor = fc.constantFrom<CommandContext["actor"]>({ userId: "ana" }, { userId: "ben" }, { system: "import" }, { system: "sync" });
/** Commands that commit, change nothing, or are refused (FORBIDDEN for some actors, not found for all). */
const body = fc.oneof(
  fc.record({ type: fc.constant("assignContactOwner"), contactId: fc.constantFrom("acme", "nobody"), ownerId: fc.constantFrom("ana", "ben", "cleo") }),
  fc.record({ type: fc.constant("addFollower"), record: fc.record({ kind: fc.constant("contact"), id: fc.constant("acme") }), userId: fc.constantFrom("ana", "cleo") }),
  fc.record({ type: fc.constant("deleteContact"), contactId: fc.constant("acme") }),
);
const request = fc.record({ actor, body, reversed: fc.boolean(), at: fc.constantFrom(undefined, "2026-01-01T00:00:00Z", "2030-06-01T12:00:00Z") });
type Request = typeof request extends fc.Arbitrary<infer R> ? R : never;

/** The body as a client sends it: with the command id, its keys maybe in reverse order. */
function send(r: Request): unknown {
  const entries = Object.entries({ ...r.body, commandId: "req-1" });
  return Object.fromEntries(r.reversed ? entries.reverse() : entries);
}
const contextOf = (r: Request): CommandContext => (r.at === undefined ? { actor: r.actor } : { actor: r.actor, at: r.at });
const sameRequest = (a: Request, b: Request) => JSON.stringify(a.actor) === JSON.stringify(b.actor) && JSON.stringify(a.body) === JSON.stringify(b.body);

it("a second request under a command id gets the first's outcome exactly when it is the same request, else COMMAND_ID_REUSED and nothing written (property)", async () => {
  await fc.assert(
    fc.asyncProperty(request, request, async (first, second) => {
      const store = memoryStore();
      store.createAccount("acct", RECORDS);
      const firstResult = await runCommand(store, "acct", send(first), contextOf(first));
      const outbox = [...store.outbox("acct")];
      const records = await store.load("acct", WHOLE_ACCOUNT, undefined);
      const secondResult = await runCommand(store, "acct", send(second), contextOf(second));
      // Nothing written: not an event, not a row.
      expect(store.outbox("acct")).toEqual(outbox);
      expect(await store.load("acct", WHOLE_ACCOUNT, undefined)).toEqual(records);
      if (sameRequest(first, second)) {
        expect(secondResult).toEqual({ ...firstResult, duplicate: true });
      } else {
        expect(secondResult).toEqual({
          ok: false,
          error: { code: "COMMAND_ID_REUSED", message: expect.any(String), field: "commandId", id: "req-1" },
          duplicate: false,
          attempts: 1,
        });
      }
    }),
    { numRuns: 300 },
  );
});
