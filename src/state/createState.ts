/**
 * Building a snapshot from plain records: validated as a whole, copied, frozen once.
 */
import { InvalidSnapshotError, MAX_PROBLEMS, pathKey, quote, type SnapshotProblem } from "../errors.js";
import {
  DEFAULT_SETTINGS,
  type Contact,
  type CrmRecordsInit,
  type Follower,
  type Opportunity,
  type Rotation,
  type Settings,
  type User,
} from "../model/records.js";
import { LIMITS } from "../limits.js";
import { freezeState, type CrmState, type StateFields } from "./state.js";
import { buildTable, getRow, type Table } from "./table.js";
import { followerLists, NO_FOLLOWERS } from "./followerLists.js";
import { computedIndex, IndexBuilder } from "./userIndex.js";

/**
 * Builds a snapshot from plain records (what `toRecords` returns, or rows from the host's
 * database). Refuses a structurally unsound snapshot — duplicate ids, an owner or follower who
 * is not a known user, an opportunity whose contact is missing or does not list it — by
 * throwing one `InvalidSnapshotError` that lists every problem. Owners that break the coupled
 * rule are accepted (data from before the rule existed); `checkInvariants` reports them.
 *
 * Nothing passed in is kept, changed or frozen: the snapshot holds copies.
 *
 * @example
 * ```ts
 * const state = createState({
 *   users: [{ id: "ana" }, { id: "ben" }],
 *   contacts: [{ id: "acme", ownerId: "ana" }],
 *   opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }],
 * });
 * ```
 */
export function createState(init: CrmRecordsInit): CrmState {
  // The first problems are kept, the rest only counted: a 100k-row snapshot of bad rows builds
  // no 100k-entry list.
  const problems: SnapshotProblem[] = [];
  let moreProblems = 0;
  const report = (path: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message });
    else moreProblems++;
  };
  let built: Built | undefined;
  try {
    built = build(init, report, (n) => (moreProblems += n));
  } catch {
    // Getters that throw, proxies, anything hostile: reported, never let through.
    report("(snapshot)", "could not be read as plain JSON records");
  }
  if (problems.length > 0 || built === undefined) throw new InvalidSnapshotError(problems, moreProblems);
  // The index only for a sound snapshot: it reads the records as the rules will.
  return freezeState(built.fields, computedIndex(built.index.finish()));
}

type Report = (path: string, message: string) => void;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === "string" && value.length > 0 && value.length <= LIMITS.idLength;
/** What is wrong with a value that is not an id: an over-long id is refused for its length. */
const notAnId = (value: unknown, expected = "must be a non-empty string id"): string =>
  typeof value === "string" && value.length > LIMITS.idLength ? `must be at most ${LIMITS.idLength} characters (it has ${value.length})` : expected;
const own = (record: Record<string, unknown>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
/** The path of follow `i` of record `index` of list `kind`, built only for a problem. */
const followPath = (kind: string, index: number, i: number): string => `${kind}[${index}].followers[${i}]`;
const unknownUser = (id: string): string => `unknown user ${quote(id)} (keep a departed user as an inactive one)`;

function list(value: unknown, path: string, report: Report, required: boolean): readonly unknown[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    report(path, "must be an array");
    return [];
  }
  return value;
}

/** The snapshot's fields, frozen but for the snapshot itself, and its user index, not built yet. */
interface Built {
  readonly fields: StateFields;
  readonly index: IndexBuilder;
}

/** A contact before it is frozen. */
type MutableContact = { -readonly [K in keyof Contact]: Contact[K] };
/** A contact while the records are read: its list of ids grows with its opportunities. */
type ContactBeingRead = MutableContact & { opportunityIds: string[] };

/**
 * The records of one table as they are read: a `Map` for the duplicate checks and the lookups
 * (a string caches its hash for a `Map`), and the order, in which a record's place lets the one
 * after it be read without a lookup; the trie is built once, at the end.
 */
class Rows<T> {
  /** Each id's place in `values`. */
  readonly #byId = new Map<string, number>();
  readonly #ids: string[] = [];
  /** The records, in the order they were added. */
  readonly values: T[] = [];
  has(id: string): boolean {
    return this.#byId.has(id);
  }
  /** The place of the record with this id, in the order they were added. */
  placeOf(id: string): number | undefined {
    return this.#byId.get(id);
  }
  /** The record with this id, if added. */
  get(id: string): T | undefined {
    const at = this.#byId.get(id);
    return at === undefined ? undefined : this.values[at];
  }
  /** Adds a record, unless one with this id is there: whether it was added. */
  add(id: string, value: T): boolean {
    if (this.#byId.has(id)) return false;
    this.#byId.set(id, this.values.length);
    this.#ids.push(id);
    this.values.push(value);
    return true;
  }
  table(): Table<T> {
    return buildTable(this.#ids, this.values);
  }
}

/** The fields of a snapshot and of each kind of record: any other is refused by name (`unknownField`). */
const FIELDS = {
  snapshot: ["version", "settings", "users", "contacts", "opportunities", "rotations"],
  user: ["id", "active", "role", "scope"],
  contact: ["id", "ownerId", "followers", "opportunityIds"],
  opportunity: ["id", "contactId", "ownerId", "followers", "status"],
  rotation: ["id", "picks"],
  follow: ["userId", "source"],
} as const;

/**
 * The first own field of `raw` that is not one of `known` and has a value, if any (an `undefined`
 * one counts as absent, as in `parseCommand`). Why refuse it: a misspelt field (`scop`, `ownerID`)
 * would read as absent, and an absent scope is `all`: a typo would widen what a user sees. A
 * `for…in` over a record's few keys (V8 caches the keys of objects of one shape).
 */
function unknownField(raw: object, known: readonly string[]): string | undefined {
  for (const key in raw) if (!known.includes(key) && Object.hasOwn(raw, key) && (raw as Record<string, unknown>)[key] !== undefined) return key;
  return undefined;
}

/** The problem of a field a record does not have, naming the ones it has. */
const notAField = (kind: keyof typeof FIELDS): string => `is not a field of a ${kind} (${FIELDS[kind].join(", ")})`;

function build(init: CrmRecordsInit, toCaller: Report, countMore: (n: number) => void): Built | undefined {
  // Reassigned while the opportunities are read (their problems are held, below).
  let report = toCaller;
  if (!isRecord(init)) {
    report("(snapshot)", "must be an object with users, contacts and opportunities");
    return undefined;
  }
  const extra = unknownField(init, FIELDS.snapshot);
  if (extra !== undefined) report(pathKey(extra), notAField("snapshot"));
  const version = own(init, "version") ?? 0;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) report("version", "must be a whole number ≥ 0");
  const settings = readSettings(own(init, "settings"), report);

  const users = new Rows<User>();
  list(own(init, "users"), "users", report, true).forEach((raw, i) => {
    const path = `users[${i}]`;
    if (!isRecord(raw) || !isId(own(raw, "id"))) return report(`${path}.id`, notAnId(isRecord(raw) ? own(raw, "id") : undefined));
    const id = own(raw, "id") as string;
    const active = own(raw, "active") ?? true;
    const role = own(raw, "role") ?? "user";
    const scope = own(raw, "scope") ?? "all";
    const unknown = unknownField(raw, FIELDS.user);
    if (unknown !== undefined) report(`${path}.${pathKey(unknown)}`, notAField("user"));
    if (typeof active !== "boolean") report(`${path}.active`, "must be true or false");
    if (role !== "admin" && role !== "user") report(`${path}.role`, 'must be "admin" or "user"');
    if (scope !== "all" && scope !== "assigned") report(`${path}.scope`, 'must be "all" or "assigned"');
    if (users.has(id)) return report(`${path}.id`, `duplicate user id ${quote(id)}`);
    users.add(id, Object.freeze({ id, active: active === true, role: role === "admin" ? "admin" : "user", scope: scope === "assigned" ? "assigned" : "all" }));
  });

  // Paths are built only when there is a problem to report (a snapshot has many records): a
  // record is named by its list and index (`"contacts", 3`), no function or string per record.
  //
  // A reference is stored as the referenced record's own id string, not the referring row's
  // copy of it: a host's rows (from a database driver, or built in code) carry a string per
  // field, and a snapshot that kept them would retain millions of copies of a few dozen user
  // ids. One string also makes a lookup through the reference compare ids by identity, without
  // reading a second copy's characters (a cache miss on a large account).
  const userRef = (value: unknown, kind: string, i: number, suffix: string): string | null => {
    if (value === undefined || value === null) return null;
    if (!isId(value)) {
      report(`${kind}[${i}]${suffix}`, notAnId(value, "must be a user id or null"));
      return null;
    }
    const user = users.get(value);
    if (user !== undefined) return user.id;
    report(`${kind}[${i}]${suffix}`, unknownUser(value));
    return value;
  };
  // One frozen follow object per user and source, shared by every record (they are immutable):
  // an account has far fewer distinct follows than records.
  const follows = { manual: new Map<string, Follower>(), automation: new Map<string, Follower>() };
  const follow = (userId: string, source: Follower["source"]): Follower => {
    let found = follows[source].get(userId);
    if (found === undefined) follows[source].set(userId, (found = Object.freeze({ userId, source })));
    return found;
  };
  // Records repeat a few lists: one frozen array each (followerLists.ts).
  const freezeList = followerLists();
  /** The followers of record `index` of list `kind` (its `followers` field). */
  const followers = (value: unknown, kind: string, index: number): readonly Follower[] => {
    if (value === undefined) return NO_FOLLOWERS;
    const out: Follower[] = [];
    if (!Array.isArray(value)) report(`${kind}[${index}].followers`, "must be an array");
    else {
      for (let i = 0; i < value.length; i++) {
        const raw: unknown = value[i];
        if (!isRecord(raw)) {
          report(followPath(kind, index, i), "must be { userId, source }");
          continue;
        }
        // userRef's checks, inline: no function per follow for the path.
        const given = own(raw, "userId");
        let userId: string | null = null;
        if (given !== undefined && given !== null) {
          if (!isId(given)) report(`${followPath(kind, index, i)}.userId`, notAnId(given, "must be a user id or null"));
          else {
            const user = users.get(given);
            if (user !== undefined) userId = user.id;
            else {
              report(`${followPath(kind, index, i)}.userId`, unknownUser(given));
              userId = given;
            }
          }
        }
        const source = own(raw, "source");
        if (source !== "manual" && source !== "automation") report(`${followPath(kind, index, i)}.source`, 'must be "manual" or "automation"');
        const unknown = unknownField(raw, FIELDS.follow);
        if (unknown !== undefined) report(`${followPath(kind, index, i)}.${pathKey(unknown)}`, notAField("follow"));
        if (userId === null) {
          if (given == null) report(`${followPath(kind, index, i)}.userId`, "must be a user id");
          continue;
        }
        if (out.some((f) => f.userId === userId)) {
          report(`${followPath(kind, index, i)}.userId`, `user ${quote(userId)} follows twice`);
          continue;
        }
        out.push(follow(userId, source === "automation" ? "automation" : "manual"));
      }
    }
    return freezeList(out);
  };

  // Records are frozen as they are made (cheaper than a walk over them all at the end), except
  // contacts: their full opportunity lists are known only at the end.
  // Contacts first, with their given full opportunity lists (if any) kept aside.
  const contacts = new Rows<ContactBeingRead>();
  // The user index, gathered as the records are read (userIndex.ts).
  const index = new IndexBuilder();
  /** The host's full opportunity lists, by contact id, with the contact's place for problems. */
  const givenIds = new Map<string, { at: number; ids: string[] }>();
  const listPath = (at: number) => `contacts[${at}].opportunityIds`;
  list(own(init, "contacts"), "contacts", report, true).forEach((raw, i) => {
    if (!isRecord(raw) || !isId(own(raw, "id"))) return report(`contacts[${i}].id`, notAnId(isRecord(raw) ? own(raw, "id") : undefined));
    const id = own(raw, "id") as string;
    // In the table at once (one walk for the duplicate check and the insert), filled in below.
    const contact: ContactBeingRead = { id, ownerId: null, followers: NO_FOLLOWERS, opportunityIds: [] };
    if (!contacts.add(id, contact)) return report(`contacts[${i}].id`, `duplicate contact id ${quote(id)}`);
    const ownerId = userRef(own(raw, "ownerId"), "contacts", i, ".ownerId");
    const unknown = unknownField(raw, FIELDS.contact);
    if (unknown !== undefined) report(`contacts[${i}].${pathKey(unknown)}`, notAField("contact"));
    const rawIds = own(raw, "opportunityIds");
    if (rawIds !== undefined) {
      const ids: string[] = [];
      if (!Array.isArray(rawIds)) report(listPath(i), "must be an array");
      else {
        for (let j = 0; j < rawIds.length; j++) {
          const oid: unknown = rawIds[j];
          if (!isId(oid)) report(`${listPath(i)}[${j}]`, notAnId(oid));
          else if (ids.includes(oid)) report(`${listPath(i)}[${j}]`, `lists ${quote(oid)} twice`);
          else ids.push(oid);
        }
      }
      givenIds.set(id, { at: i, ids });
    }
    contact.ownerId = ownerId;
    contact.followers = followers(own(raw, "followers"), "contacts", i);
    index.addRecord(contact, id);
  });

  // Opportunities, the most numerous records, have no `Map`: nothing looks one up while they
  // are read, and their duplicates are found as their table is built (below).
  const opportunityIds: string[] = [];
  const opportunityRows: Opportunity[] = [];
  /** Where each one is in the input, for the duplicates' problem paths. */
  const opportunityAt: number[] = [];
  // Their problems are held, each with its record's place, until the table's build has found the
  // repeated ids; then all are reported in record order (a record's own problems, then its
  // repeat). Places only grow while reading, so past the first MAX_PROBLEMS they are only counted.
  const held: { readonly at: number; readonly path: string; readonly message: string }[] = [];
  let place = 0;
  let dropped = 0;
  report = (path, message) => {
    if (held.length < MAX_PROBLEMS) held.push({ at: place, path, message });
    else dropped++;
  };
  let lastContactId: string | undefined;
  /** The place of `lastContactId`'s contact in `contacts`, or -1 (not there). */
  let lastPlace = -1;
  let lastGiven: { readonly at: number; readonly ids: string[] } | undefined;
  /** The contact of the last opportunity added to the index. */
  let lastContact: ContactBeingRead | undefined;
  list(own(init, "opportunities"), "opportunities", report, true).forEach((raw, i) => {
    place = i;
    if (!isRecord(raw) || !isId(own(raw, "id"))) return report(`opportunities[${i}].id`, notAnId(isRecord(raw) ? own(raw, "id") : undefined));
    const id = own(raw, "id") as string;
    const contactId = own(raw, "contactId");
    if (!isId(contactId)) return report(`opportunities[${i}].contactId`, notAnId(contactId));
    // Opportunities mostly come grouped by contact: the last contact found is tried first (on a
    // large account every `Map` lookup is a cache miss).
    if (contactId !== lastContactId) {
      lastContactId = contactId;
      // Mostly the contact after the last one: hosts list both in one order.
      const next = contacts.values[lastPlace + 1];
      if (next !== undefined && next.id === contactId) lastPlace += 1;
      else lastPlace = contacts.placeOf(contactId) ?? -1;
      lastGiven = givenIds.size === 0 ? undefined : givenIds.get(contactId);
    }
    const contact = lastPlace < 0 ? undefined : contacts.values[lastPlace];
    if (contact === undefined) return report(`opportunities[${i}].contactId`, `contact ${quote(contactId)} is not in the snapshot`);
    // Back to a contact after another contact's opportunities (its list grows below).
    if (contact !== lastContact && contact.opportunityIds.length > 0) index.groupRevisited();
    lastContact = contact;
    const status = own(raw, "status") ?? "open";
    if (status !== "open" && status !== "won" && status !== "lost" && status !== "abandoned") {
      report(`opportunities[${i}].status`, 'must be "open", "won", "lost" or "abandoned"');
    }
    const unknown = unknownField(raw, FIELDS.opportunity);
    if (unknown !== undefined) report(`opportunities[${i}].${pathKey(unknown)}`, notAField("opportunity"));
    const given = lastGiven;
    if (given !== undefined && !given.ids.includes(id)) report(listPath(given.at), `does not list opportunity ${quote(id)} of this contact`);
    const opportunity: Opportunity = Object.freeze({
      id,
      // The contact's own id string, as for users (`userRef`).
      contactId: contact.id,
      ownerId: userRef(own(raw, "ownerId"), "opportunities", i, ".ownerId"),
      followers: followers(own(raw, "followers"), "opportunities", i),
      status: status as Opportunity["status"],
    });
    opportunityIds.push(id);
    opportunityRows.push(opportunity);
    opportunityAt.push(i);
    // The list derived from the opportunities' order (replaced at the end when the host gave one).
    contact.opportunityIds.push(id);
    index.addRecord(opportunity, contact.id, contact);
  });

  // The table in one pass; an id seen again is a problem of its later record.
  const opportunities = buildTable(opportunityIds, opportunityRows, (k) => {
    const at = opportunityAt[k] as number;
    held.push({ at, path: `opportunities[${at}].id`, message: `duplicate opportunity id ${quote(opportunityIds[k] as string)}` });
  });
  report = toCaller;
  // A stable sort: a record's own problems stay before its repeat, pushed after them.
  for (const problem of held.sort((a, b) => a.at - b.at)) report(problem.path, problem.message);
  countMore(dropped);

  // Each contact's list: the host's full list when given, else the opportunities' order.
  for (const [contactId, given] of givenIds) {
    const ids = given.ids;
    for (let j = 0; j < ids.length; j++) {
      const oid = ids[j] as string;
      const opportunity = getRow(opportunities, oid);
      // Not loaded (a partial snapshot): the list keeps the host's string, there is no other.
      if (opportunity === undefined) index.addIncomplete(contactId);
      else if (opportunity.contactId !== contactId) {
        report(listPath(given.at), `lists opportunity ${quote(oid)}, which belongs to contact ${quote(opportunity.contactId)}`);
      } else {
        // The opportunity's own id string, as for users (`userRef`).
        ids[j] = opportunity.id;
      }
    }
  }
  for (const contact of contacts.values) {
    // Copied at its length: a list grown by `push` keeps spare capacity (16 slots for three ids,
    // 100 bytes a contact retained for good).
    const finished: MutableContact = contact;
    finished.opportunityIds = Object.freeze([...(givenIds.get(contact.id)?.ids ?? contact.opportunityIds)]);
    Object.freeze(contact);
  }

  const rotations = new Rows<Rotation>();
  list(own(init, "rotations"), "rotations", report, false).forEach((raw, i) => {
    const path = `rotations[${i}]`;
    if (!isRecord(raw) || !isId(own(raw, "id"))) return report(`${path}.id`, notAnId(isRecord(raw) ? own(raw, "id") : undefined));
    const id = own(raw, "id") as string;
    const picks = own(raw, "picks") ?? 0;
    const unknown = unknownField(raw, FIELDS.rotation);
    if (unknown !== undefined) report(`${path}.${pathKey(unknown)}`, notAField("rotation"));
    if (typeof picks !== "number" || !Number.isSafeInteger(picks) || picks < 0) report(`${path}.picks`, "must be a whole number ≥ 0");
    if (!rotations.add(id, Object.freeze({ id, picks: picks as number }))) return report(`${path}.id`, `duplicate rotation id ${quote(id)}`);
  });

  // Every record is frozen already; the tables are built (and frozen) from them in one pass each.
  const fields = {
    version: version as number,
    settings: Object.freeze(settings),
    users: users.table(),
    contacts: contacts.table(),
    opportunities,
    rotations: rotations.table(),
  };
  return { fields, index };
}

function readSettings(raw: unknown, report: Report): Settings {
  if (raw === undefined) return { ...DEFAULT_SETTINGS };
  if (!isRecord(raw)) {
    report("settings", "must be an object");
    return { ...DEFAULT_SETTINGS };
  }
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) {
      report(`settings.${pathKey(key)}`, "is not a setting");
      continue;
    }
    const value = raw[key];
    if (value === undefined) continue;
    const valid = key === "maxFollowers" ? typeof value === "number" && Number.isSafeInteger(value) && value >= 0 : typeof value === "boolean";
    if (!valid) report(`settings.${pathKey(key)}`, key === "maxFollowers" ? "must be a whole number ≥ 0" : "must be true or false");
    else out[key] = value;
  }
  return out as unknown as Settings;
}
