/**
 * The shape of a message catalogue for `describeEvent`: plain strings with `{name}` parameters,
 * so a new language is one object literal (docs/describing-events.md).
 */
import type { Cause, CrmEventType, ToggleSetting } from "../events.js";
import type { OpportunityStatus } from "../model/records.js";

/**
 * A language for `describeEvent`: one template per event type, one clause per cause, and the
 * words the templates use. Templates take `{name}` parameters (see docs/describing-events.md for
 * which event has which); a parameter a template does not use is ignored.
 *
 * Why plain data: a host adds a language, or rewords one sentence, with an object literal and
 * no dependency; the built-in catalogues (`localeEn`, `localeDe`) are the examples.
 *
 * @example
 * ```ts
 * // English, with one sentence reworded for a sales team.
 * const sales: Catalogue = {
 *   ...localeEn,
 *   events: { ...localeEn.events, OpportunityOwnerChanged: "{actor} handed deal {opportunity} from {from} to {to}" },
 * };
 * describeEvent(
 *   { type: "OpportunityOwnerChanged", opportunityId: "deal-1", contactId: "acme", from: "ana", to: "ben", cause: "command", version: 3, actor: { system: "import" }, schemaVersion: 2 },
 *   { locale: sales },
 * ); // "The system (import) handed deal “deal-1” from ana to ben."
 * ```
 */
export interface Catalogue {
  /** The BCP 47 tag of the language, e.g. `"en"`. */
  readonly locale: string;
  /** The whole sentence: `{text}` is the event's template, `{cause}` the cause's clause. */
  readonly sentence: string;
  /** One template per event type. Parameters: see docs/describing-events.md. */
  readonly events: { readonly [T in CrmEventType]: string };
  /** The clause each cause adds (`{cause}` in `sentence`); usually empty for `command`. */
  readonly causes: { readonly [C in Cause]: string };
  /** `{via}` of an owner change a rotation made (`{rotation}`: its quoted name); empty otherwise. */
  readonly viaRotation: string;
  /** A record name in quotes: `{name}`. */
  readonly quoted: string;
  /** "contact {name}", "deal {name}": a record named where its kind is not in the template. */
  readonly record: { readonly contact: string; readonly opportunity: string };
  /** For an owner of `null`. */
  readonly nobody: string;
  /** `{user}` of a follower event when the user changed their own follow ("themselves"). */
  readonly self: string;
  /** The actor of an event that does not say who acted (stored 0.1 events, `{ system: "unknown" }`). */
  readonly someone: string;
  /** A system actor: `{label}` is its label, e.g. "workflow:lead-routing". */
  readonly system: string;
  /** `{to}` of `SettingsChanged`. */
  readonly onOff: { readonly on: string; readonly off: string };
  /** `{setting}` of `SettingsChanged`. */
  readonly settings: { readonly [S in ToggleSetting]: string };
  /** `{from}` and `{to}` of `OpportunityStatusChanged`. */
  readonly statuses: { readonly [S in OpportunityStatus]: string };
}
