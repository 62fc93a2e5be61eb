/**
 * Every word the demo prints: names for ids, a sentence per event, the reason per cause, and the
 * "who owns what" table. The story (story.ts) only says what happens; this says it in words a
 * CRM admin understands.
 */
import {
  getContact,
  getOpportunity,
  getSettings,
  opportunitiesOfContact,
  type Actor,
  type Cause,
  type CrmEvent,
  type CrmState,
  type Follower,
  type RecordRef,
  type ToggleSetting,
} from "../src/index.js";
import type { OutboxEntry } from "../examples/sqlite-host/index.js";

/** Display names for the ids of the demo account. */
export const NAMES: { readonly [id: string]: string } = {
  // users
  ana: "Ana",
  ben: "Ben",
  cleo: "Cleo",
  dev: "Dev",
  eve: "Eve",
  fay: "Fay",
  gus: "Gus",
  hal: "Hal",
  ivy: "Ivy",
  jon: "Jon",
  kim: "Kim",
  lea: "Lea",
  max: "Max",
  nia: "Nia",
  oto: "Oto",
  // contacts
  acme: "Acme Corp",
  globex: "Globex",
  initech: "Initech",
  umbrella: "Umbrella",
  hooli: "Hooli",
  // deals (opportunities)
  "acme-renewal": "Acme renewal",
  "acme-upsell": "Acme upsell",
  "acme-services": "Acme services",
  "acme-hardware": "Acme hardware",
  "globex-pilot": "Globex pilot",
  "hooli-trial": "Hooli trial",
  // rotations
  "inbound-leads": "Inbound leads",
};

const name = (id: string): string => NAMES[id] ?? id;
const owner = (id: string | null): string => (id === null ? "nobody" : name(id));
const record = (ref: RecordRef): string => (ref.kind === "contact" ? `contact ${name(ref.id)}` : `deal “${name(ref.id)}”`);

/** The settings as the product's settings page names them. */
export const SETTING_NAMES: { readonly [S in ToggleSetting]: string } = {
  allowDifferentOwners: "“Allow different owners for contacts and its opportunities”",
  updateContactFollowersOnOpportunityOwnerChange: "“Update the contact follower when the opportunity owner changes”",
  updateOpportunityFollowersOnContactOwnerChange: "“Update the opportunity follower when the contact owner changes”",
};

/** Why a rule made a change, as the end of a sentence ("" when the command asked for it). */
export const BECAUSE: { readonly [C in Cause]: string } = {
  command: "",
  "owners-coupled": "because owners are coupled",
  "owners-recoupled": "because owners are coupled again",
  "opportunity-owner-followers": "because contact followers follow deal owners",
  "contact-owner-followers": "because deal followers follow the contact owner",
  "contact-deleted": "because its contact was deleted",
  transfer: "because of a handover",
  "user-deactivated": "because of offboarding",
};

const because = (cause: Cause): string => (BECAUSE[cause] === "" ? "" : `, ${BECAUSE[cause]}`);

/** Who gave the command: a person, or a named automation (a system actor). */
const who = (actor: Actor): string => ("userId" in actor ? name(actor.userId) : `The automation “${actor.system}”`);

/** One event of the outbox as one sentence. */
export function sentence(entry: OutboxEntry): string {
  const e: CrmEvent = entry.event;
  const actor = who(e.actor);
  switch (e.type) {
    case "SettingsChanged":
      return `${actor} turned ${e.to ? "ON" : "OFF"} ${SETTING_NAMES[e.setting]}.`;
    case "ContactCreated":
      return `${actor} created contact ${name(e.contactId)}, ${e.ownerId === null ? "unassigned" : `owned by ${name(e.ownerId)}`}.`;
    case "OpportunityCreated":
      return (
        `${actor} created deal “${name(e.opportunityId)}” for ${name(e.contactId)}, owner ${owner(e.ownerId)}` +
        (e.ownerDefaulted ? " (by default: the contact's owner)." : " (chosen, not the default).")
      );
    case "ContactOwnerChanged":
      if (e.rotationId !== undefined) return `Round-robin “${name(e.rotationId)}” gave contact ${name(e.contactId)} to ${owner(e.to)}.`;
      return e.cause === "command"
        ? `${actor} reassigned contact ${name(e.contactId)}: ${owner(e.from)} → ${owner(e.to)}.`
        : `Contact ${name(e.contactId)} moved: ${owner(e.from)} → ${owner(e.to)}${because(e.cause)}.`;
    case "OpportunityOwnerChanged":
      if (e.rotationId !== undefined) return `Round-robin “${name(e.rotationId)}” gave deal “${name(e.opportunityId)}” to ${owner(e.to)}.`;
      return e.cause === "command"
        ? `${actor} reassigned deal “${name(e.opportunityId)}”: ${owner(e.from)} → ${owner(e.to)}.`
        : `Deal “${name(e.opportunityId)}” moved: ${owner(e.from)} → ${owner(e.to)}${because(e.cause)}.`;
    case "FollowerAdded":
      return e.cause === "command"
        ? `${name(e.userId)} now follows ${record(e.record)} (added by hand${"userId" in e.actor && e.actor.userId === e.userId ? "" : ` by ${actor}`}).`
        : `${name(e.userId)} now follows ${record(e.record)} automatically${because(e.cause)}.`;
    case "FollowerRemoved":
      return e.cause === "command"
        ? `${actor} removed ${name(e.userId)} from the followers of ${record(e.record)}.`
        : `${name(e.userId)} no longer follows ${record(e.record)}${because(e.cause)}.`;
    case "FollowerNotAdded":
      return `⚠ ${name(e.userId)} could NOT follow ${record(e.record)} automatically: it already has the most followers allowed.`;
    case "OpportunityStatusChanged":
      return `${actor} marked deal “${name(e.opportunityId)}” ${e.to}.`;
    case "ContactDeleted":
      return `${actor} deleted contact ${name(e.contactId)}.`;
    case "OpportunityDeleted":
      return `Deal “${name(e.opportunityId)}” was deleted${because(e.cause)}.`;
    case "UserDeactivated":
      return `${actor} deactivated ${name(e.userId)}: they can no longer own or follow anything.`;
    case "UserReactivated":
      return `${actor} reactivated ${name(e.userId)}.`;
    case "RotationAdvanced":
      return `   (“${name(e.rotationId)}” moves on: ${e.picks} pick${e.picks === 1 ? "" : "s"} so far.)`;
  }
}

/** "09:03" from the command's ISO time, when it had one. */
export const clock = (entry: OutboxEntry): string => entry.event.at?.slice(11, 16) ?? "     ";

/** Marks a follow a rule made; a follow without it was made by hand. */
export const AUTO = "(auto)";

const followerList = (followers: readonly Follower[], max: number): string => {
  if (followers.length === 0) return "";
  const shown = followers.slice(0, 3).map((f) => `${name(f.userId)}${f.source === "automation" ? ` ${AUTO}` : ""}`);
  const rest = followers.length - shown.length;
  const full = followers.length >= max ? `: the limit` : "";
  return `followers: ${shown.join(", ")}${rest > 0 ? ` and ${rest} more (${followers.length}${full})` : ""}`;
};

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text + " ".repeat(width - text.length));

/** The "who owns what" table of some contacts, each with its deals and followers. */
export function ownership(state: CrmState, contactIds: Iterable<string>): string[] {
  const max = getSettings(state).maxFollowers;
  const lines: string[] = [];
  for (const id of contactIds) {
    const contact = getContact(state, id);
    if (contact === undefined) continue;
    lines.push(`    ${pad(name(id), 20)}${pad(`owner ${owner(contact.ownerId)}`, 14)}${followerList(contact.followers, max)}`.trimEnd());
    for (const deal of opportunitiesOfContact(state, id)) {
      const status = deal.status === "open" ? "" : ` [${deal.status}]`;
      lines.push(`      · ${pad(name(deal.id) + status, 16)}${pad(`owner ${owner(deal.ownerId)}`, 14)}${followerList(deal.followers, max)}`.trimEnd());
    }
  }
  return lines;
}

/** The contacts an event is about (for the table after each scene). */
export function contactOf(state: CrmState, event: CrmEvent): string | undefined {
  if ("contactId" in event) return event.contactId;
  if ("record" in event) return event.record.kind === "contact" ? event.record.id : getOpportunity(state, event.record.id)?.contactId;
  return undefined;
}

/** The settings, one line each, ON or OFF. */
export function settingsLines(state: CrmState): string[] {
  const settings = getSettings(state);
  return (Object.keys(SETTING_NAMES) as ToggleSetting[]).map((key) => `    ${settings[key] ? "ON " : "OFF"}  ${SETTING_NAMES[key]}`);
}

const RULE = "─".repeat(78);

/** The demo's title. */
export const title = (file: string): string[] => [
  "═".repeat(78),
  `  crm-ownership · the story of one setting, on a SQLite host (${file})`,
  "═".repeat(78),
];

/** A scene's heading and its one-paragraph introduction. */
export const scene = (n: number, heading: string, intro: string): string[] => ["", `── ${n}. ${heading} ${RULE}`.slice(0, 78), ...wrap(intro, WIDTH, "  "), ""];

/** The width the demo wraps its text to. */
export const WIDTH = 78;

/** Wraps a paragraph to `width` columns; lines after the first get `next` (default: `indent`). */
export function wrap(text: string, width: number, indent: string, next: string = indent): string[] {
  const lines: string[] = [];
  let line = "";
  let prefix = indent;
  for (const word of text.split(/\s+/)) {
    if (line !== "" && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      prefix = next;
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(prefix + line);
  return lines;
}

/** One timeline line: the time, then the sentence, wrapped under itself. */
export const timelineLines = (entry: OutboxEntry): string[] => wrap(sentence(entry), WIDTH, `    ${clock(entry)}  `, " ".repeat(11));

/** Labels of the small sections inside a scene. */
export const LABELS = {
  start: "  Who owns what at the start",
  legend: `  (A follower marked ${AUTO} was added by a rule; the others were added by hand.)`,
  timeline: "  Timeline (read back from the outbox)",
  owners: "  Who owns what now",
  settings: "  Settings now",
  note: "  ✎ ",
} as const;
