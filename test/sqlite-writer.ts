/**
 * A writer process for the SQLite host's concurrency test: opens its own connection and runs
 * `count` commands on one contact of one account, as fast as it can, while other writers do the
 * same. Prints one JSON line: the versions it committed, its retries, and any failure.
 *
 * Usage: node --import tsx test/sqlite-writer.ts <db file> <account> <writer name> <count> <seed>
 */
import { handle, openDatabase } from "../examples/sqlite-host/index.js";
import type { Command } from "../src/index.js";
import { prng } from "./host-random.js";
import { SYSTEM } from "./helpers.js";

const [file, accountId, name, countText, seedText] = process.argv.slice(2);
if (file === undefined || accountId === undefined || name === undefined) throw new Error("usage: <db> <account> <name> <count> <seed>");
const db = openDatabase(file);
const rng = prng(Number(seedText ?? "1"));
const users = ["ana", "ben", "cleo", "dev"];
const committed: number[] = [];
let retries = 0;
const failures: string[] = [];

for (let i = 0; i < Number(countText ?? "100"); i++) {
  const r = rng.int(4);
  const user = rng.pick(users);
  const command: Command =
    r === 0
      ? { type: "assignOpportunityOwner", opportunityId: rng.pick(["deal-1", "deal-2"]), ownerId: user }
      : r === 1
        ? { type: "assignContactOwner", contactId: "acme", ownerId: user }
        : r === 2
          ? { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: user }
          : { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: user };
  const result = handle(db, accountId, { ...command, commandId: `${name}-${i}` }, SYSTEM, { maxAttempts: 50 });
  if (!result.ok) {
    failures.push(`${result.error.code}: ${result.error.message}`);
    continue;
  }
  retries += result.attempts - 1;
  if (result.events.length > 0) committed.push(result.version);
}
db.close();
process.stdout.write(`${JSON.stringify({ name, committed, retries, failures })}\n`);
