/** The event readers on events a store may hold: without times or versions, of newer releases, out of order. */
import { describe, expect, it } from "vitest";
import {
  applyToHistory,
  createState,
  describeEvent,
  handovers,
  InvalidEventError,
  ownerAt,
  ownershipHistory,
  upcastEvent,
  whoToNotify,
  type CrmEvent,
} from "../src/index.js";

const meta = { cause: "command", actor: { userId: "ana" }, schemaVersion: 2 } as const;
const contact = { kind: "contact", id: "acme" } as const;
const state = createState({ users: [{ id: "ana" }, { id: "ben", role: "admin" }], contacts: [], opportunities: [] });

describe("ownershipHistory on unusual streams", () => {
  it("an event without a whole version keeps the current one; one without `at` takes the latest earlier one", () => {
    const events = [
      { type: "ContactCreated", contactId: "acme", ownerId: "ana", ...meta, version: 1, at: "2026-01-01T00:00:00Z" },
      { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", ...meta, version: Number.NaN },
    ] as CrmEvent[];
    const history = ownershipHistory(events);
    expect(history.version).toBe(1);
    expect(history.contacts.get("acme")?.intervals[1]).toMatchObject({ fromVersion: 1, fromAt: "2026-01-01T00:00:00Z", ownerId: "ben" });
  });

  it("without any `at`, times cannot place changes: a question by time has no owner, not a guess", () => {
    const events = [
      { type: "ContactCreated", contactId: "acme", ownerId: "ana", ...meta, version: 1 },
      { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", ...meta, version: 2 },
    ] as CrmEvent[];
    const history = ownershipHistory(events);
    // Ben owns it now, but when he got it, or when it was created, is not known: 0.2.0 answered "ben" for 1990.
    expect(ownerAt(history, contact, { at: "1990-01-01T00:00:00Z" })).toBeUndefined();
    expect(ownerAt(history, contact, { at: "2100-01-01T00:00:00Z" })).toBeUndefined();
    expect(ownerAt(history, contact, { version: 2 })).toBe("ben");
    // Once an event has a time, what began there is placed; what began before any time still is not.
    const timed = applyToHistory(history, { type: "ContactOwnerChanged", contactId: "acme", from: "ben", to: "cy", ...meta, version: 3, at: "2026-12-01T10:00:00Z" } as CrmEvent);
    expect(ownerAt(timed, contact, { at: "2026-12-01T09:59:59Z" })).toBeUndefined();
    expect(ownerAt(timed, contact, { at: "2026-12-01T10:00:00Z" })).toBe("cy");
    // Known from the initial snapshot: owned since before the history began.
    const known = ownershipHistory([], createState({ users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] }));
    expect(ownerAt(known, contact, { at: "1990-01-01T00:00:00Z" })).toBe("ana");
    expect(handovers(history, "ana", { since: "2000-01-01T00:00:00Z" }).handedOver).toEqual([]); // no time: not in a time range
    expect(handovers(history, "ana", { until: "2100-01-01T00:00:00Z" }).handedOver).toEqual([]);
    expect(handovers(history, "ana").handedOver.map((c) => c.to)).toEqual(["ben"]);
  });

  it("a record created twice without a deletion closes its first interval; a deletion of an unknown record is ignored", () => {
    const events = [
      { type: "ContactCreated", contactId: "acme", ownerId: "ana", ...meta, version: 1 },
      { type: "ContactCreated", contactId: "acme", ownerId: "ben", ...meta, version: 2 },
      { type: "ContactDeleted", contactId: "ghost", ...meta, version: 3 },
      { type: "ContactDeleted", contactId: "acme", ...meta, version: 4 },
      { type: "ContactOwnerChanged", contactId: "acme", from: null, to: "ana", ...meta, version: 5 },
    ] as CrmEvent[];
    const history = events.reduce(applyToHistory, ownershipHistory([]));
    expect(history.contacts.has("ghost")).toBe(false);
    expect(history.contacts.get("acme")?.intervals.map((i) => [i.ownerId, i.fromVersion, i.toVersion])).toEqual([
      ["ana", 1, 2],
      ["ben", 2, 4],
      ["ana", 5, null],
    ]);
    expect(ownerAt(history, contact, { version: 4 })).toBeUndefined();
    // ben received acme on creation (from nobody), and handed it over to nobody when it was deleted? No: a deletion is no handover.
    expect(handovers(history, "ben").received.map((c) => [c.from, c.version])).toEqual([[null, 2]]);
    expect(handovers(history, "ben").handedOver).toEqual([]);
  });

  it("times compare as the instants they name, in every ISO form, whatever the machine's time zone", () => {
    const events = [
      { type: "ContactCreated", contactId: "acme", ownerId: "ana", ...meta, version: 1, at: "2026-01-01T10:00:00+01:00" },
      { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", ...meta, version: 2, at: "2026-01-01 12:00:00.5+0100" },
      { type: "ContactOwnerChanged", contactId: "acme", from: "ben", to: "cy", ...meta, version: 3, at: "2026-01-02" },
    ] as CrmEvent[];
    const history = ownershipHistory(events);
    const zone = process.env["TZ"];
    // A time without an offset is UTC here, not the machine's zone (Date.parse reads it as local time).
    process.env["TZ"] = "America/New_York";
    try {
      expect(ownerAt(history, contact, { at: "2026-01-01T08:59:59.999Z" })).toBeUndefined();
      expect(ownerAt(history, contact, { at: "2026-01-01T09:00:00" })).toBe("ana");
      expect(ownerAt(history, contact, { at: "2026-01-01T11:00:00.499Z" })).toBe("ana");
      expect(ownerAt(history, contact, { at: "2026-01-01T06:00:00.5-05:00" })).toBe("ben");
      expect(ownerAt(history, contact, { at: "2026-01-01T23:59:59" })).toBe("ben");
      expect(ownerAt(history, contact, { at: "2026-01-02T00:00:00Z" })).toBe("cy");
      expect(handovers(history, "ben", { since: "2026-01-01 11:00:00.5Z", until: "2026-01-02" }).received.map((c) => c.version)).toEqual([2]);
    } finally {
      if (zone === undefined) delete process.env["TZ"];
      else process.env["TZ"] = zone;
    }
  });

  it("hand-built events whose times are not ISO compare as strings; a query's time must be ISO", () => {
    const events = [
      { type: "ContactCreated", contactId: "acme", ownerId: "ana", ...meta, version: 1, at: "day-1" },
      { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", ...meta, version: 2, at: "day-3" },
    ] as CrmEvent[];
    const history = ownershipHistory(events);
    expect(ownerAt(history, contact, { version: 1 })).toBe("ana");
    expect(() => ownerAt(history, contact, { at: "day-2" })).toThrow(RangeError);
  });

  it("events the history does not read (followers, settings) only move its version on", () => {
    const before = ownershipHistory([]);
    const after = applyToHistory(before, { type: "UserDeactivated", userId: "ben", ...meta, version: 9 } as CrmEvent);
    expect(after.version).toBe(9);
    expect(after.contacts).toBe(before.contacts);
  });
});

describe("readers and events of a newer release", () => {
  const future = { type: "ContactMerged", contactId: "acme", ...meta, cause: "merge", version: 3 } as unknown as CrmEvent;
  it("whoToNotify notifies nobody; describeEvent names the type; upcastEvent refuses it", () => {
    expect(whoToNotify(future, state)).toEqual([]);
    expect(describeEvent(future)).toBe("Ana: ContactMerged.");
    expect(() => upcastEvent(future)).toThrow(InvalidEventError);
    // A type or cause that is a key of Object.prototype is no template; a type's line break stays escaped.
    expect(describeEvent({ ...future, type: "constructor", cause: "toString" } as unknown as CrmEvent)).toBe("Ana: constructor.");
    expect(describeEvent({ ...future, type: "Merged\nADMIN granted" } as unknown as CrmEvent)).toBe("Ana: Merged\\nADMIN granted.");
  });

  it("an actor of an unknown shape reads as someone, and is nobody to skip", () => {
    const odd = { type: "UserReactivated", userId: "ana", cause: "command", version: 1, actor: { robot: "r2" } } as unknown as CrmEvent;
    expect(describeEvent(odd)).toBe("Someone reactivated ana.");
    expect(whoToNotify(odd, state).map((r) => r.userId)).toEqual(["ana", "ben"]);
  });
});

describe("upcastEvent's own checks", () => {
  const base = { type: "ContactDeleted", contactId: "acme", cause: "command" };
  it("refuses a stored event without a version", () => {
    expect(() => upcastEvent(base)).toThrow(expect.objectContaining({ field: "version" }));
  });
  it("refuses an actorId that is not an id, or cannot be read", () => {
    expect(() => upcastEvent({ ...base, version: 1, actorId: "" })).toThrow(expect.objectContaining({ field: "actorId" }));
    const hostile = Object.defineProperty({ ...base, version: 1 }, "actorId", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(() => upcastEvent(hostile)).toThrow(expect.objectContaining({ field: "actorId" }));
  });
});
