/**
 * `npm run demo` is the README's main command: it must run on a fresh checkout, twice in a row,
 * and tell the story of docs/rules.md §3–§9 (offboarding included) from the outbox of ./demo.db.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import Database from "better-sqlite3";
import { sqliteStore } from "../src/stores/sqlite/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const story = join(root, "demo", "story.ts");
// tsx's loader by absolute URL: the demo runs in an empty directory, where "tsx" would not resolve.
const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
const cwd = mkdtempSync(join(tmpdir(), "crm-demo-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
// The repository's tsconfig, found by path: it maps "crm-ownership" (how the stores import the engine) to src/.
const env = { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") };
const runDemo = async (...args: string[]) => (await promisify(execFile)(process.execPath, ["--import", tsx, story, ...args], { cwd, env })).stdout;

describe("the demo", () => {
  it("plays the story through runCommand and the SQLite store, prints it from the outbox, and can be run twice", async () => {
    const first = await runDemo();
    const second = await runDemo();
    expect(second).toBe(first);

    // The scenes of the story, in words (lines are wrapped: compare the text, not the layout).
    const text = first.replace(/\s+/g, " ");
    // Printed by the library's describeEvent (docs/describing-events.md).
    expect(text).toContain("because owners are coupled");
    expect(text).toContain("created deal “Acme services” for contact “Acme Corp”, owned by Dev");
    expect(text).toContain("Ana made Eve a follower of contact “Acme Corp”, because deal owners follow their contact");
    expect(text).toContain("Ana made Ben a follower of deal “Acme renewal”, because the contact's owner follows its deals");
    expect(text).toContain("Dev could not follow contact “Globex”");
    expect(text).toContain("because owners were coupled again");
    expect(text).toContain("reassigned contact “Initech”: nobody → Ben (round-robin “Inbound leads”)");
    expect(text).toContain("Cleo made themselves a follower of contact “Acme Corp”");
    expect(text).toContain("Ana deactivated Eve");
    // Automatic follows follow ownership (docs/rules.md §5, §8): a contact handed over to Ben
    // leaves Dev owning deals, so he follows it; a swap on a full contact; re-coupling ends them.
    expect(text).toContain("Ana made Dev a follower of contact “Acme Corp”, because deal owners follow their contact");
    expect(text).toContain(
      "Ana reassigned deal “Globex pilot”: Eve → Dev. 09:39 Ana removed Eve from the followers of contact “Globex”, because deal owners follow their contact. 09:39 Ana made Dev a follower of contact “Globex”",
    );
    expect(text).toContain("Ana removed Dev from the followers of contact “Globex”, because owners were coupled again");

    // What it printed is what the outbox of ./demo.db holds.
    const db = new Database(join(cwd, "demo.db"));
    const events = await sqliteStore(db).readEvents("northwind");
    db.close();
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count("FollowerNotAdded")).toBe(1);
    expect(count("UserDeactivated")).toBe(1);
    expect(events.filter((e) => e.cause === "owners-recoupled").length).toBeGreaterThan(0);
    expect(text).toContain(`holds ${events.length} events`);
  }, 60_000);

  // Without PostgreSQL (outside CI only: see test/stores/globalSetup.ts), this one is skipped.
  it.skipIf(inject("postgres") === null)("--postgres plays the same story on a throwaway PostgreSQL server", async () => {
    const sqlite = await runDemo();
    const postgres = await runDemo("--postgres");
    // Everything between the title and the closing note (which names the database) is the same.
    const timeline = (text: string) => text.slice(text.indexOf("Account"), text.lastIndexOf("═".repeat(78)));
    expect(postgres).toContain("on PostgreSQL (a throwaway server)");
    expect(timeline(postgres)).toBe(timeline(sqlite));
  }, 120_000);
});
