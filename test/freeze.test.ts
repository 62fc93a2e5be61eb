/**
 * `deepFreeze` (src/state/freeze.ts), which a commit runs on every record it writes: it freezes a
 * whole tree of plain objects and arrays, and nothing that is not the tree's own.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepFreeze } from "../src/state/freeze.js";
import { firstUnfrozen } from "./helpers.js";

describe("deepFreeze", () => {
  it("freezes a record, its lists and the objects in them, and returns it", () => {
    const follow = { userId: "u1", source: "manual" };
    const record = { id: "c1", ownerId: "u1", followers: [follow], opportunityIds: ["o1"] };
    expect(deepFreeze(record)).toBe(record);
    expect(firstUnfrozen(record, "record")).toBeUndefined();
    expect(Object.isFrozen(follow)).toBe(true);
  });

  it("leaves a frozen object as it is, and what it holds (a snapshot's records are frozen already)", () => {
    const inner = { n: 1 };
    const frozen = Object.freeze({ inner });
    deepFreeze({ frozen });
    expect(Object.isFrozen(inner)).toBe(false);
  });

  it("freezes every object and array of any JSON value (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        deepFreeze(value);
        expect(firstUnfrozen(value, "value")).toBeUndefined();
      }),
    );
  });

  it("freezes own properties only: not what someone put on Object.prototype", () => {
    const planted = { n: 1 };
    // An enumerable property on every object's prototype, as prototype pollution leaves one.
    (Object.prototype as Record<string, unknown>)["planted"] = planted;
    try {
      const record = deepFreeze({ id: "c1", followers: [] as unknown[] });
      expect(Object.isFrozen(record)).toBe(true);
      expect(Object.isFrozen(planted)).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>)["planted"];
    }
  });
});
