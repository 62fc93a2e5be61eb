/**
 * Who may do what (docs/rules.md §13), as data: the one table that `docs/permissions.md` is rendered from
 * (`npm run docs:permissions`) and that `test/permissions.test.ts` runs cell by cell against the
 * library. Change a rule here, regenerate the page, and the test proves the library agrees.
 *
 * The outcomes are written from docs/rules.md §13 and the decisions of the brief, not read off the code.
 */
import type { Command, CommandType } from "../src/index.js";

/** Who acts. The first four are active users with that role and scope; `system` is a system actor. */
export type Actor = "admin/all" | "admin/assigned" | "user/all" | "user/assigned" | "inactive" | "unknown" | "system";

/** The actors of the command table, in column order. */
export const WRITE_ACTORS: readonly Actor[] = ["admin/all", "admin/assigned", "user/all", "user/assigned", "inactive", "unknown", "system"];
/** The actors of the read table (a read always names a user, so there is no system actor). */
export const READ_ACTORS: readonly Actor[] = ["admin/all", "admin/assigned", "user/all", "user/assigned", "inactive", "unknown"];

const ACTOR_TITLES: Record<Actor, string> = {
  "admin/all": "admin · all",
  "admin/assigned": "admin · assigned",
  "user/all": "user · all",
  "user/assigned": "user · assigned",
  inactive: "inactive actor",
  unknown: "unknown actor",
  system: "system actor",
};

/**
 * How the acting user relates to the record the command names. `opportunity owner` is a user who
 * owns one of a contact's opportunities but neither owns nor follows the contact itself.
 */
export type Relation = "owner" | "follower" | "neither" | "opportunity owner" | "—";

/**
 * `allowed`; `not found`, the `*_NOT_FOUND` error a missing record gets (a scoped user cannot
 * tell a record they may not see from one that does not exist); or the `rule` of the `FORBIDDEN` error.
 */
export type Outcome = "allowed" | "not found" | "admin-only" | "owner-only" | "inactive-actor" | "unknown-actor";

/** The fixed account every row runs in: see `docs/permissions.md`, "The scenario". */
export type Owners = "separate" | "coupled";

/** One row of the command table. */
export interface WriteRow {
  /** Markdown shown in the first column. */
  readonly label: string;
  /** The record the relation is about. */
  readonly target: "contact" | "opportunity" | "none";
  readonly relation: Relation;
  readonly owners: Owners;
  /** The command; the test runs it as each actor. Ids refer to the scenario. */
  readonly command: Command;
  readonly outcomes: Readonly<Record<Actor, Outcome>>;
}

/** One row of the read table: is the record visible to the actor? */
export interface ReadRow {
  readonly label: string;
  readonly target: "contact" | "opportunity";
  readonly relation: Exclude<Relation, "—">;
  readonly visible: Readonly<Record<Exclude<Actor, "system">, boolean>>;
}

/** The four active actors' outcomes; inactive and unknown actors are always refused, a system actor is trusted. */
const o = (adminAll: Outcome, adminAssigned: Outcome, userAll: Outcome, userAssigned: Outcome): Record<Actor, Outcome> => ({
  "admin/all": adminAll,
  "admin/assigned": adminAssigned,
  "user/all": userAll,
  "user/assigned": userAssigned,
  inactive: "inactive-actor",
  unknown: "unknown-actor",
  system: "allowed",
});
const A = "allowed";

const ALL_ALLOWED = o(A, A, A, A);
const ADMIN_ONLY = o(A, A, "admin-only", "admin-only");
/** Scope `assigned` must see the record; one they cannot see reads as missing. */
const SEE = { owner: ALL_ALLOWED, follower: ALL_ALLOWED, neither: o(A, A, A, "not found"), "opportunity owner": o(A, A, A, "not found") };
/** Scope `assigned` must own the record (seeing it is not enough). */
const OWN = { owner: ALL_ALLOWED, follower: o(A, A, A, "owner-only"), neither: o(A, A, A, "not found"), "opportunity owner": o(A, A, A, "not found") };

type Rules = typeof SEE;

const code = (text: string) => `\`${text}\``;

function onContact(label: string, command: Command, rules: Rules, owners: Owners = "separate"): WriteRow[] {
  return (["owner", "follower", "neither", "opportunity owner"] as const).map((relation) => ({
    label,
    target: "contact",
    relation,
    owners,
    command,
    outcomes: rules[relation],
  }));
}

function onOpportunity(label: string, command: Command, rules: Rules, owners: Owners = "separate"): WriteRow[] {
  return (["owner", "follower", "neither"] as const).map((relation) => ({ label, target: "opportunity", relation, owners, command, outcomes: rules[relation] }));
}

const global = (label: string, command: Command, outcomes: Record<Actor, Outcome>): WriteRow => ({
  label,
  target: "none",
  relation: "—",
  owners: "separate",
  command,
  outcomes,
});

/** Every command × role × scope × relation, with the outcome docs/rules.md §13 gives. */
export const WRITE_ROWS: readonly WriteRow[] = [
  global(code("updateSettings"), { type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: true }, ADMIN_ONLY),
  global(code("recoupleGroups"), { type: "recoupleGroups", contactIds: ["acme"] }, ADMIN_ONLY),
  global(code("createContact"), { type: "createContact", contactId: "newco" }, ALL_ALLOWED),
  ...onContact(code("createOpportunity"), { type: "createOpportunity", opportunityId: "new-deal", contactId: "acme" }, SEE),
  ...onContact(
    `${code("createOpportunity")} with another ${code("ownerId")}, coupled owners (moves the group)`,
    { type: "createOpportunity", opportunityId: "new-deal", contactId: "acme", ownerId: "rita" },
    OWN,
    "coupled",
  ).filter((row) => row.relation !== "opportunity owner"),
  ...onContact(code("assignContactOwner"), { type: "assignContactOwner", contactId: "acme", ownerId: "rita" }, OWN),
  ...onContact(
    `${code("assignContactOwner")} with ${code('transfer: "all"')} (also moves ${code("deal")}, owned by olga)`,
    { type: "assignContactOwner", contactId: "acme", ownerId: "rita", transfer: "all" },
    { ...OWN, owner: o(A, A, A, "owner-only") },
  ).filter((row) => row.relation === "owner"),
  ...onContact(
    `${code("assignContactOwner")} with ${code('transfer: "ownedByPreviousOwner"')}`,
    { type: "assignContactOwner", contactId: "acme", ownerId: "rita", transfer: "ownedByPreviousOwner" },
    OWN,
  ).filter((row) => row.relation === "owner"),
  ...onOpportunity(code("assignOpportunityOwner"), { type: "assignOpportunityOwner", opportunityId: "deal", ownerId: "rita" }, OWN),
  ...onOpportunity(
    `${code("assignOpportunityOwner")}, coupled owners (moves the group)`,
    { type: "assignOpportunityOwner", opportunityId: "deal", ownerId: "rita" },
    OWN,
    "coupled",
  ),
  ...onContact(`${code("addFollower")} to a contact`, { type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "rita" }, SEE),
  ...onOpportunity(`${code("addFollower")} to an opportunity`, { type: "addFollower", record: { kind: "opportunity", id: "deal" }, userId: "rita" }, SEE),
  ...onContact(`${code("removeFollower")} from a contact`, { type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "fred" }, SEE),
  ...onOpportunity(`${code("removeFollower")} from an opportunity`, { type: "removeFollower", record: { kind: "opportunity", id: "deal" }, userId: "fred" }, SEE),
  ...onOpportunity(code("setOpportunityStatus"), { type: "setOpportunityStatus", opportunityId: "deal", status: "won" }, SEE),
  ...onContact(`${code("deleteContact")} (also deletes ${code("deal")}, owned by olga unless the actor owns it)`, { type: "deleteContact", contactId: "acme" }, { ...OWN, owner: o(A, A, A, "owner-only") }),
  ...onContact(`${code("deleteContact")}, coupled owners (the actor owns the whole group)`, { type: "deleteContact", contactId: "acme" }, OWN, "coupled").filter(
    (row) => row.relation !== "opportunity owner",
  ),
  ...onOpportunity(code("deleteOpportunity"), { type: "deleteOpportunity", opportunityId: "deal" }, OWN),
  ...onContact(code("assignUser"), { type: "assignUser", contactId: "acme", users: [{ userId: "rita" }], rotationId: "inbound" }, OWN),
  ...onContact(`${code("assignUser")}, coupled owners (moves the group)`, { type: "assignUser", contactId: "acme", users: [{ userId: "rita" }], rotationId: "inbound" }, OWN, "coupled").filter(
    (row) => row.relation !== "opportunity owner",
  ),
  ...onOpportunity(code("addOpportunityOwner"), { type: "addOpportunityOwner", opportunityId: "deal", userId: "rita" }, OWN),
  ...onOpportunity(code("removeOpportunityOwner"), { type: "removeOpportunityOwner", opportunityId: "deal" }, OWN),
  ...onOpportunity(`${code("removeOpportunityOwner")}, coupled owners (unassigns the group)`, { type: "removeOpportunityOwner", opportunityId: "deal" }, OWN, "coupled"),
  ...onContact(code("removeAssignedUser"), { type: "removeAssignedUser", contactId: "acme" }, OWN),
  global(code("transferOwnership"), { type: "transferOwnership", fromUserId: "olga", toUserId: "rita" }, ADMIN_ONLY),
  global(code("deactivateUser"), { type: "deactivateUser", userId: "olga", reassignTo: "rita" }, ADMIN_ONLY),
  global(code("reactivateUser"), { type: "reactivateUser", userId: "ina" }, ADMIN_ONLY),
];

const v = (userAssigned: boolean): ReadRow["visible"] => ({
  "admin/all": true,
  "admin/assigned": true,
  "user/all": true,
  "user/assigned": userAssigned,
  inactive: false,
  unknown: false,
});

/** `canView`, `visibleContacts` and `visibleOpportunities`: who sees a record. */
export const READ_ROWS: readonly ReadRow[] = [
  { label: "a contact", target: "contact", relation: "owner", visible: v(true) },
  { label: "a contact", target: "contact", relation: "follower", visible: v(true) },
  { label: "a contact", target: "contact", relation: "neither", visible: v(false) },
  { label: "a contact", target: "contact", relation: "opportunity owner", visible: v(false) },
  { label: "an opportunity", target: "opportunity", relation: "owner", visible: v(true) },
  { label: "an opportunity", target: "opportunity", relation: "follower", visible: v(true) },
  { label: "an opportunity", target: "opportunity", relation: "neither", visible: v(false) },
];

/** Every command type the table covers (the test checks this is all of them). */
export const COVERED_COMMANDS: readonly CommandType[] = [...new Set(WRITE_ROWS.map((row) => row.command.type))];

function describeRelation(relation: Relation, target: "contact" | "opportunity" | "none"): string {
  const record = target === "contact" ? "the contact" : "the opportunity";
  switch (relation) {
    case "owner":
      return `owns ${record}`;
    case "follower":
      return `follows ${record}`;
    case "neither":
      return `neither owns nor follows ${record}`;
    case "opportunity owner":
      return "owns only its opportunity";
    case "—":
      return "—";
  }
}

const cell = (outcome: Outcome) => (outcome === "allowed" ? "allowed" : outcome === "not found" ? "*not found*" : `**${outcome}**`);

/** `docs/permissions.md`, rendered from the tables above. */
export function renderPermissionsDoc(): string {
  const writeHeader = ["command", "the actor", ...WRITE_ACTORS.map((a) => ACTOR_TITLES[a])];
  const writeLines = WRITE_ROWS.map((row) => [row.label, describeRelation(row.relation, row.target), ...WRITE_ACTORS.map((a) => cell(row.outcomes[a]))]);
  const readHeader = ["record", "the actor", ...READ_ACTORS.map((a) => ACTOR_TITLES[a])];
  const readLines = READ_ROWS.map((row) => [row.label, describeRelation(row.relation, row.target), ...READ_ACTORS.map((a) => (row.visible[a as Exclude<Actor, "system">] ? "sees it" : "**hidden**"))]);
  const table = (header: string[], lines: string[][]) =>
    [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...lines.map((l) => `| ${l.join(" | ")} |`)].join("\n");

  return `${[
    "# Permissions",
    "",
    "<!-- Generated from test/permissions-table.ts by `npm run docs:permissions`. Do not edit by hand:",
    "     the test suite fails when this page and the table differ. -->",
    "",
    "Who may do what (the behaviour contract's §9), for writes (commands) and reads (selectors).",
    "Both tables below are data in the test suite: every cell is run against the library on every",
    "test run, so this page cannot drift from what the code does.",
    "",
    "## The model",
    "",
    "Users carry a `role` (`\"admin\"` or `\"user\"`, default `\"user\"`) and a `scope` (`\"all\"` or",
    "`\"assigned\"`, default `\"all\"`).",
    "",
    "- **Who acts comes from the host**, never from the command: `execute(state, command, context)`",
    "  takes `context.actor`, either `{ userId }` (a user of the account, checked as below) or",
    "  `{ system }` (a named system actor: a workflow, an import, the host itself; trusted). There",
    "  is no default: a missing or malformed context is `INVALID_COMMAND` (`field` `\"context\"`,",
    "  `\"context.actor\"` or `\"context.at\"`), and `parseCommand` refuses an `actorId` or `at` in a",
    "  body. Take the user from your authenticated session.",
    "- **Admins** may do everything, whatever their scope, and alone may `updateSettings`,",
    "  `deactivateUser`, `reactivateUser` and `transferOwnership`.",
    "- **Scope `all`** sees every record and may change any owner.",
    "- **Scope `assigned`** sees a contact or an opportunity only when they own it or follow it.",
    "  Owning an opportunity does not reveal its contact; owning a contact does not reveal",
    "  opportunities of it that someone else owns. They may change followers and status of what",
    "  they see, and may change the owner of (or delete) only what they own: a follower works a",
    "  record but cannot reassign it.",
    "- **Every record a command changes is authorised**, not only the one it names: with coupled",
    "  owners, moving an opportunity moves its contact and the contact's other opportunities, and",
    "  deleting a contact deletes its opportunities, so a scoped user needs the right to each of",
    "  them (a split group they do not wholly own is `FORBIDDEN`). Follows that a rule adds or ends",
    "  need no right of the actor.",
    "- **No probing**: for a scoped user, a record a command names that they cannot see is refused",
    "  exactly as a missing one (`CONTACT_NOT_FOUND` / `OPPORTUNITY_NOT_FOUND`, same `field`, same",
    "  message), so an id's existence does not leak. `FORBIDDEN` is for records they see but may",
    "  not change, and for records the change would reach that they may not change.",
    "- An unknown or inactive user may do nothing.",
    "- **The last active admin** of an account cannot be deactivated, by anyone, system actors",
    "  included (`FORBIDDEN`, rule `last-admin`); `recordsNeeded` asks the host for every user then.",
    "- A refused command fails with `FORBIDDEN`; the error names the actor (`actorId`, absent for a",
    "  system actor) and the rule (`rule`), its `field` is `\"context.actor\"` (for `last-admin`,",
    "  `\"userId\"`: the user it protects), and its message says why:",
    "",
    "  ```ts",
    "  const result = execute(state, { type: \"assignContactOwner\", contactId: \"acme\", ownerId: \"rita\" }, { actor: { userId: \"sam\" } });",
    "  // { ok: false, error: { code: \"FORBIDDEN\", actorId: \"sam\", rule: \"owner-only\", field: \"context.actor\",",
    "  //   message: 'User \"sam\" may not do this: only the owner (or a user with scope \"all\") may change the owner of contact \"acme\".' } }",
    "  ```",
    "",
    "| rule | refused because |",
    "| --- | --- |",
    "| `unknown-actor` | the actor's `userId` is not a user of the account |",
    "| `inactive-actor` | the actor is deactivated |",
    "| `admin-only` | the command is for admins only |",
    "| `owner-only` | scope `assigned`, and a record whose owner would change (or that would be deleted) is not the actor's: the one named, or one reached through coupling, a handover or a deletion |",
    "| `last-admin` | the user to deactivate is the account's last active admin |",
    "",
    "A command naming a record that is not in the snapshot, or that a scoped user cannot see, gets",
    "the missing record's error (`CONTACT_NOT_FOUND`, …), not `FORBIDDEN`. Permission checks come",
    "after `expectedVersion`; a refused command changes nothing.",
    "",
    "## The scenario",
    "",
    "Every row runs in the same small account: contact `acme` with one open opportunity `deal`,",
    "owners separate unless the row says coupled. Users: the actor; `olga`, who owns what the actor",
    "does not; `rita`, the user commands assign; `fred`, who follows `acme` and `deal`; `ina`, an",
    "inactive user. The relation says how the actor stands to the record the command names:",
    "",
    "- **owns**: the actor owns it (with coupled owners, the whole group);",
    "- **follows**: olga owns it and the actor follows it;",
    "- **neither owns nor follows**: olga owns it and the actor does not follow it;",
    "- **owns only its opportunity** (contact rows): olga owns the contact, which the actor does",
    "  not follow, and the actor owns `deal`.",
    "",
    "Columns: the four active actors by role and scope; an inactive actor (tried as an admin and as",
    "a user); a `userId` that is no user; and a system actor. A bold cell is the `rule` of the",
    "`FORBIDDEN` error; *not found* is the missing record's error; `allowed` means the command succeeds.",
    "",
    "## Commands",
    "",
    table(writeHeader, writeLines),
    "",
    "## Reads",
    "",
    "`canView(state, userId, { kind, id })` answers for one record; `visibleContacts(state, userId)`",
    "and `visibleOpportunities(state, userId)` list the records `canView` allows, in the snapshot's",
    "order. They apply the same function the commands use, so a read and a write never disagree",
    "about who sees what. A missing record is never visible.",
    "",
    table(readHeader, readLines),
    "",
    "## Decisions",
    "",
    "- `transferOwnership` is admin-only: it moves records of another user wholesale.",
    "- Scope `assigned` may delete only records they own; deleting a contact deletes all of its",
    "  opportunities, so it needs the right to delete each of them: a scoped contact owner cannot",
    "  delete a contact while another user owns one of its opportunities.",
    "- `assignContactOwner` with a `transfer` (separate owners) also changes the owner of the open",
    "  opportunities it hands over, so the actor needs the right to change each of those too: a",
    "  scope-`assigned` contact owner may hand over `\"ownedByPreviousOwner\"` (their own deals) but",
    "  not `\"all\"` while another user owns an open deal of the contact.",
    "- Creating a record with an id that is already taken is `ALREADY_EXISTS` even when a scoped",
    "  user cannot see the record that holds it: ids are unique account-wide and chosen by the host",
    "  (use random ids, such as UUIDs, and the answer tells a client nothing).",
    "- A command with no effect (assigning the owner a record already has) succeeds with no event",
    "  for any actor who may name the record: nothing changes, so there is nothing to authorise.",
    "- `createContact` is open to every active user; with scope `assigned` they see the new contact",
    "  only if they own or follow it. `createOpportunity` needs to see the contact; with coupled",
    "  owners an explicit, different `ownerId` reassigns the whole group, so it needs the right to",
    "  change the contact's owner.",
    "- An admin's scope does not limit them: admins see everything.",
  ].join("\n")}\n`;
}
