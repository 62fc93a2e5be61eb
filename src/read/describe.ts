/**
 * Events as sentences an admin understands, in any language a catalogue gives
 * (docs/describing-events.md). Imported only by those who call it: the engine does not grow.
 */
import { escapeName } from "../errors.js";
import type { CrmEvent } from "../events.js";
import type { RecordRef } from "../model/records.js";
import { actorOf } from "./actor.js";
import type { Catalogue } from "./catalogue.js";
import { localeDe } from "./locales/de.js";
import { localeEn } from "./locales/en.js";

/**
 * Display names for the ids in an event; each function returns `undefined` (or `""`) when it does
 * not know the id, and the id is shown instead. Typically backed by the host's user directory and records.
 *
 * @example
 * ```ts
 * const directory = new Map([["ana", "Ana Alves"], ["ben", "Ben Brook"]]);
 * const names: NameLookup = {
 *   user: (id) => directory.get(id),
 *   opportunity: (id) => (id === "deal-1" ? "Acme upsell" : undefined),
 * };
 * ```
 */
export interface NameLookup {
  /** A user's display name ("Ana Alves"), for actors, owners and followers. */
  readonly user?: ((userId: string) => string | undefined) | undefined;
  /** A contact's display name ("Acme Corp"). */
  readonly contact?: ((contactId: string) => string | undefined) | undefined;
  /** An opportunity's display name ("Acme upsell"). */
  readonly opportunity?: ((opportunityId: string) => string | undefined) | undefined;
  /** A rotation's display name ("Inbound leads"). */
  readonly rotation?: ((rotationId: string) => string | undefined) | undefined;
}

/**
 * Options of `describeEvent`.
 *
 * @example
 * ```ts
 * const options: DescribeOptions = { locale: "de", names: { user: (id) => id.toUpperCase() } };
 * ```
 */
export interface DescribeOptions {
  /** Display names for ids (default: the ids themselves). */
  readonly names?: NameLookup | undefined;
  /**
   * A catalogue (`localeEn`, `localeDe` or your own), or the tag of a built-in one: `"en"`,
   * `"de"` (a region such as `"de-AT"` uses its language). Default and fallback: English.
   */
  readonly locale?: Catalogue | string | undefined;
}

/**
 * One sentence that says what an event did, who did it and why, e.g.
 * "Ana reassigned deal “Acme upsell”: Ben → Dev, because owners are coupled.".
 *
 * Why: audit logs, timelines and notifications need words, not `OpportunityOwnerChanged`; the
 * event already holds the who, the what and the why.
 *
 * @example
 * ```ts
 * const names: NameLookup = {
 *   user: (id) => ({ ana: "Ana", ben: "Ben", dev: "Dev" })[id],
 *   opportunity: (id) => (id === "deal-1" ? "Acme upsell" : undefined),
 * };
 * const event: CrmEvent = {
 *   type: "OpportunityOwnerChanged", opportunityId: "deal-1", contactId: "acme", from: "ben", to: "dev",
 *   cause: "owners-coupled", version: 7, actor: { userId: "ana" }, schemaVersion: 2,
 * };
 * describeEvent(event, { names }); // "Ana reassigned deal “Acme upsell”: Ben → Dev, because owners are coupled."
 * describeEvent(event, { names, locale: "de" }); // "Ana hat den Deal „Acme upsell“ neu zugewiesen: Ben → Dev, weil die Besitzer gekoppelt sind."
 * ```
 */
export function describeEvent(event: CrmEvent, options: DescribeOptions = {}): string {
  const catalogue = pickCatalogue(options.locale);
  const names = options.names ?? {};
  // A name the lookup does not know (undefined, or an empty string) shows the id; either is
  // escaped so that the sentence stays one line in its own reading order (escapeName).
  // A display name is marked, so that a sentence it begins is not capitalised ("bell hooks" stays so).
  const named = (name: string | undefined, id: string): string => (name === undefined || name === "" ? escapeName(id) : NAME + escapeName(name));
  const user = (id: string | null): string => (id === null ? catalogue.nobody : named(names.user?.(id), id));
  const quote = (name: string): string => fill(catalogue.quoted, { name });
  const contact = (id: string): string => quote(named(names.contact?.(id), id));
  const opportunity = (id: string): string => quote(named(names.opportunity?.(id), id));
  const rotation = (id: string): string => quote(named(names.rotation?.(id), id));
  const record = (ref: RecordRef): string =>
    fill(catalogue.record[ref.kind], { name: ref.kind === "contact" ? contact(ref.id) : opportunity(ref.id) });

  const actor = actorOf(event);
  const params: Record<string, string> = {
    actor:
      actor === undefined || ("system" in actor && actor.system === "unknown")
        ? catalogue.someone
        : "userId" in actor
          ? user(actor.userId)
          : fill(catalogue.system, { label: escapeName(actor.system) }),
  };
  switch (event.type) {
    case "SettingsChanged":
      params["setting"] = catalogue.settings[event.setting];
      params["to"] = event.to ? catalogue.onOff.on : catalogue.onOff.off;
      break;
    case "ContactCreated":
      params["contact"] = contact(event.contactId);
      params["to"] = user(event.ownerId);
      break;
    case "OpportunityCreated":
      params["opportunity"] = opportunity(event.opportunityId);
      params["contact"] = contact(event.contactId);
      params["to"] = user(event.ownerId);
      break;
    case "ContactOwnerChanged":
    case "OpportunityOwnerChanged":
      if (event.type === "OpportunityOwnerChanged") params["opportunity"] = opportunity(event.opportunityId);
      params["contact"] = contact(event.contactId);
      params["from"] = user(event.from);
      params["to"] = user(event.to);
      params["via"] = event.rotationId === undefined ? "" : fill(catalogue.viaRotation, { rotation: rotation(event.rotationId) });
      break;
    case "FollowerAdded":
    case "FollowerRemoved":
      // "Cleo made themselves a follower", not "Cleo made Cleo a follower".
      params["user"] = actor !== undefined && "userId" in actor && actor.userId === event.userId ? catalogue.self : user(event.userId);
      params["record"] = record(event.record);
      break;
    case "FollowerNotAdded":
      params["user"] = user(event.userId);
      params["record"] = record(event.record);
      break;
    case "OpportunityStatusChanged":
      params["opportunity"] = opportunity(event.opportunityId);
      params["contact"] = contact(event.contactId);
      params["from"] = catalogue.statuses[event.from];
      params["to"] = catalogue.statuses[event.to];
      break;
    case "ContactDeleted":
      params["contact"] = contact(event.contactId);
      break;
    case "OpportunityDeleted":
      params["opportunity"] = opportunity(event.opportunityId);
      params["contact"] = contact(event.contactId);
      break;
    case "UserDeactivated":
    case "UserReactivated":
      params["user"] = user(event.userId);
      break;
    case "RotationAdvanced":
      params["rotation"] = rotation(event.rotationId);
      params["user"] = user(event.userId);
      params["picks"] = String(event.picks);
      break;
  }
  // An event type or cause of a newer release (not upcast) still gives a sentence: its name.
  // Own keys only: a type or cause such as "constructor" is not a template (Object.prototype's).
  const template = Object.hasOwn(catalogue.events, event.type) ? catalogue.events[event.type] : undefined;
  const text = fill(template ?? `{actor}: ${escapeName(String(event.type))}`, params);
  const cause = fill((Object.hasOwn(catalogue.causes, event.cause) ? catalogue.causes[event.cause] : undefined) ?? "", params);
  return capitalise(fill(catalogue.sentence, { text, cause }));
}

const BUILT_IN: Readonly<Record<string, Catalogue>> = { en: localeEn, de: localeDe };

function pickCatalogue(locale: Catalogue | string | undefined): Catalogue {
  if (typeof locale === "object" && locale !== null) return locale;
  if (typeof locale !== "string") return localeEn;
  const language = locale.toLowerCase().split(/[-_]/)[0] as string;
  return Object.hasOwn(BUILT_IN, language) ? (BUILT_IN[language] as Catalogue) : localeEn;
}

/** Replaces `{name}` by its parameter; an unknown parameter stays as written, visible. */
function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(params, key) ? (params[key] as string) : whole));
}

/**
 * Marks where a display name begins: a character no name can bring into a sentence (escapeName
 * escapes every control character), removed before the sentence is returned.
 */
const NAME = "\u0000";

/**
 * The sentence with its first letter capitalised ("someone…", "the system…", an id such as
 * "ana"), unless a display name begins it (a name is shown as the lookup gave it), or the capital
 * would change more than the letter ("ß" would become "SS").
 */
function capitalise(sentence: string): string {
  const text = sentence.includes(NAME) ? sentence.replaceAll(NAME, "") : sentence;
  if (sentence.startsWith(NAME)) return text;
  const first = text.charAt(0);
  const upper = first.toUpperCase();
  return upper.length === 1 ? upper + text.slice(1) : text;
}
