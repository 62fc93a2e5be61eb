/**
 * `npm run demo`: the story of the setting "Allow different owners for contacts and its
 * opportunities", played command by command through `runCommand` and the official SQLite store
 * on ./demo.db (nothing to install), and told from what the store wrote to its outbox.
 * `npm run demo -- --postgres` plays the same story on PostgreSQL, on a throwaway server started
 * for the run and deleted after it (PostgreSQL's initdb and pg_ctl must be installed; see
 * scripts/pg-server.ts).
 *
 * Every command goes the way a real back end would send it: load what it needs, execute, commit
 * the changed rows and the events in one transaction. The timeline printed after each scene is
 * read back from the outbox, not from memory. Running it again starts from a fresh database.
 */
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { runCommand, type Actor, type Command, type CrmRecordsInit } from "../src/index.js";
import { postgresStore } from "../src/stores/postgres/index.js";
import type { SqlStore } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite/index.js";
import { startPostgres } from "../scripts/pg-server.js";
import { contactOf, LABELS, ownership, scene, settingsLines, timelineLines, title, WIDTH, wrap, type OutboxEntry } from "./narrate.js";

const FILE = "demo.db";
const ACCOUNT = "northwind";
const onPostgres = process.argv.includes("--postgres");

let store: SqlStore;
let where: string;
let close: () => Promise<void>;
if (onPostgres) {
  const server = startPostgres();
  const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, database: "postgres" });
  store = postgresStore(pool);
  where = "PostgreSQL (a throwaway server)";
  close = async () => {
    await pool.end();
    server.stop();
  };
} else {
  // A fresh database on every run.
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${FILE}${suffix}`, { force: true });
  const db = new Database(FILE);
  store = sqliteStore(db);
  where = `SQLite (./${FILE})`;
  close = async () => {
    db.close();
  };
}
await store.migrate();

const SUPPORT_TEAM = ["fay", "gus", "hal", "ivy", "jon", "kim", "lea", "max", "nia", "oto"];
const seed: CrmRecordsInit = {
  // Every setting as a new account has it: owners coupled, at most 10 followers per record.
  users: [{ id: "ana", role: "admin" }, { id: "ben" }, { id: "cleo" }, { id: "dev" }, { id: "eve" }, ...SUPPORT_TEAM.map((id) => ({ id }))],
  contacts: [
    { id: "acme", ownerId: "ben" },
    // Globex's whole support team follows it: ten followers, the most a record may have.
    { id: "globex", ownerId: "cleo", followers: SUPPORT_TEAM.map((userId) => ({ userId, source: "manual" as const })) },
  ],
  opportunities: [
    { id: "acme-renewal", contactId: "acme", ownerId: "ben" },
    { id: "acme-upsell", contactId: "acme", ownerId: "ben" },
    { id: "globex-pilot", contactId: "globex", ownerId: "cleo", followers: [{ userId: "eve", source: "manual" }] },
  ],
};
await store.createAccount(ACCOUNT, seed);

// The host's clock: each command arrives three minutes after the previous one.
let minutes = 9 * 60;
const at = () => {
  const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  minutes += 3;
  return `2025-03-03T${time}:00Z`;
};

const out = (lines: readonly string[]) => {
  for (const line of lines) console.log(line);
};

/** A command and who sends it: a user of the account (checked), or a named system actor. */
interface Request {
  readonly actor: Actor;
  readonly command: Command;
}
/** The automations of the story are system actors, trusted and named in every event. */
const WEB_FORM: Actor = { system: "web-form" };
const LEAD_ROUTING: Actor = { system: "workflow:lead-routing" };
const by = (actor: string | Actor, command: Command): Request => ({ actor: typeof actor === "string" ? { userId: actor } : actor, command });

let version = 0;
/** Sends a command through `runCommand`, as its actor; the demo stops if one is refused. */
async function send({ actor, command }: Request): Promise<void> {
  const result = await runCommand(store, ACCOUNT, command, { actor, at: at() });
  if (!result.ok) throw new Error(`The host refused ${command.type}: ${result.error.code} ${result.error.message}`);
}

/** Plays one scene: its commands through the host, then its timeline from the outbox. */
async function play(n: number, heading: string, intro: string, requests: readonly Request[], options: { note?: string; settings?: boolean } = {}): Promise<void> {
  out(scene(n, heading, intro));
  for (const request of requests) await send(request);

  const entries: OutboxEntry[] = (await store.readEvents(ACCOUNT, { afterVersion: version })).map((event) => ({ event }));
  const state = await store.loadAccount(ACCOUNT);
  if (state === undefined) throw new Error("the demo account is gone");
  out([LABELS.timeline, ...entries.flatMap(timelineLines)]);
  if (options.note !== undefined) out(["", ...wrap(options.note, WIDTH, LABELS.note, " ".repeat(LABELS.note.length))]);

  const touched = new Set<string>();
  for (const { event } of entries) {
    const contactId = contactOf(state, event);
    if (contactId !== undefined) touched.add(contactId);
  }
  if (touched.size > 0) out(["", LABELS.owners, ...ownership(state, touched)]);
  if (options.settings === true) out(["", LABELS.settings, ...settingsLines(state)]);
  version = state.version;
}

out(title(where));
out([
  "",
  ...wrap(
    "Account “Northwind” starts with 15 users (Ana is the admin), two contacts and three deals. " +
      "Acme Corp and both of its deals belong to Ben; Globex and its pilot belong to Cleo. " +
      "Every change below is a command sent to the host, which loads only the rows the command needs, " +
      "runs it through crm-ownership, and writes the changed rows and the events in one transaction.",
    WIDTH,
    "  ",
  ),
  "",
  LABELS.start,
  ...ownership((await store.loadAccount(ACCOUNT))!, ["acme", "globex"]),
  LABELS.legend,
]);

await play(1, "Owners are coupled", "“Allow different owners” is off, as it is for every new account: a contact and all of its deals share one owner. Ana gives one of Acme's deals to Dev.", [
  by("ana", { type: "assignOpportunityOwner", opportunityId: "acme-upsell", ownerId: "dev" }),
]);

await play(2, "Ana allows different owners", "Ana turns the setting on, with both of its subsettings, so that followers keep up with owners.", [
  by("ana", {
    type: "updateSettings",
    allowDifferentOwners: true,
    updateContactFollowersOnOpportunityOwnerChange: true,
    updateOpportunityFollowersOnContactOwnerChange: true,
  }),
], { settings: true });

await play(3, "New deals: the default owner, or another one", "A new deal takes its contact's owner unless someone picks another owner. Now that owners are separate, picking one no longer moves the contact.", [
  by("dev", { type: "createOpportunity", opportunityId: "acme-services", contactId: "acme" }),
  by("ana", { type: "createOpportunity", opportunityId: "acme-hardware", contactId: "acme", ownerId: "ben" }),
]);

await play(4, "Contact followers follow the deal owners", "Cleo follows Acme Corp by hand. Then Acme's renewal changes hands three times: each new deal owner follows the contact automatically, and an automatic follow ends when its user no longer owns any of Acme's deals.", [
  by("cleo", { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "cleo" }),
  by("ana", { type: "assignOpportunityOwner", opportunityId: "acme-renewal", ownerId: "eve" }),
  by("ana", { type: "assignOpportunityOwner", opportunityId: "acme-renewal", ownerId: "cleo" }),
  by("ana", { type: "assignOpportunityOwner", opportunityId: "acme-renewal", ownerId: "dev" }),
], { note: "Cleo still follows Acme Corp although she no longer owns any of its deals: she chose to follow it herself, and a rule never removes a follow made by hand." });

await play(5, "A contact changes hands", "Ana hands the contact Acme Corp over to Ben, then back to Dev. Only the contact moves. Its new owner follows each of its deals he does not own, automatically. Dev keeps three of Acme's deals, so he now follows the contact. When Dev takes the contact back, that follow has no reason any more and ends, and Ben, who owns Acme hardware, follows the contact instead.", [
  by("ana", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }),
  by("ana", { type: "assignContactOwner", contactId: "acme", ownerId: "dev" }),
]);

await play(6, "The follower limit", "Globex already has ten followers, the most a record may have. Ana gives the Globex pilot to Dev, so the rule tries to make Dev a follower of Globex.", [
  by("ana", { type: "assignOpportunityOwner", opportunityId: "globex-pilot", ownerId: "dev" }),
], { note: "Nothing was changed on Globex, and nothing failed: the event tells the host to let someone know." });

await play(7, "A swap on a full contact", "Fay stops following Globex, and Ana gives the pilot to Eve, who follows Globex automatically: ten followers again. Then the pilot goes back to Dev. Eve's automatic follow ends first, so Dev takes her place although Globex is full.", [
  by("fay", { type: "removeFollower", record: { kind: "contact", id: "globex" }, userId: "fay" }),
  by("ana", { type: "assignOpportunityOwner", opportunityId: "globex-pilot", ownerId: "eve" }),
  by("ana", { type: "assignOpportunityOwner", opportunityId: "globex-pilot", ownerId: "dev" }),
]);

await play(8, "Ana turns different owners off again", "Owners are coupled again: every deal whose owner differs from its contact's goes back to the contact's owner. With one owner per contact nobody has a reason to follow automatically any more, so every automatic follow ends; follows made by hand stay.", [
  by("ana", { type: "updateSettings", allowDifferentOwners: false }),
], { settings: true, note: "Only the follows marked (auto) ended: Cleo still follows Acme Corp, and the support team still follows Globex, because they chose to. The two subsettings stay on, but have no effect while owners are coupled." });

await play(9, "Weighted round-robin for new leads", "Three leads arrive from the web form, unassigned. The lead-routing automation gives each to the next user of the rotation “Inbound leads”: Ben twice, then Eve once (weights 2 and 1). A deal created for Hooli takes its owner, as owners are coupled.", [
  by(WEB_FORM, { type: "createContact", contactId: "initech" }),
  by(WEB_FORM, { type: "createContact", contactId: "umbrella" }),
  by(WEB_FORM, { type: "createContact", contactId: "hooli" }),
  ...["initech", "umbrella", "hooli"].map((contactId) =>
    by(LEAD_ROUTING, {
      type: "assignUser",
      contactId,
      users: [{ userId: "ben", weight: 2 }, { userId: "eve", weight: 1 }],
      rotationId: "inbound-leads",
      onlyIfUnassigned: true,
    }),
  ),
  by(WEB_FORM, { type: "createOpportunity", opportunityId: "hooli-trial", contactId: "hooli" }),
]);

await play(10, "Offboarding: Eve leaves", "Eve leaves the company. Ana deactivates her and hands everything she owns to Cleo; Eve stops following anything.", [
  by("ana", { type: "deactivateUser", userId: "eve", reassignTo: "cleo" }),
], { note: "Eve now owns nothing and follows nothing. She stays in the account as an inactive user, so the history above still shows her name." });

const outbox = await store.readEvents(ACCOUNT);
const commands = new Set(outbox.map((e) => e.version)).size;
const events = outbox.length;
out([
  "",
  "═".repeat(78),
  ...wrap(
    `The outbox (table crm_events) now holds ${events} events from ${commands} commands (account version ${version}). ` +
      (onPostgres
        ? "Every line above was read back from it. "
        : "Every line above was read back from it; with the sqlite3 shell: sqlite3 demo.db \"SELECT version, type FROM crm_events\". ") +
      "Run the demo again and it starts from a fresh database.",
    WIDTH,
    "  ",
  ),
]);
await close();
