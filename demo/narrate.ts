/**
 * Every word the demo prints: names for ids, a sentence per event (the library's describeEvent),
 * and the "who owns what" table. The story (story.ts) only says what happens; this says it in words a
 * CRM admin understands.
 */
import {
  describeEvent,
  localeEn,
  getContact,
  getOpportunity,
  getSettings,
  opportunitiesOfContact,
  type Catalogue,
  type CrmEvent,
  type CrmState,
  type Follower,
  type NameLookup,
  type ToggleSetting,
} from "../src/index.js";
/** One event as the story reads it back from the store's outbox. */
export interface OutboxEntry {
  readonly event: CrmEvent;
}

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

/** The settings as the product's settings page names them. */
export const SETTING_NAMES: { readonly [S in ToggleSetting]: string } = {
  allowDifferentOwners: "“Allow different owners for contacts and its opportunities”",
  updateContactFollowersOnOpportunityOwnerChange: "“Update the contact follower when the opportunity owner changes”",
  updateOpportunityFollowersOnContactOwnerChange: "“Update the opportunity follower when the contact owner changes”",
};

/**
 * The demo speaks the library's English (`describeEvent`), with the settings named as the
 * product's settings page names them.
 */
const DEMO_LOCALE: Catalogue = { ...localeEn, settings: SETTING_NAMES };
const known = (id: string): string | undefined => NAMES[id];
const DEMO_NAMES: NameLookup = { user: known, contact: known, opportunity: known, rotation: known };

/** One event of the outbox as one sentence, by the library's `describeEvent`. */
export function sentence(entry: OutboxEntry): string {
  return describeEvent(entry.event, { names: DEMO_NAMES, locale: DEMO_LOCALE });
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
export const title = (where: string): string[] => [
  "═".repeat(78),
  `  crm-ownership · the story of one setting, on ${where}`,
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
