/**
 * How the official SQLite store's cost grows with the account: `npm run bench:host [contacts]`.
 * Seeds one account (2 deals and 1 follower per contact, 50 users) in a temp file, then times
 * single-record commands through `runCommand` (they load a few rows whatever the size), the same
 * with a commandId (one more row: the outcome), and one offboarding-sized bulk move (it loads
 * only the records of the user it moves from).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runCommand, type Command, type CommandContext } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite/index.js";

const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "crm-host-bench-"));
const db = new Database(join(dir, "bench.db"));
const store = sqliteStore(db);
await store.migrate();
const context: CommandContext = { actor: { system: "bench" } };
const users = Array.from({ length: 50 }, (_, i) => ({ id: `u${i}` }));
const contacts = Array.from({ length: N }, (_, i) => ({
  id: `c${i}`,
  ownerId: `u${i % 50}`,
  followers: [{ userId: `u${(i + 1) % 50}`, source: "manual" as const }],
}));
const opportunities = contacts.flatMap((c, i) => [
  { id: `o${i}a`, contactId: c.id, ownerId: c.ownerId },
  { id: `o${i}b`, contactId: c.id, ownerId: c.ownerId },
]);

let t = performance.now();
await store.createAccount("big", { users, contacts, opportunities });
console.log(`seeded ${N} contacts, ${2 * N} deals: ${(performance.now() - t).toFixed(0)} ms`);

const single: [string, (i: number) => Command][] = [
  ["assignOpportunityOwner (coupled: the contact and 2 deals move)", (i) => ({ type: "assignOpportunityOwner", opportunityId: `o${(i * 7919) % N}a`, ownerId: `u${i % 50}` })],
  ["addFollower on a contact", (i) => ({ type: "addFollower", record: { kind: "contact", id: `c${(i * 104729) % N}` }, userId: `u${(i * 7) % 50}` })],
  ["assignContactOwner with a commandId", (i) => ({ type: "assignContactOwner", contactId: `c${(i * 15485863) % N}`, ownerId: `u${(i * 3) % 50}`, commandId: `b-${i}` })],
];
for (const [label, make] of single) {
  const K = 2_000;
  t = performance.now();
  for (let i = 0; i < K; i++) {
    const result = await runCommand(store, "big", make(i), context);
    if (!result.ok) throw new Error(result.error.message);
  }
  console.log(`${label}: ${((performance.now() - t) / K).toFixed(2)} ms per command`);
}
t = performance.now();
const moved = await runCommand(store, "big", { type: "transferOwnership", fromUserId: "u1", toUserId: "u2" }, context);
if (!moved.ok) throw new Error(moved.error.message);
console.log(`transferOwnership of one user's ${N / 50} contacts: ${(performance.now() - t).toFixed(0)} ms, ${moved.events.length} events`);
db.close();
rmSync(dir, { recursive: true, force: true });
