/**
 * The floor: a hand-written, mutable reference model of the commands the benchmark runs. Not
 * shipped, not a second implementation to maintain: it exists to say what the same work costs
 * without immutability.
 *
 * It does what the library does for these commands, and no less: it parses and copies every
 * command with the same checks (unknown fields, id lengths, types), checks `expectedVersion`,
 * users (known, active), records (present), complete groups and the follower limit, applies the
 * same rules in the same order, and builds the same events (the harness checks that they are
 * deep-equal to the library's before it measures). It is atomic like `executeAll`: every change
 * goes into an undo journal, and a refused command rolls back. What it does not do is
 * the part a mutable model does not need: copying on write, freezing, and keeping the old
 * snapshot intact. `rollback()` returns the model to a mark, so the harness can measure a
 * mutating command many times from the same state.
 */
import type { Command, CrmEvent, CrmRecords, CrmRecordsInit, Follower, FollowerSource, OpportunityStatus, RecordKind, Settings } from "../src/index.js";

type Cause = CrmEvent["cause"];
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface FUser {
  id: string;
  active: boolean;
  role: "admin" | "user";
  scope: "all" | "assigned";
}
interface FContact {
  id: string;
  ownerId: string | null;
  followers: Follower[];
  opportunityIds: string[];
}
interface FOpportunity {
  id: string;
  contactId: string;
  ownerId: string | null;
  followers: Follower[];
  status: OpportunityStatus;
}
type FRecord = FContact | FOpportunity;

/** A refusal, as a value (the floor does not build the library's exact messages). */
export interface FloorError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly id?: string;
  readonly index?: number;
}
export type FloorResult = { readonly ok: true; readonly events: readonly CrmEvent[] } | { readonly ok: false; readonly error: FloorError };

const fail = (code: string, message: string, field?: string, id?: string): FloorError => ({
  code,
  message,
  ...(field !== undefined && { field }),
  ...(id !== undefined && { id }),
});
const invalid = (field: string, expected: string) => fail("INVALID_COMMAND", `Invalid command: "${field}" must be ${expected}.`, field);

// ---------------------------------------------------------------------------------------------
// Parsing: the same checks as parseCommand, written out by hand for the benchmark's commands.

const ID_LENGTH = 256;
const MAX_FOLLOWER_IDS = 1000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const META = ["commandId", "expectedVersion"];
const FIELDS: Record<string, readonly string[]> = {
  updateSettings: ["allowDifferentOwners", "updateContactFollowersOnOpportunityOwnerChange", "updateOpportunityFollowersOnContactOwnerChange"],
  createContact: ["contactId", "ownerId", "followerIds"],
  createOpportunity: ["opportunityId", "contactId", "ownerId", "followerIds", "status"],
  assignContactOwner: ["contactId", "ownerId", "transfer"],
  assignOpportunityOwner: ["opportunityId", "ownerId"],
  addFollower: ["record", "userId"],
  removeFollower: ["record", "userId"],
  setOpportunityStatus: ["opportunityId", "status"],
};
const ALLOWED: Record<string, Set<string>> = Object.fromEntries(Object.entries(FIELDS).map(([type, fields]) => [type, new Set(["type", ...META, ...fields])]));
const STATUSES = new Set(["open", "won", "lost", "abandoned"]);

const own = (o: object, key: string): unknown => (Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined);
const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= ID_LENGTH;
const isObject = (v: unknown): v is object => typeof v === "object" && v !== null && !Array.isArray(v);

type Parsed = { ok: true; command: Record<string, unknown> } | { ok: false; error: FloorError };

function parse(input: unknown): Parsed {
  if (!isObject(input)) return { ok: false, error: invalid("(command)", 'an object with a "type"') };
  const type = own(input, "type");
  const allowed = typeof type === "string" ? ALLOWED[type] : undefined;
  if (allowed === undefined) return { ok: false, error: invalid("type", "a command type") };
  for (const key of Object.keys(input)) if (!allowed.has(key)) return { ok: false, error: invalid(key, "absent: it is not a field of this command") };
  const out: Record<string, unknown> = { type };
  let error: FloorError | undefined;
  const field = (key: string, required: boolean, check: (v: unknown) => boolean, expected: string, copy: (v: unknown) => unknown = (v) => v) => {
    if (error) return;
    const value = own(input, key);
    if (value === undefined) {
      if (required) error = invalid(key, expected);
      return;
    }
    if (!check(value)) error = invalid(key, expected);
    else out[key] = copy(value);
  };
  const idOrNull = (v: unknown) => v === null || isId(v);
  const bool = (v: unknown) => typeof v === "boolean";
  const followerIds = (v: unknown) => Array.isArray(v) && v.length <= MAX_FOLLOWER_IDS && v.every(isId);
  const record = (v: unknown) =>
    isObject(v) && Object.keys(v).every((k) => k === "kind" || k === "id") && (own(v, "kind") === "contact" || own(v, "kind") === "opportunity") && isId(own(v, "id"));
  field("commandId", false, isId, "an id");
  field("expectedVersion", false, (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0, "a whole number ≥ 0");
  switch (type) {
    case "updateSettings":
      for (const key of FIELDS.updateSettings ?? []) field(key, false, bool, "true or false");
      break;
    case "createContact":
      field("contactId", true, isId, "an id");
      field("ownerId", false, idOrNull, "a user id or null");
      field("followerIds", false, followerIds, "an array of ids", (v) => [...(v as string[])]);
      break;
    case "createOpportunity":
      field("opportunityId", true, isId, "an id");
      field("contactId", true, isId, "an id");
      field("ownerId", false, idOrNull, "a user id or null");
      field("followerIds", false, followerIds, "an array of ids", (v) => [...(v as string[])]);
      field("status", false, (v) => typeof v === "string" && STATUSES.has(v), "a status");
      break;
    case "assignContactOwner":
      field("contactId", true, isId, "an id");
      field("ownerId", true, idOrNull, "a user id or null");
      field("transfer", false, (v) => v === "none", '"none" (the floor does not model handovers)');
      break;
    case "assignOpportunityOwner":
      field("opportunityId", true, isId, "an id");
      field("ownerId", true, idOrNull, "a user id or null");
      break;
    case "addFollower":
    case "removeFollower":
      field("record", true, record, "{ kind, id }", (v) => ({ kind: own(v as object, "kind"), id: own(v as object, "id") }));
      field("userId", true, isId, "an id");
      break;
    case "setOpportunityStatus":
      field("opportunityId", true, isId, "an id");
      field("status", true, (v) => typeof v === "string" && STATUSES.has(v), "a status");
      break;
  }
  if (error) return { ok: false, error };
  if (out["actorId"] !== undefined) throw new Error("floor: commands with an actorId (permissions) are not modelled");
  return { ok: true, command: out };
}

// ---------------------------------------------------------------------------------------------
// The model.

/** Who runs the floor's commands: the bench's trusted system actor. */
export interface FloorContext {
  readonly actor: { readonly system: string };
  readonly at?: string | undefined;
}
const FLOOR_CONTEXT: FloorContext = { actor: { system: "bench" } };

/** What one command works with while it runs. */
interface Run {
  readonly version: number;
  readonly actor: FloorContext["actor"];
  readonly commandId: string | undefined;
  readonly at: string | undefined;
  readonly events: CrmEvent[];
  emitted: boolean;
  /** The groups whose ownership the command changed, with their reasons before (docs/rules.md §5). */
  readonly groups: Map<string, Reasons>;
}

/** Who has a reason to follow the contact, and by opportunity id who has one to follow it. */
interface Reasons {
  readonly contact: Set<string>;
  readonly opportunities: Map<string, string>;
}

const TOGGLES = [
  "allowDifferentOwners",
  "updateContactFollowersOnOpportunityOwnerChange",
  "updateOpportunityFollowersOnContactOwnerChange",
] as const;

/** The mutable reference model. */
export class Floor {
  version = 0;
  settings: Mutable<Settings>;
  readonly users = new Map<string, FUser>();
  readonly contacts = new Map<string, FContact>();
  readonly opportunities = new Map<string, FOpportunity>();
  /** Undo steps, newest last. */
  readonly journal: (() => void)[] = [];

  private constructor(settings: Settings) {
    this.settings = { ...settings };
  }

  /** Builds the model from plain records, with createState's structural checks. */
  static fromRecords(init: CrmRecordsInit): Floor {
    const problems: string[] = [];
    const s = init.settings ?? {};
    const floor = new Floor({
      allowDifferentOwners: s.allowDifferentOwners ?? false,
      updateContactFollowersOnOpportunityOwnerChange: s.updateContactFollowersOnOpportunityOwnerChange ?? false,
      updateOpportunityFollowersOnContactOwnerChange: s.updateOpportunityFollowersOnContactOwnerChange ?? false,
      maxFollowers: s.maxFollowers ?? 10,
    });
    floor.version = init.version ?? 0;
    for (const u of init.users) {
      if (!isId(u.id)) problems.push("user id");
      else if (floor.users.has(u.id)) problems.push(`duplicate user ${u.id}`);
      else floor.users.set(u.id, { id: u.id, active: u.active ?? true, role: u.role ?? "user", scope: u.scope ?? "all" });
    }
    const userRef = (id: string | null | undefined) => {
      if (id == null) return null;
      if (!floor.users.has(id)) problems.push(`unknown user ${id}`);
      return id;
    };
    const followers = (list: readonly Follower[] | undefined): Follower[] => {
      const out: Follower[] = [];
      for (const f of list ?? []) {
        const userId = userRef(f.userId);
        if (userId === null || (f.source !== "manual" && f.source !== "automation")) problems.push("follower");
        else if (out.some((g) => g.userId === userId)) problems.push(`follows twice ${userId}`);
        else out.push({ userId, source: f.source });
      }
      return out;
    };
    const given = new Map<string, readonly string[]>();
    for (const c of init.contacts) {
      if (!isId(c.id)) problems.push("contact id");
      else if (floor.contacts.has(c.id)) problems.push(`duplicate contact ${c.id}`);
      else {
        if (c.opportunityIds !== undefined) given.set(c.id, c.opportunityIds);
        floor.contacts.set(c.id, { id: c.id, ownerId: userRef(c.ownerId), followers: followers(c.followers), opportunityIds: [] });
      }
    }
    for (const o of init.opportunities) {
      const contact = floor.contacts.get(o.contactId);
      if (!isId(o.id)) problems.push("opportunity id");
      else if (floor.opportunities.has(o.id)) problems.push(`duplicate opportunity ${o.id}`);
      else if (contact === undefined) problems.push(`missing contact ${o.contactId}`);
      else {
        const status = o.status ?? "open";
        if (!STATUSES.has(status)) problems.push("status");
        const listed = given.get(contact.id);
        if (listed !== undefined && !listed.includes(o.id)) problems.push(`not listed ${o.id}`);
        floor.opportunities.set(o.id, { id: o.id, contactId: contact.id, ownerId: userRef(o.ownerId), followers: followers(o.followers), status });
        contact.opportunityIds.push(o.id);
      }
    }
    for (const [id, listed] of given) {
      const contact = floor.contacts.get(id);
      if (contact) contact.opportunityIds = [...listed];
    }
    if (problems.length > 0) throw new Error(`floor: invalid snapshot: ${problems.slice(0, 5).join(", ")}`);
    return floor;
  }

  /** The model as the plain records `toRecords` returns (copies, in order). */
  toRecords(): CrmRecords {
    const copy = (f: Follower) => ({ userId: f.userId, source: f.source });
    return {
      version: this.version,
      settings: { ...this.settings },
      users: [...this.users.values()].map((u) => ({ id: u.id, active: u.active, role: u.role, scope: u.scope })),
      contacts: [...this.contacts.values()].map((c) => ({ id: c.id, ownerId: c.ownerId, followers: c.followers.map(copy), opportunityIds: [...c.opportunityIds] })),
      opportunities: [...this.opportunities.values()].map((o) => ({ id: o.id, contactId: o.contactId, ownerId: o.ownerId, followers: o.followers.map(copy), status: o.status })),
      rotations: [],
    };
  }

  /** Undoes every change after `mark` (a journal length). */
  rollback(mark = 0): void {
    const j = this.journal;
    while (j.length > mark) (j.pop() as () => void)();
  }

  /** One command, atomically, run by a trusted system actor (as the bench runs the library). */
  execute(command: Command, context: FloorContext = FLOOR_CONTEXT): FloorResult {
    return this.executeAll([command], context);
  }

  /** A list of commands, atomically: all apply or none. */
  executeAll(commands: readonly Command[], context: FloorContext = FLOOR_CONTEXT): FloorResult {
    // The same checks of the context as the library's, by hand: a system actor with a label.
    const actor = context.actor;
    if (typeof actor !== "object" || actor === null || typeof actor.system !== "string" || actor.system.length === 0 || actor.system.length > ID_LENGTH) {
      return { ok: false, error: fail("INVALID_COMMAND", "context.actor", "context.actor") };
    }
    if (context.at !== undefined && !(typeof context.at === "string" && context.at.length <= 64 && ISO_TIME.test(context.at))) {
      return { ok: false, error: fail("INVALID_COMMAND", "context.at", "context.at") };
    }
    const mark = this.journal.length;
    const events: CrmEvent[] = [];
    const stamp = { actor: { system: actor.system }, at: context.at };
    for (let index = 0; index < commands.length; index++) {
      const error = this.#run(commands[index], events, stamp);
      if (error) {
        this.rollback(mark);
        return { ok: false, error: commands.length === 1 ? error : { ...error, index } };
      }
    }
    return { ok: true, events };
  }

  #run(input: unknown, events: CrmEvent[], stamp: FloorContext): FloorError | undefined {
    const parsed = parse(input);
    if (!parsed.ok) return parsed.error;
    const c = parsed.command;
    const expected = c["expectedVersion"];
    if (expected !== undefined && expected !== this.version) return fail("VERSION_CONFLICT", "version", "expectedVersion");
    const run: Run = { version: this.version + 1, actor: stamp.actor, commandId: c["commandId"] as string | undefined, at: stamp.at, events, emitted: false, groups: new Map() };
    const error = this.#decide(run, c) ?? this.#reconcile(run);
    if (!error && run.emitted) {
      const before = this.version;
      this.version = run.version;
      this.journal.push(() => {
        this.version = before;
      });
    }
    return error;
  }

  #emit(run: Run, event: Record<string, unknown>): void {
    event["version"] = run.version;
    event["actor"] = run.actor;
    event["schemaVersion"] = 2;
    if (run.commandId !== undefined) event["commandId"] = run.commandId;
    if (run.at !== undefined) event["at"] = run.at;
    run.events.push(event as unknown as CrmEvent);
    run.emitted = true;
  }

  #decide(run: Run, c: Record<string, unknown>): FloorError | undefined {
    switch (c["type"]) {
      case "updateSettings":
        return this.#updateSettings(run, c);
      case "createContact":
        return this.#createContact(run, c);
      case "createOpportunity":
        return this.#createOpportunity(run, c);
      case "assignContactOwner": {
        const contact = this.contacts.get(c["contactId"] as string);
        if (contact === undefined) return fail("CONTACT_NOT_FOUND", "contact", "contactId", c["contactId"] as string);
        const to = c["ownerId"] as string | null;
        return this.#assignable(to, "ownerId") ?? this.#changeContactOwner(run, contact, to);
      }
      case "assignOpportunityOwner": {
        const opportunity = this.opportunities.get(c["opportunityId"] as string);
        if (opportunity === undefined) return fail("OPPORTUNITY_NOT_FOUND", "opportunity", "opportunityId", c["opportunityId"] as string);
        const to = c["ownerId"] as string | null;
        return this.#assignable(to, "ownerId") ?? this.#changeOpportunityOwner(run, opportunity, to, "command", "opportunityId");
      }
      case "addFollower":
        return this.#addFollower(run, c);
      case "removeFollower":
        return this.#removeFollower(run, c);
      case "setOpportunityStatus": {
        const opportunity = this.opportunities.get(c["opportunityId"] as string);
        if (opportunity === undefined) return fail("OPPORTUNITY_NOT_FOUND", "opportunity", "opportunityId", c["opportunityId"] as string);
        const to = c["status"] as OpportunityStatus;
        const from = opportunity.status;
        if (from === to) return undefined;
        this.#emit(run, { type: "OpportunityStatusChanged", opportunityId: opportunity.id, contactId: opportunity.contactId, from, to, cause: "command" });
        opportunity.status = to;
        this.journal.push(() => {
          opportunity.status = from;
        });
        return undefined;
      }
      default:
        throw new Error(`floor: ${String(c["type"])} is not modelled`);
    }
  }

  #assignable(userId: string | null, field: string): FloorError | undefined {
    if (userId === null) return undefined;
    const user = this.users.get(userId);
    if (user === undefined) return fail("USER_NOT_FOUND", "user", field, userId);
    if (!user.active) return fail("USER_INACTIVE", "user", field, userId);
    return undefined;
  }

  /** Every opportunity of the contact, or the refusal when one is not loaded. */
  #group(contact: FContact, field: string): FOpportunity[] | FloorError {
    const out: FOpportunity[] = [];
    for (const id of contact.opportunityIds) {
      const o = this.opportunities.get(id);
      if (o === undefined) return fail("INCOMPLETE_SNAPSHOT", "incomplete", field, contact.id);
      out.push(o);
    }
    return out;
  }

  /** Whether the follower rules act: owners separate and a subsetting on. */
  #reconciling(): boolean {
    const s = this.settings;
    return s.allowDifferentOwners && (s.updateContactFollowersOnOpportunityOwnerChange || s.updateOpportunityFollowersOnContactOwnerChange);
  }

  #reasons(contact: FContact): Reasons {
    const reasons: Reasons = { contact: new Set(), opportunities: new Map() };
    for (const id of contact.opportunityIds) {
      const o = this.opportunities.get(id) as FOpportunity;
      if (o.ownerId !== null && o.ownerId !== contact.ownerId) reasons.contact.add(o.ownerId);
      if (contact.ownerId !== null && contact.ownerId !== o.ownerId) reasons.opportunities.set(o.id, contact.ownerId);
    }
    return reasons;
  }

  /** Notes a group's reasons before the command's first change to its ownership. */
  #watch(run: Run, contactId: string, field: string): FloorError | undefined {
    if (run.groups.has(contactId) || !this.#reconciling()) return undefined;
    const contact = this.contacts.get(contactId) as FContact;
    const group = this.#group(contact, field);
    if (!Array.isArray(group)) return group;
    run.groups.set(contactId, this.#reasons(contact));
    return undefined;
  }

  /** The follower rules, once at the end of the command: removals, then additions. */
  #reconcile(run: Run): FloorError | undefined {
    if (run.groups.size === 0 || !this.#reconciling()) return undefined;
    const { updateContactFollowersOnOpportunityOwnerChange: contacts, updateOpportunityFollowersOnContactOwnerChange: opportunities } = this.settings;
    const additions: [FRecord, RecordKind, string, Cause][] = [];
    for (const [contactId, before] of run.groups) {
      const contact = this.contacts.get(contactId);
      if (contact === undefined) continue;
      const after = this.#reasons(contact);
      if (contacts) {
        const cause = "opportunity-owner-followers";
        for (const f of [...contact.followers]) if (f.source === "automation" && !after.contact.has(f.userId)) this.#removeFollowerFrom(run, contact, "contact", f, cause);
        for (const userId of after.contact) if (!before.contact.has(userId)) additions.push([contact, "contact", userId, cause]);
      }
      if (opportunities) {
        const cause = "contact-owner-followers";
        for (const id of contact.opportunityIds) {
          const o = this.opportunities.get(id) as FOpportunity;
          const reason = after.opportunities.get(id);
          for (const f of [...o.followers]) if (f.source === "automation" && f.userId !== reason) this.#removeFollowerFrom(run, o, "opportunity", f, cause);
          if (reason !== undefined && before.opportunities.get(id) !== reason) additions.push([o, "opportunity", reason, cause]);
        }
      }
    }
    for (const [record, kind, userId, cause] of additions) {
      if (this.users.get(userId)?.active === true) this.#addByRule(run, record, kind, userId, cause);
    }
    return undefined;
  }

  #setContactOwner(run: Run, contact: FContact, to: string | null, cause: Cause): void {
    const from = contact.ownerId;
    this.#emit(run, { type: "ContactOwnerChanged", contactId: contact.id, from, to, cause });
    contact.ownerId = to;
    this.journal.push(() => {
      contact.ownerId = from;
    });
  }

  #setOpportunityOwner(run: Run, opportunity: FOpportunity, to: string | null, cause: Cause): void {
    const from = opportunity.ownerId;
    this.#emit(run, { type: "OpportunityOwnerChanged", opportunityId: opportunity.id, contactId: opportunity.contactId, from, to, cause });
    opportunity.ownerId = to;
    this.journal.push(() => {
      opportunity.ownerId = from;
    });
  }

  #changeContactOwner(run: Run, contact: FContact, to: string | null): FloorError | undefined {
    if (!this.settings.allowDifferentOwners) return this.#moveGroup(run, contact, undefined, to, "command", "contactId");
    if (contact.ownerId === to) return undefined;
    const refusal = this.#watch(run, contact.id, "contactId");
    if (refusal) return refusal;
    this.#setContactOwner(run, contact, to, "command");
    return undefined;
  }

  #changeOpportunityOwner(run: Run, opportunity: FOpportunity, to: string | null, cause: Cause, field: string): FloorError | undefined {
    const contact = this.contacts.get(opportunity.contactId);
    if (!this.settings.allowDifferentOwners) return contact === undefined ? undefined : this.#moveGroup(run, contact, opportunity, to, cause, field);
    if (opportunity.ownerId === to) return undefined;
    const refusal = this.#watch(run, opportunity.contactId, field);
    if (refusal) return refusal;
    this.#setOpportunityOwner(run, opportunity, to, cause);
    return undefined;
  }

  /** Coupled owners: the named record first, then the contact, then the rest of the group. */
  #moveGroup(run: Run, contact: FContact, lead: FOpportunity | undefined, to: string | null, cause: Cause, field: string): FloorError | undefined {
    const group = this.#group(contact, field);
    if (!Array.isArray(group)) return group;
    const follow: Cause = cause === "command" ? "owners-coupled" : cause;
    if (lead !== undefined && lead.ownerId !== to) this.#setOpportunityOwner(run, lead, to, cause);
    if (contact.ownerId !== to) this.#setContactOwner(run, contact, to, lead === undefined ? cause : follow);
    for (const opportunity of group) {
      if (opportunity !== lead && opportunity.ownerId !== to) this.#setOpportunityOwner(run, opportunity, to, follow);
    }
    return undefined;
  }

  #addFollowerTo(run: Run, record: FRecord, kind: RecordKind, userId: string, source: FollowerSource, cause: Cause): void {
    this.#emit(run, { type: "FollowerAdded", record: { kind, id: record.id }, userId, source, cause });
    const followers = record.followers;
    const at = followers.findIndex((f) => f.userId === userId);
    if (at < 0) {
      followers.push({ userId, source });
      this.journal.push(() => {
        followers.pop();
      });
    } else {
      const before = followers[at] as Follower;
      followers[at] = { userId, source };
      this.journal.push(() => {
        followers[at] = before;
      });
    }
  }

  #removeFollowerFrom(run: Run, record: FRecord, kind: RecordKind, follow: Follower, cause: Cause): void {
    this.#emit(run, { type: "FollowerRemoved", record: { kind, id: record.id }, userId: follow.userId, source: follow.source, cause });
    const followers = record.followers;
    const at = followers.indexOf(follow);
    followers.splice(at, 1);
    this.journal.push(() => {
      followers.splice(at, 0, follow);
    });
  }

  #addByRule(run: Run, record: FRecord, kind: RecordKind, userId: string, cause: Cause): void {
    if (record.followers.some((f) => f.userId === userId)) return;
    if (record.followers.length >= this.settings.maxFollowers) {
      this.#emit(run, { type: "FollowerNotAdded", record: { kind, id: record.id }, userId, reason: "limit", cause });
    } else {
      this.#addFollowerTo(run, record, kind, userId, "automation", cause);
    }
  }

  #findRecord(ref: { kind: RecordKind; id: string }): FRecord | FloorError {
    const found = ref.kind === "contact" ? this.contacts.get(ref.id) : this.opportunities.get(ref.id);
    return found ?? fail(ref.kind === "contact" ? "CONTACT_NOT_FOUND" : "OPPORTUNITY_NOT_FOUND", "record", "record.id", ref.id);
  }

  #addFollower(run: Run, c: Record<string, unknown>): FloorError | undefined {
    const ref = c["record"] as { kind: RecordKind; id: string };
    const userId = c["userId"] as string;
    const record = this.#findRecord(ref);
    if ("code" in record) return record;
    const refusal = this.#assignable(userId, "userId");
    if (refusal) return refusal;
    if (record.ownerId === userId) return undefined;
    const follow = record.followers.find((f) => f.userId === userId);
    if (follow?.source === "manual") return undefined;
    if (follow === undefined && record.followers.length >= this.settings.maxFollowers) return fail("FOLLOWER_LIMIT", "limit", "userId", ref.id);
    this.#addFollowerTo(run, record, ref.kind, userId, "manual", "command");
    return undefined;
  }

  #removeFollower(run: Run, c: Record<string, unknown>): FloorError | undefined {
    const ref = c["record"] as { kind: RecordKind; id: string };
    const userId = c["userId"] as string;
    const record = this.#findRecord(ref);
    if ("code" in record) return record;
    if (!this.users.has(userId)) return fail("USER_NOT_FOUND", "user", "userId", userId);
    const follow = record.followers.find((f) => f.userId === userId);
    if (follow === undefined) return undefined;
    this.#removeFollowerFrom(run, record, ref.kind, follow, "command");
    return undefined;
  }

  /** The followers a create names: known, active, each once, never the owner, within the limit. */
  #newFollowers(ids: readonly string[] | undefined, ownerId: string | null, recordId: string): string[] | FloorError {
    const unique: string[] = [];
    for (const [i, userId] of (ids ?? []).entries()) {
      const refusal = this.#assignable(userId, `followerIds[${i}]`);
      if (refusal) return refusal;
      if (userId !== ownerId && !unique.includes(userId)) unique.push(userId);
    }
    if (unique.length > this.settings.maxFollowers) return fail("FOLLOWER_LIMIT", "limit", "followerIds", recordId);
    return unique;
  }

  #createContact(run: Run, c: Record<string, unknown>): FloorError | undefined {
    const id = c["contactId"] as string;
    if (this.contacts.has(id)) return fail("ALREADY_EXISTS", "exists", "contactId", id);
    const ownerId = (c["ownerId"] as string | null | undefined) ?? null;
    const refusal = this.#assignable(ownerId, "ownerId");
    if (refusal) return refusal;
    const followers = this.#newFollowers(c["followerIds"] as string[] | undefined, ownerId, id);
    if (!Array.isArray(followers)) return followers;
    this.#emit(run, { type: "ContactCreated", contactId: id, ownerId, cause: "command" });
    const contact: FContact = { id, ownerId, followers: [], opportunityIds: [] };
    this.contacts.set(id, contact);
    this.journal.push(() => {
      this.contacts.delete(id);
    });
    for (const userId of followers) this.#addFollowerTo(run, contact, "contact", userId, "manual", "command");
    return undefined;
  }

  #createOpportunity(run: Run, c: Record<string, unknown>): FloorError | undefined {
    const id = c["opportunityId"] as string;
    if (this.opportunities.has(id)) return fail("ALREADY_EXISTS", "exists", "opportunityId", id);
    const contact = this.contacts.get(c["contactId"] as string);
    if (contact === undefined) return fail("CONTACT_NOT_FOUND", "contact", "contactId", c["contactId"] as string);
    if (contact.opportunityIds.includes(id)) return fail("ALREADY_EXISTS", "exists", "opportunityId", id);
    const ownerDefaulted = c["ownerId"] === undefined;
    const ownerId = ownerDefaulted ? contact.ownerId : (c["ownerId"] as string | null);
    const refusal = this.#assignable(ownerId, "ownerId");
    if (refusal) return refusal;
    const followers = this.#newFollowers(c["followerIds"] as string[] | undefined, ownerId, id);
    if (!Array.isArray(followers)) return followers;
    const watched = this.#watch(run, contact.id, "contactId");
    if (watched) return watched;
    const status = (c["status"] as OpportunityStatus | undefined) ?? "open";
    this.#emit(run, { type: "OpportunityCreated", opportunityId: id, contactId: contact.id, ownerId, ownerDefaulted, status, cause: "command" });
    const opportunity: FOpportunity = { id, contactId: contact.id, ownerId, followers: [], status };
    this.opportunities.set(id, opportunity);
    contact.opportunityIds.push(id);
    this.journal.push(() => {
      this.opportunities.delete(id);
      contact.opportunityIds.pop();
    });
    for (const userId of followers) this.#addFollowerTo(run, opportunity, "opportunity", userId, "manual", "command");
    if (this.settings.allowDifferentOwners || ownerId === contact.ownerId) return undefined;
    return this.#changeOpportunityOwner(run, opportunity, ownerId, "command", "ownerId");
  }

  #updateSettings(run: Run, c: Record<string, unknown>): FloorError | undefined {
    const before = { ...this.settings };
    const recouple = before.allowDifferentOwners && c["allowDifferentOwners"] === false;
    if (recouple) {
      for (const contact of this.contacts.values()) {
        for (const id of contact.opportunityIds) if (!this.opportunities.has(id)) return fail("INCOMPLETE_SNAPSHOT", "incomplete", "allowDifferentOwners", contact.id);
      }
    }
    for (const setting of TOGGLES) {
      const to = c[setting] as boolean | undefined;
      if (to === undefined || to === before[setting]) continue;
      this.#emit(run, { type: "SettingsChanged", setting, from: before[setting], to, cause: "command" });
      this.settings[setting] = to;
      this.journal.push(() => {
        this.settings[setting] = before[setting];
      });
    }
    if (!recouple) return undefined;
    for (const contact of this.contacts.values()) {
      for (const id of contact.opportunityIds) {
        const opportunity = this.opportunities.get(id) as FOpportunity;
        if (opportunity.ownerId !== contact.ownerId) this.#setOpportunityOwner(run, opportunity, contact.ownerId, "owners-recoupled");
      }
    }
    // Coupled owners give automatic follows no reason: every one ends, in record order.
    for (const contact of this.contacts.values()) {
      const records: [FRecord, RecordKind][] = [[contact, "contact"]];
      for (const id of contact.opportunityIds) records.push([this.opportunities.get(id) as FOpportunity, "opportunity"]);
      for (const [record, kind] of records) {
        for (const f of [...record.followers]) if (f.source === "automation") this.#removeFollowerFrom(run, record, kind, f, "owners-recoupled");
      }
    }
    return undefined;
  }
}
