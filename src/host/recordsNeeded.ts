/**
 * What a host must load before it runs a command on a partial snapshot.
 *
 * A host with a large account never loads all of it: it loads what the command will read. This
 * says what that is, from the command alone, so the host can query its own storage for exactly
 * those rows and hand them to `createState`.
 */
import type { Command } from "../commands/command.js";
import { assertNever } from "../evolve.js";

/**
 * The records a command (or a batch of commands) reads. Settings and the version are always
 * needed. Ids are listed once each, in the order the commands name them.
 *
 * How to load them:
 * - each of `contactIds`: the contact, **all** of its opportunities, and its full
 *   `opportunityIds` (ids that do not exist are simply not found: a command that creates the
 *   record, or that reports `CONTACT_NOT_FOUND`, needs no row);
 * - each of `opportunityIds`: its contact, loaded as above;
 * - `userIds`: the users the commands name, **plus** every user the loaded records name as owner
 *   or follower (`createState` refuses a record whose owner or follower it does not know);
 * - `rotationIds`: the rotations the commands advance (a rotation not loaded would start again
 *   from its first user);
 * - `wholeAccount: true`: every record of the account (the ids above are then a subset) — or, when
 *   `recordsOf` names users, only the records of those users (see `recordsOf`).
 *
 * @example
 * ```ts
 * const needed: RecordsNeeded = recordsNeeded({ type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" });
 * needed.contactIds; // ["acme"]: load acme with all of its opportunities
 * needed.userIds; // ["ben"]
 * needed.wholeAccount; // false
 * ```
 */
export interface RecordsNeeded {
  /** Load every record of the account (turning separate owners off, bulk moves, offboarding). */
  readonly wholeAccount: boolean;
  /** Contacts to load, each with all of its opportunities and its full `opportunityIds`. */
  readonly contactIds: readonly string[];
  /** Opportunities whose contact must be loaded, with all of that contact's opportunities. */
  readonly opportunityIds: readonly string[];
  /** Users the commands name (actors, owners, followers, rotation members). */
  readonly userIds: readonly string[];
  /** Rotations the commands read and advance. */
  readonly rotationIds: readonly string[];
  /**
   * With `wholeAccount` from a bulk move or offboarding only: the users whose records are enough
   * instead of the whole account — every contact one of them owns or follows, or with an
   * opportunity one of them owns or follows, each loaded with all of its opportunities (plus the
   * ids above). A host with indexes on owners and followers loads those; one without loads the
   * whole account. Empty when the whole account is really needed (turning separate owners off).
   */
  readonly recordsOf: readonly string[];
}

/**
 * Which records a host must load for a command, or for a batch of commands run together with
 * `executeAll`. It reads the command only (not the state), so a host can plan its queries before
 * it touches storage; a record loaded as it says is enough for the command to decide exactly as
 * it would on the whole account.
 *
 * Why it matters: a command on a partial snapshot that lacks something it must change is refused
 * (`INCOMPLETE_SNAPSHOT`, `CONTACT_NOT_FOUND`, …), never half-applied; loading what this says
 * avoids those refusals without loading the account.
 *
 * @example
 * ```ts
 * const needed = recordsNeeded({ type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben" });
 * // { wholeAccount: false, contactIds: [], opportunityIds: ["deal-1"], userIds: ["ben"], rotationIds: [], recordsOf: [] }
 * // The host loads deal-1's contact with all of its opportunities, user ben, and the users
 * // those records name, then: execute(createState(rows), command).
 * ```
 */
export function recordsNeeded(commands: Command | readonly Command[]): RecordsNeeded {
  const contacts = new Set<string>();
  const opportunities = new Set<string>();
  const users = new Set<string>();
  const rotations = new Set<string>();
  let wholeAccount = false;
  // Bulk moves and offboarding touch only the records of their users; re-coupling touches all.
  let narrowable = true;
  const recordsOf = new Set<string>();
  const user = (id: string | null | undefined) => {
    if (typeof id === "string") users.add(id);
  };
  const members = (list: readonly { readonly userId: string }[] | undefined) => list?.forEach((m) => users.add(m.userId));

  const list: readonly Command[] = isCommandList(commands) ? commands : [commands];
  for (const command of list) {
    user(command.actorId);
    switch (command.type) {
      case "updateSettings":
        // Turning separate owners off re-couples every contact of the account.
        if (command.allowDifferentOwners === false) {
          wholeAccount = true;
          narrowable = false;
        }
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
        wholeAccount = true;
        recordsOf.add(command.fromUserId);
        user(command.fromUserId);
        user(command.toUserId);
        break;
      case "deactivateUser":
        wholeAccount = true;
        recordsOf.add(command.userId);
        user(command.userId);
        user(command.reassignTo);
        break;
      case "reactivateUser":
        user(command.userId);
        break;
      /* c8 ignore next 2: the switch is exhaustive (checked by the compiler) */
      default:
        return assertNever(command);
    }
  }
  return {
    wholeAccount,
    contactIds: [...contacts],
    opportunityIds: [...opportunities],
    userIds: [...users],
    rotationIds: [...rotations],
    recordsOf: wholeAccount && narrowable ? [...recordsOf] : [],
  };
}

const isCommandList = (value: Command | readonly Command[]): value is readonly Command[] => Array.isArray(value);
