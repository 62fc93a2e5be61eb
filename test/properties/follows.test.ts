/**
 * docs/rules.md §5, §6 and §8 as properties: automatic follows follow ownership. Over random snapshots
 * and command sequences, after every accepted command, stated on the snapshots before and after
 * and on the events. A *reason* is read from a snapshot as the rules define it: owning a deal of
 * a contact one does not own (to follow the contact), owning the contact of a deal one does not
 * own (to follow the deal).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createState,
  getContact,
  getOpportunity,
  getSettings,
  getUser,
  listContacts,
  opportunitiesOfContact,
  type Command,
  type CommandType,
  type CrmState,
  type Follower,
  type RecordRef,
} from "../../src/index.js";
import { arbScenario, runSequence, TEST_CONTEXT, type Scenario } from "../../src/testing/index.js";
import { createsUnloadedListedId, type Accepted, OWNER_COMMANDS, runs } from "./helpers.js";


/** Every command that changes owners, followers or records, and settings (re-coupling, subsettings). */
const TYPES: readonly CommandType[] = [
  ...OWNER_COMMANDS,
  "reactivateUser",
  "createContact",
  "deleteContact",
  "deleteOpportunity",
  "addFollower",
  "removeFollower",
  "setOpportunityStatus",
  "updateSettings",
];

/** Separate owners (re-coupling and the subsettings flip along the way), whole or partial snapshots. */
const scenarios = fc.oneof(
  arbScenario({ settings: "separate" }, { maxLength: 10, types: TYPES, actorRate: 0.1 }),
  arbScenario({ settings: { allowDifferentOwners: true, maxFollowers: 2 } }, { maxLength: 10, types: TYPES, actorRate: 0.1 }),
  arbScenario({ settings: "separate", partial: true }, { maxLength: 8, types: TYPES, actorRate: 0 }),
);

/** Runs the commands, each as its actor (users checked, a few of them), and checks every accepted one. */
function eachAccepted({ records, commands, contexts }: Scenario, check: (step: Accepted) => void, extra: readonly Command[] = []): void {
  fc.pre(!createsUnloadedListedId(records, commands));
  const all = [...commands, ...extra];
  const context = [...contexts, ...extra.map(() => TEST_CONTEXT)];
  runSequence(createState(records), all, { context, onStep: (step) => (step.result.ok ? check(step as Accepted) : undefined) });
}

type Kind = RecordRef["kind"];
/** One reason: `userId` has a reason to follow `record`. */
const key = (kind: Kind, id: string, userId: string) => `${kind}:${id}:${userId}`;

/** The reasons of one group as the snapshot stands, keyed by `key`. */
function reasons(state: CrmState, contactId: string): Set<string> {
  const out = new Set<string>();
  const contact = getContact(state, contactId);
  if (contact === undefined) return out;
  for (const o of opportunitiesOfContact(state, contactId)) {
    if (o.ownerId !== null && o.ownerId !== contact.ownerId) out.add(key("contact", contactId, o.ownerId));
    if (contact.ownerId !== null && contact.ownerId !== o.ownerId) out.add(key("opportunity", o.id, contact.ownerId));
  }
  return out;
}

/** Each record of a group with its followers and owner: the contact, then its opportunities. */
function records(state: CrmState, contactId: string): { kind: Kind; id: string; ownerId: string | null; followers: readonly Follower[] }[] {
  const contact = getContact(state, contactId);
  if (contact === undefined) return [];
  return [
    { kind: "contact", id: contact.id, ownerId: contact.ownerId, followers: contact.followers },
    ...opportunitiesOfContact(state, contactId).map((o) => ({ kind: "opportunity" as const, id: o.id, ownerId: o.ownerId, followers: o.followers })),
  ];
}

/** What a group's ownership is: who owns the contact and each of its deals, in order. */
const ownership = (state: CrmState, contactId: string) => JSON.stringify(records(state, contactId).map((r) => [r.id, r.ownerId]));

/** The groups a command changed the ownership of: seen in the snapshots, or named by an owner, create or delete event. */
function changedGroups({ before, result }: Accepted): Set<string> {
  const ids = new Set([...listContacts(before), ...listContacts(result.state)].map((c) => c.id));
  const changed = new Set<string>();
  for (const id of ids) if (ownership(before, id) !== ownership(result.state, id)) changed.add(id);
  for (const e of result.events) {
    if (e.type === "ContactOwnerChanged" || e.type === "OpportunityOwnerChanged" || e.type === "OpportunityCreated" || e.type === "OpportunityDeleted") changed.add(e.contactId);
  }
  return changed;
}

/** Whether the subsetting of a kind is on after the command, with owners separate. */
function on(state: CrmState, kind: Kind): boolean {
  const s = getSettings(state);
  return s.allowDifferentOwners && (kind === "contact" ? s.updateContactFollowersOnOpportunityOwnerChange : s.updateOpportunityFollowersOnContactOwnerChange);
}

const RULE_CAUSES = new Set(["opportunity-owner-followers", "contact-owner-followers"]);
const isRecoupling = ({ before, command }: Accepted) =>
  command.type === "updateSettings" && command.allowDifferentOwners === false && getSettings(before).allowDifferentOwners;

describe("automatic follows follow ownership (docs/rules.md §5, §6, §8)", () => {
  it("in each group whose ownership a command changed, no automation follow (of a kind that is on) lacks a reason", () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        eachAccepted(scenario, (step) => {
          const after = step.result.state;
          for (const contactId of changedGroups(step)) {
            const now = reasons(after, contactId);
            for (const r of records(after, contactId)) {
              if (!on(after, r.kind)) continue;
              for (const f of r.followers) {
                if (f.source === "automation") expect(now.has(key(r.kind, r.id, f.userId)), `${f.userId} follows ${r.kind} ${r.id} by automation without a reason after ${step.command.type}`).toBe(true);
              }
            }
          }
        });
      }),
      runs(300),
    );
  });

  it("every reason that began with the command is met: the user follows, is inactive, or FollowerNotAdded says the record is full", () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        eachAccepted(scenario, (step) => {
          const { before, result } = step;
          const after = result.state;
          for (const contactId of changedGroups(step)) {
            const had = reasons(before, contactId);
            for (const r of records(after, contactId)) {
              if (!on(after, r.kind)) continue;
              for (const reason of reasons(after, contactId)) {
                const [kind, id, userId] = reason.split(":") as [Kind, string, string];
                if (kind !== r.kind || id !== r.id || had.has(reason)) continue;
                const follows = r.followers.some((f) => f.userId === userId);
                const inactive = getUser(after, userId)?.active !== true;
                const full =
                  r.followers.length >= getSettings(after).maxFollowers &&
                  result.events.some((e) => e.type === "FollowerNotAdded" && e.userId === userId && e.record.kind === kind && e.record.id === id && e.reason === "limit");
                expect(follows || inactive || full, `${userId} should follow ${kind} ${id} after ${step.command.type}`).toBe(true);
              }
            }
          }
        });
      }),
      runs(300),
    );
  });

  it("a rule adds a follow only for a reason that began with the command: a reason that persisted adds nothing", () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        eachAccepted(scenario, (step) => {
          const { before, result } = step;
          for (const e of result.events) {
            if (e.type !== "FollowerAdded" || e.source !== "automation") continue;
            const contactId = e.record.kind === "contact" ? e.record.id : getOpportunity(result.state, e.record.id)?.contactId;
            expect(contactId, `FollowerAdded ${e.record.id}`).toBeDefined();
            const reason = key(e.record.kind, e.record.id, e.userId);
            expect(reasons(result.state, contactId as string).has(reason), `${reason} is a reason after`).toBe(true);
            expect(reasons(before, contactId as string).has(reason), `${reason} was not a reason before`).toBe(false);
          }
        });
      }),
      runs(300),
    );
  });

  it("groups a command did not change keep their follows, and no rule event names them", () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        eachAccepted(scenario, (step) => {
          const { before, command, result } = step;
          if (isRecoupling(step)) return; // re-coupling ends automatic follows everywhere (next property)
          const changed = changedGroups(step);
          for (const contact of listContacts(before)) {
            if (changed.has(contact.id) || getContact(result.state, contact.id) === undefined) continue;
            const ids = new Set(records(before, contact.id).map((r) => `${r.kind}:${r.id}`));
            for (const e of result.events) {
              if ((e.type === "FollowerAdded" || e.type === "FollowerRemoved" || e.type === "FollowerNotAdded") && RULE_CAUSES.has(e.cause)) {
                expect(ids.has(`${e.record.kind}:${e.record.id}`), `${e.type} ${e.record.id} in an unchanged group`).toBe(false);
              }
            }
            // Only the command's own follower changes may touch them (by hand, or offboarding's removals).
            if (command.type === "addFollower" || command.type === "removeFollower" || command.type === "deactivateUser") continue;
            expect(records(result.state, contact.id).map((r) => r.followers)).toEqual(records(before, contact.id).map((r) => r.followers));
          }
        });
      }),
      runs(300),
    );
  });

  it("after a re-coupling no automation follow remains anywhere, and manual follows are as they were", () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const recouple: Command = { type: "updateSettings", allowDifferentOwners: false };
        eachAccepted(scenario, (step) => {
          if (!isRecoupling(step)) return;
          for (const contact of listContacts(step.before)) {
            for (const r of records(step.result.state, contact.id)) {
              expect(r.followers.filter((f) => f.source === "automation"), `${r.kind} ${r.id}`).toEqual([]);
            }
            const manual = (state: CrmState) => records(state, contact.id).map((r) => r.followers.filter((f) => f.source === "manual"));
            expect(manual(step.result.state)).toEqual(manual(step.before));
          }
        }, [recouple]);
      }),
      runs(200),
    );
  });

  it("an owner is never an automation follower of their own record (in every group a command changed, for a kind that is on)", () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        eachAccepted(scenario, (step) => {
          const after = step.result.state;
          for (const contactId of changedGroups(step)) {
            for (const r of records(after, contactId)) {
              if (!on(after, r.kind) || r.ownerId === null) continue;
              expect(r.followers.find((f) => f.userId === r.ownerId)?.source, `owner ${r.ownerId} of ${r.kind} ${r.id}`).not.toBe("automation");
            }
          }
        });
      }),
      runs(300),
    );
  });

  it("while owners are coupled no rule adds, ends or refuses a follow", () => {
    fc.assert(
      fc.property(arbScenario({ settings: "coupled" }, { maxLength: 10, types: TYPES.filter((t) => t !== "updateSettings"), actorRate: 0.1 }), (scenario) => {
        eachAccepted(scenario, ({ result }) => {
          expect(result.events.filter((e) => RULE_CAUSES.has(e.cause))).toEqual([]);
        });
      }),
      runs(200),
    );
  });
});

