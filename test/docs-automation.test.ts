/**
 * The worked examples of docs/automation.md are what the library does: the JSON and the pick
 * table are read from the page and compared with real runs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createState, execute, executeAll, getContact, getOpportunity, getUser, listContacts, listOpportunities, type Command, type CrmEvent } from "../src/index.js";
import { SYSTEM } from "./helpers.js";

const page = readFileSync(new URL("../docs/automation.md", import.meta.url), "utf8");

/** The text of a section, from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = page.indexOf(heading);
  if (start < 0) throw new Error(`docs/automation.md has no "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = page.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  return next < 0 ? rest : rest.slice(0, next);
}
const jsonBlocks = (text: string): unknown[] => [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? "null"));
/** The events as the page shows them: without the context's stamp (actor, schema version, id, time). */
const withoutMeta = (events: readonly CrmEvent[]) => events.map(({ commandId: _c, at: _a, actor: _actor, schemaVersion: _s, ...rest }) => rest);

describe("docs/automation.md", () => {
  it("the weighted rotation table and first events are what assignUser does", () => {
    const text = section("## Weighted rotations");
    const rows = [...text.matchAll(/^\| (lead-\d+) \| (\d+) \| (\d+) \| (\w+) \| (\d+) \|$/gm)].map((m) => ({ lead: m[1] as string, owner: m[4], after: Number(m[5]) }));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const users = [{ userId: "ana", weight: 3 }, { userId: "ben", weight: 3 }, { userId: "cy", weight: 1 }];
    const state = createState({ settings: { allowDifferentOwners: true }, users: [{ id: "ana" }, { id: "ben" }, { id: "cy" }], contacts: rows.map((r) => ({ id: r.lead })), opportunities: [] });
    const commands: Command[] = rows.map((r) => ({ type: "assignUser", contactId: r.lead, users, rotationId: "inbound" }));
    const result = executeAll(state, commands, SYSTEM);
    if (!result.ok) throw new Error(result.error.message);
    expect(rows.map((r) => getContact(result.state, r.lead)?.ownerId)).toEqual(rows.map((r) => r.owner));
    // The page shows the first pick's events whole, as the workflow's system actor runs it.
    const first = executeAll(state, commands.slice(0, 1), { actor: { system: "workflow:lead-routing" } });
    expect(first.ok && first.events).toEqual(jsonBlocks(text)[0]);
  });

  it("the offboarding example emits the events the page shows and leaves the state it describes", () => {
    const text = section("## Offboarding: `deactivateUser`");
    const state = createState({
      settings: { allowDifferentOwners: true, updateContactFollowersOnOpportunityOwnerChange: true },
      users: [{ id: "boss", role: "admin" }, { id: "ana" }, { id: "ben" }, { id: "cy" }],
      contacts: [
        { id: "acme", ownerId: "ana" },
        { id: "bolt", ownerId: "cy", followers: [{ userId: "ana", source: "automation" }, { userId: "ben", source: "manual" }] },
      ],
      opportunities: [
        { id: "acme-renewal", contactId: "acme", ownerId: "ana" },
        { id: "acme-pilot", contactId: "acme", ownerId: "ana", status: "won" },
        { id: "bolt-upsell", contactId: "bolt", ownerId: "ana" },
        { id: "bolt-support", contactId: "bolt", ownerId: "cy", followers: [{ userId: "ana", source: "manual" }] },
      ],
    });
    // The page's setup is the one run here.
    expect(text).toContain('{ id: "bolt-support", contactId: "bolt", ownerId: "cy", followers: [{ userId: "ana", source: "manual" }] }');
    expect(text).toContain('users: [{ id: "boss", role: "admin" }, { id: "ana" }, { id: "ben" }, { id: "cy" }],');
    expect(text).toContain('execute(state, { type: "deactivateUser", userId: "ana", reassignTo: "ben", commandId: "offboard-ana" }, { actor: { userId: "boss" } });');
    const result = execute(state, { type: "deactivateUser", userId: "ana", reassignTo: "ben", commandId: "offboard-ana" }, { actor: { userId: "boss" } });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.events.every((e) => e.version === 1 && e.commandId === "offboard-ana")).toBe(true);
    expect(withoutMeta(result.events).map(({ version: _v, ...e }) => e)).toEqual(jsonBlocks(text)[0]);
    expect(getUser(result.state, "ana")?.active).toBe(false);
    expect(getOpportunity(result.state, "acme-pilot")?.ownerId).toBe("ana");
    expect([...listContacts(result.state), ...listOpportunities(result.state)].filter((r) => r.ownerId === "ben").map((r) => r.id).sort()).toEqual(["acme", "acme-renewal", "bolt-upsell"]);
    expect([...listContacts(result.state), ...listOpportunities(result.state)].some((r) => r.followers.some((f) => f.userId === "ana"))).toBe(false);
  });
});
