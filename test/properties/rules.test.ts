/**
 * The rules of docs/rules.md as properties over random command sequences: one property per rule,
 * each stated on the snapshots before and after a command and on its events, never by
 * recomputing what the command should have done.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createState,
  execute,
  getContact,
  getOpportunity,
  getSettings,
  getUser,
  listContacts,
  listOpportunities,
  opportunitiesOfContact,
  type Command,
  type CommandType,
  type CrmEvent,
  type Follower,
  type RecordRef,
} from "../../src/index.js";
import { arbScenario, runSequence } from "../../src/testing/index.js";
import { allRecords, createsUnloadedListedId, type Accepted, find, followOf, OWNER_COMMANDS, runs } from "./helpers.js";
import { SYSTEM } from "../helpers.js";


/** Runs the scenario and calls `check` on every accepted command (invariants asserted too). */
function eachAccepted(records: Parameters<typeof createState>[0], commands: readonly Command[], check: (step: Accepted) => void): void {
  fc.pre(!createsUnloadedListedId(records, commands));
  runSequence(createState(records), commands, { onStep: (step) => (step.result.ok ? check(step as Accepted) : undefined) });
}

/** Owner changes plus what moves followers and records around them. */
const BUSY: readonly CommandType[] = [...OWNER_COMMANDS, "createContact", "addFollower", "removeFollower", "setOpportunityStatus", "reactivateUser", "deleteOpportunity"];

const sameRef = (a: RecordRef, b: RecordRef) => a.kind === b.kind && a.id === b.id;
const ownerChanges = (events: readonly CrmEvent[]) =>
  events.filter((e): e is Extract<CrmEvent, { type: "ContactOwnerChanged" | "OpportunityOwnerChanged" }> => e.type === "ContactOwnerChanged" || e.type === "OpportunityOwnerChanged");

describe("§3 coupled owners", () => {
  it("after any owner change, the contact and every opportunity of it share one owner (split legacy groups realign)", () => {
    fc.assert(
      fc.property(arbScenario({ settings: "coupled", splitGroups: true }, { maxLength: 10, types: OWNER_COMMANDS, actorRate: 0.1 }), ({ records, commands }) => {
        fc.pre(!createsUnloadedListedId(records, commands));
        let state = createState(records);
        for (const command of commands) {
          const result = execute(state, command, SYSTEM);
          if (!result.ok) continue;
          for (const change of ownerChanges(result.events)) {
            const contact = getContact(result.state, change.contactId);
            if (contact === undefined) continue;
            for (const opportunity of opportunitiesOfContact(result.state, contact.id)) expect(opportunity.ownerId).toBe(contact.ownerId);
          }
          state = result.state;
        }
      }),
      runs(150),
    );
  });

  it("a new opportunity takes its contact's owner, or sets the whole group's (4.1.1)", () => {
    fc.assert(
      fc.property(arbScenario({ settings: "coupled" }, { maxLength: 8, types: ["createOpportunity", "createContact", "assignContactOwner"] }), ({ records, commands }) => {
        eachAccepted(records, commands, ({ before, command, result }) => {
          if (command.type !== "createOpportunity") return;
          const created = getOpportunity(result.state, command.opportunityId);
          const contact = getContact(result.state, command.contactId);
          expect(created?.ownerId).toBe(contact?.ownerId);
          const expectedOwner = command.ownerId === undefined ? getContact(before, command.contactId)?.ownerId : command.ownerId;
          expect(created?.ownerId).toBe(expectedOwner);
          for (const o of opportunitiesOfContact(result.state, command.contactId)) expect(o.ownerId).toBe(expectedOwner);
        });
      }),
      runs(150),
    );
  });
});

describe("§4 and §5.8 separate owners", () => {
  it("a new opportunity's owner defaults to its contact's owner; an explicit owner (or null) overrides it (4.2.1)", () => {
    fc.assert(
      fc.property(arbScenario({ settings: "separate" }, { maxLength: 8, types: ["createOpportunity", "createContact", "assignContactOwner"] }), ({ records, commands }) => {
        eachAccepted(records, commands, ({ before, command, result }) => {
          if (command.type !== "createOpportunity") return;
          const created = result.events.find((e) => e.type === "OpportunityCreated");
          const expected = command.ownerId === undefined ? (getContact(before, command.contactId)?.ownerId ?? null) : command.ownerId;
          expect(getOpportunity(result.state, command.opportunityId)?.ownerId).toBe(expected);
          expect(created).toMatchObject({ ownerId: expected, ownerDefaulted: command.ownerId === undefined });
          expect(getContact(result.state, command.contactId)?.ownerId).toBe(getContact(before, command.contactId)?.ownerId);
        });
      }),
      runs(150),
    );
  });

  it("assigning a contact's owner changes no opportunity's owner, and assigning an opportunity's owner changes no other owner (4.2.2)", () => {
    const types: CommandType[] = ["assignContactOwner", "assignUser", "removeAssignedUser", "assignOpportunityOwner", "addOpportunityOwner", "removeOpportunityOwner", "createOpportunity"];
    fc.assert(
      // Few contacts, so each has several opportunities, some owned by the contact's owner.
      fc.property(arbScenario({ settings: "separate", maxContacts: 2, maxUsers: 3 }, { maxLength: 8, types }), ({ records, commands }) => {
        eachAccepted(records, commands, ({ before, command, result }) => {
          const after = result.state;
          const contactOnly =
            (command.type === "assignContactOwner" && (command.transfer ?? "none") === "none") || command.type === "assignUser" || command.type === "removeAssignedUser";
          if (contactOnly) {
            for (const o of listOpportunities(before)) expect(getOpportunity(after, o.id)?.ownerId).toBe(o.ownerId);
            for (const c of listContacts(before)) if (c.id !== command.contactId) expect(getContact(after, c.id)?.ownerId).toBe(c.ownerId);
          }
          if (command.type === "assignOpportunityOwner" || command.type === "addOpportunityOwner" || command.type === "removeOpportunityOwner") {
            for (const c of listContacts(before)) expect(getContact(after, c.id)?.ownerId).toBe(c.ownerId);
            for (const o of listOpportunities(before)) if (o.id !== command.opportunityId) expect(getOpportunity(after, o.id)?.ownerId).toBe(o.ownerId);
          }
        });
      }),
      runs(150),
    );
  });

  // The follower subsettings (docs/rules.md §5–§8) have their own properties: follows.test.ts.

  it("a manual follower is never removed by a rule, only by removeFollower or by offboarding (4.2.5)", () => {
    fc.assert(
      fc.property(arbScenario({ settings: "any" }, { maxLength: 10, types: [...BUSY, "updateSettings", "deleteContact"] }), ({ records, commands }) => {
        eachAccepted(records, commands, ({ before, command, result }) => {
          for (const e of result.events) {
            if (e.type === "FollowerRemoved" && e.source === "manual") expect(["command", "user-deactivated"]).toContain(e.cause);
          }
          for (const { ref, record } of allRecords(before)) {
            if (find(result.state, ref) === undefined) continue; // deleted with its record
            for (const follow of record.followers) {
              if (follow.source !== "manual") continue;
              const removedByHand = command.type === "removeFollower" && sameRef(command.record, ref) && command.userId === follow.userId;
              const offboarded = command.type === "deactivateUser" && command.userId === follow.userId;
              if (removedByHand || offboarded) continue;
              expect(followOf(result.state, ref, follow.userId)).toEqual({ userId: follow.userId, source: "manual" });
            }
          }
        });
      }),
      runs(200),
    );
  });
});

describe("§8 re-coupling, §7 and §9 owners and followers", () => {
  it("turning allowDifferentOwners off leaves no split group: each moved opportunity has its own owners-recoupled event; records keep their manual follows", () => {
    const types: CommandType[] = OWNER_COMMANDS.filter((t) => t !== "deactivateUser");
    fc.assert(
      fc.property(
        fc.oneof(arbScenario({ settings: "separate" }, { maxLength: 8, types, actorRate: 0 }), arbScenario({ settings: "separate", partial: true }, { maxLength: 8, types, actorRate: 0 })),
        ({ records, commands, contexts }) => {
          fc.pre(!createsUnloadedListedId(records, commands));
          const { state: before } = runSequence(createState(records), commands, { context: contexts });
          const result = execute(before, { type: "updateSettings", allowDifferentOwners: false }, SYSTEM);
          const partial = records.contacts.some((c) => (c.opportunityIds ?? []).some((id) => !records.opportunities.some((o) => o.id === id)));
          if (!result.ok) {
            expect(partial).toBe(true);
            expect(result.error.code).toBe("INCOMPLETE_SNAPSHOT");
            return;
          }
          const after = result.state;
          expect(getSettings(after).allowDifferentOwners).toBe(false);
          for (const o of listOpportunities(after)) expect(o.ownerId).toBe(getContact(after, o.contactId)?.ownerId);
          const moved = result.events.filter((e) => e.type === "OpportunityOwnerChanged");
          const split = listOpportunities(before).filter((o) => o.ownerId !== getContact(before, o.contactId)?.ownerId);
          expect(moved.map((e) => e.opportunityId).sort()).toEqual(split.map((o) => o.id).sort());
          for (const e of moved) expect(e).toMatchObject({ cause: "owners-recoupled", from: getOpportunity(before, e.opportunityId)?.ownerId });
          const manual = (followers: readonly Follower[] | undefined) => followers?.filter((f) => f.source === "manual");
          for (const c of listContacts(before)) {
            expect(getContact(after, c.id)?.ownerId).toBe(c.ownerId);
            expect(manual(getContact(after, c.id)?.followers)).toEqual(manual(c.followers));
          }
          for (const o of listOpportunities(before)) expect(manual(getOpportunity(after, o.id)?.followers)).toEqual(manual(o.followers));
        },
      ),
      runs(150),
    );
  });

  it("no record ever has more followers than maxFollowers", () => {
    fc.assert(
      fc.property(arbScenario({ settings: { maxFollowers: 2 } }, { maxLength: 12, types: [...BUSY, "updateSettings"] }), ({ records, commands }) => {
        eachAccepted(records, commands, ({ result }) => {
          const max = getSettings(result.state).maxFollowers;
          for (const { ref, record } of allRecords(result.state)) expect(record.followers.length, `${ref.kind} ${ref.id}`).toBeLessThanOrEqual(max);
        });
      }),
      runs(150),
    );
  });

  it("every owner and follower a command assigns is a known, active user (re-coupling aside: it takes the contact's owner as it is)", () => {
    fc.assert(
      fc.property(arbScenario({}, { maxLength: 10 }), ({ records, commands }) => {
        eachAccepted(records, commands, ({ result }) => {
          for (const e of result.events) {
            if (e.cause === "owners-recoupled") continue;
            const userId =
              e.type === "ContactOwnerChanged" || e.type === "OpportunityOwnerChanged" ? e.to : e.type === "FollowerAdded" ? e.userId : e.type === "ContactCreated" || e.type === "OpportunityCreated" ? e.ownerId : null;
            if (userId !== null) expect(getUser(result.state, userId)?.active, `user ${userId} (${e.type})`).toBe(true);
          }
        });
      }),
      runs(150),
    );
  });
});

describe("§1 partial snapshots", () => {
  it("a command naming an opportunity a loaded contact lists but the snapshot did not load is refused, never as OPPORTUNITY_NOT_FOUND (a store would remember it)", () => {
    fc.assert(
      fc.property(arbScenario({ settings: "separate", partial: true }, { maxLength: 10, actorRate: 0.3 }), ({ records, commands, contexts }) => {
        let state = createState(records);
        commands.forEach((command, i) => {
          const named = "opportunityId" in command ? command.opportunityId : "record" in command && command.record.kind === "opportunity" ? command.record.id : undefined;
          const unloaded = command.type !== "createOpportunity" && named !== undefined && getOpportunity(state, named) === undefined && listContacts(state).some((c) => c.opportunityIds.includes(named));
          const result = execute(state, command, contexts[i] ?? SYSTEM);
          // Refused: for the missing load, or earlier (an unknown actor, a stale expectedVersion), never as not found.
          if (unloaded) expect(result.ok ? "accepted" : result.error.code).not.toMatch(/^(accepted|OPPORTUNITY_NOT_FOUND)$/);
          if (!result.ok && result.error.code === "OPPORTUNITY_NOT_FOUND") expect(unloaded).toBe(false);
          if (result.ok) state = result.state;
        });
      }),
      runs(200),
    );
  });
});
