/**
 * Arbitraries for single commands and their contexts. Sequences and scenarios, which also mix in
 * invalid payloads, are in sequences.ts: invalid.ts builds on these, so this file imports neither.
 */
import fc from "fast-check";
import {
  COMMAND_TYPES,
  type Actor,
  type CommandContext,
  toRecords,
  type Command,
  type CommandType,
  type CrmRecordsInit,
  type CrmState,
  type OpportunityStatus,
  type RotationMember,
} from "crm-ownership";
import { CONTACT_POOL, FRESH_CONTACTS, FRESH_OPPORTUNITIES, HOSTILE_IDS, OPPORTUNITY_POOL, ROTATION_POOL, STRANGERS, USER_POOL } from "./ids.js";

/**
 * Options of `arbCommand`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { arbCommand, arbRecords, type CommandOptions } from "crm-ownership/testing";
 *
 * // Owner changes only, without commandId or expectedVersion.
 * const options: CommandOptions = { types: ["assignContactOwner", "assignOpportunityOwner"], meta: false };
 * fc.sample(arbRecords().chain((records) => arbCommand(records, options)), 3);
 * ```
 */
export interface CommandOptions {
  /** Only these command types (default: every type). */
  readonly types?: readonly CommandType[] | undefined;
  /** Whether commands may carry `commandId` and `expectedVersion` (default `true`). */
  readonly meta?: boolean | undefined;
}

/**
 * Options of `arbContext`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { arbContext, type ContextOptions } from "crm-ownership/testing";
 *
 * // Always a user of the snapshot (or a stranger), never a trusted system actor.
 * const options: ContextOptions = { actorRate: 1 };
 * fc.sample(arbContext({ users: [{ id: "ana" }], contacts: [], opportunities: [] }, options), 2);
 * ```
 */
export interface ContextOptions {
  /**
   * How often the actor is a user (checked against the permissions) rather than a trusted
   * system actor, from 0 to 1. Default 0.25; 0 for trusted commands only.
   */
  readonly actorRate?: number | undefined;
  /** Whether the context may carry `at` (default `true`). */
  readonly at?: boolean | undefined;
}

/**
 * A snapshot as records or as a state; the arbitraries read its ids.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { createState } from "crm-ownership";
 * import { arbCommand, type Source } from "crm-ownership/testing";
 *
 * const records = { users: [{ id: "ana" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] };
 * const fromRecords: Source = records;
 * const fromState: Source = createState(records); // either way the commands name acme and ana
 * fc.sample(arbCommand(fromRecords), 2);
 * fc.sample(arbCommand(fromState), 2);
 * ```
 */
export type Source = CrmRecordsInit | CrmState;

/** The ids a snapshot holds, by kind. @internal */
export interface SourceIds {
  readonly version: number;
  readonly users: readonly string[];
  readonly contacts: readonly string[];
  readonly opportunities: readonly string[];
  readonly rotations: readonly string[];
}

/** Reads the ids of a snapshot given as records or as a state. @internal */
export function idsOf(source: Source): SourceIds {
  const records: CrmRecordsInit = Array.isArray((source as CrmRecordsInit).users) ? (source as CrmRecordsInit) : toRecords(source as CrmState);
  const opportunities = new Set(records.opportunities.map((o) => o.id));
  // A partial snapshot's contacts list ids it did not load: commands should name them too.
  for (const contact of records.contacts) for (const id of contact.opportunityIds ?? []) opportunities.add(id);
  return {
    version: records.version ?? 0,
    users: records.users.map((u) => u.id),
    contacts: records.contacts.map((c) => c.id),
    opportunities: [...opportunities],
    rotations: (records.rotations ?? []).map((r) => r.id),
  };
}

const unique = (...lists: readonly (readonly string[])[]): string[] => [...new Set(lists.flat())];

/** Mostly ids of the snapshot, sometimes one from the pool (new, unknown, or hostile). */
function idArb(known: readonly string[], pool: readonly string[]): fc.Arbitrary<string> {
  const others = unique(pool, HOSTILE_IDS).filter((id) => !known.includes(id));
  if (known.length === 0) return fc.constantFrom(...others);
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}

/** Leaves out the keys whose value is `undefined`, so commands are plain JSON. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

/** `arb` with probability `p`, else `undefined`. */
function rate<T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | undefined> {
  const weight = Math.round(Math.max(0, Math.min(1, p)) * 100);
  if (weight === 0) return fc.constant(undefined);
  if (weight === 100) return arb;
  return fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
}
const maybe = <T>(arb: fc.Arbitrary<T>, p = 0.5): fc.Arbitrary<T | undefined> => rate(arb, p);
const statusArb = fc.constantFrom<OpportunityStatus>("open", "won", "lost", "abandoned");
const isoArb = fc.constantFrom("2026-11-28", "2026-11-28T10:00:00Z", "2026-11-28T10:00:00.123+01:00");

/**
 * One command of any type, well-formed, drawing ids mostly from the snapshot
 * and sometimes from a pool of new, unknown and hostile ids (`"__proto__"`, `"constructor"`,
 * `"toString"`…). Many are accepted; many are refused for a reason of the domain (an unknown
 * user, an inactive one, a missing record, `FORBIDDEN` for a user actor): both kinds
 * belong in a property. Every value passes `parseCommand`.
 *
 * Why the snapshot: commands on ids that exist are the ones that exercise the rules.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { createState, execute } from "crm-ownership";
 * import { arbCommand, arbContext, assertInvariants } from "crm-ownership/testing";
 *
 * const state = createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
 * fc.assert(
 *   fc.property(arbCommand(state), arbContext(state), (command, context) => {
 *     const result = execute(state, command, context);
 *     if (result.ok) assertInvariants(result.state);
 *   }),
 * );
 * ```
 */
export function arbCommand(source: Source, options: CommandOptions = {}): fc.Arbitrary<Command> {
  const ids = idsOf(source);
  const user = idArb(ids.users, [...USER_POOL, ...STRANGERS]);
  const owner: fc.Arbitrary<string | null> = fc.option(user, { nil: null, freq: 4 });
  const contact = idArb(ids.contacts, [...FRESH_CONTACTS, ...CONTACT_POOL]);
  const opportunity = idArb(ids.opportunities, [...FRESH_OPPORTUNITIES, ...OPPORTUNITY_POOL]);
  // New records mostly get new ids; sometimes an existing one (ALREADY_EXISTS).
  const newContact = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FRESH_CONTACTS, ...HOSTILE_IDS) }, { weight: 1, arbitrary: contact });
  const newOpportunity = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FRESH_OPPORTUNITIES, ...HOSTILE_IDS) }, { weight: 1, arbitrary: opportunity });
  const rotationId = idArb(ids.rotations, ROTATION_POOL);
  const members: fc.Arbitrary<RotationMember[]> = fc.array(
    fc.record({ userId: user, weight: maybe(fc.integer({ min: 1, max: 3 })) }).map(compact),
    { minLength: 0, maxLength: 4 },
  );
  const followerIds = maybe(fc.array(user, { maxLength: 3 }), 0.3);
  const includeClosed = maybe(fc.boolean());
  const onlyIfUnassigned = maybe(fc.boolean());
  const recordRef = fc.oneof(
    contact.map((id) => ({ kind: "contact" as const, id })),
    opportunity.map((id) => ({ kind: "opportunity" as const, id })),
  );

  const bodies: { readonly [T in CommandType]: { weight: number; arbitrary: fc.Arbitrary<Omit<Extract<Command, { type: T }>, "type">> } } = {
    updateSettings: {
      weight: 2,
      arbitrary: fc.record({
        allowDifferentOwners: maybe(fc.boolean(), 0.6),
        updateContactFollowersOnOpportunityOwnerChange: maybe(fc.boolean()),
        updateOpportunityFollowersOnContactOwnerChange: maybe(fc.boolean()),
      }),
    },
    createContact: { weight: 3, arbitrary: fc.record({ contactId: newContact, ownerId: maybe(owner, 0.75), followerIds }) },
    createOpportunity: {
      weight: 4,
      arbitrary: fc.record({ opportunityId: newOpportunity, contactId: contact, ownerId: maybe(owner), followerIds, status: maybe(statusArb, 0.3) }),
    },
    assignContactOwner: {
      weight: 5,
      arbitrary: fc.record({ contactId: contact, ownerId: owner, transfer: maybe(fc.constantFrom("none" as const, "ownedByPreviousOwner" as const, "all" as const)) }),
    },
    assignOpportunityOwner: { weight: 5, arbitrary: fc.record({ opportunityId: opportunity, ownerId: owner }) },
    addFollower: { weight: 3, arbitrary: fc.record({ record: recordRef, userId: user }) },
    removeFollower: { weight: 2, arbitrary: fc.record({ record: recordRef, userId: user }) },
    setOpportunityStatus: { weight: 2, arbitrary: fc.record({ opportunityId: opportunity, status: statusArb }) },
    deleteContact: { weight: 1, arbitrary: fc.record({ contactId: contact }) },
    deleteOpportunity: { weight: 1, arbitrary: fc.record({ opportunityId: opportunity }) },
    assignUser: { weight: 2, arbitrary: fc.record({ contactId: contact, users: members, rotationId, onlyIfUnassigned }) },
    addOpportunityOwner: {
      weight: 2,
      arbitrary: fc.oneof(
        fc.record({ opportunityId: opportunity, userId: user, onlyIfUnassigned }),
        fc.record({ opportunityId: opportunity, users: members, rotationId, onlyIfUnassigned }),
      ),
    },
    removeOpportunityOwner: { weight: 1, arbitrary: fc.record({ opportunityId: opportunity }) },
    removeAssignedUser: { weight: 1, arbitrary: fc.record({ contactId: contact }) },
    transferOwnership: {
      weight: 2,
      arbitrary: fc.record({
        fromUserId: user,
        toUserId: owner,
        records: maybe(fc.constantFrom("contacts" as const, "opportunities" as const, "all" as const)),
        includeClosed,
      }),
    },
    deactivateUser: { weight: 1, arbitrary: fc.record({ userId: user, reassignTo: owner, includeClosed }) },
    reactivateUser: { weight: 1, arbitrary: fc.record({ userId: user }) },
    // A chunk of a bulk re-coupling: some groups (maybe one that does not exist), whatever the setting.
    recoupleGroups: { weight: 1, arbitrary: fc.record({ contactIds: fc.array(contact, { minLength: 1, maxLength: 4 }) }) },
  };

  const types = options.types ?? COMMAND_TYPES;
  const choices = types.map((type) => ({
    weight: bodies[type].weight,
    arbitrary: (bodies[type].arbitrary as fc.Arbitrary<object>).map((body) => ({ type, ...body })),
  }));
  if (choices.length === 0) throw new RangeError("arbCommand: options.types must name at least one command type");

  const withMeta = options.meta !== false;
  const metaArb = fc.record({
    commandId: withMeta ? rate(fc.constantFrom("cmd-1", "cmd-2", "__proto__"), 0.3) : fc.constant(undefined),
    // Mostly the snapshot's own version (accepted when the command comes first), else a conflict.
    expectedVersion: withMeta ? rate(fc.constantFrom(ids.version, ids.version, ids.version + 1, 0), 0.1) : fc.constant(undefined),
  });
  return fc.tuple(fc.oneof(...choices), metaArb).map(([command, meta]) => compact({ ...command, ...meta }) as Command);
}

/**
 * Who acts and when (`CommandContext`) for commands on a snapshot: mostly a trusted system
 * actor, sometimes (`actorRate`) a user drawn from the snapshot or a stranger, so properties
 * cover the permission checks and their refusals (`FORBIDDEN`, and `*_NOT_FOUND` for records a
 * scoped user cannot see).
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { createState, execute } from "crm-ownership";
 * import { arbCommand, arbContext } from "crm-ownership/testing";
 *
 * const state = createState({ users: [{ id: "ana", scope: "assigned" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
 * fc.assert(
 *   fc.property(arbCommand(state), arbContext(state, { actorRate: 0.5 }), (command, context) => {
 *     execute(state, command, context); // a value, accepted or refused; never throws
 *   }),
 * );
 * ```
 */
export function arbContext(source: Source, options: ContextOptions = {}): fc.Arbitrary<CommandContext> {
  const ids = idsOf(source);
  const user = idArb(ids.users, [...USER_POOL, ...STRANGERS]);
  const actor: fc.Arbitrary<Actor> = fc.oneof(
    { weight: 100 - Math.round(Math.max(0, Math.min(1, options.actorRate ?? 0.25)) * 100), arbitrary: fc.constantFrom("test", "workflow:routing").map((system) => ({ system })) },
    { weight: Math.round(Math.max(0, Math.min(1, options.actorRate ?? 0.25)) * 100), arbitrary: user.map((userId) => ({ userId })) },
  );
  const at = options.at === false ? fc.constant(undefined) : rate(isoArb, 0.3);
  return fc.record({ actor, at }).map(compact);
}
