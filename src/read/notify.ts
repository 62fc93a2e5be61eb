/**
 * Whom to tell about an event. Followers exist so that the right people hear about a record; this
 * turns an event and the snapshot after it into that list of people, each with the reason, and
 * leaves the sending (mail, chat, in-app) to the host. The choices are in docs/notifications.md.
 */
import type { CrmEvent } from "../events.js";
import type { Follower, RecordRef } from "../model/records.js";
import { canSeeEverything } from "../model/access.js";
import { getContact, getOpportunity, getUser, listUsers } from "../state/selectors.js";
import type { CrmState } from "../state/state.js";
import { canView } from "../state/visibility.js";
import { actorOf } from "./actor.js";
import { DealSight, ownsOrFollowsDeal, type DealOwners } from "./dealSight.js";

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
 * command (`result.state`): followers and activity are read there.
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
  return recipientsOf(event, state, options.before, undefined);
}

/** A deal as it was just before and just after one event of a batch (`DealSight`). */
interface DealMoment {
  readonly before: DealOwners;
  readonly after: DealOwners;
}

function recipientsOf(event: CrmEvent, state: CrmState, before: CrmState | undefined, deal: DealMoment | undefined): readonly Recipient[] {
  const out = new Recipients(state, actingUser(event), deal);
  collect(out, event, state, before);
  return out.list;
}

/**
 * Everyone to notify about the events of one command (or one batch): `whoToNotify` for each
 * event, merged by user, so a user gets one notification listing their reasons and the events
 * that concern them. Users come in the order they first appear. With `options.before`, each
 * deal's owner and followers are followed event by event: a contact's owner hears of a change to
 * a deal only if they could see it just before or just after that change, and a deal deleted in
 * the batch tells who owned and followed it when it was deleted.
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
  // With `before`, a deal's visibility is followed event by event: what a contact owner could see
  // when it changed, not at the batch's start or end.
  const sight = options.before === undefined ? undefined : new DealSight(options.before);
  for (const event of events) {
    const dealId = "opportunityId" in event ? event.opportunityId : undefined;
    const prior = sight !== undefined && dealId !== undefined ? sight.get(dealId) : undefined;
    sight?.apply(event);
    const deal = sight !== undefined && dealId !== undefined ? { before: prior, after: sight.get(dealId) } : undefined;
    for (const { userId, reason } of recipientsOf(event, state, options.before, deal)) {
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
    /** For an event of a batch on a deal: the deal just before and just after it. */
    readonly deal: DealMoment | undefined,
  ) {}

  add(userId: string | null | undefined, reason: NotifyReason): void {
    if (userId === null || userId === undefined || userId === this.actor || this.seen.has(userId)) return;
    if (getUser(this.state, userId)?.active !== true) return;
    this.seen.add(userId);
    this.list.push({ userId, reason });
  }

  /**
   * The contact's owner, told of an event on one of its deals only if they may see that deal: a
   * user with scope `assigned` does not see the deals of their contact that others own
   * (docs/permissions.md), so they are not told of them either. One who sees every record is
   * always told; a scoped one if the deal is theirs to see after the command or, given `before`,
   * before it (a deleted deal; a deal of a batch that a later command of it deleted is in
   * neither, and only one who sees every record hears of it). In `whoToNotifyAll` with `before`,
   * a scoped one if the deal was theirs to see just before or just after this event.
   */
  contactOwner(ownerId: string | null | undefined, deal: string, before: CrmState | undefined): void {
    if (ownerId === null || ownerId === undefined) return;
    const ref = { kind: "opportunity", id: deal } as const;
    const moment = this.deal;
    const sees =
      canSeeEverything(getUser(this.state, ownerId)) ||
      (moment !== undefined
        ? ownsOrFollowsDeal(moment.before, ownerId) || ownsOrFollowsDeal(moment.after, ownerId)
        : canView(this.state, ownerId, ref) || (before !== undefined && canView(before, ownerId, ref)));
    if (sees) this.add(ownerId, "contact-owner");
  }

  followers(followers: readonly Follower[] | undefined): void {
    for (const f of followers ?? []) this.add(f.userId, "follower");
  }

  admins(): void {
    for (const user of listUsers(this.state)) if (user.role === "admin") this.add(user.id, "admin");
  }
}

function ownerOf(state: CrmState, record: RecordRef): string | null | undefined {
  return record.kind === "contact" ? getContact(state, record.id)?.ownerId : getOpportunity(state, record.id)?.ownerId;
}

function followersOf(state: CrmState | undefined, record: RecordRef): readonly Follower[] | undefined {
  if (state === undefined) return undefined;
  return record.kind === "contact" ? getContact(state, record.id)?.followers : getOpportunity(state, record.id)?.followers;
}

function collect(out: Recipients, event: CrmEvent, state: CrmState, before: CrmState | undefined): void {
  switch (event.type) {
    case "ContactOwnerChanged":
      out.add(event.to, "new-owner");
      out.add(event.from, "previous-owner");
      out.followers(getContact(state, event.contactId)?.followers);
      return;
    case "OpportunityOwnerChanged":
      out.add(event.to, "new-owner");
      out.add(event.from, "previous-owner");
      out.contactOwner(getContact(state, event.contactId)?.ownerId, event.opportunityId, before);
      out.followers(getOpportunity(state, event.opportunityId)?.followers);
      return;
    case "FollowerAdded":
    case "FollowerRemoved":
      out.add(event.userId, event.type === "FollowerAdded" ? "now-following" : "no-longer-following");
      // A rule's follow change follows from an owner change that is announced already; only the
      // user whose follows changed hears of it. A follow changed by hand also tells the owner.
      if (event.cause === "command") out.add(ownerOf(state, event.record), "owner");
      return;
    case "FollowerNotAdded":
      // The record is full: only an admin can raise settings.maxFollowers or prune followers.
      out.admins();
      return;
    case "OpportunityStatusChanged":
      out.add(getOpportunity(state, event.opportunityId)?.ownerId, "owner");
      out.contactOwner(getContact(state, event.contactId)?.ownerId, event.opportunityId, before);
      out.followers(getOpportunity(state, event.opportunityId)?.followers);
      return;
    case "ContactCreated":
      out.add(event.ownerId, "new-owner");
      return;
    case "OpportunityCreated":
      out.add(event.ownerId, "new-owner");
      out.contactOwner(getContact(state, event.contactId)?.ownerId, event.opportunityId, before);
      return;
    case "ContactDeleted": {
      const record: RecordRef = { kind: "contact", id: event.contactId };
      if (before !== undefined) out.add(ownerOf(before, record), "previous-owner");
      out.followers(followersOf(before, record));
      return;
    }
    case "OpportunityDeleted": {
      const record: RecordRef = { kind: "opportunity", id: event.opportunityId };
      const deal = out.deal?.before;
      if (out.deal !== undefined) {
        // In a batch: who owned and followed it when it was deleted, not when the batch began.
        out.add(deal?.ownerId, "previous-owner");
        out.contactOwner(getContact(state, event.contactId)?.ownerId, event.opportunityId, before);
        for (const userId of deal?.followerIds ?? []) out.add(userId, "follower");
        return;
      }
      if (before !== undefined) out.add(ownerOf(before, record), "previous-owner");
      out.contactOwner(getContact(state, event.contactId)?.ownerId, event.opportunityId, before);
      out.followers(followersOf(before, record));
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
