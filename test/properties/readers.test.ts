/**
 * Properties of the event readers: the ownership history agrees with the snapshots at every
 * version; whoToNotify never names the actor or an inactive user; every event type and cause has
 * a sentence in every shipped locale.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyToHistory,
  createState,
  describeEvent,
  evolve,
  getUser,
  handovers,
  listUsers,
  toRecords,
  listContacts,
  listOpportunities,
  localeDe,
  localeEn,
  ownerAt,
  ownershipHistory,
  upcastEvent,
  whoToNotify,
  whoToNotifyAll,
  type Actor,
  type Cause,
  type CrmEvent,
  type CrmState,
} from "../../src/index.js";
import { arbScenario, runSequence } from "../../src/testing/index.js";

const scenario = fc.oneof(arbScenario({}, { maxLength: 10 }), arbScenario({ settings: "separate" }, { maxLength: 10 }));
const arbActor: fc.Arbitrary<Actor> = fc.oneof(
  fc.constantFrom("ana", "ben", "cy", "__proto__", "u0", "u1", "u2").map((userId) => ({ userId })),
  fc.constant({ system: "test" }),
);

/** Every accepted command's snapshot and events, with the actor stamped on. */
function replay(records: Parameters<typeof createState>[0], commands: Parameters<typeof runSequence>[1], actor: Actor) {
  const initial = createState(records);
  const snapshots: CrmState[] = [initial];
  const perCommand: { before: CrmState; state: CrmState; events: CrmEvent[] }[] = [];
  runSequence(initial, commands, {
    context: { actor },
    checkInvariants: false,
    onStep: ({ before, result }) => {
      if (!result.ok || result.state === before) return;
      const events = [...result.events];
      snapshots.push(result.state);
      perCommand.push({ before, state: result.state, events });
    },
  });
  return { initial, snapshots, perCommand, events: perCommand.flatMap((c) => c.events) };
}

describe("ownershipHistory agrees with the snapshots", () => {
  it("the history's owner at every version is the snapshot's owner at that version, for every record", () => {
    fc.assert(
      fc.property(scenario, arbActor, ({ records, commands }, actor) => {
        const { initial, snapshots, events } = replay(records, commands, actor);
        // Folded incrementally, event by event, from JSON as a store returns them.
        const history = (JSON.parse(JSON.stringify(events)) as unknown[]).map(upcastEvent).reduce(applyToHistory, ownershipHistory([], initial));
        expect(history).toEqual(ownershipHistory(events, initial));
        // upcastEvent leaves a current event as the library wrote it: same fields, same values.
        for (const event of events) expect(upcastEvent(JSON.parse(JSON.stringify(event)))).toStrictEqual({ ...event });
        const everyId = (kind: "contact" | "opportunity") =>
          new Set(snapshots.flatMap((s) => (kind === "contact" ? listContacts(s) : listOpportunities(s)).map((r) => r.id)));
        // Folding evolve over the same upcast events gives, at each version, the snapshot compared below.
        const stored = (JSON.parse(JSON.stringify(events)) as unknown[]).map(upcastEvent);
        const folded = new Map<number, CrmState>([[initial.version, initial]]);
        stored.reduce<CrmState>((state, event) => {
          const next = evolve(state, event);
          folded.set(next.version, next);
          return next;
        }, initial);
        for (const snapshot of snapshots) expect(toRecords(folded.get(snapshot.version) as CrmState)).toEqual(toRecords(snapshot));
        // Every handover the history lists agrees with the owner it reports at that version.
        for (const user of listUsers(initial)) {
          const { handedOver, received } = handovers(history, user.id);
          for (const change of received) {
            expect(change.to).toBe(user.id);
            // Unless the same command moved the record again (then the last move holds at that version).
            const table = change.record.kind === "contact" ? history.contacts : history.opportunities;
            const movesAtVersion = table.get(change.record.id)?.intervals.filter((i) => i.fromVersion === change.version).length;
            if (movesAtVersion === 1) expect(ownerAt(history, change.record, { version: change.version })).toBe(user.id);
          }
          for (const change of handedOver) expect(change.from).toBe(user.id);
        }
        for (const snapshot of snapshots) {
          for (const id of everyId("contact")) {
            const contact = listContacts(snapshot).find((c) => c.id === id);
            expect(ownerAt(history, { kind: "contact", id }, { version: snapshot.version })).toBe(contact?.ownerId);
          }
          for (const id of everyId("opportunity")) {
            const opportunity = listOpportunities(snapshot).find((o) => o.id === id);
            expect(ownerAt(history, { kind: "opportunity", id }, { version: snapshot.version })).toBe(opportunity?.ownerId);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("ownerAt by time", () => {
  /** `ms` written as an ISO time at `offset` minutes east of UTC, in one of the forms the context takes. */
  const iso = (ms: number, offset: number, form: number): string => {
    const local = new Date(ms + offset * 60_000).toISOString(); // "YYYY-MM-DDTHH:MM:SS.sssZ", shifted
    const sign = offset < 0 ? "-" : "+";
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
    const mm = String(Math.abs(offset) % 60).padStart(2, "0");
    const zone = offset === 0 && form % 3 === 0 ? "Z" : form % 3 === 1 ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
    return `${local.slice(0, 10)}${form % 2 === 0 ? "T" : " "}${local.slice(11, 23)}${zone}`;
  };
  const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) });
  const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

  it("an owner change's time and the question's compare as instants, whatever ISO form and offset each is written in", () => {
    fc.assert(
      fc.property(fc.uniqueArray(instant, { minLength: 3, maxLength: 3 }), fc.array(offset, { minLength: 3, maxLength: 3 }), fc.nat(5), ([a, b, q], offsets, form) => {
        const [created, changed] = [Math.min(a as number, b as number), Math.max(a as number, b as number)];
        const [o1 = 0, o2 = 0, o3 = 0] = offsets;
        const meta = { cause: "command", actor: { userId: "ana" }, schemaVersion: 2 } as const;
        const history = ownershipHistory([
          { type: "ContactCreated", contactId: "acme", ownerId: "ana", ...meta, version: 1, at: iso(created, o1, form) },
          { type: "ContactOwnerChanged", contactId: "acme", from: "ana", to: "ben", ...meta, version: 2, at: iso(changed, o2, form + 1) },
        ] as CrmEvent[]);
        const expected = (q as number) < created ? undefined : (q as number) < changed ? "ana" : "ben";
        expect(ownerAt(history, { kind: "contact", id: "acme" }, { at: iso(q as number, o3, form + 2) })).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("whoToNotify", () => {
  it("never names the acting user or an inactive user, and whoToNotifyAll names each user once", () => {
    fc.assert(
      fc.property(scenario, arbActor, ({ records, commands }, actor) => {
        for (const { before, state, events } of replay(records, commands, actor).perCommand) {
          for (const event of events) {
            for (const { userId } of whoToNotify(event, state, { before })) {
              if ("userId" in actor) expect(userId).not.toBe(actor.userId);
              expect(getUser(state, userId)?.active).toBe(true);
            }
          }
          const all = whoToNotifyAll(events, state, { before });
          expect(new Set(all.map((n) => n.userId)).size).toBe(all.length);
          for (const n of all) expect(n.reasons.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("describeEvent", () => {
  const CAUSES: Cause[] = ["command", "owners-coupled", "owners-recoupled", "opportunity-owner-followers", "contact-owner-followers", "contact-deleted", "transfer", "user-deactivated"];
  const id = fc.constantFrom("acme", "deal-1", "ana", "__proto__", "constructor");
  const owner = fc.option(id, { nil: null });
  const record = fc.record({ kind: fc.constantFrom("contact" as const, "opportunity" as const), id });
  const status = fc.constantFrom("open" as const, "won" as const, "lost" as const, "abandoned" as const);
  const bodies = fc.oneof(
    fc.record({ type: fc.constant("SettingsChanged" as const), setting: fc.constantFrom("allowDifferentOwners" as const, "updateContactFollowersOnOpportunityOwnerChange" as const, "updateOpportunityFollowersOnContactOwnerChange" as const), from: fc.boolean(), to: fc.boolean() }),
    fc.record({ type: fc.constant("ContactCreated" as const), contactId: id, ownerId: owner }),
    fc.record({ type: fc.constant("OpportunityCreated" as const), opportunityId: id, contactId: id, ownerId: owner, ownerDefaulted: fc.boolean(), status }),
    fc.record({ type: fc.constant("ContactOwnerChanged" as const), contactId: id, from: owner, to: owner, rotationId: fc.option(id, { nil: undefined }) }),
    fc.record({ type: fc.constant("OpportunityOwnerChanged" as const), opportunityId: id, contactId: id, from: owner, to: owner, rotationId: fc.option(id, { nil: undefined }) }),
    fc.record({ type: fc.constantFrom("FollowerAdded" as const, "FollowerRemoved" as const), record, userId: id, source: fc.constantFrom("manual" as const, "automation" as const) }),
    fc.record({ type: fc.constant("FollowerNotAdded" as const), record, userId: id, reason: fc.constant("limit" as const) }),
    fc.record({ type: fc.constant("OpportunityStatusChanged" as const), opportunityId: id, contactId: id, from: status, to: status }),
    fc.record({ type: fc.constant("ContactDeleted" as const), contactId: id }),
    fc.record({ type: fc.constant("OpportunityDeleted" as const), opportunityId: id, contactId: id }),
    fc.record({ type: fc.constantFrom("UserDeactivated" as const, "UserReactivated" as const), userId: id }),
    fc.record({ type: fc.constant("RotationAdvanced" as const), rotationId: id, userId: id, picks: fc.nat() }),
  );
  const events = fc.tuple(bodies, fc.constantFrom(...CAUSES), arbActor).map(([body, cause, actor]) => ({ ...body, cause, version: 1, actor, schemaVersion: 2 }) as CrmEvent);

  it("every event type × cause has a whole sentence in every shipped locale, and the locales cover the same keys", () => {
    for (const locale of [localeEn, localeDe]) {
      expect(Object.keys(locale.events).sort()).toEqual(Object.keys(localeEn.events).sort());
      expect(Object.keys(locale.causes).sort()).toEqual([...CAUSES].sort());
    }
    fc.assert(
      fc.property(events, fc.constantFrom(localeEn, localeDe, "en", "de"), (event, locale) => {
        const sentence = describeEvent(event, { locale, names: { user: (u) => (u === "ana" ? "Ana" : undefined) } });
        expect(sentence).toMatch(/^\S.*\.$/);
        // Every parameter filled: none left as "{name}", none rendered as "undefined" or "null".
        expect(sentence).not.toMatch(/\{\w+\}|undefined|null/);
      }),
      { numRuns: 500 },
    );
  });
});
