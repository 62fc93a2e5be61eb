/** English, the built-in default of `describeEvent`. */
import type { Catalogue } from "../catalogue.js";

/**
 * The English catalogue of `describeEvent` (its default).
 *
 * @example
 * ```ts
 * describeEvent(
 *   { type: "ContactDeleted", contactId: "acme", cause: "command", version: 2, actor: { userId: "ana" }, schemaVersion: 2 },
 *   { locale: localeEn, names: { user: (id) => (id === "ana" ? "Ana" : undefined) } },
 * ); // "Ana deleted contact “acme”."
 * ```
 */
export const localeEn: Catalogue = {
  locale: "en",
  sentence: "{text}{cause}.",
  events: {
    SettingsChanged: "{actor} turned {setting} {to}",
    ContactCreated: "{actor} created contact {contact}, owned by {to}",
    OpportunityCreated: "{actor} created deal {opportunity} for contact {contact}, owned by {to}",
    ContactOwnerChanged: "{actor} reassigned contact {contact}: {from} → {to}{via}",
    OpportunityOwnerChanged: "{actor} reassigned deal {opportunity}: {from} → {to}{via}",
    FollowerAdded: "{actor} made {user} a follower of {record}",
    FollowerRemoved: "{actor} removed {user} from the followers of {record}",
    FollowerNotAdded: "{user} could not follow {record}: it already has the most followers allowed",
    OpportunityStatusChanged: "{actor} moved deal {opportunity} from {from} to {to}",
    ContactDeleted: "{actor} deleted contact {contact}",
    OpportunityDeleted: "{actor} deleted deal {opportunity}",
    UserDeactivated: "{actor} deactivated {user}",
    UserReactivated: "{actor} reactivated {user}",
    RotationAdvanced: "Rotation {rotation} picked {user} (pick {picks})",
  },
  causes: {
    command: "",
    "owners-coupled": ", because owners are coupled",
    "owners-recoupled": ", because owners were coupled again",
    "opportunity-owner-followers": ", because deal owners follow their contact",
    "contact-owner-followers": ", because the contact's owner follows its deals",
    "contact-deleted": ", because its contact was deleted",
    transfer: ", as part of a transfer",
    "user-deactivated": ", because a user was deactivated",
  },
  viaRotation: " (round-robin {rotation})",
  quoted: "“{name}”",
  record: { contact: "contact {name}", opportunity: "deal {name}" },
  nobody: "nobody",
  self: "themselves",
  someone: "someone",
  system: "the system ({label})",
  onOff: { on: "on", off: "off" },
  settings: {
    allowDifferentOwners: "“deals may have their own owner”",
    updateContactFollowersOnOpportunityOwnerChange: "“deal owners follow the contact”",
    updateOpportunityFollowersOnContactOwnerChange: "“the contact's owner follows its deals”",
  },
  statuses: { open: "open", won: "won", lost: "lost", abandoned: "abandoned" },
};
