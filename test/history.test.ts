/** Ownership history (docs/history.md). */
import { describe, expect, it } from "vitest";
import { applyToHistory, createState, handovers, ownerAt, ownershipHistory, upcastEvent, type CrmEvent, type CrmState } from "../src/index.js";
import { act } from "./read-helpers.js";

function account(): CrmState {
  return createState({
    users: [{ id: "ana" }, { id: "ben" }, { id: "cy" }],
    contacts: [{ id: "acme", ownerId: "ana" }],
    opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }],
  });
}

/** Four commands at four times: acme and d1 go ana → ben → cy, then d2 is created for cy, then acme is deleted. */
function story() {
  let state = account();
  const initial = state;
  const events: CrmEvent[] = [];
  const step = (command: Parameters<typeof act>[1], at: string) => {
    const next = act(state, command, { userId: "ana" }, at);
    state = next.state;
    events.push(...next.events);
  };
  step({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, "2026-01-10T09:00:00Z"); // v1
  step({ type: "assignContactOwner", contactId: "acme", ownerId: "cy" }, "2026-02-10T09:00:00Z"); // v2
  step({ type: "createOpportunity", opportunityId: "d2", contactId: "acme" }, "2026-03-10T09:00:00Z"); // v3
  step({ type: "deleteContact", contactId: "acme" }, "2026-04-10T09:00:00Z"); // v4
  return { initial, events, state };
}

const acme = { kind: "contact", id: "acme" } as const;
const d1 = { kind: "opportunity", id: "d1" } as const;
const d2 = { kind: "opportunity", id: "d2" } as const;

describe("ownershipHistory", () => {
  it("gives each record's owner intervals, with versions, times, cause and actor", () => {
    const { initial, events } = story();
    const history = ownershipHistory(events, initial);
    const intervals = history.opportunities.get("d1")?.intervals ?? [];
    expect(intervals.map((i) => [i.ownerId, i.start, i.fromVersion, i.toVersion, i.cause])).toEqual([
      ["ana", "known", null, 1, null],
      ["ben", "changed", 1, 2, "owners-coupled"],
      ["cy", "changed", 2, 4, "owners-coupled"],
    ]);
    expect(intervals[1]).toMatchObject({ fromAt: "2026-01-10T09:00:00Z", toAt: "2026-02-10T09:00:00Z", actor: { userId: "ana" } });
    expect(history.contacts.get("acme")?.deletedAtVersion).toBe(4);
    expect(history.version).toBe(4);
  });

  it("answers who owned a record at a version or a time", () => {
    const { initial, events } = story();
    const history = ownershipHistory(events, initial);
    expect([0, 1, 2, 3, 4].map((version) => ownerAt(history, d1, { version }))).toEqual(["ana", "ben", "cy", "cy", undefined]);
    expect([2, 3, 4].map((version) => ownerAt(history, d2, { version }))).toEqual([undefined, "cy", undefined]);
    expect(ownerAt(history, acme, { at: "2025-12-31T00:00:00Z" })).toBe("ana");
    expect(ownerAt(history, acme, { at: "2026-01-10T09:00:00Z" })).toBe("ben");
    expect(ownerAt(history, acme, { at: "2026-02-01T00:00:00+01:00" })).toBe("ben");
    expect(ownerAt(history, acme, { at: "2026-04-10T08:59:59Z" })).toBe("cy");
    expect(ownerAt(history, acme, { at: "2026-05-01T00:00:00Z" })).toBeUndefined();
    expect(ownerAt(history, { kind: "contact", id: "nobody-knows" }, { version: 1 })).toBeUndefined();
  });

  it("lists what a user handed over and received between two times", () => {
    const { initial, events } = story();
    const history = ownershipHistory(events, initial);
    const ben = handovers(history, "ben");
    expect(ben.received.map((c) => `${c.record.id}:${c.from}->${c.to}@${c.version}`)).toEqual(["acme:ana->ben@1", "d1:ana->ben@1"]);
    expect(ben.handedOver.map((c) => `${c.record.id}:${c.from}->${c.to}@${c.version}`)).toEqual(["acme:ben->cy@2", "d1:ben->cy@2"]);
    const cyInMarch = handovers(history, "cy", { since: "2026-03-01T00:00:00Z", until: "2026-04-01T00:00:00Z" });
    expect(cyInMarch.received.map((c) => [c.record.id, c.from, c.cause])).toEqual([["d2", null, "command"]]);
    expect(handovers(history, "ana", { sinceVersion: 2 }).handedOver).toEqual([]);
    expect(handovers(history, "ana", { untilVersion: 2 }).handedOver.map((c) => c.record.id)).toEqual(["acme", "d1"]);
  });

  it("refuses a time that is not an ISO time and a version that is not a whole number, naming the argument", () => {
    const { initial, events } = story();
    const history = ownershipHistory(events, initial);
    // Each of these, unchecked, compared as a string or as NaN and gave an answer that looked right.
    expect(() => ownerAt(history, acme, { at: "yesterday" })).toThrow(new RangeError('when.at must be an ISO 8601 time string, of a real date and time; got "yesterday".'));
    expect(() => ownerAt(history, acme, { at: "2026-02-30T00:00:00Z" })).toThrow(/^when\.at must be/);
    expect(() => ownerAt(history, acme, { version: Number.NaN })).toThrow(new RangeError("when.version must be a whole number from 0 to 9007199254740991; got NaN."));
    expect(() => ownerAt(history, acme, { version: 1.5 })).toThrow(RangeError);
    expect(() => ownerAt(history, acme, {} as { at: string })).toThrow(/^when\.at must be .*; got undefined\.$/);
    expect(() => ownerAt(history, acme, null as unknown as { at: string })).toThrow(new RangeError("when must be { version } or { at }; got null."));
    expect(() => handovers(history, "ben", { since: "last week" })).toThrow(/^range\.since must be/);
    expect(() => handovers(history, "ben", { until: 3 as unknown as string })).toThrow(/^range\.until must be .*; got 3\.$/);
    expect(() => handovers(history, "ben", { sinceVersion: -1 })).toThrow(/^range\.sinceVersion must be/);
    expect(() => handovers(history, "ben", { untilVersion: Number.POSITIVE_INFINITY })).toThrow(/^range\.untilVersion must be/);
    // Absent bounds stay open-ended; a date alone is a time.
    expect(handovers(history, "ben", { since: undefined, untilVersion: undefined }).received).toHaveLength(2);
    expect(ownerAt(history, acme, { at: "2026-01-11" })).toBe("ben");
  });

  it("without an initial snapshot, a record's first known owner is the `from` of its first change", () => {
    const { events } = story();
    const history = ownershipHistory(events);
    expect(ownerAt(history, d1, { version: 0 })).toBe("ana");
    expect(history.opportunities.get("d1")?.intervals[0]?.start).toBe("known");
  });

  it("folds event by event: applyToHistory gives what ownershipHistory gives, and leaves its input as it was", () => {
    const { initial, events } = story();
    const start = ownershipHistory([], initial);
    const stepwise = events.reduce(applyToHistory, start);
    expect(stepwise).toEqual(ownershipHistory(events, initial));
    expect(start.opportunities.get("d1")?.intervals).toHaveLength(1);
  });

  it("reads events back from JSON, and 0.1 events through upcastEvent", () => {
    const { initial, events } = story();
    const fromJson = JSON.parse(JSON.stringify(events)) as unknown[];
    expect(ownershipHistory(fromJson.map(upcastEvent), initial)).toEqual(ownershipHistory(events, initial));
    const as01 = fromJson.map((e) => {
      const { actor: _a, schemaVersion: _s, ...rest } = e as Record<string, unknown>;
      return rest;
    });
    const history = ownershipHistory(as01.map(upcastEvent), initial);
    expect(history.opportunities.get("d1")?.intervals[1]?.actor).toEqual({ system: "unknown" });
    expect(ownerAt(history, d1, { version: 2 })).toBe("cy");
  });
});
