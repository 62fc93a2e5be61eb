/**
 * docs/rules.md §2: `evolve` checks its event. A malformed one is refused by throwing InvalidEventError
 * naming the field, nothing is applied, and nothing of the caller's is frozen or kept. Fields it
 * does not know are ignored (forward compatible); 0.1 events (no actor, no schemaVersion) are
 * accepted. Only the public `evolve` checks: execute and decide apply their own events unchecked.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { createState, decide, evolve, execute, getContact, InvalidEventError, LIMITS, toRecords, type CrmEvent, type CrmState, type Follower } from "../src/index.js";
import { account, anyFrozen, SEPARATE, SYSTEM } from "./helpers.js";

// Wraps the real checker so a test can count its calls; every other test sees it unchanged.
vi.mock("../src/eventShape.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/eventShape.js")>();
  return { ...real, parseEvent: vi.fn(real.parseEvent) };
});
const { parseEvent } = await import("../src/eventShape.js");

const state = account(SEPARATE);

/** The InvalidEventError evolve throws for `event` (fails the test if it accepts it). */
function refusal(event: unknown, on: CrmState = state): InvalidEventError {
  try {
    evolve(on, event as CrmEvent);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    return error as InvalidEventError;
  }
  throw new Error("evolve accepted the event");
}

const valid = {
  SettingsChanged: { type: "SettingsChanged", setting: "allowDifferentOwners", from: true, to: false, cause: "command" },
  ContactCreated: { type: "ContactCreated", contactId: "new-co", ownerId: "ana", cause: "command" },
  OpportunityCreated: { type: "OpportunityCreated", opportunityId: "d9", contactId: "acme", ownerId: null, ownerDefaulted: false, status: "open", cause: "command" },
  ContactOwnerChanged: { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", cause: "command", rotationId: "inbound" },
  OpportunityOwnerChanged: { type: "OpportunityOwnerChanged", opportunityId: "d1", contactId: "acme", from: "ana", to: null, cause: "owners-coupled" },
  FollowerAdded: { type: "FollowerAdded", record: { kind: "contact", id: "acme" }, userId: "ben", source: "automation", cause: "contact-owner-followers" },
  FollowerRemoved: { type: "FollowerRemoved", record: { kind: "opportunity", id: "d1" }, userId: "ben", source: "manual", cause: "command" },
  FollowerNotAdded: { type: "FollowerNotAdded", record: { kind: "opportunity", id: "d1" }, userId: "ben", reason: "limit", cause: "opportunity-owner-followers" },
  OpportunityStatusChanged: { type: "OpportunityStatusChanged", opportunityId: "d1", contactId: "acme", from: "open", to: "won", cause: "command" },
  ContactDeleted: { type: "ContactDeleted", contactId: "acme", cause: "command" },
  OpportunityDeleted: { type: "OpportunityDeleted", opportunityId: "d1", contactId: "acme", cause: "contact-deleted" },
  UserDeactivated: { type: "UserDeactivated", userId: "ana", cause: "command" },
  UserReactivated: { type: "UserReactivated", userId: "gone", cause: "command" },
  RotationAdvanced: { type: "RotationAdvanced", rotationId: "inbound", userId: "ana", picks: 3, cause: "command" },
} as const satisfies { [T in CrmEvent["type"]]: unknown };

describe("evolve accepts every event the library emits", () => {
  it.each(Object.entries(valid))("%s, as 0.1 stored it (no version, actor or schemaVersion)", (_, event) => {
    expect(() => evolve(state, event as CrmEvent)).not.toThrow();
  });

  it("with the 0.2 fields: version, actor (a user or a system), schemaVersion 2, commandId, at", () => {
    const meta = { version: 4, schemaVersion: 2, commandId: "req-1", at: "2026-11-30T10:00:00Z" };
    for (const actor of [{ userId: "ana" }, { system: "workflow:lead-routing" }]) {
      const next = evolve(state, { ...valid.ContactOwnerChanged, ...meta, actor } as unknown as CrmEvent);
      expect(next.version).toBe(4);
      expect(getContact(next, "acme")?.ownerId).toBe("ben");
    }
  });

  it("ignores fields it does not know, at the top and inside `record`, and keeps none of them", () => {
    const event = { ...valid.FollowerAdded, record: { kind: "contact", id: "acme", extra: { deep: [1] } }, addedIn: "0.9", polluted: { __proto__: null } };
    const next = evolve(state, event as unknown as CrmEvent);
    expect(getContact(next, "acme")?.followers).toEqual([{ userId: "ben", source: "automation" }]);
    expect(JSON.stringify(toRecords(next))).not.toMatch(/addedIn|extra|deep|polluted/);
  });
});

describe("evolve refuses a malformed event with InvalidEventError naming the field", () => {
  it("the issue's example: an object as an owner is refused, and the caller's object is not frozen", () => {
    const to = { x: 1 };
    const error = refusal({ type: "ContactOwnerChanged", contactId: "acme", from: "ana", to, cause: "command" });
    expect(error).toMatchObject({ name: "InvalidEventError", field: "to" });
    expect(error.message).toBe('Invalid event ContactOwnerChanged: "to" must be a user id or null.');
    expect(Object.isFrozen(to)).toBe(false);
  });

  it.each([
    ["(event)", null],
    ["(event)", "ContactCreated"],
    ["(event)", [valid.ContactCreated]],
    ["type", {}],
    ["type", { ...valid.ContactCreated, type: "ContactMoved" }],
    ["type", { ...valid.ContactCreated, type: "toString" }],
    ["type", Object.assign(Object.create({ type: "ContactDeleted" }) as object, { contactId: "acme", cause: "command" })],
    ["cause", { ...valid.ContactDeleted, cause: "because" }],
    ["cause", { type: "ContactDeleted", contactId: "acme" }],
    ["contactId", { type: "ContactDeleted", cause: "command" }],
    ["contactId", { ...valid.ContactDeleted, contactId: "" }],
    ["contactId", { ...valid.ContactDeleted, contactId: 7 }],
    ["ownerId", { ...valid.ContactCreated, ownerId: ["ana"] }],
    ["setting", { ...valid.SettingsChanged, setting: "__proto__" }],
    ["setting", { ...valid.SettingsChanged, setting: "maxFollowers" }],
    ["to", { ...valid.SettingsChanged, to: "yes" }],
    ["status", { ...valid.OpportunityCreated, status: "pending" }],
    ["ownerDefaulted", { ...valid.OpportunityCreated, ownerDefaulted: 1 }],
    ["rotationId", { ...valid.ContactOwnerChanged, rotationId: null }],
    ["record", { ...valid.FollowerAdded, record: "acme" }],
    ["record.kind", { ...valid.FollowerAdded, record: { kind: "account", id: "acme" } }],
    ["record.id", { ...valid.FollowerAdded, record: { kind: "contact" } }],
    ["source", { ...valid.FollowerAdded, source: "import" }],
    ["source", { type: "FollowerRemoved", record: { kind: "contact", id: "acme" }, userId: "ben", cause: "command" }],
    ["reason", { ...valid.FollowerNotAdded, reason: "full" }],
    ["from", { ...valid.OpportunityStatusChanged, from: "closed" }],
    ["picks", { ...valid.RotationAdvanced, picks: -1 }],
    ["picks", { ...valid.RotationAdvanced, picks: 1.5 }],
    ["version", { ...valid.ContactDeleted, version: -1 }],
    ["version", { ...valid.ContactDeleted, version: "3" }],
    ["commandId", { ...valid.ContactDeleted, commandId: 12 }],
    ["at", { ...valid.ContactDeleted, at: "yesterday" }],
    ["actor", { ...valid.ContactDeleted, actor: "ana" }],
    ["actor", { ...valid.ContactDeleted, actor: {} }],
    ["actor", { ...valid.ContactDeleted, actor: { userId: "ana", system: "import" } }],
    ["actor.userId", { ...valid.ContactDeleted, actor: { userId: "" } }],
    ["actor.system", { ...valid.ContactDeleted, actor: { system: 5 } }],
    ["schemaVersion", { ...valid.ContactDeleted, schemaVersion: 3 }],
    ["schemaVersion", { ...valid.ContactDeleted, schemaVersion: "2" }],
  ] as const)("%s: %j", (field, event) => {
    const error = refusal(event);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^Invalid event( [A-Za-z]+)?: /);
    expect(error.message).toContain(`"${field}"`);
  });

  it("an id over the length limit is refused for its length", () => {
    const error = refusal({ ...valid.UserDeactivated, userId: "u".repeat(LIMITS.idLength + 1) });
    expect(error).toMatchObject({ field: "userId", message: `Invalid event UserDeactivated: "userId" must be at most ${LIMITS.idLength} characters (it has 257).` });
  });

  it("hostile objects (a getter that throws, a revoked proxy) are refused, not followed", () => {
    const getter = Object.defineProperty({ type: "ContactDeleted", cause: "command" }, "contactId", {
      enumerable: true,
      get() {
        throw new Error("hostile getter");
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const event of [getter, proxy]) expect(refusal(event).field).toBe("(event)");
  });

  it("nothing is applied and the snapshot is unchanged", () => {
    const before = JSON.stringify(toRecords(state));
    refusal({ ...valid.OpportunityOwnerChanged, to: 42 });
    expect(JSON.stringify(toRecords(state))).toBe(before);
  });

  it("the message and the field stay log-safe whatever the event holds", () => {
    const error = refusal({ ...valid.ContactDeleted, type: `Contact\nDeleted\u202E${"x".repeat(1e6)}` });
    expect(error.message).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    expect(error.message.length).toBeLessThanOrEqual(600);
  });
});

describe("evolve keeps nothing of the caller's", () => {
  it("neither the event nor anything in it is frozen, and later changes to it change nothing", () => {
    const event = { ...valid.FollowerAdded, record: { kind: "contact", id: "acme" }, extra: { nested: {} } };
    const next = evolve(state, event as unknown as CrmEvent);
    expect(anyFrozen(event)).toBe(false);
    event.record.id = "changed";
    expect(getContact(next, "acme")?.followers).toEqual([{ userId: "ben", source: "automation" }]);
  });
});

describe("only the public evolve pays for the check", () => {
  it("execute and decide apply their own events without checking them; evolve checks each event once", () => {
    const check = vi.mocked(parseEvent);
    check.mockClear();
    const command = { type: "assignContactOwner", contactId: "acme", ownerId: "ben" } as const;
    const result = execute(state, command, SYSTEM);
    const events = decide(state, command, SYSTEM);
    expect(check).not.toHaveBeenCalled();
    expect(result.ok && result.events.length).toBeGreaterThan(0);
    events.reduce<CrmState>(evolve, state);
    expect(check).toHaveBeenCalledTimes(events.length);
  });
});

describe("evolve changes the one follow an event names", () => {
  const users = ["u0", "u1", "u2", "u3", "u4"];
  const snapshot = (follows: readonly Follower[]) =>
    createState({ users: users.map((id) => ({ id })), contacts: [{ id: "c", ownerId: "u0", followers: [...follows] }], opportunities: [] });
  const followersAfter = (follows: readonly Follower[], event: CrmEvent) => getContact(evolve(snapshot(follows), event), "c")?.followers;
  const added = (userId: string, source: Follower["source"]): CrmEvent =>
    ({ type: "FollowerAdded", record: { kind: "contact", id: "c" }, userId, source, cause: "command" }) as CrmEvent;
  const removed = (userId: string, source: Follower["source"]): CrmEvent =>
    ({ type: "FollowerRemoved", record: { kind: "contact", id: "c" }, userId, source, cause: "command" }) as CrmEvent;

  it("a FollowerAdded for a follow there already changes its source, in its place; a new one is appended; a removal takes that follow only", () => {
    const follows: Follower[] = [
      { userId: "u1", source: "automation" },
      { userId: "u2", source: "automation" },
      { userId: "u3", source: "automation" },
    ];
    expect(followersAfter(follows, added("u2", "manual"))).toEqual([follows[0], { userId: "u2", source: "manual" }, follows[2]]);
    expect(followersAfter(follows, added("u4", "manual"))).toEqual([...follows, { userId: "u4", source: "manual" }]);
    expect(followersAfter(follows, removed("u2", "automation"))).toEqual([follows[0], follows[2]]);
  });

  it("whatever the list and the follow named (property)", () => {
    const followsArb = fc.uniqueArray(fc.record({ userId: fc.constantFrom(...users.slice(1)), source: fc.constantFrom("manual" as const, "automation" as const) }), {
      selector: (f) => f.userId,
      maxLength: 4,
    });
    fc.assert(
      fc.property(followsArb, fc.constantFrom(...users.slice(1)), fc.constantFrom("manual" as const, "automation" as const), (follows, userId, source) => {
        const at = follows.findIndex((f) => f.userId === userId);
        const withIt = at < 0 ? [...follows, { userId, source }] : follows.map((f, i) => (i === at ? { userId, source } : f));
        expect(followersAfter(follows, added(userId, source))).toEqual(withIt);
        expect(followersAfter(follows, removed(userId, source))).toEqual(follows.filter((f) => f.userId !== userId));
      }),
    );
  });
});
