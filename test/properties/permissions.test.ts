/**
 * Who may do what (docs/permissions.md), over random snapshots, actors and commands: nothing a
 * user may not change is changed, a scoped user cannot tell a record they may not see from a
 * missing one, every event names its actor, and the read selectors agree with the commands.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canView,
  createState,
  evolve,
  execute,
  getUser,
  visibleContacts,
  visibleOpportunities,
  type Command,
  type CommandContext,
  type CrmEvent,
  type CrmRecordsInit,
  type RecordRef,
} from "../../src/index.js";
import { arbCommand, arbContext, arbInvalidCommand, arbRecords } from "../../src/testing/index.js";
import { allRecords, find, runs } from "./helpers.js";

/** A snapshot (split legacy groups included), a command for it and a user actor, mostly of the snapshot. */
const arbCase = (commands: (records: CrmRecordsInit) => fc.Arbitrary<Command> = (records) => arbCommand(records)) =>
  arbRecords({ minUsers: 2, splitGroups: true }).chain((records) =>
    fc.record({ records: fc.constant(records), command: commands(records), context: arbContext(records, { actorRate: 1 }) }),
  );

/** The record an owner change or a deletion changes, or undefined for any other event. */
function changedRecord(event: CrmEvent): RecordRef | undefined {
  switch (event.type) {
    case "ContactOwnerChanged":
    case "ContactDeleted":
      return { kind: "contact", id: event.contactId };
    case "OpportunityOwnerChanged":
    case "OpportunityDeleted":
      return { kind: "opportunity", id: event.opportunityId };
    default:
      return undefined;
  }
}

const userOf = (context: CommandContext): string | undefined => ("userId" in context.actor ? context.actor.userId : undefined);

describe("no command changes a record its actor may not change", () => {
  it("a scoped user's accepted command changed owners and deleted records only where they owned them (valid and invalid commands)", () => {
    const commands = (records: CrmRecordsInit) =>
      fc.oneof({ weight: 9, arbitrary: arbCommand(records) }, { weight: 1, arbitrary: arbInvalidCommand(records, { hostile: false }) as fc.Arbitrary<Command> });
    fc.assert(
      fc.property(arbCase(commands), ({ records, command, context }) => {
        const before = createState(records);
        const result = execute(before, command, context);
        if (!result.ok) return;
        const actor = getUser(before, userOf(context) ?? "");
        // Only known, active users act; admins-only commands stay with admins.
        expect(actor?.active).toBe(true);
        if (actor === undefined || actor.role === "admin" || actor.scope === "all") return;
        expect(["updateSettings", "transferOwnership", "deactivateUser", "reactivateUser"]).not.toContain(command.type);
        // Replay event by event: each change falls on a record the actor owns just before it.
        let state = before;
        for (const event of result.events) {
          const ref = changedRecord(event);
          if (ref !== undefined) expect(find(state, ref)?.ownerId, `${event.type} ${ref.kind} ${ref.id}`).toBe(actor.id);
          state = evolve(state, event);
        }
      }),
      runs(400),
    );
  });
});

describe("no probing", () => {
  /** The command with the record it names (not one it creates) swapped for `to`, or undefined. */
  function renamed(command: Command, to: string): { command: Command; from: string; kind: RecordRef["kind"] } | undefined {
    const copy = structuredClone(command) as Command & Record<string, unknown>;
    if (command.type === "addFollower" || command.type === "removeFollower") {
      const record = (copy as typeof command).record as { kind: RecordRef["kind"]; id: string };
      const from = record.id;
      record.id = to;
      return { command: copy, from, kind: record.kind };
    }
    if ("opportunityId" in command && command.type !== "createOpportunity") return { command: { ...copy, opportunityId: to } as Command, from: command.opportunityId, kind: "opportunity" };
    if ("contactId" in command && command.type !== "createContact") return { command: { ...copy, contactId: to } as Command, from: command.contactId, kind: "contact" };
    return undefined;
  }

  it("a command naming a record the scoped actor cannot see fails exactly as one naming a record that does not exist", () => {
    fc.assert(
      fc.property(arbCase(), ({ records, command, context }) => {
        const state = createState(records);
        const userId = userOf(context) ?? "";
        const ghost = "no-such-record-anywhere";
        const swap = renamed(command, ghost);
        // (An actor whose id is the record's would make the two messages differ by the actor's name.)
        fc.pre(swap !== undefined && swap.from !== userId && find(state, { kind: swap.kind, id: swap.from }) !== undefined);
        // (Nor another field of the command holding the same id: an opportunity and its contact
        // both "__proto__" would have the other field's error set aside too.)
        fc.pre(JSON.stringify(command).split(JSON.stringify(swap.from)).length === 2);
        if (swap === undefined || canView(state, userId, { kind: swap.kind, id: swap.from })) return;
        const hidden = execute(state, command, context);
        const missing = execute(state, swap.command, context);
        expect(hidden.ok).toBe(false);
        expect(missing.ok).toBe(false);
        if (hidden.ok || missing.ok) return;
        // Every field of the two errors agrees once the id itself is set aside.
        const neutral = (error: typeof hidden.error, id: string) => ({
          ...error,
          id: error.id === id ? "ID" : error.id,
          message: error.message.replaceAll(JSON.stringify(id), "ID"),
        });
        expect(neutral(hidden.error, swap.from)).toEqual(neutral(missing.error, ghost));
      }),
      runs(400),
    );
  });
});

describe("reads and writes agree", () => {
  it("for every user and record, a command naming the record is refused as missing exactly when canView says hidden", () => {
    fc.assert(
      fc.property(arbRecords({ minUsers: 2, splitGroups: true }), (records) => {
        const state = createState(records);
        for (const user of records.users) {
          if (user.active === false) continue;
          const context: CommandContext = { actor: { userId: user.id } };
          const contacts = new Set(visibleContacts(state, user.id).map((c) => c.id));
          const opportunities = new Set(visibleOpportunities(state, user.id).map((o) => o.id));
          for (const { ref } of allRecords(state)) {
            const visible = canView(state, user.id, ref);
            expect(visible).toBe((ref.kind === "contact" ? contacts : opportunities).has(ref.id));
            const result = execute(state, { type: "removeFollower", record: ref, userId: user.id }, context);
            const notFound = !result.ok && /_NOT_FOUND$/.test(result.error.code) && result.error.field === "record.id";
            expect(notFound, `${user.id} on ${ref.kind} ${ref.id}`).toBe(!visible);
          }
        }
      }),
      runs(200),
    );
  });
});

describe("every event names its actor", () => {
  it("each event carries the context's actor and time, and schemaVersion 2, whoever acts", () => {
    fc.assert(
      fc.property(
        arbRecords().chain((records) => fc.record({ records: fc.constant(records), command: arbCommand(records), context: arbContext(records, { actorRate: 0.5 }) })),
        ({ records, command, context }) => {
          const result = execute(createState(records), command, context);
          if (!result.ok) return;
          for (const event of result.events) {
            expect(event.actor).toEqual(context.actor);
            expect(event.schemaVersion).toBe(2);
            if (context.at === undefined) expect(event).not.toHaveProperty("at");
            else expect(event.at).toBe(context.at);
          }
        },
      ),
      runs(300),
    );
  });
});
