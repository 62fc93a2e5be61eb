/**
 * docs/rules.md §14: every event type with its fields and cause, commandId/at on every event,
 * the order of events, and events as JSON.
 */
import { describe, expect, it } from "vitest";
import { EVENT_SCHEMA_VERSION, getContact, getOpportunity, listOpportunities, type Cause, type Command, type CrmEvent } from "../src/index.js";
import { account, as, brief, COUPLED, run, runAs, SEPARATE, SYSTEM } from "./helpers.js";
import { given } from "./spec.js";

const only = (command: Command, settings = SEPARATE, extra = {}) => run(account(settings, extra), command).events;

describe("every event type carries its fields and a cause (§14)", () => {
  // `version` is the snapshot version the command produced (brief's decision); account() is at 0.
  it("SettingsChanged: setting, from, to — one event per setting that changed", () => {
    expect(only({ type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: false, allowDifferentOwners: true }, COUPLED)).toEqual([
      { type: "SettingsChanged", setting: "allowDifferentOwners", from: false, to: true, cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
      { type: "SettingsChanged", setting: "updateContactFollowersOnOpportunityOwnerChange", from: false, to: true, cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("ContactCreated: contactId, ownerId (null when unassigned)", () => {
    expect(only({ type: "createContact", contactId: "new", ownerId: "ben" })).toEqual([{ type: "ContactCreated", contactId: "new", ownerId: "ben", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 }]);
    expect(only({ type: "createContact", contactId: "new" })).toEqual([{ type: "ContactCreated", contactId: "new", ownerId: null, cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 }]);
  });

  it("OpportunityCreated: opportunityId, contactId, ownerId, ownerDefaulted (and status)", () => {
    expect(only({ type: "createOpportunity", opportunityId: "d3", contactId: "acme", status: "won" })).toEqual([
      { type: "OpportunityCreated", opportunityId: "d3", contactId: "acme", ownerId: "ana", ownerDefaulted: true, status: "won", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("ContactOwnerChanged: contactId, from, to", () => {
    expect(only({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })).toEqual([
      { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("OpportunityOwnerChanged: opportunityId, contactId, from, to", () => {
    expect(only({ type: "assignOpportunityOwner", opportunityId: "d2", ownerId: null })).toEqual([
      { type: "OpportunityOwnerChanged", opportunityId: "d2", contactId: "acme", from: "ana", to: null, cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("FollowerAdded: record { kind, id }, userId, source", () => {
    expect(only({ type: "addFollower", record: { kind: "opportunity", id: "d1" }, userId: "ben" })).toEqual([
      { type: "FollowerAdded", record: { kind: "opportunity", id: "d1" }, userId: "ben", source: "manual", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("FollowerRemoved: record { kind, id }, userId (and the source of the follow that ended)", () => {
    const extra = { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" as const }] }] };
    expect(only({ type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }, SEPARATE, extra)).toEqual([
      { type: "FollowerRemoved", record: { kind: "contact", id: "acme" }, userId: "ben", source: "manual", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("FollowerNotAdded: record { kind, id }, userId, reason", () => {
    const settings = { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true, maxFollowers: 0 };
    expect(only({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }, settings)[1]).toEqual({
      type: "FollowerNotAdded",
      record: { kind: "contact", id: "acme" },
      userId: "ben",
      reason: "limit",
      cause: "opportunity-owner-followers",
      version: 1,
      actor: SYSTEM.actor,
      schemaVersion: 2,
    });
  });

  it("OpportunityStatusChanged: opportunityId, from, to (and contactId)", () => {
    expect(only({ type: "setOpportunityStatus", opportunityId: "d1", status: "abandoned" })).toEqual([
      { type: "OpportunityStatusChanged", opportunityId: "d1", contactId: "acme", from: "open", to: "abandoned", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
  });

  it("OpportunityDeleted: opportunityId, contactId; the contact no longer lists it", () => {
    const { state, events } = run(account(), { type: "deleteOpportunity", opportunityId: "d1" });
    expect(events).toEqual([{ type: "OpportunityDeleted", opportunityId: "d1", contactId: "acme", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 }]);
    expect(getOpportunity(state, "d1")).toBeUndefined();
    expect(getContact(state, "acme")?.opportunityIds).toEqual(["d2"]);
  });

  it("ContactDeleted: contactId, then its opportunities in the contact's order with cause contact-deleted", () => {
    const state = account(COUPLED, { contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d2", "d1"] }] });
    const { state: next, events } = run(state, { type: "deleteContact", contactId: "acme" });
    expect(events).toEqual([
      { type: "ContactDeleted", contactId: "acme", cause: "command", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
      { type: "OpportunityDeleted", opportunityId: "d2", contactId: "acme", cause: "contact-deleted", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
      { type: "OpportunityDeleted", opportunityId: "d1", contactId: "acme", cause: "contact-deleted", version: 1, actor: SYSTEM.actor, schemaVersion: 2 },
    ]);
    expect(getContact(next, "acme")).toBeUndefined();
    expect(listOpportunities(next)).toEqual([]);
  });

  it("a contact created with followers: ContactCreated, then one manual FollowerAdded each", () => {
    expect(brief(only({ type: "createContact", contactId: "new", ownerId: "ana", followerIds: ["ben", "cy"] }))).toEqual([
      "ContactCreated command",
      "FollowerAdded contact:new ben manual command",
      "FollowerAdded contact:new cy manual command",
    ]);
  });
});

describe("causes say why (§14)", () => {
  const causes = (command: Command, settings = SEPARATE, extra = {}) => only(command, settings, extra).map((e) => e.cause);
  const cases: [Cause, Command, object, object?][] = [
    ["owners-coupled", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, COUPLED],
    ["owners-recoupled", { type: "updateSettings", allowDifferentOwners: false }, SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }] }],
    ["opportunity-owner-followers", { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }, { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true }],
    ["contact-owner-followers", { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, { ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true }],
    ["contact-deleted", { type: "deleteContact", contactId: "acme" }, SEPARATE],
  ];
  it.each(cases)("%s: the asked change has cause command, the rule's changes the rule", (rule, command, settings, extra) => {
    const seen = causes(command, settings, extra);
    expect(seen[0]).toBe("command");
    expect(seen.slice(1).length).toBeGreaterThan(0);
    expect(new Set(seen.slice(1))).toEqual(new Set([rule]));
  });
});

describe("the actor, commandId and at are copied onto every event (§14)", () => {
  const command: Command = { type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "ben", commandId: "req-1" };

  it("every event of the command carries the actor, the time and the command's id, rule events included", () => {
    const events = runAs(as("ana", "2026-03-01T09:30:00Z"), account(COUPLED), command).events;
    expect(events).toHaveLength(3);
    for (const event of events) {
      expect(event).toMatchObject({ actor: { userId: "ana" }, commandId: "req-1", at: "2026-03-01T09:30:00Z", schemaVersion: EVENT_SCHEMA_VERSION });
    }
  });

  it("a system actor is named on every event, as the context gave it", () => {
    const events = runAs({ actor: { system: "workflow:lead-routing" } }, account(COUPLED), command).events;
    for (const event of events) expect(event.actor).toEqual({ system: "workflow:lead-routing" });
  });

  it("events of a command without commandId, and a context without at, have neither field", () => {
    const events = run(account(COUPLED), { type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "ben" }).events;
    for (const event of events) {
      expect(event).not.toHaveProperty("commandId");
      expect(event).not.toHaveProperty("at");
      expect(event).toHaveProperty("actor", SYSTEM.actor);
    }
  });

  it("the event's actor is a copy: changing the context afterwards changes no event", () => {
    const context = { actor: { userId: "ana" } };
    const [event] = runAs(context, account(COUPLED), command).events;
    context.actor.userId = "mallory";
    expect(event?.actor).toEqual({ userId: "ana" });
  });

  it("each command of a batch stamps its own events, and its own version", () => {
    const events = run(
      account(SEPARATE),
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "a" },
      { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy", commandId: "b" },
    ).events;
    expect(events.map((e) => [e.commandId, e.version])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });
});

describe("order: the asked change first, then the rules, opportunities in the contact's order (§14)", () => {
  it("a coupled opportunity owner change: the opportunity, its contact, then the others in the contact's list", () => {
    const state = account(COUPLED, {
      contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d3", "d2", "d1"] }],
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "d2", contactId: "acme", ownerId: "ana" },
        { id: "d3", contactId: "acme", ownerId: "ana" },
      ],
    });
    expect(brief(run(state, { type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "ben" }).events)).toEqual([
      "OpportunityOwnerChanged d2 ana→ben command",
      "ContactOwnerChanged acme ana→ben owners-coupled",
      "OpportunityOwnerChanged d3 ana→ben owners-coupled",
      "OpportunityOwnerChanged d1 ana→ben owners-coupled",
    ]);
  });

  it("with separate owners, the change first and the follower rule after it", () => {
    const settings = { ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true };
    const state = account(settings, { contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d2", "d1"] }] });
    expect(brief(run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).events)).toEqual([
      "ContactOwnerChanged acme ana→ben command",
      "FollowerAdded opportunity:d2 ben automation contact-owner-followers",
      "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
    ]);
  });
});

describe("events are JSON (§14)", () => {
  it("every event survives JSON.stringify and JSON.parse unchanged", () => {
    const settings = { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true, maxFollowers: 1 };
    const { events } = run(
      account(settings, { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "dee", source: "manual" }] }] }),
      { type: "createContact", contactId: "new", ownerId: "ana", followerIds: ["ben"], commandId: "c1" },
      { type: "createOpportunity", opportunityId: "d3", contactId: "acme" },
      { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" },
      { type: "assignContactOwner", contactId: "acme", ownerId: "cy" },
      { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "dee" },
      { type: "setOpportunityStatus", opportunityId: "d2", status: "lost" },
      { type: "deleteOpportunity", opportunityId: "d2" },
      { type: "updateSettings", allowDifferentOwners: false },
      { type: "deleteContact", contactId: "acme" },
    );
    const types = new Set(events.map((e) => e.type));
    const expected: CrmEvent["type"][] = [
      "ContactCreated",
      "FollowerAdded",
      "OpportunityCreated",
      "OpportunityOwnerChanged",
      "FollowerNotAdded",
      "ContactOwnerChanged",
      "FollowerRemoved",
      "OpportunityStatusChanged",
      "OpportunityDeleted",
      "SettingsChanged",
      "ContactDeleted",
    ];
    for (const type of expected) expect(types).toContain(type);
    // Strict: no undefined-valued fields, no class instances, nothing JSON would drop.
    expect(JSON.parse(JSON.stringify(events))).toStrictEqual(events);
  });
});

describe("events as specifications (docs/rules.md §14)", () => {
  it("deleting a contact: the asked change first, then what went with it, each with its cause", () => {
    given(account(COUPLED))
      .when({ type: "deleteContact", contactId: "acme" })
      .then(["ContactDeleted command", "OpportunityDeleted contact-deleted", "OpportunityDeleted contact-deleted"]);
  });

  it("a refusal is a value naming the field at fault", () => {
    given(account(SEPARATE)).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "nobody" }).thenError({ code: "USER_NOT_FOUND", field: "ownerId", id: "nobody" });
  });
});
