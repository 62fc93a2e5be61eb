/**
 * What a host must load before it runs a command on a partial snapshot.
 *
 * A host with a large account never loads all of it: it loads what the command will read. This
 * says what that is, from the command alone, so the host can query its own storage for exactly
 * those rows and hand them to `createState`.
 */
import { parseCommand, type Command } from "../commands/command.js";
import type { CommandContext } from "../model/actor.js";
import { parseContext } from "../commands/commandContext.js";
import { assertNever } from "../evolve.js";

/**
 * The ids a command (or a batch) names, each listed once, in the order the commands name them.
 *
 * @example
 * ```ts
 * const ids: NeededIds = recordsNeeded({ type: "deleteContact", contactId: "acme" }, { actor: { userId: "ben" } });
 * ids.userIds; // ["ben"]: the acting user, for the permission checks
 * ```
 */
export interface NeededIds {
  /** Contacts to load, each with all of its opportunities and its full `opportunityIds`. */
  readonly contactIds: readonly string[];
  /** Opportunities whose contact must be loaded, with all of that contact's opportunities. */
  readonly opportunityIds: readonly string[];
  /** Users the commands name (the acting user, owners, followers, rotation members). */
  readonly userIds: readonly string[];
  /** Rotations the commands read and advance. */
  readonly rotationIds: readonly string[];
  /** Load every user of the account, not only those named (deactivating a user: the last-admin rule). */
  readonly allUsers: boolean;
}

/**
 * The records a command (or a batch of commands) reads, by how much of the account it needs
 * (`load`). Settings and the version are always needed.
 *
 * How to load them:
 * - `load: "records"`: just the ids. Each of `contactIds`: the contact, **all** of its
 *   opportunities, and its full `opportunityIds` (an id that does not exist is simply not found:
 *   a command that creates the record, or reports `CONTACT_NOT_FOUND`, needs no row); each of
 *   `opportunityIds`: its contact, loaded the same way; `userIds`: the users named, **plus**
 *   every user the loaded records name as owner or follower (`createState` refuses a record whose
 *   owner or follower it does not know); `rotationIds`: the rotations the commands advance (one
 *   not loaded would start again from its first user).
 * - `load: "recordsOfUsers"` (bulk moves, offboarding): the ids as above, plus every contact one
 *   of `users` owns or follows, or with an opportunity one of them owns (an open one only, when
 *   `includeClosed` is `false`) or follows, each with all of its opportunities. With
 *   `includeClosed: false` a group where they own only closed opportunities is not needed: the
 *   move leaves it as it is (loading it anyway is harmless; absent, load it). A host without
 *   indexes on owners and followers may load the whole account instead.
 * - `load: "recoupling"` (turning separate owners off): the ids and `users` as for
 *   `recordsOfUsers` (a batch may hold a bulk move too), plus every contact group that re-coupling
 *   changes: each contact with an opportunity whose owner differs from the contact's (a split
 *   group), and each contact with an `automation` follow on it or on one of its opportunities,
 *   each with all of its opportunities. A host that cannot find those may load the whole account
 *   instead (the official stores keep a flag per contact, indexed: docs/integration.md).
 * - `load: "wholeAccount"`: every record of the account. `recordsNeeded` no longer asks for it
 *   (since 0.2); a store may still answer it, e.g. to read an account whole.
 *
 * @example
 * ```ts
 * const needed: RecordsNeeded = recordsNeeded({ type: "transferOwnership", fromUserId: "ana", toUserId: "ben" }, { actor: { userId: "root" } });
 * switch (needed.load) {
 *   case "records": break; // needed.contactIds, needed.opportunityIds, …
 *   case "recordsOfUsers": needed.users; break; // ["ana"]: every contact ana owns or follows, with its opportunities
 *   case "recoupling": break; // the split groups and those with automatic follows, plus the ids
 *   case "wholeAccount": break;
 * }
 * ```
 */
export type RecordsNeeded =
  | ({ readonly load: "records" } & NeededIds)
  | ({ readonly load: "recordsOfUsers"; readonly users: readonly string[]; readonly includeClosed?: boolean | undefined } & NeededIds)
  | ({ readonly load: "recoupling"; readonly users: readonly string[]; readonly includeClosed?: boolean | undefined } & NeededIds)
  | ({ readonly load: "wholeAccount" } & NeededIds);

/**
 * Which records a host must load for a command, or for a batch of commands run together with
 * `executeAll`, run by the context's actor. It reads the commands and the context only (not the
 * state), so a host can plan its queries before it touches storage; records loaded as it says
 * are enough for the command to decide exactly as it would on the whole account.
 *
 * Why it matters: a command on a partial snapshot that lacks something it must change is refused
 * (`INCOMPLETE_SNAPSHOT`, `CONTACT_NOT_FOUND`, …), never half-applied; loading what this says
 * avoids those refusals without loading the account.
 *
 * @example
 * ```ts
 * const needed = recordsNeeded({ type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" }, { actor: { userId: "ana" } });
 * // { load: "records", contactIds: [], opportunityIds: ["deal-1"], userIds: ["ana", "ben"], rotationIds: [], allUsers: false }
 * // The host loads deal-1's contact with all of its opportunities, users ana and ben, and the
 * // users those records name, then: execute(createState(rows), command, context).
 * ```
 */
export function recordsNeeded(commands: Command | readonly Command[], context: CommandContext): RecordsNeeded {
  const contacts = new Set<string>();
  const opportunities = new Set<string>();
  const users = new Set<string>();
  const rotations = new Set<string>();
  let recoupling = false;
  let allUsers = false;
  const recordsOf = new Set<string>();
  // Whether a move of the batch takes closed opportunities: only then are the groups where a
  // user owns nothing but closed ones needed.
  let includeClosed = false;
  const user = (id: string | null | undefined) => {
    if (typeof id === "string") users.add(id);
  };
  const members = (list: readonly { readonly userId: string }[] | undefined) => list?.forEach((m) => users.add(m.userId));

  // The acting user first: the permission checks read them before anything else.
  // (A malformed context adds no user, the command's records are still named: execute refuses it first.)
  const parsedContext = parseContext(context);
  if (parsedContext.ok && "userId" in parsedContext.value.actor) user(parsedContext.value.actor.userId);
  const list: readonly unknown[] = isCommandList(commands) ? commands : [commands];
  for (const input of list) {
    // What is not a command needs nothing: execute refuses it (INVALID_COMMAND) before reading.
    const parsed = parseCommand(input);
    if (!parsed.ok) continue;
    const command = parsed.command;
    switch (command.type) {
      case "updateSettings":
        // Turning separate owners off changes the split groups and those with automatic follows only.
        if (command.allowDifferentOwners === false) recoupling = true;
        break;
      case "createContact":
        contacts.add(command.contactId);
        user(command.ownerId);
        command.followerIds?.forEach(user);
        break;
      case "createOpportunity":
        contacts.add(command.contactId);
        // The id may already be taken by an opportunity of another contact: ALREADY_EXISTS.
        opportunities.add(command.opportunityId);
        user(command.ownerId);
        command.followerIds?.forEach(user);
        break;
      case "assignContactOwner":
        contacts.add(command.contactId);
        user(command.ownerId);
        break;
      case "assignOpportunityOwner":
        opportunities.add(command.opportunityId);
        user(command.ownerId);
        break;
      case "addFollower":
      case "removeFollower":
        (command.record.kind === "contact" ? contacts : opportunities).add(command.record.id);
        user(command.userId);
        break;
      case "setOpportunityStatus":
      case "deleteOpportunity":
      case "removeOpportunityOwner":
        opportunities.add(command.opportunityId);
        break;
      case "deleteContact":
      case "removeAssignedUser":
        contacts.add(command.contactId);
        break;
      case "assignUser":
        contacts.add(command.contactId);
        members(command.users);
        rotations.add(command.rotationId);
        break;
      case "addOpportunityOwner":
        opportunities.add(command.opportunityId);
        user(command.userId);
        members(command.users);
        if (command.rotationId !== undefined) rotations.add(command.rotationId);
        break;
      case "transferOwnership":
        // A chunk of a bulk run names its groups: just those, not everything the user owns.
        if (command.contactIds !== undefined) command.contactIds.forEach((id) => contacts.add(id));
        else {
          recordsOf.add(command.fromUserId);
          includeClosed ||= command.includeClosed === true;
        }
        user(command.fromUserId);
        user(command.toUserId);
        break;
      case "deactivateUser":
        recordsOf.add(command.userId);
        includeClosed ||= command.includeClosed === true;
        allUsers = true;
        user(command.userId);
        user(command.reassignTo);
        break;
      case "reactivateUser":
        user(command.userId);
        break;
      case "recoupleGroups":
        // Whole groups: each contact with all of its opportunities (a chunk of a bulk re-coupling).
        command.contactIds.forEach((id) => contacts.add(id));
        break;
      /* c8 ignore next 2: the switch is exhaustive (checked by the compiler) */
      default:
        return assertNever(command);
    }
  }
  const ids: NeededIds = {
    contactIds: [...contacts],
    opportunityIds: [...opportunities],
    userIds: [...users],
    rotationIds: [...rotations],
    allUsers,
  };
  if (recoupling) return { load: "recoupling", users: [...recordsOf], includeClosed, ...ids };
  if (recordsOf.size > 0) return { load: "recordsOfUsers", users: [...recordsOf], includeClosed, ...ids };
  return { load: "records", ...ids };
}

const isCommandList = (value: Command | readonly Command[]): value is readonly Command[] => Array.isArray(value);
