/**
 * docs/rules.md §13, who may do what: walks every cell of the table in test/permissions-table.ts (the
 * same data docs/permissions.md is rendered from) against execute() and the read selectors.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  COMMAND_TYPES,
  canView,
  CommandRejectedError,
  createState,
  decide,
  parseCommand,
  toRecords,
  type Command,
  type CommandContext,
  execute,
  executeAll,
  listContacts,
  listOpportunities,
  listUsers,
  visibleContacts,
  visibleOpportunities,
  type CrmState,
  type Follower,
  type UserInit,
} from "../src/index.js";
import {
  COVERED_COMMANDS,
  READ_ACTORS,
  READ_ROWS,
  renderPermissionsDoc,
  WRITE_ACTORS,
  WRITE_ROWS,
  type Actor,
  type Outcome,
  type Owners,
  type Relation,
} from "./permissions-table.js";
import { as, owners, reject, run, runAs, SYSTEM } from "./helpers.js";
import { given } from "./spec.js";

const ACTOR_ID = "sam";

/** The actor as a user of the snapshot; inactive actors are tried with both roles. */
function actorUsers(actor: Actor): (UserInit | undefined)[] {
  switch (actor) {
    case "admin/all":
      return [{ id: ACTOR_ID, role: "admin", scope: "all" }];
    case "admin/assigned":
      return [{ id: ACTOR_ID, role: "admin", scope: "assigned" }];
    case "user/all":
      return [{ id: ACTOR_ID, role: "user", scope: "all" }];
    case "user/assigned":
      return [{ id: ACTOR_ID, role: "user", scope: "assigned" }];
    case "inactive":
      return [
        { id: ACTOR_ID, role: "admin", scope: "all", active: false },
        { id: ACTOR_ID, role: "user", scope: "assigned", active: false },
      ];
    case "unknown":
    case "system":
      return [undefined];
  }
}

/**
 * The scenario of docs/permissions.md: contact `acme` with opportunity `deal`; olga owns what
 * the actor does not; rita is assigned; fred follows both; ina is inactive.
 */
function scenario(target: "contact" | "opportunity" | "none", relation: Relation, owners: Owners, actor: UserInit | undefined): CrmState {
  const me = actor?.id ?? "olga";
  const follows = (kind: "contact" | "opportunity"): Follower[] => [
    { userId: "fred", source: "manual" },
    ...(actor !== undefined && target === kind && relation === "follower" ? [{ userId: me, source: "manual" as const }] : []),
  ];
  let contactOwner = target === "contact" && relation === "owner" ? me : "olga";
  let dealOwner = (target === "opportunity" && relation === "owner") || relation === "opportunity owner" ? me : "olga";
  if (owners === "coupled") contactOwner = dealOwner = relation === "owner" ? me : "olga";
  return createState({
    settings: { allowDifferentOwners: owners === "separate" },
    users: [...(actor ? [actor] : []), { id: "olga" }, { id: "rita" }, { id: "fred" }, { id: "ina", active: false }],
    contacts: [{ id: "acme", ownerId: contactOwner, followers: follows("contact") }],
    opportunities: [{ id: "deal", contactId: "acme", ownerId: dealOwner, followers: follows("opportunity") }],
  });
}

type Observed = Outcome | `unexpected ${string}`;

describe("the permissions table", () => {
  it("docs/permissions.md is the rendering of the table (run `npm run docs:permissions`)", () => {
    const committed = readFileSync(new URL("../docs/permissions.md", import.meta.url), "utf8");
    expect(committed).toBe(renderPermissionsDoc());
  });

  it("covers every command", () => {
    expect([...COVERED_COMMANDS].sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it("covers every role × scope × relation for each command about a record", () => {
    for (const type of COVERED_COMMANDS) {
      const rows = WRITE_ROWS.filter((r) => r.command.type === type && r.owners === "separate");
      const relations = new Set(rows.map((r) => r.relation));
      if (relations.has("—")) continue;
      expect(relations.has("owner") && relations.has("follower") && relations.has("neither"), type).toBe(true);
    }
  });
});

describe("commands: every cell of the table holds", () => {
  for (const row of WRITE_ROWS) {
    const name = `${row.label.replaceAll("`", "")} — ${row.relation}${row.owners === "coupled" ? " (coupled)" : ""}`;
    it(name, () => {
      const observed: Partial<Record<Actor, Observed>> = {};
      for (const actor of WRITE_ACTORS) {
        for (const user of actorUsers(actor)) {
          const state = scenario(row.target, row.relation, row.owners, user);
          const result = execute(state, row.command, actor === "system" ? SYSTEM : as(ACTOR_ID));
          let outcome: Observed;
          if (result.ok) outcome = "allowed";
          else if (result.error.code === "CONTACT_NOT_FOUND" || result.error.code === "OPPORTUNITY_NOT_FOUND") outcome = "not found";
          else if (result.error.code !== "FORBIDDEN") outcome = `unexpected ${result.error.code}: ${result.error.message}`;
          else {
            // A FORBIDDEN error names the actor and the rule.
            expect(result.error).toMatchObject({ actorId: ACTOR_ID, field: "context.actor" });
            expect(result.error.message).toContain(`"${ACTOR_ID}"`);
            outcome = result.error.rule as Outcome;
          }
          const previous = observed[actor];
          observed[actor] = previous === undefined || previous === outcome ? outcome : `unexpected ${previous} / ${outcome}`;
        }
      }
      expect(observed).toEqual(row.outcomes);
    });
  }
});

describe("reads: canView, visibleContacts and visibleOpportunities follow the table", () => {
  for (const row of READ_ROWS) {
    it(`${row.label} — ${row.relation}`, () => {
      const observed: Partial<Record<Actor, boolean | string>> = {};
      const ref = row.target === "contact" ? ({ kind: "contact", id: "acme" } as const) : ({ kind: "opportunity", id: "deal" } as const);
      for (const actor of READ_ACTORS) {
        for (const user of actorUsers(actor)) {
          const state = scenario(row.target, row.relation, "separate", user);
          const seen = canView(state, ACTOR_ID, ref);
          const listed = (row.target === "contact" ? visibleContacts(state, ACTOR_ID) : visibleOpportunities(state, ACTOR_ID)).some((r) => r.id === ref.id);
          expect(listed, `${actor}: the list agrees with canView`).toBe(seen);
          const previous = observed[actor];
          observed[actor] = previous === undefined || previous === seen ? seen : "differs by role";
        }
      }
      expect(observed).toEqual(row.visible);
    });
  }

  it("for every user and record of a mixed account, the lists hold exactly what canView allows, in order", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: [
        { id: "boss", role: "admin", scope: "assigned" },
        { id: "sam", scope: "assigned" },
        { id: "tia", scope: "assigned" },
        { id: "uma", scope: "all" },
        { id: "old", scope: "all", active: false },
      ],
      contacts: [
        { id: "c1", ownerId: "sam" },
        { id: "c2", ownerId: "tia", followers: [{ userId: "sam", source: "automation" }] },
        { id: "c3", ownerId: "uma" },
      ],
      opportunities: [
        { id: "o1", contactId: "c1", ownerId: "tia" },
        { id: "o2", contactId: "c3", ownerId: "sam" },
        { id: "o3", contactId: "c3", ownerId: "uma", followers: [{ userId: "tia", source: "manual" }] },
      ],
    });
    const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);
    const visible = Object.fromEntries(
      [...ids(listUsers(state)), "nobody"].map((u) => [u, { contacts: ids(visibleContacts(state, u)), opportunities: ids(visibleOpportunities(state, u)) }]),
    );
    for (const u of Object.keys(visible)) {
      expect(visible[u]?.contacts).toEqual(ids(listContacts(state).filter((c) => canView(state, u, { kind: "contact", id: c.id }))));
      expect(visible[u]?.opportunities).toEqual(ids(listOpportunities(state).filter((o) => canView(state, u, { kind: "opportunity", id: o.id }))));
    }
    // Written from docs/rules.md §13: own or follow; owning o2 does not reveal c3, owning c1 does not reveal o1.
    expect(visible).toEqual({
      boss: { contacts: ["c1", "c2", "c3"], opportunities: ["o1", "o2", "o3"] },
      sam: { contacts: ["c1", "c2"], opportunities: ["o2"] },
      tia: { contacts: ["c2"], opportunities: ["o1", "o3"] },
      uma: { contacts: ["c1", "c2", "c3"], opportunities: ["o1", "o2", "o3"] },
      old: { contacts: [], opportunities: [] },
      nobody: { contacts: [], opportunities: [] },
    });
  });

  it("a reference that is not one (from a request, say) is never visible, and never throws", () => {
    const state = scenario("contact", "owner", "separate", { id: ACTOR_ID, role: "admin" });
    for (const junk of [null, undefined, 5, "acme", { kind: "contact" }, { kind: "contact", id: 5 }]) {
      expect(canView(state, ACTOR_ID, junk as never)).toBe(false);
    }
    // Nor for a user id that is not one (a session that is missing): nothing seen, nothing thrown.
    for (const junk of [undefined, null, 5, { id: ACTOR_ID }]) {
      expect(canView(state, junk as never, { kind: "contact", id: "acme" })).toBe(false);
      expect(visibleContacts(state, junk as never)).toEqual([]);
      expect(visibleOpportunities(state, junk as never)).toEqual([]);
    }
  });

  it("a record that is not in the snapshot is never visible", () => {
    const state = scenario("contact", "owner", "separate", { id: ACTOR_ID, role: "admin" });
    expect(canView(state, ACTOR_ID, { kind: "contact", id: "missing" })).toBe(false);
    expect(canView(state, ACTOR_ID, { kind: "opportunity", id: "missing" })).toBe(false);
  });
});

describe("FORBIDDEN in practice", () => {
  it("names the actor and the rule, and says why", () => {
    const state = scenario("contact", "follower", "separate", { id: ACTOR_ID, scope: "assigned" });
    const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "rita" }, as(ACTOR_ID));
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "FORBIDDEN", actorId: ACTOR_ID, rule: "owner-only", field: "context.actor", message: expect.stringMatching(/sam.*owner/) }),
    });
  });

  it("a command refused for a record that is not there gets the record's error, not FORBIDDEN", () => {
    const state = scenario("contact", "neither", "separate", { id: ACTOR_ID, scope: "assigned" });
    const result = execute(state, { type: "assignContactOwner", contactId: "elsewhere", ownerId: "rita" }, as(ACTOR_ID));
    expect(result.ok ? undefined : result.error.code).toBe("CONTACT_NOT_FOUND");
  });

  it("in executeAll a forbidden command refuses the whole batch and says which one", () => {
    const state = scenario("contact", "owner", "separate", { id: ACTOR_ID, scope: "assigned" });
    const result = executeAll(state, [
      { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "rita" },
      { type: "updateSettings", allowDifferentOwners: false },
    ], as(ACTOR_ID));
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "FORBIDDEN", rule: "admin-only", index: 1 });
  });

  it("permissions are checked against the batch so far: after handing a contact away, its old owner no longer sees it", () => {
    const state = scenario("contact", "owner", "separate", { id: ACTOR_ID, scope: "assigned" });
    const result = executeAll(state, [
      { type: "assignContactOwner", contactId: "acme", ownerId: "rita" },
      { type: "assignContactOwner", contactId: "acme", ownerId: ACTOR_ID },
    ], as(ACTOR_ID));
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "CONTACT_NOT_FOUND", field: "contactId", index: 1 });
  });
});

describe("a handover (assignContactOwner with transfer) needs the right to reassign each opportunity it moves", () => {
  /** Separate owners; sam (scope assigned) owns acme and `mine`; `theirs` is olga's, open or won. */
  const handover = (theirs: "open" | "won") =>
    createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: ACTOR_ID, scope: "assigned" }, { id: "olga" }, { id: "rita" }],
      contacts: [{ id: "acme", ownerId: ACTOR_ID }],
      opportunities: [
        { id: "mine", contactId: "acme", ownerId: ACTOR_ID },
        { id: "theirs", contactId: "acme", ownerId: "olga", status: theirs },
      ],
    });
  const run = (state: CrmState, transfer: "all" | "ownedByPreviousOwner", ownerId = "rita") => {
    const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId, transfer }, as(ACTOR_ID));
    return result.ok ? "allowed" : `${result.error.code} ${result.error.rule}`;
  };

  it('"ownedByPreviousOwner" hands over the actor\'s own open deals', () => {
    expect(run(handover("open"), "ownedByPreviousOwner")).toBe("allowed");
  });

  it('"all" is refused while someone else owns an open deal the handover would move', () => {
    expect(run(handover("open"), "all")).toBe("FORBIDDEN owner-only");
  });

  it('"all" is allowed when the other deals are closed (they do not move)', () => {
    expect(run(handover("won"), "all")).toBe("allowed");
  });

  it("assigning the owner the contact already has is a no-op, even with a transfer", () => {
    const state = handover("open");
    expect(run(state, "all", ACTOR_ID)).toBe("allowed");
    expect(execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: ACTOR_ID, transfer: "all" }, as(ACTOR_ID))).toEqual({ ok: true, state, events: [] });
  });
});

describe("every record a command changes is authorised, not only the one it names", () => {
  /**
   * Coupled owners, but a group split before the rule existed: sam (scope assigned) owns `mine`;
   * olga owns the contact and `theirs`. Moving `mine` would move the contact and `theirs` too.
   */
  const split = () =>
    createState({
      settings: { allowDifferentOwners: false },
      users: [{ id: ACTOR_ID, scope: "assigned" }, { id: "olga" }, { id: "rita" }],
      contacts: [{ id: "acme", ownerId: "olga" }],
      opportunities: [
        { id: "mine", contactId: "acme", ownerId: ACTOR_ID },
        { id: "theirs", contactId: "acme", ownerId: "olga" },
      ],
    });

  it("a scoped user who owns one opportunity of a split group cannot hand the contact (which they cannot see) to anyone", () => {
    for (const ownerId of ["rita", ACTOR_ID, null]) {
      const result = execute(split(), { type: "assignOpportunityOwner", opportunityId: "mine", ownerId }, as(ACTOR_ID));
      expect(result.ok ? "allowed" : result.error).toMatchObject({ code: "FORBIDDEN", rule: "owner-only", actorId: ACTOR_ID });
    }
  });

  it("the same move by a user with scope all, or by a system actor, realigns the group", () => {
    const state = createState({ ...toRecords(split()), users: [{ id: ACTOR_ID, scope: "all" }, { id: "olga" }, { id: "rita" }] });
    for (const context of [as(ACTOR_ID), SYSTEM]) {
      const result = execute(state, { type: "assignOpportunityOwner", opportunityId: "mine", ownerId: "rita" }, context);
      expect(result.ok && owners(result.state, "acme", "mine", "theirs")).toEqual({ acme: "rita", mine: "rita", theirs: "rita" });
    }
  });

  it("deleting a contact needs the right to delete each of its opportunities", () => {
    const state = createState({
      settings: { allowDifferentOwners: true },
      users: [{ id: ACTOR_ID, scope: "assigned" }, { id: "olga" }],
      contacts: [{ id: "acme", ownerId: ACTOR_ID }],
      opportunities: [{ id: "theirs", contactId: "acme", ownerId: "olga" }],
    });
    given(state).when({ type: "deleteContact", contactId: "acme" }, as(ACTOR_ID)).thenError({ code: "FORBIDDEN", rule: "owner-only" });
    const mine = execute(state, { type: "assignOpportunityOwner", opportunityId: "theirs", ownerId: ACTOR_ID }, SYSTEM);
    expect(mine.ok && execute(mine.state, { type: "deleteContact", contactId: "acme" }, as(ACTOR_ID)).ok).toBe(true);
  });
});

describe("no probing: for a scoped user, a record they cannot see is refused exactly as a missing one", () => {
  const state = createState({
    settings: { allowDifferentOwners: true },
    users: [{ id: ACTOR_ID, scope: "assigned" }, { id: "olga" }],
    contacts: [{ id: "secret", ownerId: "olga" }],
    opportunities: [{ id: "secret-deal", contactId: "secret", ownerId: "olga" }],
  });
  const commands = (contactId: string, opportunityId: string): Command[] => [
    { type: "assignContactOwner", contactId, ownerId: ACTOR_ID },
    { type: "assignOpportunityOwner", opportunityId, ownerId: ACTOR_ID },
    { type: "addFollower", record: { kind: "contact", id: contactId }, userId: ACTOR_ID },
    { type: "removeFollower", record: { kind: "opportunity", id: opportunityId }, userId: "olga" },
    { type: "setOpportunityStatus", opportunityId, status: "won" },
    { type: "deleteContact", contactId },
    { type: "deleteOpportunity", opportunityId },
    { type: "createOpportunity", opportunityId: "new-deal", contactId },
    { type: "assignUser", contactId, users: [{ userId: ACTOR_ID }], rotationId: "r" },
    { type: "removeAssignedUser", contactId },
    { type: "addOpportunityOwner", opportunityId, userId: ACTOR_ID },
    { type: "removeOpportunityOwner", opportunityId },
  ];

  it("every command naming an invisible record gets the error of a missing one, field and message shape included", () => {
    const hidden = commands("secret", "secret-deal");
    const missing = commands("nowhere", "no-deal");
    hidden.forEach((command, i) => {
      const a = reject(state, command, as(ACTOR_ID));
      const b = reject(state, missing[i] as Command, as(ACTOR_ID));
      expect(a.code).toMatch(/_NOT_FOUND$/);
      expect({ ...a, id: undefined, message: a.message.replace(/"secret(-deal)?"/, "ID") }).toEqual({ ...b, id: undefined, message: b.message.replace(/"(nowhere|no-deal)"/, "ID") });
    });
  });
});

describe("the context is required, and the body cannot carry the actor", () => {
  it("execute, executeAll and recordsNeeded name the context field at fault; decide throws it", () => {
    const state = scenario("contact", "owner", "separate", { id: ACTOR_ID });
    const command: Command = { type: "assignContactOwner", contactId: "acme", ownerId: "rita" };
    const bad: [unknown, string][] = [
      [undefined, "context"],
      [null, "context"],
      ["sam", "context"],
      [{}, "context.actor"],
      [{ actor: null }, "context.actor"],
      [{ actor: "sam" }, "context.actor"],
      [{ actor: {} }, "context.actor"],
      [{ actor: { userId: 42 } }, "context.actor.userId"],
      [{ actor: { userId: "" } }, "context.actor.userId"],
      [{ actor: { system: "" } }, "context.actor.system"],
      [{ actor: { userId: "sam", role: "admin" } }, "context.actor.role"],
      [{ actor: { userId: "sam" }, at: "yesterday" }, "context.at"],
    ];
    for (const [context, field] of bad) {
      const expected = { ok: false, error: expect.objectContaining({ code: "INVALID_COMMAND", field }) };
      expect(execute(state, command, context as CommandContext), JSON.stringify(context)).toEqual(expected);
      expect(executeAll(state, [command], context as CommandContext)).toEqual(expected);
      expect(() => decide(state, command, context as CommandContext)).toThrow(CommandRejectedError);
    }
  });

  it("parseCommand refuses actorId and at in a body, by name", () => {
    for (const field of ["actorId", "at"]) {
      const parsed = parseCommand({ type: "assignContactOwner", contactId: "acme", ownerId: "rita", [field]: field === "at" ? "2026-11-30" : "admin" });
      expect(parsed).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field } });
    }
  });

  it("a body that claims to be someone else changes nothing: the context's actor is the one checked", () => {
    const state = scenario("contact", "follower", "separate", { id: ACTOR_ID, scope: "assigned" });
    const spoofed = { type: "assignContactOwner", contactId: "acme", ownerId: "rita", actorId: "olga" } as unknown as Command;
    expect(execute(state, spoofed, as(ACTOR_ID))).toMatchObject({ ok: false, error: { code: "INVALID_COMMAND", field: "actorId" } });
  });
});

describe("the last active admin", () => {
  const state = createState({ users: [{ id: "boss", role: "admin" }, { id: "deputy", role: "admin", active: false }, { id: "ana" }], contacts: [], opportunities: [] });

  it("cannot be deactivated, by anyone, system actors included", () => {
    for (const context of [as("boss"), SYSTEM]) {
      given(state).when({ type: "deactivateUser", userId: "boss", reassignTo: null }, context).thenError({ code: "FORBIDDEN", rule: "last-admin", field: "userId", id: "boss" });
    }
  });

  it("can be once another admin is active", () => {
    const next = run(state, { type: "reactivateUser", userId: "deputy" }).state;
    expect(runAs(as("deputy"), next, { type: "deactivateUser", userId: "boss", reassignTo: null }).events[0]).toMatchObject({ type: "UserDeactivated", userId: "boss" });
  });
});

describe("refusals say why, in words a developer reads in a log", () => {
  const base = (actor: UserInit) =>
    createState({
      settings: { allowDifferentOwners: true },
      users: [actor, { id: "olga", role: "admin" }],
      contacts: [
        { id: "acme", ownerId: "olga", followers: [{ userId: ACTOR_ID, source: "manual" }] },
        { id: "empty", ownerId: "olga", followers: [{ userId: ACTOR_ID, source: "manual" }] },
      ],
      opportunities: [{ id: "deal", contactId: "acme", ownerId: "olga", followers: [{ userId: ACTOR_ID, source: "manual" }] }],
    });
  const scoped = base({ id: ACTOR_ID, scope: "assigned" });
  const message = (state: CrmState, command: Command, context: CommandContext = as(ACTOR_ID)) => reject(state, command, context).message;

  it("an unknown, an inactive and a non-admin actor are each told their rule", () => {
    expect(message(scoped, { type: "createContact", contactId: "x" }, as("nobody"))).toBe('User "nobody" may not do this: they are not a user of this account.');
    expect(message(base({ id: ACTOR_ID, active: false }), { type: "createContact", contactId: "x" })).toBe('User "sam" may not do this: they are deactivated.');
    expect(message(scoped, { type: "updateSettings", allowDifferentOwners: false })).toBe('User "sam" may not do this: only an admin may updateSettings.');
  });

  it("owner-only names the verb and the record, for owner changes and deletions of contacts and opportunities", () => {
    const rule = (verb: string, what: string) => `User "sam" may not do this: only the owner (or a user with scope "all") may ${verb} ${what}.`;
    expect(message(scoped, { type: "assignContactOwner", contactId: "acme", ownerId: ACTOR_ID })).toBe(rule("change the owner of", 'contact "acme"'));
    expect(message(scoped, { type: "assignOpportunityOwner", opportunityId: "deal", ownerId: ACTOR_ID })).toBe(rule("change the owner of", 'opportunity "deal"'));
    expect(message(scoped, { type: "deleteOpportunity", opportunityId: "deal" })).toBe(rule("delete", 'opportunity "deal"'));
    // A contact with no opportunity: the refusal is the contact's own.
    expect(message(scoped, { type: "deleteContact", contactId: "empty" })).toBe(rule("delete", 'contact "empty"'));
  });

  it("a user with scope all, and an admin with scope assigned, are not held to ownership", () => {
    for (const actor of [{ id: ACTOR_ID, scope: "all" as const }, { id: ACTOR_ID, role: "admin" as const, scope: "assigned" as const }]) {
      const state = base(actor);
      expect(execute(state, { type: "deleteContact", contactId: "empty" }, as(ACTOR_ID)).ok).toBe(true);
      expect(execute(state, { type: "assignOpportunityOwner", opportunityId: "deal", ownerId: ACTOR_ID }, as(ACTOR_ID)).ok).toBe(true);
    }
  });

  it("a malformed context says what a context is", () => {
    expect(reject(scoped, { type: "createContact", contactId: "x" }, null as unknown as CommandContext).message).toMatch(/\{ actor, at\? \} from the host/);
    expect(reject(scoped, { type: "createContact", contactId: "x" }, { actor: {} } as unknown as CommandContext).message).toMatch(/\{ userId \}.*\{ system \}/);
  });
});
