/**
 * The fingerprint the stores keep beside each command outcome (src/host/fingerprint.ts): the
 * actor in full and a hash of the command whatever its key order.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Command } from "../src/index.js";
import { requestFingerprint } from "../src/host/fingerprint.js";

const move = { type: "transferOwnership", fromUserId: "ana", toUserId: "ben", contactIds: ["acme", "globex"], commandId: "c-1" } as Command;

it("names the actor in full and does not depend on the command's key order or on undefined members", () => {
  const reordered = Object.fromEntries(Object.entries(move).reverse()) as Command;
  expect(requestFingerprint({ userId: "ana" }, reordered)).toBe(requestFingerprint({ userId: "ana" }, move));
  expect(requestFingerprint({ userId: "ana" }, { ...move, includeClosed: undefined } as Command)).toBe(requestFingerprint({ userId: "ana" }, move));
  expect(requestFingerprint({ userId: "ana" }, move)).toMatch(/^v1:user:ana#[0-9a-f]{16}$/);
  expect(requestFingerprint({ system: "ana" }, move)).toMatch(/^v1:system:ana#[0-9a-f]{16}$/);
});

it("differs for any other command: another value, another list order, another field (property)", () => {
  const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
  const command = fc.dictionary(fc.constantFrom("type", "contactId", "ownerId", "ids", "n"), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 4 });
  fc.assert(
    fc.property(command, command, (a, b) => {
      const same = requestFingerprint({ system: "s" }, a as unknown as Command) === requestFingerprint({ system: "s" }, b as unknown as Command);
      const sorted = (c: Record<string, unknown>) => JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));
      expect(same).toBe(sorted(a) === sorted(b));
    }),
    { numRuns: 500 },
  );
});
