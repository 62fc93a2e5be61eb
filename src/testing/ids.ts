/**
 * The id pools the arbitraries draw from. Small on purpose: a handful of ids per kind makes
 * random commands hit existing records (and collide with them) often, which is where rules live.
 */

/**
 * Ids that are ordinary strings to the library but special to JavaScript objects (docs/rules.md §14).
 * Every pool below includes them, so every generated snapshot and command may use them.
 *
 * @example
 * ```ts
 * import { HOSTILE_IDS } from "crm-ownership/testing";
 * HOSTILE_IDS.includes("__proto__"); // true
 * ```
 */
export const HOSTILE_IDS: readonly string[] = Object.freeze([
  "__proto__",
  "constructor",
  "toString",
  "prototype",
  "hasOwnProperty",
  "valueOf",
]);

/** @internal */
export const USER_POOL = ["ana", "ben", "cat", "dan", "eve", "__proto__", "constructor", "toString"] as const;
/** @internal */
export const CONTACT_POOL = ["acme", "globex", "initech", "umbrella", "hooli", "__proto__", "constructor", "toString", "prototype"] as const;
/** @internal */
export const OPPORTUNITY_POOL = [
  "deal-1",
  "deal-2",
  "deal-3",
  "deal-4",
  "deal-5",
  "deal-6",
  "deal-7",
  "deal-8",
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
] as const;
/** @internal */
export const ROTATION_POOL = ["inbound", "renewals", "__proto__"] as const;
/** Ids commands use for records that do not exist yet (or users that never will). @internal */
export const FRESH_CONTACTS = ["new-contact-1", "new-contact-2", "hasOwnProperty"] as const;
/** @internal */
export const FRESH_OPPORTUNITIES = ["new-deal-1", "new-deal-2", "hasOwnProperty"] as const;
/** @internal */
export const STRANGERS = ["nobody", "prototype", "hasOwnProperty", "valueOf"] as const;
