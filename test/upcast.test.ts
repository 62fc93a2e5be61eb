/** Stored events of older releases, read through upcastEvent (docs/history.md). */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  createState,
  evolve,
  InvalidEventError,
  ownerAt,
  ownershipHistory,
  toRecords,
  upcastEvent,
  UNKNOWN_ACTOR,
  type CrmEvent,
  type CrmRecordsInit,
  type CrmState,
} from "../src/index.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/events-0.1.json", import.meta.url), "utf8")) as {
  initial: CrmRecordsInit;
  events: unknown[];
  final: CrmRecordsInit;
};

describe("upcastEvent on events stored by 0.1.0", () => {
  it("gives every 0.1 event schemaVersion 2 and the unknown actor, keeping its own fields", () => {
    const events = fixture.events.map(upcastEvent);
    for (const [i, event] of events.entries()) {
      const stored = fixture.events[i] as Record<string, unknown>;
      expect(event).toEqual({ ...stored, actor: UNKNOWN_ACTOR, schemaVersion: 2 });
    }
    expect(UNKNOWN_ACTOR).toEqual({ system: "unknown" });
  });

  it("evolve replays upcast 0.1 events into the records 0.1 computed", () => {
    const replayed = fixture.events.map(upcastEvent).reduce<CrmState>(evolve, createState(fixture.initial));
    expect(toRecords(replayed)).toEqual(toRecords(createState(fixture.final)));
  });

  it("the ownership history reads them", () => {
    const history = ownershipHistory(fixture.events.map(upcastEvent), createState(fixture.initial));
    expect(ownerAt(history, { kind: "opportunity", id: "deal-1" }, { version: history.version })).toBe(
      fixture.final.opportunities.find((o) => o.id === "deal-1")?.ownerId,
    );
  });

  it("an event of schemaVersion 2 without its actor is refused, naming actor: only a 0.1 event may lack it", () => {
    const current = { type: "ContactDeleted", contactId: "acme", cause: "command", version: 4, schemaVersion: 2 };
    expect(() => upcastEvent(current)).toThrow(InvalidEventError);
    try {
      upcastEvent(current);
    } catch (error) {
      expect((error as InvalidEventError).field).toBe("actor");
    }
    expect(upcastEvent({ ...current, actor: { system: "import" } }).actor).toEqual({ system: "import" });
    const { schemaVersion: _v, ...legacy } = current;
    expect(upcastEvent(legacy).actor).toEqual(UNKNOWN_ACTOR);
  });

  it("an actorId a host stored on a 0.1 event becomes the user actor", () => {
    const event = upcastEvent({ type: "ContactDeleted", contactId: "acme", cause: "command", version: 4, actorId: "ana" });
    expect(event).toEqual({ type: "ContactDeleted", contactId: "acme", cause: "command", version: 4, actor: { userId: "ana" }, schemaVersion: 2 });
  });

  it("a current event is copied as it is; fields of an envelope are left out", () => {
    const current = { type: "UserDeactivated", userId: "ben", cause: "command", version: 9, actor: { system: "hr-sync" }, commandId: "c-9", at: "2026-11-30T10:00:00Z", schemaVersion: 2 };
    expect(upcastEvent({ ...current, outboxId: 17 })).toEqual(current);
    expect(upcastEvent(JSON.parse(JSON.stringify(current)))).toEqual(current);
  });
});

describe("upcastEvent refuses what is not an event, naming the field", () => {
  const base = { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", cause: "command", version: 3 };
  it.each([
    [null, "(event)"],
    [[], "(event)"],
    [{ ...base, type: "ContactRenamed" }, "type"],
    [{ ...base, type: "__proto__" }, "type"],
    [{ ...base, to: 7 }, "to"],
    [{ ...base, contactId: "" }, "contactId"],
    [{ ...base, cause: "magic" }, "cause"],
    [{ ...base, version: -1 }, "version"],
    [{ ...base, version: 1.5 }, "version"],
    [{ ...base, schemaVersion: 3 }, "schemaVersion"],
    [{ ...base, actor: { userId: "ana", system: "x" } }, "actor"],
    [{ ...base, actorId: 5 }, "actorId"],
    [{ ...base, at: 5 }, "at"],
    [{ ...base, commandId: "" }, "commandId"],
    [{ ...base, rotationId: 3 }, "rotationId"],
    [{ type: "FollowerAdded", record: { kind: "account", id: "a" }, userId: "ana", source: "manual", cause: "command", version: 1 }, "record.kind"],
    [{ type: "FollowerAdded", record: { kind: "contact", id: "" }, userId: "ana", source: "manual", cause: "command", version: 1 }, "record.id"],
    [{ type: "FollowerAdded", record: "acme", userId: "ana", source: "manual", cause: "command", version: 1 }, "record"],
  ])("%j → %s", (value, field) => {
    try {
      upcastEvent(value);
      expect.unreachable("upcastEvent accepted it");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as InvalidEventError).field).toBe(field);
    }
  });

  it("a getter that throws is reported, not rethrown", () => {
    const hostile = Object.defineProperty({ ...base }, "to", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(() => upcastEvent(hostile)).toThrow(InvalidEventError);
  });

  it("property: whatever the stored value, upcastEvent returns an event or throws InvalidEventError", () => {
    const stored = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.constantFrom("ContactCreated", "ContactOwnerChanged", "FollowerAdded"), contactId: fc.anything(), cause: fc.constantFrom("command", "x"), version: fc.anything() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(stored, (value) => {
        try {
          const event: CrmEvent = upcastEvent(value);
          expect(upcastEvent(JSON.parse(JSON.stringify(event)))).toEqual(event); // idempotent through JSON
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidEventError);
        }
      }),
    );
  });
});
