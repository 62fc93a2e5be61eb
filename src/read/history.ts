/**
 * Ownership history: a projection of the events, folded one event at a time, that answers "who
 * owned this record then?" and "what did this user hand over?" without the snapshots of the
 * past (docs/history.md). It reads events only, so events stored as JSON, or by 0.1 (through
 * `upcastEvent`), fold the same way.
 */
import type { Cause, CrmEvent } from "../events.js";
import type { Actor } from "../model/actor.js";
import { count, instantOf, isoTime } from "../model/fields.js";
import type { RecordKind, RecordRef } from "../model/records.js";
import { listContacts, listOpportunities } from "../state/selectors.js";
import type { CrmState } from "../state/state.js";
import { actorOf } from "./actor.js";

/**
 * How an interval began: the record was `created` with this owner, its owner `changed`, or the
 * owner was `known` without an event saying since when (from the initial snapshot, or the
 * `from` of the first change the history saw).
 *
 * @example
 * ```ts
 * const start: IntervalStart = "changed";
 * ```
 */
export type IntervalStart = "created" | "changed" | "known";

/**
 * One stretch of a record's ownership: `ownerId` owned it from version `fromVersion` (included)
 * to `toVersion` (excluded; `null` while it lasts). `fromAt`/`toAt` are the `at` of the events
 * that began and ended it (an event without `at` takes the latest earlier one). `cause`,
 * `actor` and `commandId` are those of the event that began it (`null` for a `known` start).
 *
 * @example
 * ```ts
 * const interval: OwnershipInterval = {
 *   ownerId: "ben", start: "changed", fromVersion: 4, toVersion: null,
 *   fromAt: "2026-11-30T09:00:00Z", cause: "owners-coupled", actor: { userId: "ana" },
 * };
 * ```
 */
export interface OwnershipInterval {
  readonly ownerId: string | null;
  readonly start: IntervalStart;
  /** The version from which the owner held; `null`: since before the history starts. */
  readonly fromVersion: number | null;
  /** The version at which the owner stopped holding (changed or deleted); `null`: still holds. */
  readonly toVersion: number | null;
  readonly fromAt?: string | undefined;
  readonly toAt?: string | undefined;
  readonly cause: Cause | null;
  /** Who acted; `{ system: "unknown" }` for 0.1 events passed through `upcastEvent`. */
  readonly actor: Actor | null;
  readonly commandId?: string | undefined;
}

/**
 * The ownership of one contact or opportunity over time, oldest interval first. A deleted record
 * keeps its intervals (the last one closed at `deletedAtVersion`); one created again with the same
 * id continues the list.
 *
 * @example
 * ```ts
 * declare const history: OwnershipHistory;
 * const acme: RecordOwnership | undefined = history.contacts.get("acme");
 * acme?.intervals.map((i) => i.ownerId); // ["ana", "ben"]
 * ```
 */
export interface RecordOwnership {
  readonly record: RecordRef;
  readonly intervals: readonly OwnershipInterval[];
  /** Set while the record is deleted. */
  readonly deletedAtVersion?: number | undefined;
}

/**
 * The ownership history of every contact and opportunity the events (and the initial snapshot,
 * if any) mention. Read-only: `applyToHistory` returns a new one, sharing with the old what did
 * not change, so changing one in place (sorting an `intervals` list, say) changes the other; copy
 * a list before sorting it. Apply each event once, in order: the relay delivers at least once, so
 * deduplicate on its outbox place first.
 *
 * @example
 * ```ts
 * declare const events: readonly CrmEvent[]; // from your event store
 * const history: OwnershipHistory = ownershipHistory(events);
 * history.version; // the version of the last event folded
 * [...history.opportunities.keys()]; // every opportunity it knows
 * ```
 */
export interface OwnershipHistory {
  /** The version of the last event folded (or of the initial snapshot). */
  readonly version: number;
  /** The latest `at` seen, which an event without one inherits. */
  readonly lastAt?: string | undefined;
  readonly contacts: ReadonlyMap<string, RecordOwnership>;
  readonly opportunities: ReadonlyMap<string, RecordOwnership>;
}

/**
 * Folds events, oldest first, into an ownership history; with `initial` (the snapshot the events
 * start from), every record of that snapshot starts with its owner there.
 *
 * Why: "who owned this deal last March?" is an audit question, and the events already hold the
 * answer; a projection keeps the host from storing snapshots of the past.
 *
 * @example
 * ```ts
 * declare const stored: unknown[]; // events read back from JSON, 0.1 ones included
 * const history = ownershipHistory(stored.map(upcastEvent));
 * ownerAt(history, { kind: "opportunity", id: "deal-1" }, { at: "2026-03-31T23:59:59Z" }); // "ana"
 * ```
 */
export function ownershipHistory(events: Iterable<CrmEvent>, initial?: CrmState): OwnershipHistory {
  const draft: Draft = { version: 0, lastAt: undefined, contacts: new Map(), opportunities: new Map() };
  if (initial !== undefined) {
    draft.version = initial.version;
    for (const c of listContacts(initial)) draft.contacts.set(c.id, known({ kind: "contact", id: c.id }, c.ownerId));
    for (const o of listOpportunities(initial)) draft.opportunities.set(o.id, known({ kind: "opportunity", id: o.id }, o.ownerId));
  }
  for (const event of events) fold(draft, event);
  return snapshotOf(draft);
}

/**
 * The fold step of `ownershipHistory`: the history after one more event. `history` is left as it
 * is; the result shares everything the event did not change. Events that change no owner (a
 * follower, a status) only move `version` on.
 *
 * Why: a host that keeps the projection up to date as events arrive (from an outbox, a bus)
 * applies each one as it comes.
 *
 * @example
 * ```ts
 * declare const event: CrmEvent; // just published
 * let history = ownershipHistory([]);
 * history = applyToHistory(history, event);
 * ```
 */
export function applyToHistory(history: OwnershipHistory, event: CrmEvent): OwnershipHistory {
  const kind = recordTouched(event);
  const draft: Draft = {
    version: history.version,
    lastAt: history.lastAt,
    // Only the table the event touches is copied.
    contacts: kind === "contact" ? new Map(history.contacts) : (history.contacts as Map<string, RecordOwnership>),
    opportunities: kind === "opportunity" ? new Map(history.opportunities) : (history.opportunities as Map<string, RecordOwnership>),
  };
  fold(draft, event);
  return snapshotOf(draft);
}

/**
 * When to look: a snapshot `version`, or a time `at` (ISO 8601, compared as instants). A
 * version is exact; a time needs events with `at` (an event without one counts as happening at
 * the latest earlier `at`).
 *
 * @example
 * ```ts
 * const afterImport: HistoryPoint = { version: 12 };
 * const endOfQuarter: HistoryPoint = { at: "2026-03-31T23:59:59Z" };
 * ```
 */
export type HistoryPoint = { readonly version: number } | { readonly at: string };

/**
 * Who owned a record at a version or a time: a user id, `null` (unassigned), or `undefined` when
 * the record did not exist then (not yet created, already deleted) or the history does not know it
 * (by time: a change before any event with an `at` happened at an unknown time).
 * Throws a `RangeError` naming `when.version` or `when.at` when it is not a whole number or not an
 * ISO 8601 time of a real date and time.
 *
 * @example
 * ```ts
 * declare const history: OwnershipHistory;
 * ownerAt(history, { kind: "contact", id: "acme" }, { version: 3 }); // "ana"
 * ownerAt(history, { kind: "contact", id: "acme" }, { at: "2026-11-30T12:00:00Z" }); // "ben"
 * ```
 */
export function ownerAt(history: OwnershipHistory, record: RecordRef, when: HistoryPoint): string | null | undefined {
  if (typeof when !== "object" || when === null) throw new RangeError(`when must be { version } or { at }; got ${when === null ? "null" : typeof when}.`);
  if ("version" in when) checkArgument("version", when.version, "when.version", false);
  else checkArgument("time", when.at, "when.at", false);
  const entry = (record.kind === "contact" ? history.contacts : history.opportunities).get(record.id);
  if (entry === undefined) return undefined;
  let owner: string | null | undefined;
  for (const interval of entry.intervals) {
    if (covers(interval, when)) owner = interval.ownerId;
  }
  return owner;
}

/**
 * One owner change of a record, as `handovers` lists it. `from` is `null` for a record created
 * with its owner, or one that had none.
 *
 * @example
 * ```ts
 * const change: OwnershipChange = {
 *   record: { kind: "opportunity", id: "deal-1" }, from: "ana", to: "ben",
 *   version: 4, at: "2026-11-30T09:00:00Z", cause: "transfer", actor: { system: "offboarding" },
 * };
 * ```
 */
export interface OwnershipChange {
  readonly record: RecordRef;
  readonly from: string | null;
  readonly to: string | null;
  readonly version: number;
  readonly at?: string | undefined;
  readonly cause: Cause;
  readonly actor: Actor | null;
  readonly commandId?: string | undefined;
}

/**
 * A stretch of versions or times for `handovers`: `since` included, `until` excluded, each
 * optional (open-ended). Times are ISO 8601; versions are whole numbers.
 *
 * @example
 * ```ts
 * const march: HistoryRange = { since: "2026-03-01T00:00:00Z", until: "2026-04-01T00:00:00Z" };
 * const lastTen: HistoryRange = { sinceVersion: 90 };
 * ```
 */
export interface HistoryRange {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly sinceVersion?: number | undefined;
  readonly untilVersion?: number | undefined;
}

/**
 * What a user handed over (records that stopped being theirs) and received (records that became
 * theirs, created for them included) within a range, oldest first, contacts and opportunities
 * together.
 *
 * Throws a `RangeError` naming the field of `range` that is not a whole number (versions) or not an
 * ISO 8601 time of a real date and time (times).
 *
 * Why: "what did Ana hand over when she left?" and "what did Ben receive this week?" are the
 * questions a sales manager asks after a transfer.
 *
 * @example
 * ```ts
 * declare const history: OwnershipHistory;
 * const { handedOver, received } = handovers(history, "ana", { since: "2026-11-01T00:00:00Z" });
 * handedOver.map((c) => `${c.record.kind} ${c.record.id} → ${c.to ?? "nobody"} (${c.cause})`);
 * received.length;
 * ```
 */
export function handovers(
  history: OwnershipHistory,
  userId: string,
  range: HistoryRange = {},
): { readonly handedOver: readonly OwnershipChange[]; readonly received: readonly OwnershipChange[] } {
  for (const key of ["sinceVersion", "untilVersion"] as const) checkArgument("version", range[key], `range.${key}`);
  for (const key of ["since", "until"] as const) checkArgument("time", range[key], `range.${key}`);
  const handedOver: OwnershipChange[] = [];
  const received: OwnershipChange[] = [];
  for (const table of [history.contacts, history.opportunities]) {
    for (const entry of table.values()) {
      entry.intervals.forEach((interval, i) => {
        if (interval.start === "known" || interval.fromVersion === null || interval.cause === null) return;
        // The owner it came from: the interval just before, if it ended where this one begins
        // (not across a deletion).
        const before = entry.intervals[i - 1];
        const previous = interval.start === "changed" && before !== undefined && before.toVersion === interval.fromVersion ? before.ownerId : null;
        if (previous === interval.ownerId || (previous !== userId && interval.ownerId !== userId)) return;
        if (!inRange(interval.fromVersion, interval.fromAt, range)) return;
        const change: OwnershipChange = {
          record: entry.record,
          from: previous,
          to: interval.ownerId,
          version: interval.fromVersion,
          ...(interval.fromAt === undefined ? {} : { at: interval.fromAt }),
          cause: interval.cause,
          actor: interval.actor,
          ...(interval.commandId === undefined ? {} : { commandId: interval.commandId }),
        };
        if (previous === userId) handedOver.push(change);
        if (interval.ownerId === userId) received.push(change);
      });
    }
  }
  const byVersion = (a: OwnershipChange, b: OwnershipChange) => a.version - b.version;
  return { handedOver: handedOver.sort(byVersion), received: received.sort(byVersion) };
}

// ---- the fold

interface Draft {
  version: number;
  lastAt: string | undefined;
  contacts: Map<string, RecordOwnership>;
  opportunities: Map<string, RecordOwnership>;
}

function snapshotOf(draft: Draft): OwnershipHistory {
  return {
    version: draft.version,
    ...(draft.lastAt === undefined ? {} : { lastAt: draft.lastAt }),
    contacts: draft.contacts,
    opportunities: draft.opportunities,
  };
}

function known(record: RecordRef, ownerId: string | null): RecordOwnership {
  return { record, intervals: [{ ownerId, start: "known", fromVersion: null, toVersion: null, cause: null, actor: null }] };
}

function recordTouched(event: CrmEvent): RecordKind | undefined {
  switch (event.type) {
    case "ContactCreated":
    case "ContactOwnerChanged":
    case "ContactDeleted":
      return "contact";
    case "OpportunityCreated":
    case "OpportunityOwnerChanged":
    case "OpportunityDeleted":
      return "opportunity";
    default:
      return undefined;
  }
}

function fold(draft: Draft, event: CrmEvent): void {
  // As evolve does: an event without a whole version (hand-written) keeps the current one.
  if (Number.isSafeInteger(event.version)) draft.version = event.version;
  if (typeof event.at === "string") draft.lastAt = event.at;
  const version = draft.version;
  const at = draft.lastAt;
  const begin = (ownerId: string | null, start: IntervalStart): OwnershipInterval => ({
    ownerId,
    start,
    fromVersion: version,
    toVersion: null,
    ...(at === undefined ? {} : { fromAt: at }),
    cause: event.cause,
    actor: actorOf(event) ?? null,
    ...(typeof event.commandId === "string" ? { commandId: event.commandId } : {}),
  });
  const close = (interval: OwnershipInterval): OwnershipInterval => ({ ...interval, toVersion: version, ...(at === undefined ? {} : { toAt: at }) });
  const table = (kind: RecordKind) => (kind === "contact" ? draft.contacts : draft.opportunities);

  const created = (record: RecordRef, ownerId: string | null) => {
    const entry = table(record.kind).get(record.id);
    // A record created again after its deletion continues its list; an open interval (created
    // twice without a deletion: not from decide) is closed first.
    const before = entry?.intervals ?? [];
    const last = before[before.length - 1];
    const kept = last !== undefined && last.toVersion === null ? [...before.slice(0, -1), close(last)] : before;
    table(record.kind).set(record.id, { record, intervals: [...kept, begin(ownerId, "created")] });
  };
  const changed = (record: RecordRef, from: string | null, to: string | null) => {
    const entry = table(record.kind).get(record.id) ?? known(record, from);
    const last = entry.intervals[entry.intervals.length - 1];
    const kept = last !== undefined && last.toVersion === null ? [...entry.intervals.slice(0, -1), close(last)] : entry.intervals;
    table(record.kind).set(record.id, { record, intervals: [...kept, begin(to, "changed")] });
  };
  const deleted = (record: RecordRef) => {
    const entry = table(record.kind).get(record.id);
    if (entry === undefined) return;
    const last = entry.intervals[entry.intervals.length - 1];
    const intervals = last !== undefined && last.toVersion === null ? [...entry.intervals.slice(0, -1), close(last)] : entry.intervals;
    table(record.kind).set(record.id, { record, intervals, deletedAtVersion: version });
  };

  switch (event.type) {
    case "ContactCreated":
      return created({ kind: "contact", id: event.contactId }, event.ownerId);
    case "OpportunityCreated":
      return created({ kind: "opportunity", id: event.opportunityId }, event.ownerId);
    case "ContactOwnerChanged":
      return changed({ kind: "contact", id: event.contactId }, event.from, event.to);
    case "OpportunityOwnerChanged":
      return changed({ kind: "opportunity", id: event.opportunityId }, event.from, event.to);
    case "ContactDeleted":
      return deleted({ kind: "contact", id: event.contactId });
    case "OpportunityDeleted":
      return deleted({ kind: "opportunity", id: event.opportunityId });
    default:
      return;
  }
}

// ---- queries

/**
 * Throws a `RangeError` naming the argument unless `value` is absent (and `optional`) or a field of
 * that kind would take it in a command. Why throw: a time that does not parse would otherwise
 * compare as a string and give a plausible, wrong answer; a version of `NaN` would match nothing.
 */
function checkArgument(kind: "version" | "time", value: unknown, path: string, optional = true): void {
  if (value === undefined && optional) return;
  if (kind === "version" ? count.parse(value, path).ok : isoTime.parse(value, path).ok) return;
  const expected = kind === "version" ? "a whole number from 0 to 9007199254740991" : "an ISO 8601 time string, of a real date and time";
  throw new RangeError(`${path} must be ${expected}; got ${typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : typeof value === "number" ? value : typeof value}.`);
}

function covers(interval: OwnershipInterval, when: HistoryPoint): boolean {
  if ("version" in when) {
    return (interval.fromVersion === null || interval.fromVersion <= when.version) && (interval.toVersion === null || when.version < interval.toVersion);
  }
  // Without `fromAt` (an event before any event with a time), when it began is unknown: it is not
  // known to have begun by any time, so a question by time there has no owner, not a guess.
  const started = interval.fromVersion === null || (interval.fromAt !== undefined && compareTimes(interval.fromAt, when.at) <= 0);
  const ended = interval.toVersion !== null && (interval.toAt === undefined || compareTimes(interval.toAt, when.at) <= 0);
  return started && !ended;
}

function inRange(version: number, at: string | undefined, range: HistoryRange): boolean {
  if (range.sinceVersion !== undefined && version < range.sinceVersion) return false;
  if (range.untilVersion !== undefined && version >= range.untilVersion) return false;
  if (range.since !== undefined && (at === undefined || compareTimes(at, range.since) < 0)) return false;
  if (range.until !== undefined && (at === undefined || compareTimes(at, range.until) >= 0)) return false;
  return true;
}

/**
 * Instants when both are ISO times (so "Z" and "+00:00" agree), else the strings: the events a
 * history reads have ISO times, as `upcastEvent` and the context require; a hand-built event may not.
 */
function compareTimes(a: string, b: string): number {
  const x = instantOf(a);
  const y = instantOf(b);
  if (x !== undefined && y !== undefined) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
