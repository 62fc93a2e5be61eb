/**
 * Whom to tell about an event. Followers exist so that the right people hear about a record; this
 * turns an event and the snapshot after it into that list of people, each with the reason, and
 * leaves the sending (mail, chat, in-app) to the host. The choices are in docs/notifications.md.
 */
import type { CrmEvent } from "../events.js";
import type { RecordKind } from "../model/records.js";
import { canSeeEverything } from "../model/access.js";
import { getUser, listUsers } from "../state/selectors.js";
import type { CrmState } from "../state/state.js";
import { actorOf } from "./actor.js";
import { ownersIn, ownsOrFollows, RecordSight, type RecordOwners } from "./recordSight.js";

/**
 * Why a user hears about an event.
 *
 * - `new-owner`: the record is now theirs (also when a record is created for them).
 * - `previous-owner`: the record was theirs until this event, or until it was deleted.
 * - `owner`: they own the record that changed (a deal's status, a follower added by hand).
 * - `contact-owner`: they own the contact of the deal that changed, and may see that deal (a user
 *   with scope `assigned` does not see the deals of their contact that others own).
 * - `follower`: they follow the record that changed (or followed the deleted record).
 * - `now-following` / `no-longer-following`: their own follow changed.
 * - `admin`: the event needs an admin (a follower limit was reached, a setting or a user changed).
 * - `reactivated`: they can work again.
 *
 * @example
 * ```ts
 * const subjects: Record<NotifyReason, string> = {
 *   "new-owner": "Assigned to you",
 *   "previous-owner": "No longer yours",
 *   owner: "Your record changed",
 *   "contact-owner": "A deal of your contact changed",
 *   follower: "A record you follow changed",
 *   "now-following": "You now follow",
 *   "no-longer-following": "You no longer follow",
 *   admin: "Needs an admin",
 *   reactivated: "Welcome back",
 * };
 * ```
 */
export type NotifyReason =
  | "new-owner"
  | "previous-owner"
  | "owner"
  | "contact-owner"
  | "follower"
  | "now-following"
  | "no-longer-following"
  | "admin"
  | "reactivated";

/**
 * One user to notify about one event, and why. A user appears once per event, with the most
 * specific reason: an owner reason before `follower` (a new owner who also follows is a
 * `new-owner`).
 *
 * @example
 * ```ts
 * const recipient: Recipient = { userId: "ben", reason: "new-owner" };
 * ```
 */
export interface Recipient {
  readonly userId: string;
  readonly reason: NotifyReason;
}

/**
 * One user to notify about a whole command (`whoToNotifyAll`): every reason they have and the
 * events that concern them, in the events' order, so a host sends one message per user.
 *
 * @example
 * ```ts
 * const digest = (n: Notification) => `${n.userId}: ${n.events.length} change(s) (${n.reasons.join(", ")})`;
 * digest({ userId: "ben", reasons: ["new-owner"], events: [] }); // "ben: 0 change(s) (new-owner)"
 * ```
 */
export interface Notification {
  readonly userId: string;
  readonly reasons: readonly NotifyReason[];
  readonly events: readonly CrmEvent[];
}

/**
 * Options of `whoToNotify` and `whoToNotifyAll`.
 *
 * @example
 * ```ts
 * declare const before: CrmState; // the snapshot the command ran on
 * const options: NotifyOptions = { before }; // who owned and followed what a command deleted
 * ```
 */
export interface NotifyOptions {
  /**
   * The snapshot before the command. Deletions read it: the snapshot after a `deleteContact` no
   * longer says who owned or followed the contact, so without `before` the deleted record's owner
   * and followers are not notified. It also shows which deals a contact's owner with scope
   * `assigned` could see: without it, the contact owner of a deleted deal is told only if they
   * see every record.
   */
  readonly before?: CrmState | undefined;
}

/**
 * The users who should hear about one event, each with a reason; never the user who acted
 * (`event.actor`), never an inactive or unknown user. `state` is the snapshot after the
 * command (`result.state`): owners, followers and activity are read there (`whoToNotifyAll` with
 * `before` reads each event of a batch at its moment instead).
 *
 * What each event notifies (docs/notifications.md):
 * owner changes, the new and previous owner, the record's followers and, for a deal, its contact's
 * owner; a follower added or removed by a command, that user and the record's owner; one changed
 * by a rule, only that user (the owner change that caused it is announced already); a follower
 * limit reached (`FollowerNotAdded`), the active admins; a status change, the deal's owner,
 * followers and contact owner; a created record, its owner (and the contact's owner for a deal);
 * a deleted record, its contact's owner and, with `options.before`, its owner and followers. A
 * contact's owner hears of a deal only if they may see it (after the command, or in `before`); a
 * setting or a deactivation, the admins; a reactivation, the user and the admins; a rotation
 * pick, nobody (its owner change says it).
 *
 * Why: the seed feature's promise is that followers hear about ownership changes; the library
 * knows who they are, the host knows how to reach them.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) {
 *   for (const event of result.events) {
 *     for (const { userId, reason } of whoToNotify(event, result.state)) console.log(userId, reason, event.type);
 *   }
 * }
 * ```
 */
export function whoToNotify(event: CrmEvent, state: CrmState, options: NotifyOptions = {}): readonly Recipient[] {
  return recipientsOf(event, state, snapshotView(state, options.before));
}

/**
 * Everyone to notify about the events of one command (or one batch): `whoToNotify` for each
 * event, merged by user, so a user gets one notification listing their reasons and the events
 * that concern them. Users come in the order they first appear. With `options.before`, each
 * record's owner and followers are followed event by event (a batch may change one record many
 * times): each event is told to the owners and followers of its moment, a contact's owner hears
 * of a change to a deal only if they could see it just before or just after that change, and a
 * record deleted in the batch tells who owned and followed it when it was deleted.
 *
 * Why: one `assignContactOwner` moves a contact and its deals and changes follows; nobody wants
 * five messages for one click.
 *
 * @example
 * ```ts
 * const result = execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * if (result.ok) {
 *   for (const n of whoToNotifyAll(result.events, result.state, { before: state })) {
 *     console.log(`to ${n.userId}: ${n.events.length} change(s), as ${n.reasons.join(" and ")}`);
 *   }
 * }
 * ```
 */
export function whoToNotifyAll(events: readonly CrmEvent[], state: CrmState, options: NotifyOptions = {}): readonly Notification[] {
  const byUser = new Map<string, { userId: string; reasons: NotifyReason[]; events: CrmEvent[] }>();
  // With `before`, the records are followed event by event: each event is read at its moment,
  // not at the batch's start or end.
  const sight = options.before === undefined ? undefined : new RecordSight(options.before);
  const fixed = snapshotView(state, options.before);
  for (const event of events) {
    const view = sight === undefined ? fixed : momentView(sight, event);
    for (const { userId, reason } of recipientsOf(event, state, view)) {
      let entry = byUser.get(userId);
      if (entry === undefined) {
        entry = { userId, reasons: [], events: [] };
        byUser.set(userId, entry);
      }
      if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
      if (entry.events[entry.events.length - 1] !== event) entry.events.push(event);
    }
  }
  return [...byUser.values()];
}

/**
 * Who owned and followed the records an event names, just before it and just after it (for a
 * deletion, `after` is `undefined` and `before` says who held the record).
 */
interface EventView {
  readonly before: (kind: RecordKind, id: string) => RecordOwners;
  readonly after: (kind: RecordKind, id: string) => RecordOwners;
}

/** One event read against the snapshots given: `state` after the command, `before` (if any) before it. */
function snapshotView(state: CrmState, before: CrmState | undefined): EventView {
  return {
    before: (kind, id) => (before === undefined ? undefined : ownersIn(before, kind, id)),
    after: (kind, id) => ownersIn(state, kind, id),
  };
}

/** One event of a batch read at its moment: the sight just before it, then moved past it. */
function momentView(sight: RecordSight, event: CrmEvent): EventView {
  const named = recordsNamed(event);
  const held = named.map(([kind, id]) => sight.get(kind, id));
  sight.apply(event);
  return {
    before: (kind, id) => held[named.findIndex(([k, n]) => k === kind && n === id)],
    after: (kind, id) => sight.get(kind, id),
  };
}

/**
 * The records whose owners and followers an event's recipients depend on: its contact and its
 * deal, or the record of a follow. None for the other events, and none for an event type of a
 * newer release, whose fields this release does not know (it notifies nobody).
 */
function recordsNamed(event: CrmEvent): [RecordKind, string][] {
  switch (event.type) {
    case "ContactCreated":
    case "ContactOwnerChanged":
    case "ContactDeleted":
      return [["contact", event.contactId]];
    case "OpportunityCreated":
    case "OpportunityOwnerChanged":
    case "OpportunityStatusChanged":
    case "OpportunityDeleted":
      return [
        ["contact", event.contactId],
        ["opportunity", event.opportunityId],
      ];
    case "FollowerAdded":
    case "FollowerRemoved":
      return [[event.record.kind, event.record.id]];
    default:
      return [];
  }
}

function recipientsOf(event: CrmEvent, state: CrmState, view: EventView): readonly Recipient[] {
  const out = new Recipients(state, actingUser(event), view);
  collect(out, event, view);
  return out.list;
}

function actingUser(event: CrmEvent): string | undefined {
  const actor = actorOf(event);
  return actor !== undefined && "userId" in actor ? actor.userId : undefined;
}

/** The list under construction: one entry per user, acting and inactive users left out. */
class Recipients {
  readonly list: Recipient[] = [];
  private readonly seen = new Set<string>();
  constructor(
    private readonly state: CrmState,
    private readonly actor: string | undefined,
    private readonly view: EventView,
  ) {}

  add(userId: string | null | undefined, reason: NotifyReason): void {
    if (userId === null || userId === undefined || userId === this.actor || this.seen.has(userId)) return;
    if (getUser(this.state, userId)?.active !== true) return;
    this.seen.add(userId);
    this.list.push({ userId, reason });
  }

  /**
   * The owner of the deal's contact (after the event), told of an event on the deal only if they
   * may see that deal: a user with scope `assigned` does not see the deals of their contact that
   * others own (docs/permissions.md), so they are not told of them either. One who sees every
   * record is always told; a scoped one if the deal was theirs to see just before or just after
   * the event (without `before`: after it; a deal of a batch that a later command of it deleted
   * is in neither, and only one who sees every record hears of it).
   */
  contactOwner(contactId: string, dealId: string): void {
    const ownerId = this.view.after("contact", contactId)?.ownerId;
    if (ownerId === null || ownerId === undefined) return;
    const sees =
      canSeeEverything(getUser(this.state, ownerId)) ||
      ownsOrFollows(this.view.after("opportunity", dealId), ownerId) ||
      ownsOrFollows(this.view.before("opportunity", dealId), ownerId);
    if (sees) this.add(ownerId, "contact-owner");
  }

  followers(record: RecordOwners): void {
    for (const userId of record?.followerIds ?? []) this.add(userId, "follower");
  }

  admins(): void {
    for (const user of listUsers(this.state)) if (user.role === "admin") this.add(user.id, "admin");
  }
}

function collect(out: Recipients, event: CrmEvent, view: EventView): void {
  switch (event.type) {
    case "ContactOwnerChanged":
      out.add(event.to, "new-owner");
      out.add(event.from, "previous-owner");
      out.followers(view.after("contact", event.contactId));
      return;
    case "OpportunityOwnerChanged":
      out.add(event.to, "new-owner");
      out.add(event.from, "previous-owner");
      out.contactOwner(event.contactId, event.opportunityId);
      out.followers(view.after("opportunity", event.opportunityId));
      return;
    case "FollowerAdded":
    case "FollowerRemoved":
      out.add(event.userId, event.type === "FollowerAdded" ? "now-following" : "no-longer-following");
      // A rule's follow change follows from an owner change that is announced already; only the
      // user whose follows changed hears of it. A follow changed by hand also tells the owner.
      if (event.cause === "command") out.add(view.after(event.record.kind, event.record.id)?.ownerId, "owner");
      return;
    case "FollowerNotAdded":
      // The record is full: only an admin can raise settings.maxFollowers or prune followers.
      out.admins();
      return;
    case "OpportunityStatusChanged":
      out.add(view.after("opportunity", event.opportunityId)?.ownerId, "owner");
      out.contactOwner(event.contactId, event.opportunityId);
      out.followers(view.after("opportunity", event.opportunityId));
      return;
    case "ContactCreated":
      out.add(event.ownerId, "new-owner");
      return;
    case "OpportunityCreated":
      out.add(event.ownerId, "new-owner");
      out.contactOwner(event.contactId, event.opportunityId);
      return;
    case "ContactDeleted": {
      const held = view.before("contact", event.contactId);
      out.add(held?.ownerId, "previous-owner");
      out.followers(held);
      return;
    }
    case "OpportunityDeleted": {
      const held = view.before("opportunity", event.opportunityId);
      out.add(held?.ownerId, "previous-owner");
      out.contactOwner(event.contactId, event.opportunityId);
      out.followers(held);
      return;
    }
    case "UserReactivated":
      out.add(event.userId, "reactivated");
      out.admins();
      return;
    case "UserDeactivated":
    case "SettingsChanged":
      out.admins();
      return;
    case "RotationAdvanced":
    default:
      // An event type of a newer release notifies nobody rather than failing the host's outbox.
      return;
  }
}
