/**
 * The persistent trie (src/state/table.ts): built in one pass or record by record, it has the
 * same layout; commits that fill a bucket split it, down to colliding hashes; nothing shared
 * with the base changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createState, evolve, getContact, type CrmEvent } from "../src/index.js";
import { buildTable, emptyTable, getRow, getRows, hashOf, putRow, rows, seqOf, TableEdit, type Table } from "../src/state/table.js";
import { TableView } from "../src/state/overlay.js";
import { forEachRow } from "../src/state/table.js";
import { appended, without } from "../src/state/atLength.js";
import { indexOf } from "../src/state/userIndex.js";

type Rec = { readonly id: string; readonly n: number };
const rec = (id: string, n = 0): Rec => Object.freeze({ id, n });

/** `count` ids whose hashes agree on their lowest `bits` bits (they land in one bucket, level after level). */
function colliding(count: number, bits: number): string[] {
  const mask = (1 << bits) - 1;
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if ((hashOf(`k${i}`) & mask) === 0) out.push(`k${i}`);
  return out;
}

function deepFrozen(table: Table<unknown>): boolean {
  const visit = (node: readonly unknown[]): boolean =>
    Object.isFrozen(node) && node.every((child) => !Array.isArray(child) || visit(child as readonly unknown[]));
  return Object.isFrozen(table) && visit(table.root);
}

describe("appended", () => {
  it("is the list, then the items, in a new array; the list is left as it was", () => {
    const list = Object.freeze([1, 2]);
    const out = appended(list, 3, 4);
    expect(out).toEqual([1, 2, 3, 4]);
    expect(out).not.toBe(list);
    expect(list).toEqual([1, 2]);
    expect(appended(list)).toEqual([1, 2]);
  });
});

describe("without", () => {
  it("is the list without the item at that index, in a new array; the list is left as it was", () => {
    const list = Object.freeze(["a", "b", "c"]);
    expect(without(list, 0)).toEqual(["b", "c"]);
    expect(without(list, 1)).toEqual(["a", "c"]);
    expect(without(list, 2)).toEqual(["a", "b"]);
    expect(without(list, 1)).not.toBe(list);
    expect(list).toEqual(["a", "b", "c"]);
  });

  it("removes exactly one item, at any index of any list (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), fc.nat(), (items, n) => {
        const list = Object.freeze([...items]);
        const at = n % list.length;
        expect(without(list, at)).toEqual([...list.slice(0, at), ...list.slice(at + 1)]);
        expect(list).toEqual(items);
      }),
    );
  });
});

describe("the trie", () => {
  it("buildTable gives the layout of inserting the records one by one", () => {
    for (const ids of [[], ["a"], Array.from({ length: 2000 }, (_, i) => `c${i}`), colliding(40, 10)]) {
      const values = ids.map((id, i) => rec(id, i));
      const byOne = emptyTable<Rec>();
      const mutable = { root: [] as unknown[], size: 0, nextSeq: 0 } as unknown as Table<Rec>;
      ids.forEach((id, i) => putRow(mutable, id, values[i] as Rec));
      const built = buildTable(ids, values);
      expect(JSON.parse(JSON.stringify(built))).toEqual(JSON.parse(JSON.stringify(mutable)));
      expect(deepFrozen(built)).toBe(true);
      expect(rows(built)).toEqual(values);
      expect(byOne.size).toBe(0);
    }
  });

  it("a set built with repeats keeps each id once", () => {
    const ids = ["a", "b", "a", "c", "b", ...colliding(20, 5), ...colliding(20, 5)];
    const set = buildTable(ids, ids, true);
    const seen: string[] = [];
    forEachRow(set, (id) => seen.push(id));
    expect(seen.sort()).toEqual([...new Set(ids)].sort());
    expect(set.size).toBe(new Set(ids).size);
  });

  it("commits that fill buckets split them, down to hashes that agree on many bits, and never touch the base", () => {
    const base = buildTable(["x"], [rec("x")]);
    const ids = [...colliding(40, 10), ...Array.from({ length: 300 }, (_, i) => `r${i}`)];
    let table = base;
    // Record by record, each in its own commit, as commands do.
    for (const id of ids) {
      const edit = new TableEdit(table);
      expect(edit.put(id, rec(id))).toBeUndefined();
      const next = edit.finish();
      expect(getRow(table, id)).toBeUndefined();
      table = next;
    }
    expect(deepFrozen(table)).toBe(true);
    expect(rows(table).map((r) => r.id)).toEqual(["x", ...ids]);
    for (const [i, id] of ids.entries()) expect(seqOf(table, id)).toBe(i + 1);
    expect(rows(base)).toEqual([rec("x")]);
    // Replacing returns the record replaced; deleting, the record deleted.
    const edit = new TableEdit(table);
    expect(edit.put("r1", rec("r1", 9))).toEqual(rec("r1"));
    expect(edit.delete("k0")).toBeUndefined();
    expect(edit.delete(ids[0] as string)).toEqual(rec(ids[0] as string));
    const after = edit.finish();
    expect(getRow(after, "r1")).toEqual(rec("r1", 9));
    expect(getRow(after, ids[0] as string)).toBeUndefined();
    expect(getRow(table, "r1")).toEqual(rec("r1"));
    // Many inserts and replaces in one edit (its own copies changed again): the same rows.
    const many = new TableEdit(after);
    const more = Array.from({ length: 500 }, (_, i) => `m${i}`);
    for (const id of more) expect(many.put(id, rec(id))).toBeUndefined();
    for (const id of more.slice(0, 50)) expect(many.put(id, rec(id, 2))).toEqual(rec(id));
    const grown = many.finish();
    expect(deepFrozen(grown)).toBe(true);
    expect(grown.size).toBe(after.size + more.length);
    expect(rows(grown).slice(-more.length)).toEqual(more.map((id, i) => rec(id, i < 50 ? 2 : undefined)));
    expect(more.every((id) => getRow(after, id) === undefined)).toBe(true);
  });
});

describe("reading records side by side", () => {
  // Tables of every depth: empty, one bucket, branches, and hashes that collide for many levels.
  const tables = [[], ["a"], Array.from({ length: 3000 }, (_, i) => `c${i}`), [...colliding(40, 10), "x", "y"]].map((ids) =>
    buildTable(ids, ids.map((id) => rec(id))),
  );
  const present = (table: Table<Rec>) => rows(table).map((r) => r.id);

  it("getRows gives what getRow gives for each id, in order, for any number of ids (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(tables.length - 1).chain((t) => {
          const ids = present(tables[t] as Table<Rec>);
          const id = ids.length === 0 ? fc.string({ maxLength: 3 }) : fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 3 }));
          return fc.tuple(fc.constant(t), fc.array(id, { maxLength: 11 }));
        }),
        ([t, ids]) => {
          const table = tables[t] as Table<Rec>;
          const out: (Rec | undefined)[] = ["before" as unknown as Rec];
          getRows(table, ids, out);
          expect(out).toEqual(["before", ...ids.map((id) => getRow(table, id))]);
        },
      ),
    );
  });

  it("a view's getAll reads its own changes over the snapshot's records: changed, deleted, new", () => {
    const table = tables[2] as Table<Rec>;
    const view = new TableView(table);
    expect(view.getAll(["c1", "c2", "nope"])).toEqual([rec("c1"), rec("c2"), undefined]);
    view.put(rec("c1", 7));
    view.delete("c2");
    view.put(rec("new"));
    expect(view.getAll(["c1", "c2", "new", "c3", "nope"])).toEqual([rec("c1", 7), undefined, rec("new"), rec("c3"), undefined]);
    expect(view.getAll([])).toEqual([]);
  });
});

describe("the user index through evolve", () => {
  it("forgets a group that is no longer incomplete (its missing opportunity deleted by an event)", () => {
    const state = createState({
      users: [{ id: "ana" }],
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d1", "gone"] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }],
    });
    const incomplete = (s: typeof state) => {
      const ids: string[] = [];
      const index = indexOf(s);
      if (index) forEachRow(index.incomplete, (id) => ids.push(id));
      return ids;
    };
    expect(incomplete(state)).toEqual(["acme"]);
    const event = { type: "OpportunityDeleted", opportunityId: "gone", contactId: "acme", cause: "command", version: 1 } as unknown as CrmEvent;
    const next = evolve(state, event);
    expect(getContact(next, "acme")?.opportunityIds).toEqual(["d1"]);
    expect(incomplete(next)).toEqual([]);
  });
});
