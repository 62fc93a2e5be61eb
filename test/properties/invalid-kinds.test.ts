/** arbInvalidCommand's two kinds: JSON-safe bodies (the default) and JS-level hostile values (opt-in). */
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseCommand, toRecords } from "../../src/index.js";
import { arbInvalidCommand, arbState } from "../../src/testing/index.js";

const source = fc.sample(arbState(), { numRuns: 1, seed: 7 })[0];

describe("arbInvalidCommand", () => {
  it("by default gives JSON bodies: each equals its own JSON round trip, and is refused before and after one", () => {
    fc.assert(
      fc.property(arbInvalidCommand(source ? toRecords(source) : undefined), (body) => {
        const text = JSON.stringify(body);
        expect(text).toBeTypeOf("string");
        const received = JSON.parse(text) as unknown;
        // Same own keys and values, same prototypes (util's check: `toStrictEqual` trips on an own "constructor" key).
        expect(isDeepStrictEqual(received, body)).toBe(true);
        expect(parseCommand(body).ok).toBe(false);
        expect(parseCommand(received).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("with kind \"js\" also gives values JSON cannot carry (cycles, throwing proxies, NaN…), all refused", () => {
    let notJson = 0;
    fc.assert(
      fc.property(arbInvalidCommand(undefined, { kind: "js" }), (payload) => {
        expect(parseCommand(payload).ok).toBe(false);
        try {
          const text = JSON.stringify(payload);
          if (text === undefined || !isDeepStrictEqual(JSON.parse(text), payload)) notJson += 1;
        } catch {
          notJson += 1; // a cycle, a getter or a proxy that throws
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(notJson).toBeGreaterThan(30);
  });

  it("hostile: true still means the JS kind", () => {
    const sample = fc.sample(arbInvalidCommand(undefined, { hostile: true }), { numRuns: 300, seed: 1 });
    expect(sample.some((p) => { try { JSON.stringify(p); return false; } catch { return true; } })).toBe(true);
  });
});
