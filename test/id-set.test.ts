/**
 * The user index's sets of contact ids (src/state/idSet.ts): a list `createState` leaves and the
 * table it becomes hold the same ids; the table is built once per list.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forEachId, tableOf } from "../src/state/idSet.js";
import { buildTable, getRow } from "../src/state/table.js";

const visited = (set: Parameters<typeof forEachId>[0]): string[] => {
  const ids: string[] = [];
  forEachId(set, (id) => ids.push(id));
  return ids;
};

describe("a set of ids", () => {
  it("holds the same ids as a list and as the table made of it", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 200 }), fc.string({ minLength: 1, maxLength: 6 }), (ids, other) => {
        const list = Object.freeze([...ids]);
        const table = tableOf(list);
        // A list is walked in its order; the table holds each id, under itself, and nothing else.
        expect(visited(list)).toEqual(ids);
        expect(visited(table).sort()).toEqual([...ids].sort());
        expect(table.size).toBe(ids.length);
        for (const id of ids) expect(getRow(table, id)).toBe(id);
        expect(getRow(table, other)).toBe(ids.includes(other) ? other : undefined);
      }),
    );
  });

  it("makes a list a table once, and leaves a table as it is", () => {
    const list = Object.freeze(["acme", "globex"]);
    const table = tableOf(list);
    expect(tableOf(list)).toBe(table);
    expect(tableOf(Object.freeze(["acme", "globex"]))).not.toBe(table);
    const built = buildTable(["initech"], ["initech"]);
    expect(tableOf(built)).toBe(built);
  });

  it("never makes a repeated id two entries of the table", () => {
    const table = tableOf(Object.freeze(["acme", "globex", "acme"]));
    expect(table.size).toBe(2);
    expect(visited(table).sort()).toEqual(["acme", "globex"]);
  });
});
