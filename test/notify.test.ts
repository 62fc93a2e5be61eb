/** Whom to notify about an event (docs/notifications.md). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canView, createState, evolve, execute, executeAll, getContact, getUser, whoToNotify, whoToNotifyAll, type Command, type CrmEvent, type CrmState } from "../src/index.js";
import { act } from "./read-helpers.js";

const users = [
  { id: "ana" },
  { id: "ben" },
  { id: "cy" },
  { id: "dee" },
  { id: "boss", role: "admin" as const },
  { id: "root", role: "admin" as const, active: false },
  { id: "gone", active: false },
];

function account(settings = {}): CrmState {
  return createState({
    settings,
    users,
    contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "cy", source: "manual" }, { userId: "gone", source: "manual" }] }],
    opportunities: [
      { id: "d1", contactId: "acme", ownerId: "ana", followers: [{ userId: "dee", source: "manual" }] },
      { id: "d2", contactId: "acme", ownerId: "ana" },
    ],
  });
}

const reasons = (list: readonly { userId: string; reason: string }[]) => list.map((r) => `${r.userId}:${r.reason}`);

describe("whoToNotify", () => {
  it("an owner change tells the new and previous owner and the record's followers, never the acting user", () => {
    const { state, events } = act(account(), { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, { userId: "ana" });
    const contactMoved = events.find((e) => e.type === "ContactOwnerChanged") as CrmEvent;
    // ana acted: she is not told although she is the previous owner; gone is inactive.
    expect(reasons(whoToNotify(contactMoved, state))).toEqual(["ben:new-owner", "cy:follower"]);
  });

  it("a system actor is nobody: the previous owner hears of it too", () => {
    const { state, events } = act(account(), { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, { system: "workflow:routing" });
    const contactMoved = events.find((e) => e.type === "ContactOwnerChanged") as CrmEvent;
    expect(reasons(whoToNotify(contactMoved, state))).toEqual(["ben:new-owner", "ana:previous-owner", "cy:follower"]);
  });

  it("a deal's owner change also tells its contact's owner and the deal's followers", () => {
    const { state, events } = act(account({ allowDifferentOwners: true }), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }, { userId: "boss" });
    const [moved] = events;
    expect(reasons(whoToNotify(moved as CrmEvent, state))).toEqual(["ben:new-owner", "ana:previous-owner", "dee:follower"]);
  });

  it("a follower limit notice goes to the active admins only", () => {
    const event: CrmEvent = { type: "FollowerNotAdded", record: { kind: "contact", id: "acme" }, userId: "ben", reason: "limit", cause: "opportunity-owner-followers", version: 3, actor: { system: "test" }, schemaVersion: 2 };
    expect(reasons(whoToNotify(event, account()))).toEqual(["boss:admin"]);
  });

  it("a rule's follow change tells only the user whose follow changed; a manual one also tells the owner", () => {
    const byRule: CrmEvent = { type: "FollowerAdded", record: { kind: "contact", id: "acme" }, userId: "ben", source: "automation", cause: "opportunity-owner-followers", version: 2, actor: { system: "test" }, schemaVersion: 2 };
    expect(reasons(whoToNotify(byRule, account()))).toEqual(["ben:now-following"]);
    const { state, events } = act(account(), { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }, { userId: "dee" });
    expect(reasons(whoToNotify(events[0] as CrmEvent, state))).toEqual(["ben:now-following", "ana:owner"]);
  });

  it("a deleted contact: its owner and followers with options.before, nobody without", () => {
    const before = account();
    const { state, events } = act(before, { type: "deleteContact", contactId: "acme" }, { userId: "boss" });
    const deleted = events[0] as CrmEvent;
    expect(deleted.type).toBe("ContactDeleted");
    expect(whoToNotify(deleted, state)).toEqual([]);
    expect(reasons(whoToNotify(deleted, state, { before }))).toEqual(["ana:previous-owner", "cy:follower"]);
    expect(reasons(whoToNotify(events[1] as CrmEvent, state, { before }))).toEqual(["ana:previous-owner", "dee:follower"]);
  });

  it("a status change tells the deal's owner, its contact's owner and its followers", () => {
    const { state, events } = act(account(), { type: "setOpportunityStatus", opportunityId: "d1", status: "won" }, { userId: "ben" });
    expect(reasons(whoToNotify(events[0] as CrmEvent, state))).toEqual(["ana:owner", "dee:follower"]);
  });

  it("settings and deactivations go to the admins; a reactivation also to the user", () => {
    const { state, events } = act(account(), { type: "updateSettings", allowDifferentOwners: true }, { userId: "boss" });
    expect(whoToNotify(events[0] as CrmEvent, state)).toEqual([]); // the only active admin acted
    const reactivated: CrmEvent = { type: "UserReactivated", userId: "ben", cause: "command", version: 9, actor: { system: "test" }, schemaVersion: 2 };
    expect(reasons(whoToNotify(reactivated, account()))).toEqual(["ben:reactivated", "boss:admin"]);
  });

  it("created records tell their owner (and a deal's contact owner); rotation picks tell nobody", () => {
    const { state, events } = act(account({ allowDifferentOwners: true }), { type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ben" });
    expect(reasons(whoToNotify(events[0] as CrmEvent, state))).toEqual(["ben:new-owner", "ana:contact-owner"]);
    const picked: CrmEvent = { type: "RotationAdvanced", rotationId: "r", userId: "ben", picks: 1, cause: "command", version: 1, actor: { system: "test" }, schemaVersion: 2 };
    expect(whoToNotify(picked, state)).toEqual([]);
  });
});

describe("whoToNotifyAll", () => {
  it("merges a command's events by user: one notification each, with every reason and event", () => {
    const { state, events } = act(account(), { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, { system: "import" });
    const all = whoToNotifyAll(events, state);
    expect(all.map((n) => n.userId)).toEqual(["ben", "ana", "cy", "dee"]);
    const ben = all[0];
    expect(ben?.reasons).toEqual(["new-owner"]);
    // the contact and both deals moved to ben: three events, one notification
    expect(ben?.events.map((e) => e.type)).toEqual(["ContactOwnerChanged", "OpportunityOwnerChanged", "OpportunityOwnerChanged"]);
    expect(new Set(all.map((n) => n.userId)).size).toBe(all.length);
  });
});

describe("whoToNotify keeps to what each user may see (docs/permissions.md)", () => {
  /** sam owns the contact with scope `assigned`; olga owns its deal, which sam cannot see; all sees everything. */
  function scoped(contactOwner: "sam" | "all"): CrmState {
    return createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "boss", role: "admin" }, { id: "olga" }, { id: "rita" }, { id: "sam", scope: "assigned" }, { id: "all" }],
      contacts: [{ id: "mine", ownerId: contactOwner }],
      opportunities: [{ id: "secret", contactId: "mine", ownerId: "olga" }],
    });
  }
  const commands = [
    { type: "assignOpportunityOwner", opportunityId: "secret", ownerId: "rita" },
    { type: "setOpportunityStatus", opportunityId: "secret", status: "won" },
    { type: "createOpportunity", opportunityId: "other", contactId: "mine", ownerId: "olga" },
    { type: "deleteOpportunity", opportunityId: "secret" },
  ] as const;

  it.each(commands)("a scoped contact owner is not told of a deal of theirs they cannot see ($type); a contact owner who sees every deal is", (command) => {
    for (const owner of ["sam", "all"] as const) {
      const before = scoped(owner);
      const { state, events } = act(before, command, { userId: "boss" });
      for (const options of [{ before }, {}]) {
        const told = whoToNotifyAll(events, state, options).filter((n) => n.reasons.includes("contact-owner")).map((n) => n.userId);
        expect(told).toEqual(owner === "sam" ? [] : ["all"]);
      }
    }
  });

  it("in a batch that creates a deal then deletes it, a contact owner who sees every record hears of both; a scoped one of neither", () => {
    for (const owner of ["sam", "all", "boss"] as const) {
      const before = scoped(owner === "boss" ? "all" : owner);
      const start = owner === "boss" ? act(before, { type: "assignContactOwner", contactId: "mine", ownerId: "boss" }, { system: "t" }).state : before;
      const batch = executeAll(start, [
        { type: "createOpportunity", opportunityId: "brief", contactId: "mine", ownerId: "olga" },
        { type: "deleteOpportunity", opportunityId: "brief" },
      ], { actor: { userId: "olga" } });
      if (!batch.ok) throw new Error(batch.error.message);
      for (const options of [{ before: start }, {}]) {
        const told = whoToNotifyAll(batch.events, batch.state, options).filter((n) => n.reasons.includes("contact-owner"));
        expect(told.map((n) => [n.userId, n.events.length])).toEqual(owner === "sam" ? [] : [[owner, 2]]);
      }
    }
  });

  it("a scoped contact owner who follows the deal sees it, and is told", () => {
    const before = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: "boss", role: "admin" }, { id: "olga" }, { id: "rita" }, { id: "sam", scope: "assigned" }],
      contacts: [{ id: "mine", ownerId: "sam" }],
      opportunities: [{ id: "secret", contactId: "mine", ownerId: "olga", followers: [{ userId: "sam", source: "manual" }] }],
    });
    const { state, events } = act(before, { type: "setOpportunityStatus", opportunityId: "secret", status: "lost" }, { userId: "boss" });
    // sam sees the deal (a follower), so is told, as the contact's owner: each user is told once, for the first reason that names them.
    expect(reasons(whoToNotify(events[0] as CrmEvent, state))).toEqual(["olga:owner", "sam:contact-owner"]);
  });
});

it("in a batch, a scoped contact owner hears of a deal's change only if they could see the deal just before or after it", () => {
  const before = createState({
    settings: { allowDifferentOwners: true },
    users: [{ id: "ana", scope: "assigned" }, { id: "ben" }, { id: "boss", role: "admin" }],
    contacts: [{ id: "acme", ownerId: "ana" }],
    opportunities: [{ id: "deal", contactId: "acme", ownerId: "ben", followers: [{ userId: "ana", source: "manual" }] }],
  });
  const batch = executeAll(
    before,
    [
      { type: "removeFollower", record: { kind: "opportunity", id: "deal" }, userId: "ana" },
      { type: "setOpportunityStatus", opportunityId: "deal", status: "lost" },
      { type: "assignOpportunityOwner", opportunityId: "deal", ownerId: "boss" },
    ],
    { actor: { userId: "boss" } },
  );
  if (!batch.ok) throw new Error(batch.error.message);
  // Ana saw the deal when the batch began, and not after her follow ended: she hears of that, not of what came after.
  const ana = whoToNotifyAll(batch.events, batch.state, { before }).find((n) => n.userId === "ana");
  expect(ana?.reasons).toEqual(["no-longer-following"]);
  expect(ana?.events.map((e) => e.type)).toEqual(["FollowerRemoved"]);
});

it("in a batch, each event is told to the people of its moment: who held a deleted contact, the contact's owner when a deal changed", () => {
  const boss = { actor: { userId: "boss" } };
  // Coupled owners: the contact moves to ben, then is deleted. Ben held it when it went; ana no longer did.
  const coupled = account();
  const gone = executeAll(coupled, [{ type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, { type: "deleteContact", contactId: "acme" }], boss);
  if (!gone.ok) throw new Error(gone.error.message);
  const told = whoToNotifyAll(gone.events, gone.state, { before: coupled });
  const deletion = gone.events.find((e) => e.type === "ContactDeleted");
  expect(told.find((n) => n.userId === "ben")?.events).toContain(deletion);
  expect(told.find((n) => n.userId === "ana")?.events).not.toContain(deletion);
  // Separate owners: a deal is closed, then its contact moves to cy. Ana owned the contact when the deal closed.
  const separate = account({ allowDifferentOwners: true });
  const closed = executeAll(separate, [{ type: "setOpportunityStatus", opportunityId: "d2", status: "won" }, { type: "assignContactOwner", contactId: "acme", ownerId: "cy" }], boss);
  if (!closed.ok) throw new Error(closed.error.message);
  const status = closed.events.find((e) => e.type === "OpportunityStatusChanged");
  const byUser = whoToNotifyAll(closed.events, closed.state, { before: separate });
  expect(byUser.find((n) => n.userId === "ana")?.events).toContain(status);
  expect(byUser.find((n) => n.userId === "cy")?.events ?? []).not.toContain(status);
});

it("in a batch, a follower added early hears of later changes; events of a newer release, whatever their shape, notify nobody", () => {
  const separate = account({ allowDifferentOwners: true });
  const batch = executeAll(separate, [{ type: "addFollower", record: { kind: "opportunity", id: "d2" }, userId: "cy" }, { type: "setOpportunityStatus", opportunityId: "d2", status: "won" }], { actor: { userId: "boss" } });
  if (!batch.ok) throw new Error(batch.error.message);
  const cy = whoToNotifyAll(batch.events, batch.state, { before: separate }).find((n) => n.userId === "cy");
  expect(cy?.events.map((e) => e.type)).toEqual(["FollowerAdded", "OpportunityStatusChanged"]);
  const meta = { cause: "command", actor: { userId: "boss" }, schemaVersion: 2, version: 1 };
  for (const odd of [{ type: "ContactMerged", contactId: null }, { type: "Tagged", record: null }, { type: "Tagged", record: { kind: "contact" } }, { type: "ContactsMerged", contactId: ["a", "b"] }]) {
    const events = [{ ...meta, ...odd }, ...batch.events] as unknown as CrmEvent[];
    expect(whoToNotifyAll(events, batch.state, { before: separate }).find((n) => n.userId === "cy")?.events.length).toBe(2);
  }
});

/** Random batches for the two properties below: an account of two contacts, then steps, each kept if it applies. */
const BATCH_PEOPLE = ["u0", "u1", "u2"] as const;
const batchUser = fc.constantFrom(...BATCH_PEOPLE);
const STEP_KINDS = ["assign", "status", "follow", "unfollow", "create", "delete", "moveContact", "followContact", "deleteContact", "transfer", "deactivate", "recouple"] as const;
const randomBatch = fc.record({
  scopes: fc.array(fc.constantFrom("all" as const, "assigned" as const), { minLength: 3, maxLength: 3 }),
  contactOwner: batchUser,
  separate: fc.boolean(),
  rules: fc.boolean(),
  steps: fc.array(fc.record({ kind: fc.constantFrom(...STEP_KINDS), deal: fc.nat(2), to: batchUser }), { minLength: 1, maxLength: 8 }),
});

function runBatch({ scopes, contactOwner, separate, rules, steps }: typeof randomBatch extends fc.Arbitrary<infer T> ? T : never) {
  const people = BATCH_PEOPLE;
  const other = (id: string, by: number) => people[(people.indexOf(id as (typeof people)[number]) + by) % 3] as string;
  const before = createState({
    settings: { allowDifferentOwners: separate, updateContactFollowersOnOpportunityOwnerChange: rules, updateOpportunityFollowersOnContactOwnerChange: rules },
    users: [{ id: "boss", role: "admin" }, ...people.map((id, i) => ({ id, scope: scopes[i] as "all" | "assigned" }))],
    contacts: [{ id: "c", ownerId: contactOwner }, { id: "k", ownerId: other(contactOwner, 1) }],
    opportunities: [0, 1].map((i) => ({ id: `d${i}`, contactId: "c", ownerId: separate ? other(contactOwner, i + 1) : contactOwner, followers: [{ userId: contactOwner, source: "manual" as const }] })),
  });
  // Each step on its own first, so that the batch holds only commands that apply.
  const commands: Command[] = [];
  let state = before;
  steps.forEach((c, n) => {
    const deal = c.kind === "create" ? `n${n}` : `d${c.deal % 2}`;
    const byKind: Record<(typeof STEP_KINDS)[number], Command> = {
      assign: { type: "assignOpportunityOwner", opportunityId: deal, ownerId: c.to },
      status: { type: "setOpportunityStatus", opportunityId: deal, status: n % 2 === 0 ? "won" : "open" },
      follow: { type: "addFollower", record: { kind: "opportunity", id: deal }, userId: c.to },
      unfollow: { type: "removeFollower", record: { kind: "opportunity", id: deal }, userId: c.to },
      create: { type: "createOpportunity", opportunityId: deal, contactId: c.deal % 2 === 0 ? "c" : "k", ownerId: c.to },
      delete: { type: "deleteOpportunity", opportunityId: deal },
      moveContact: { type: "assignContactOwner", contactId: "c", ownerId: c.to },
      followContact: { type: "addFollower", record: { kind: "contact", id: "c" }, userId: c.to },
      deleteContact: { type: "deleteContact", contactId: "c" },
      transfer: { type: "transferOwnership", fromUserId: c.to, toUserId: other(c.to, 1) },
      deactivate: { type: "deactivateUser", userId: c.to, reassignTo: other(c.to, 2) },
      recouple: { type: "updateSettings", allowDifferentOwners: !state.settings.allowDifferentOwners },
    };
    const tried = execute(state, byKind[c.kind], { actor: { userId: "boss" } });
    if (tried.ok && tried.state !== state) {
      commands.push(byKind[c.kind]);
      state = tried.state;
    }
  });
  if (commands.length === 0) return undefined;
  const batch = executeAll(before, commands, { actor: { userId: "boss" } });
  if (!batch.ok) throw new Error(batch.error.message);
  return { before, batch };
}

it("in a batch, each event is told to whom whoToNotify tells it on the snapshots just before and after it, each of whom could see the record then (property)", () => {
  fc.assert(
    fc.property(randomBatch, (input) => {
      const run = runBatch(input);
      if (run === undefined) return;
      const { before, batch } = run;
      const notified = whoToNotifyAll(batch.events, batch.state, { before });
      let at = before;
      for (const event of batch.events) {
        const next = evolve(at, event);
        const told = notified.filter((n) => n.events.includes(event)).map((n) => n.userId);
        // Exactly whoToNotify's, at the event's moment; activity is read at the batch's end (a user deactivated later in it hears nothing).
        const expected = whoToNotify(event, next, { before: at }).map((r) => r.userId).filter((id) => getUser(batch.state, id)?.active === true);
        expect(new Set(told), JSON.stringify(event)).toEqual(new Set(expected));
        // And each could see the record then (a follow's own user is told that it ended).
        const ref =
          "opportunityId" in event
            ? ({ kind: "opportunity", id: event.opportunityId } as const)
            : "record" in event
              ? event.record
              : "contactId" in event
                ? ({ kind: "contact", id: event.contactId } as const)
                : undefined;
        if (ref !== undefined) {
          for (const userId of told) {
            const ownFollow = "record" in event && "userId" in event && event.userId === userId;
            expect(ownFollow || canView(at, userId, ref) || canView(next, userId, ref), `${userId} told of ${JSON.stringify(event)}`).toBe(true);
          }
        }
        at = next;
      }
    }),
    { numRuns: 600 },
  );
});

it("every contact owner told of a deal may see it, and every one who may see it is told (property)", () => {
  const people = ["u0", "u1", "u2", "u3"] as const;
  const user = fc.constantFrom(...people);
  const account = fc.record({
    scopes: fc.array(fc.constantFrom("all" as const, "assigned" as const), { minLength: 4, maxLength: 4 }),
    contactOwner: user,
    deals: fc.array(fc.record({ owner: user, followers: fc.uniqueArray(user, { maxLength: 2 }) }), { minLength: 1, maxLength: 3 }),
  });
  const command = fc.record({ kind: fc.constantFrom("assign", "status", "create", "delete"), deal: fc.nat(2), to: user });
  fc.assert(
    fc.property(account, command, ({ scopes, contactOwner, deals }, c) => {
      const before = createState({
        settings: { allowDifferentOwners: true },
        users: [{ id: "boss", role: "admin" }, ...people.map((id, i) => ({ id, scope: scopes[i] as "all" | "assigned" }))],
        contacts: [{ id: "c", ownerId: contactOwner }],
        opportunities: deals.map((d, i) => ({ id: `d${i}`, contactId: "c", ownerId: d.owner, followers: d.followers.map((userId) => ({ userId, source: "manual" as const })) })),
      });
      const deal = `d${c.deal % deals.length}`;
      const commands: Record<typeof c.kind, Command> = {
        assign: { type: "assignOpportunityOwner", opportunityId: deal, ownerId: c.to },
        status: { type: "setOpportunityStatus", opportunityId: deal, status: "won" },
        create: { type: "createOpportunity", opportunityId: "new", contactId: "c", ownerId: c.to },
        delete: { type: "deleteOpportunity", opportunityId: deal },
      };
      const result = execute(before, commands[c.kind], { actor: { userId: "boss" } });
      if (!result.ok) return;
      for (const event of result.events) {
        if (!("opportunityId" in event)) continue;
        const seenIn = event.type === "OpportunityDeleted" ? before : result.state;
        const sees = canView(seenIn, contactOwner, { kind: "opportunity", id: event.opportunityId });
        const told = whoToNotify(event, result.state, { before }).some((r) => r.userId === contactOwner);
        const toldAsContactOwner = whoToNotify(event, result.state, { before }).some((r) => r.userId === contactOwner && r.reason === "contact-owner");
        if (toldAsContactOwner) expect(sees).toBe(true);
        if (sees && getContact(result.state, "c")?.ownerId === contactOwner) expect(told).toBe(true);
      }
    }),
    { numRuns: 400 },
  );
});
