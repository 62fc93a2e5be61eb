/** German: the second built-in language of `describeEvent`, proof that a catalogue is all a language needs. */
import type { Catalogue } from "../catalogue.js";

/**
 * The German catalogue of `describeEvent`.
 *
 * @example
 * ```ts
 * describeEvent(
 *   { type: "ContactDeleted", contactId: "acme", cause: "command", version: 2, actor: { userId: "ana" }, schemaVersion: 2 },
 *   { locale: localeDe, names: { user: (id) => (id === "ana" ? "Ana" : undefined) } },
 * ); // "Ana hat den Kontakt „acme“ gelöscht."
 * ```
 */
export const localeDe: Catalogue = {
  locale: "de",
  sentence: "{text}{cause}.",
  events: {
    SettingsChanged: "{actor} hat {setting} {to}",
    ContactCreated: "{actor} hat den Kontakt {contact} angelegt, Besitzer: {to}",
    OpportunityCreated: "{actor} hat den Deal {opportunity} zum Kontakt {contact} angelegt, Besitzer: {to}",
    ContactOwnerChanged: "{actor} hat den Kontakt {contact} neu zugewiesen: {from} → {to}{via}",
    OpportunityOwnerChanged: "{actor} hat den Deal {opportunity} neu zugewiesen: {from} → {to}{via}",
    FollowerAdded: "{actor} hat {user} als Follower von {record} eingetragen",
    FollowerRemoved: "{actor} hat {user} als Follower von {record} entfernt",
    FollowerNotAdded: "{user} konnte {record} nicht folgen: die Höchstzahl an Followern ist erreicht",
    OpportunityStatusChanged: "{actor} hat den Deal {opportunity} von {from} auf {to} gesetzt",
    ContactDeleted: "{actor} hat den Kontakt {contact} gelöscht",
    OpportunityDeleted: "{actor} hat den Deal {opportunity} gelöscht",
    UserDeactivated: "{actor} hat {user} deaktiviert",
    UserReactivated: "{actor} hat {user} wieder aktiviert",
    RotationAdvanced: "Die Rotation {rotation} hat {user} gewählt (Auswahl Nr. {picks})",
  },
  causes: {
    command: "",
    "owners-coupled": ", weil die Besitzer gekoppelt sind",
    "owners-recoupled": ", weil die Besitzer wieder gekoppelt wurden",
    "opportunity-owner-followers": ", weil Deal-Besitzer ihrem Kontakt folgen",
    "contact-owner-followers": ", weil der Kontaktbesitzer seinen Deals folgt",
    "contact-deleted": ", weil sein Kontakt gelöscht wurde",
    transfer: " im Rahmen einer Übertragung",
    "user-deactivated": ", weil ein Benutzer deaktiviert wurde",
  },
  viaRotation: " (Rotation {rotation})",
  quoted: "„{name}“",
  record: { contact: "Kontakt {name}", opportunity: "Deal {name}" },
  nobody: "niemand",
  self: "sich",
  someone: "jemand",
  system: "das System ({label})",
  onOff: { on: "eingeschaltet", off: "ausgeschaltet" },
  settings: {
    allowDifferentOwners: "„Deals dürfen eigene Besitzer haben“",
    updateContactFollowersOnOpportunityOwnerChange: "„Deal-Besitzer folgen dem Kontakt“",
    updateOpportunityFollowersOnContactOwnerChange: "„der Kontaktbesitzer folgt seinen Deals“",
  },
  statuses: { open: "offen", won: "gewonnen", lost: "verloren", abandoned: "aufgegeben" },
};
