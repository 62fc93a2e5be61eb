/**
 * createState keeps one string per id (docs/performance.md, "One string per id"): a reference is
 * stored as the referenced record's own id string, not the host row's copy of it. Strings have no
 * identity JavaScript can see, so this counts the copies in a heap snapshot of this worker.
 */
import { getHeapSnapshot } from "node:v8";
import { describe, expect, it } from "vitest";
import { createState, toRecords, type CrmState } from "../src/index.js";

/** A string equal to `text` but another string in memory, as a database driver gives each field. */
const copyOf = (text: string): string => [...text].join("");

/** How many strings in the heap read each of `texts` (a heap snapshot collects garbage first). */
async function copiesInHeap(texts: readonly string[]): Promise<number[]> {
  const stream = getHeapSnapshot();
  stream.setEncoding("utf8");
  let json = "";
  for await (const chunk of stream) json += chunk as string;
  const snapshot = JSON.parse(json) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const stringType = types[0].indexOf("string");
  return texts.map((text) => {
    const name = snapshot.strings.indexOf(text);
    let count = 0;
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      if (snapshot.nodes[i + typeAt] === stringType && snapshot.nodes[i + nameAt] === name) count++;
    }
    return count;
  });
}

describe("a reference keeps the referenced record's id string, not the row's copy (createState)", () => {
  // A heap snapshot of a test worker takes a second or two, more with coverage on.
  it("owners, followers, an opportunity's contactId and a contact's listed opportunityIds keep one string each", { timeout: 30_000 }, async () => {
    // Ids made at run time, none a literal of this file, each a flat string (`copyOf`): the heap
    // snapshot counts flat strings only. The test holds one copy of each itself.
    const owner = copyOf(`owner-${Date.now()}`);
    const follower = copyOf(`follower-${Date.now()}`);
    const contactId = copyOf(`contact-${Date.now()}`);
    const deals = [0, 1, 2].map((k) => copyOf(`${contactId}-deal-${k}`));
    // Every field of every row is a copy of its own, and the rows are garbage once this returns.
    const build = (): CrmState =>
      createState({
        users: [{ id: copyOf(owner) }, { id: copyOf(follower) }],
        contacts: [
          {
            id: copyOf(contactId),
            ownerId: copyOf(owner),
            followers: [{ userId: copyOf(follower), source: "manual" }],
            opportunityIds: deals.map(copyOf),
          },
        ],
        opportunities: deals.map((deal) => ({
          id: copyOf(deal),
          contactId: copyOf(contactId),
          ownerId: copyOf(owner),
          followers: [{ userId: copyOf(follower), source: "automation" as const }],
        })),
      });
    const state = build();
    const [owners, followers, contacts, ...dealCopies] = await copiesInHeap([owner, follower, contactId, ...deals]);
    // The test's own copy and the snapshot's one. Before: 6 owners, 4 followers, 5 contact ids
    // and 3 of each deal id (a string per field of the rows, and the test's).
    expect({ owners, followers, contacts, deals: dealCopies }).toEqual({ owners: 2, followers: 2, contacts: 2, deals: [2, 2, 2] });
    // The same values as ever.
    expect(toRecords(state).opportunities.map((o) => [o.id, o.contactId, o.ownerId])).toEqual(deals.map((deal) => [deal, contactId, owner]));
    expect(toRecords(state).contacts[0]?.opportunityIds).toEqual(deals);
  });
});
