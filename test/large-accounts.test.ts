/**
 * docs/rules.md §1, §3 and §7 on accounts large enough to exercise the storage layout (a hash trie whose
 * buckets split as they fill): every record is found, order is kept, unchanged records are
 * shared, and snapshots stay frozen and JSON round-trippable. Small accounts never split a
 * bucket, so the other suites do not reach this.
 */
import { describe, expect, it } from "vitest";
import {
  createState,
  execute,
  executeAll,
  getContact,
  getOpportunity,
  listContacts,
  listOpportunities,
  toRecords,
  type Command,
  type CrmRecordsInit,
  type CrmState,
} from "../src/index.js";
import { hashOf } from "../src/state/table.js";
import { firstUnfrozen, SYSTEM } from "./helpers.js";

const USERS = ["ana", "ben", "cy", "dee"].map((id) => ({ id }));

/** `n` contacts with `k` opportunities each; owners coupled unless `separate`. */
function records(contactIds: readonly string[], k: number, separate = false): CrmRecordsInit {
  return {
    settings: { allowDifferentOwners: separate },
    users: USERS,
    contacts: contactIds.map((id, i) => ({ id, ownerId: USERS[i % 4]?.id ?? null, followers: [{ userId: USERS[(i + 1) % 4]?.id ?? "ana", source: "manual" as const }] })),
    opportunities: contactIds.flatMap((id, i) =>
      Array.from({ length: k }, (_, j) => ({ id: `${id}/deal-${j}`, contactId: id, ownerId: USERS[i % 4]?.id ?? null })),
    ),
  };
}

const ids = (n: number, prefix = "c") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function ok(state: CrmState, commands: Command[]): CrmState {
  const result = executeAll(state, commands, SYSTEM);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.state;
}

describe("large accounts (docs/rules.md §1, §7)", () => {
  const init = records(ids(3000), 3);
  const state = createState(init);

  it("every record of a snapshot of thousands is found by id, and ids not in it are not", () => {
    for (const c of init.contacts) expect(getContact(state, c.id)?.ownerId).toBe(c.ownerId);
    for (const o of init.opportunities) expect(getOpportunity(state, o.id)?.contactId).toBe(o.contactId);
    for (const id of ids(500, "absent-")) {
      expect(getContact(state, id)).toBeUndefined();
      expect(getOpportunity(state, id)).toBeUndefined();
    }
  });

  it("toRecords and the list selectors give the records in the order they were given", () => {
    expect(listContacts(state).map((c) => c.id)).toEqual(init.contacts.map((c) => c.id));
    expect(listOpportunities(state).map((o) => o.id)).toEqual(init.opportunities.map((o) => o.id));
    expect(toRecords(state).contacts.map((c) => c.opportunityIds)).toEqual(init.contacts.map((c) => [0, 1, 2].map((j) => `${c.id}/deal-${j}`)));
  });

  it("a command changes only the records it names and the new snapshot shares every other record object", () => {
    const next = ok(state, [{ type: "assignContactOwner", contactId: "c1234", ownerId: "dee" }]);
    const changed = new Set(["c1234", "c1234/deal-0", "c1234/deal-1", "c1234/deal-2"]);
    for (const c of init.contacts) {
      if (changed.has(c.id)) expect(getContact(next, c.id)).not.toBe(getContact(state, c.id));
      else expect(getContact(next, c.id)).toBe(getContact(state, c.id));
    }
    for (const o of init.opportunities) {
      if (changed.has(o.id)) expect(getOpportunity(next, o.id)?.ownerId).toBe("dee");
      else expect(getOpportunity(next, o.id)).toBe(getOpportunity(state, o.id));
    }
  });

  it("many commands leave the snapshot they started from as it was, and the new one deeply frozen and JSON round-trippable", () => {
    const before = JSON.stringify(toRecords(state));
    const commands: Command[] = [];
    for (let i = 0; i < 2000; i++) {
      const c = `c${(i * 7919) % 3000}`;
      if (i % 4 === 0) commands.push({ type: "assignContactOwner", contactId: c, ownerId: USERS[i % 4]?.id ?? null });
      else if (i % 4 === 1) commands.push({ type: "createOpportunity", opportunityId: `new-${i}`, contactId: c });
      else if (i % 4 === 2) commands.push({ type: "addFollower", record: { kind: "opportunity", id: `${c}/deal-1` }, userId: "cy" });
      else commands.push({ type: "deleteOpportunity", opportunityId: `${c}/deal-2` });
    }
    const next = ok(state, commands);
    expect(JSON.stringify(toRecords(state))).toBe(before);
    expect(firstUnfrozen(next)).toBeUndefined();
    const again = createState(JSON.parse(JSON.stringify(toRecords(next))) as CrmRecordsInit);
    expect(toRecords(again)).toEqual(toRecords(next));
    expect(listOpportunities(next)).toHaveLength(9000 + 500 - 500);
  });

  it("a batch gives the same snapshot as its commands one by one", () => {
    const commands: Command[] = ids(300).map((_, i) => ({ type: "assignOpportunityOwner", opportunityId: `c${(i * 31) % 3000}/deal-${i % 3}`, ownerId: "ben" }));
    let oneByOne = state;
    for (const command of commands) {
      const result = execute(oneByOne, command, SYSTEM);
      if (!result.ok) throw new Error(result.error.message);
      oneByOne = result.state;
    }
    expect(toRecords(ok(state, commands))).toEqual(toRecords(oneByOne));
  });

  it("a deleted and re-created contact moves to the end of the order, as a new record does", () => {
    const next = ok(state, [
      { type: "deleteContact", contactId: "c10" },
      { type: "createContact", contactId: "c10", ownerId: "ana" },
    ]);
    const order = listContacts(next).map((c) => c.id);
    expect(order).toHaveLength(3000);
    expect(order.at(-1)).toBe("c10");
    expect(order.indexOf("c10")).toBe(2999);
    expect(getOpportunity(next, "c10/deal-0")).toBeUndefined();
    expect(listOpportunities(next)).toHaveLength(8997);
  });
});

describe("ids whose hashes share their first bits", () => {
  // Ids that land on the same path for the first 10 bits of their hash: buckets that split,
  // then split again, one level further down.
  const alike: string[] = [];
  const target = hashOf("contact-0") & 0x3ff;
  for (let i = 0; alike.length < 40; i++) if ((hashOf(`contact-${i}`) & 0x3ff) === target) alike.push(`contact-${i}`);
  const init = records(alike, 1, true);
  const state = createState(init);

  it("are all found, and kept in the order given", () => {
    for (const id of alike) expect(getContact(state, id)?.id).toBe(id);
    expect(listContacts(state).map((c) => c.id)).toEqual(alike);
  });

  it("are changed and deleted one at a time, never another record in their bucket", () => {
    const [first, second, third] = alike as [string, string, string];
    const next = ok(state, [
      { type: "assignContactOwner", contactId: first, ownerId: "cy" },
      { type: "deleteContact", contactId: second },
    ]);
    expect(getContact(next, first)?.ownerId).toBe("cy");
    expect(getContact(next, second)).toBeUndefined();
    expect(getContact(next, third)).toBe(getContact(state, third));
    expect(listContacts(next).map((c) => c.id)).toEqual(alike.filter((id) => id !== second));
  });
});
